package gui

import (
	"testing"
	"time"

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
	if !shows(a, "Check-ins due today: 1 (0 overdue)") {
		t.Error("the dashboard does not show the day-1 check-in due")
	}

	clk.Advance(2 * 24 * time.Hour) // day 3: day 1 missed, day 3 due
	if !shows(a, "Check-ins due today: 1 (0 overdue)") {
		t.Error("the dashboard counted again before the reminders did")
	}
	a.reminders.run()
	if !shows(a, "Check-ins due today: 2 (1 overdue)") {
		t.Error("the dashboard does not follow the reminders' count")
	}
}
