package gui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"connectpoint/data"
)

// consentCase makes a case with Ana as its coach, assessed, a consent on
// file and a bed held at the facility: the next step is the placement.
func consentCase(t *testing.T, admin *data.Session, ana, facility string, clk *data.FixedClock) string {
	t.Helper()
	ctx := t.Context()
	id, err := admin.CreateCase(ctx, data.NewCase{Person: data.Person{First: "Daniel", Last: "Reyes", DOB: "1986-03-14"},
		Case: data.Case{Channel: "walk-in", Insurance: "none"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.AddConsent(ctx, data.Consent{CaseID: id, Discloser: "Naperville PD", Recipient: "the program's coaches and treatment providers",
		Purpose: "treatment referral and follow-up", Information: "name, contact, substance use, placement", ExpiresOn: "2027-11-27", SignedBy: "Daniel Reyes"}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(4 * time.Minute)
	if _, err := admin.LogDispatch(ctx, data.DispatchAttempt{CaseID: id, Coach: ana, Response: "accepted", ETAMinutes: 20}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(25 * time.Minute)
	if err := admin.Assess(ctx, id, data.Assessment{Level: "3.5"}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(10 * time.Minute)
	if _, err := admin.LogFacilityCall(ctx, data.FacilityCall{CaseID: id, Facility: facility, Result: "bed_held", HeldUntil: clk.Now().Add(2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(5 * time.Minute)
	return id
}

// assertCaseMarkup compares the case screen with its golden file, with
// the random case ID shown as 4F2K9A.
func assertCaseMarkup(t *testing.T, a *App, cs *caseScreen, golden string) {
	t.Helper()
	assertScreenMarkup(t, a, golden, data.ShortID(cs.id), "4F2K9A")
}

// TestRevokeConsentOnTheCase: the coach revokes the consent on the case
// screen; the case then says that nothing more may be shared, data refuses
// the placement, and the accounting of disclosures lists what was shared
// before and prints with the notice.
func TestRevokeConsentOnTheCase(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	admin, _, ana, facility := workflowProgram(t, dir, opt)
	id := consentCase(t, admin, ana, facility, clk)
	out := t.TempDir()
	old := printDir
	printDir = func() (string, error) { return out, nil }
	t.Cleanup(func() { printDir = old })

	a := loggedIn(t, dir, opt, "coach")
	a.openCase(id)
	cs := a.shell.page("case:" + id).(*caseScreen)
	if cs.nextTitle.Text != "Next: placement" || !strings.Contains(cs.nextFacts.Text, "a bed is held until") || !shows(a, "Active: signed") {
		t.Fatalf("before: next %q %q", cs.nextTitle.Text, cs.nextFacts.Text)
	}
	snap(t, a, "case_consent")
	assertCaseMarkup(t, a, cs, "case_consent.xml")

	test.Tap(button(t, a, "Revoke consent"))
	f := cs.revoke
	if f == nil || a.win.Canvas().Focused() != f.on.entry {
		t.Fatal("Revoke should ask to confirm, with the cursor in the date")
	}
	if f.on.entry.Text != "11/27/2026" {
		t.Errorf("the date starts as %q, want today", f.on.entry.Text)
	}
	f.on.entry.SetText("11/28/2026")
	test.Tap(f.confirm)
	if got := f.on.problem.Text; !f.on.problem.Visible() || !strings.Contains(got, "in the future") {
		t.Errorf("a date in the future: problem %q", got)
	}
	snap(t, a, "revoke_dialog")
	f.on.entry.SetText("11/27/26")
	test.Type(f.note, "Told Ana by phone: no more calls")
	test.Tap(f.confirm)
	if cs.revoke != nil {
		t.Fatalf("the revocation was not recorded: %q %q", f.on.problem.Text, f.problem.Text)
	}

	if !cs.barred.Visible() || !strings.Contains(cs.barred.Text, "NO FURTHER DISCLOSURE") || !strings.Contains(cs.barred.Text, "revoked their consent on 11/27/2026") {
		t.Errorf("banner %q", cs.barred.Text)
	}
	if cs.nextTitle.Text != "Consent revoked: nothing more may be shared" || cs.next.Text != "Record a new consent" {
		t.Errorf("next step after revoking: %q, button %q", cs.nextTitle.Text, cs.next.Text)
	}
	if !shows(a, "Revoked on 11/27/2026, recorded by Ana Park") || !shows(a, "Told Ana by phone") || hasButton(a, "Revoke consent") {
		t.Error("the consent section does not show the revocation")
	}
	snap(t, a, "case_revoked")
	assertCaseMarkup(t, a, cs, "case_revoked.xml")

	// Data refuses the placement, whatever the screen offers.
	if err := a.sess.Place(t.Context(), id, data.Placement{Facility: facility, Transport: "coach"}); data.ErrorCode(err) != data.EFORBIDDEN {
		t.Errorf("placement after the revocation: %v", err)
	}

	test.Tap(button(t, a, "Accounting of disclosures"))
	ds, ok := a.shell.page("disclosures:" + id).(*disclosuresScreen)
	if !ok || ds.acc == nil {
		t.Fatal("no accounting of disclosures")
	}
	if len(ds.acc.Disclosures) != 2 || !shows(a, "Ana Park (recovery coach)") || !shows(a, "Gateway Aurora, Aurora (treatment facility)") ||
		!shows(a, "REVOKED on 11/27/2026") {
		t.Errorf("accounting: %+v", ds.acc.Disclosures)
	}
	snap(t, a, "disclosures")
	test.Tap(button(t, a, "Print for the person"))
	files, _ := filepath.Glob(filepath.Join(out, "accounting-of-disclosures-*.pdf"))
	if len(files) != 1 {
		t.Fatalf("printouts: %v; problem %q", files, ds.problem.Text)
	}
	b, _ := os.ReadFile(files[0])
	if !bytes.Contains(b, []byte(data.ConsentNotice)) || !strings.Contains(ds.notice.Text, "PDF viewer") {
		t.Error("the printout lacks the §2.32 notice, or the screen does not say where it went")
	}
	test.Tap(button(t, a, "Back"))
	if a.shell.pages.current != "case:"+id {
		t.Errorf("Back went to %q", a.shell.pages.current)
	}
}

// TestOfficerRecordsRevocationWithoutAccounting: an officer may record a
// revocation at the desk, but not read where the person went.
func TestOfficerRecordsRevocationWithoutAccounting(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	admin, _, ana, facility := workflowProgram(t, dir, opt)
	id := consentCase(t, admin, ana, facility, clk)
	a := loggedIn(t, dir, opt, "officer")
	a.openCase(id)
	cs := a.shell.page("case:" + id).(*caseScreen)
	if hasButton(a, "Accounting of disclosures") {
		t.Error("an officer is offered the accounting, which names the facility")
	}
	test.Tap(button(t, a, "Revoke consent"))
	test.Tap(cs.revoke.confirm)
	if cs.revoke != nil || !cs.barred.Visible() {
		t.Fatalf("officer's revocation: %q", cs.revoke.problem.Text)
	}
	if _, err := a.sess.LogDispatch(t.Context(), data.DispatchAttempt{CaseID: id, Coach: ana, Response: "accepted"}); data.ErrorCode(err) != data.EFORBIDDEN ||
		!strings.Contains(err.Error(), "Record a new consent") {
		t.Errorf("a call to a coach after the revocation: %v", err)
	}
}
