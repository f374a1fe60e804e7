package gui

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"connectpoint/data"
)

// TestExploreWithDemoData: first run → Explore with demo data → log in as
// the officer → the dashboard shows the demo's cases, with the demo band
// on every screen; the real data folder still holds no program; leaving
// the demo deletes it and the real program can be set up.
func TestExploreWithDemoData(t *testing.T) {
	opt, _ := testOptions()
	dir := filepath.Join(t.TempDir(), "ConnectPoint")
	a := newTestApp(t, dir, opt)
	if a.setup == nil {
		t.Fatal("no first-run screen")
	}
	snap(t, a, "welcome")
	test.Tap(button(t, a, "Explore with demo data"))
	snap(t, a, "demo_login")
	if !a.inDemo() || a.login == nil {
		t.Fatalf("no demo login; problem %q", a.setup.demoProblem.Text)
	}
	if !strings.Contains(a.win.Title(), "DEMO") || !strings.HasPrefix(a.demo.banner.Text, "DEMO — not for real people") {
		t.Errorf("the demo is not marked: title %q", a.win.Title())
	}
	if !shows(a, "Password for all of them: "+a.demo.password) || !hasButton(a, "Log in as coordinator") {
		t.Error("the demo's login does not show its users and password")
	}
	if data.Exists(dir) {
		t.Fatal("the demo made a program in the real data folder")
	}
	if !data.Exists(data.DemoDir(dir)) {
		t.Fatal("no demo program in the demo folder")
	}

	test.Tap(button(t, a, "Log in as officer"))
	if a.shell == nil || current(a.shell) != "dashboard" {
		t.Fatalf("not on the dashboard: %q", a.login.problem.Text)
	}
	snap(t, a, "demo_dashboard")
	waiting := map[string]string{}
	for _, r := range caseRows(a) {
		waiting[r.name.Text] = r.waiting.Text
	}
	if len(waiting) < 4 || !strings.HasPrefix(waiting["Chris N."], "waiting for: coach arriving (ETA ") ||
		waiting["Daniel R."] != "waiting for: a bed" || waiting["Maria S."] != "waiting for: a coach (2 tried)" {
		t.Errorf("the dashboard's demo cases: %v", waiting)
	}
	if !shows(a, "Naperville Police Department") || !strings.HasPrefix(a.demo.banner.Text, "DEMO") {
		t.Error("the header should name the demo agency under the demo band")
	}
	// The lock screen reminds of the password.
	a.lockNow()
	snap(t, a, "demo_locked")
	if !shows(a, "Demo password: "+a.demo.password) {
		t.Error("the lock screen does not say the demo's password")
	}
	a.lock.password.SetText(a.demo.password)
	test.Tap(a.lock.submit)
	if a.locked() {
		t.Fatalf("cannot unlock the demo: %q", a.lock.problem.Text)
	}

	test.Tap(button(t, a, "Leave the demo"))
	// The confirmation is a dialog: its Yes is not in the window's content.
	a.leaveDemo()
	if a.inDemo() || a.setup == nil || a.sess != nil || a.win.Title() != Title {
		t.Fatal("leaving the demo should show the first-run screen, logged out")
	}
	if _, err := os.Stat(data.DemoDir(dir)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the demo folder is still there: %v", err)
	}
	a.win.Resize(fyne.NewSize(1100, 720)) // the demo's dashboard widened the window
	test.AssertRendersToMarkup(t, "welcome.xml", a.win.Canvas())

	test.Tap(button(t, a, "Set up a new program"))
	s := a.setup
	s.agency.entry.SetText("Naperville PD")
	s.username.entry.SetText("jortiz")
	s.name.entry.SetText("Jane Ortiz")
	s.password.entry.SetText(testPassword)
	s.again.entry.SetText(testPassword)
	test.Tap(s.submit)
	if !data.Exists(dir) || a.sess == nil {
		t.Fatalf("the real program after the demo: %q", s.problem.Text)
	}
	cases, err := a.sess.ListCases(t.Context(), data.CaseFilter{})
	if err != nil || len(cases) != 0 {
		t.Errorf("the real program has %d cases (%v): the demo leaked into it", len(cases), err)
	}
}

// TestDemoGoesWhenTheWindowCloses: closing the window in the demo deletes
// it; the next start is the first-run screen again.
func TestDemoGoesWhenTheWindowCloses(t *testing.T) {
	opt, _ := testOptions()
	dir := filepath.Join(t.TempDir(), "ConnectPoint")
	a := newTestApp(t, dir, opt)
	test.Tap(button(t, a, "Explore with demo data"))
	if !a.inDemo() {
		t.Fatal("no demo")
	}
	a.close() // what closing the window runs (the test's cleanup closes it)
	if _, err := os.Stat(data.DemoDir(dir)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the demo folder outlived the window: %v", err)
	}
	b := newTestApp(t, dir, opt)
	if b.setup == nil {
		t.Error("the next start should be the first-run screen")
	}
}
