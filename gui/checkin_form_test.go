package gui

import (
	"testing"
	"time"

	"connectpoint/data"
)

// A check-in recorded late proposes the next one for today when the next
// one's day has passed too, never a date gone by.
func TestLateCheckInProposesToday(t *testing.T) {
	dir := t.TempDir()
	opt, clk := testOptions()
	admin, _, _, facility := workflowProgram(t, dir, opt)
	ctx := t.Context()
	id, err := admin.CreateCase(ctx, data.NewCase{Person: data.Person{First: "Jose", Last: "Hernandez"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.Place(ctx, id, data.Placement{Facility: facility}); err != nil {
		t.Fatal(err)
	}
	// Day 200: day 90 is past its window, day 180 is due since 20 days.
	clk.Advance(200 * 24 * time.Hour)
	a := loggedIn(t, dir, opt, "coordinator")
	a.openCheckIn(id, nil)
	f, ok := a.shell.page("checkin:" + id).(*checkInForm)
	if !ok {
		t.Fatal("no check-in form")
	}
	if f.due == nil || f.due.Day != 90 {
		t.Fatalf("the form records %+v, want day 90", f.due)
	}
	if got, want := f.nextDue.entry.Text, dateText(a.now().Format(data.DateLayout)); got != want {
		t.Errorf("next check-in due %q, want today %q", got, want)
	}
}
