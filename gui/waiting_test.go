package gui

import (
	"strings"
	"testing"
	"time"

	"connectpoint/data"
)

// TestDashboardSaysWhatCasesWaitFor: a coach on the way is shown with the
// time they are expected, not as "assessment".
func TestDashboardSaysWhatCasesWaitFor(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	admin, tom, ana, _ := workflowProgram(t, dir, opt)
	ctx := t.Context()
	onWay, err := admin.CreateCase(ctx, data.NewCase{Person: data.Person{First: "Kevin", Last: "Murphy"}, Case: data.Case{Channel: "family"}})
	if err != nil {
		t.Fatal(err)
	}
	tried, err := admin.CreateCase(ctx, data.NewCase{Person: data.Person{First: "Maria", Last: "Santos"}, Case: data.Case{Channel: "phone"}})
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(10 * time.Minute)
	for _, d := range []data.DispatchAttempt{
		{CaseID: onWay, Coach: ana, Response: "accepted", ETAMinutes: 20}, // at 19:10: expected 19:30
		{CaseID: tried, Coach: tom, Response: "no_answer"},
		{CaseID: tried, Coach: ana, Response: "declined"},
	} {
		if _, err := admin.LogDispatch(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	a := loggedIn(t, dir, opt, "officer")
	want := map[string]string{"Kevin M.": "waiting for: coach arriving (ETA 19:30)", "Maria S.": "waiting for: a coach (2 tried)"}
	rows := caseRows(a)
	if len(rows) != 2 {
		t.Fatalf("%d rows on the dashboard", len(rows))
	}
	for _, r := range rows {
		if w := want[r.name.Text]; r.waiting.Text != w {
			t.Errorf("%s: %q, want %q", r.name.Text, r.waiting.Text, w)
		}
	}
	a.openCase(onWay)
	cs := a.shell.page("case:" + onWay).(*caseScreen)
	if cs.nextTitle.Text != "Ana Park is on the way" || !strings.Contains(cs.nextFacts.Text, "expected 19:30") || cs.next.Text != "Coach arrived" {
		t.Errorf("case: %q %q %q", cs.nextTitle.Text, cs.nextFacts.Text, cs.next.Text)
	}
}
