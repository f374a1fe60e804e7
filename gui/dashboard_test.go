package gui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"connectpoint/data"
)

// The dashboard's check-ins line is the reminders' count: shown at login,
// and moved on when the reminders count again, without the dashboard
// reading every placed case itself.
func TestDashboardShowsTheRemindersCount(t *testing.T) {
	dir := t.TempDir()
	opt, clk := testOptions()
	admin, _, _, facility := workflowProgram(t, dir, opt)
	ctx := t.Context()
	id, err := admin.CreateCase(ctx, data.NewCase{Person: data.Person{First: "Daniel", Last: "Reyes"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.Place(ctx, id, data.Placement{Facility: facility}); err != nil {
		t.Fatal(err)
	}

	clk.Advance(24 * time.Hour) // the day-1 check-in is due
	a := loggedIn(t, dir, opt, "coordinator")
	if current(a.shell) != "dashboard" {
		t.Fatalf("opened on %s", current(a.shell))
	}
	if !shows(a, "Check-ins due now: 1 (0 overdue)") {
		t.Error("the dashboard does not show the day-1 check-in due")
	}

	clk.Advance(2 * 24 * time.Hour) // day 3: day 1 missed, day 3 due
	if !shows(a, "Check-ins due now: 1 (0 overdue)") {
		t.Error("the dashboard counted again before the reminders did")
	}
	a.reminders.run()
	if !shows(a, "Check-ins due now: 2 (1 overdue)") {
		t.Error("the dashboard does not follow the reminders' count")
	}
}

// The dashboard lists a few coaches on call and counts the rest: the
// window must not grow with the roster.
func TestDashboardOnCallIsShort(t *testing.T) {
	dir := t.TempDir()
	opt, _ := testOptions()
	admin, _, _, _ := workflowProgram(t, dir, opt) // two coaches on call
	ctx := t.Context()
	for i := range 10 {
		id, err := admin.AddCoach(ctx, data.Coach{Name: "Coach " + string(rune('A'+i)), Phone: "630-555-01" + string(rune('0'+i)) + "0"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := admin.AddShift(ctx, data.Shift{Coach: id, StartsAt: start.Add(-time.Hour), EndsAt: start.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	a := loggedIn(t, dir, opt, "coordinator")
	d := a.shell.dashboard()
	if d == nil || current(a.shell) != "dashboard" {
		t.Fatal("not on the dashboard")
	}
	if got := len(d.onCall.Objects); got != onCallShown+1 {
		t.Errorf("%d rows on call, want %d and a count", got, onCallShown)
	}
	if !shows(a, "9 more on call") {
		t.Error("the coaches not listed are not counted")
	}
	test.Tap(button(t, a, "Show all coaches"))
	if current(a.shell) != "coaches" {
		t.Errorf("Show all coaches opened %s", current(a.shell))
	}
}
