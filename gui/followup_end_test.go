package gui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"connectpoint/data"
)

// TestEndFollowUp: the coach ends the follow-up of her placed case from
// the case screen; the form wants a reason, the case is then closed with
// it, says so, and offers neither a check-in nor another end.
func TestEndFollowUp(t *testing.T) {
	opt, _ := testOptions()
	dir := t.TempDir()
	admin, _, ana, facility := workflowProgram(t, dir, opt)
	id := placedCase(t, admin, ana, facility)

	a := loggedIn(t, dir, opt, "coach")
	a.openCase(id)
	cs := a.shell.page("case:" + id).(*caseScreen)
	test.Tap(button(t, a, "End follow-up…"))
	f := cs.endFollowUp
	if f == nil || len(f.reason.Options) != len(data.FollowUpEnds) {
		t.Fatal("End follow-up should ask why, with every reason")
	}
	test.Tap(f.confirm)
	if !f.problem.Visible() || f.problem.Text != "Choose why the follow-up ends." {
		t.Errorf("no reason chosen: problem %q", f.problem.Text)
	}
	if rec, _ := admin.Case(t.Context(), id); rec.Case.Status != data.StatusPlaced {
		t.Fatalf("closed without a reason: %s", rec.Case.Status)
	}
	snap(t, a, "end_follow_up")
	f.reason.SetSelected("Lost contact")
	test.Tap(f.confirm)
	if cs.endFollowUp != nil {
		t.Fatalf("the follow-up did not end: %q", f.problem.Text)
	}
	rec, err := admin.Case(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Case.Status != data.StatusClosed || rec.Case.CloseReason != data.FollowUpLost {
		t.Errorf("after ending: %s %q", rec.Case.Status, rec.Case.CloseReason)
	}
	if cs.nextTitle.Text != "Closed" || cs.nextFacts.Text != data.FollowUpLost || cs.next.Visible() || hasButton(a, "End follow-up…") {
		t.Errorf("the case screen after ending: %q %q, buttons next %v", cs.nextTitle.Text, cs.nextFacts.Text, cs.next.Visible())
	}
	if !shows(a, "closed: lost contact") {
		t.Error("the timeline does not say why the case closed")
	}

	// An officer learns that the follow-up ended, not why.
	relogin(t, a, "officer")
	a.openCase(id)
	cs = a.shell.page("case:" + id).(*caseScreen)
	if cs.nextTitle.Text != "Closed" || cs.nextFacts.Text != "follow-up ended" || shows(a, "lost contact") || !shows(a, "closed: follow-up ended") {
		t.Errorf("the officer's case screen: %q %q", cs.nextTitle.Text, cs.nextFacts.Text)
	}
}
