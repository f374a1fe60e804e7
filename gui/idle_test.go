package gui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

func TestIdleLockKeepsTheWork(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	sess := program(t, dir, opt)
	if _, err := sess.CreateCase(t.Context(), data.NewCase{Person: data.Person{First: "Daniel", Last: "Reyes"}, Case: data.Case{Channel: "walk-in"}}); err != nil {
		t.Fatal(err)
	}
	a := loggedIn(t, dir, opt, "officer")
	shellBefore := a.shell
	a.shell.open("cases")
	search := a.shell.cases.search
	a.win.Canvas().Focus(search)
	test.Type(search, "dan")

	clk.Advance(4 * time.Minute)
	a.tick()
	if a.locked() {
		t.Fatal("locked after 4 idle minutes; the default is 5")
	}
	test.Type(search, "i") // typing is activity
	clk.Advance(4 * time.Minute)
	a.tick()
	if a.locked() {
		t.Fatal("locked 4 minutes after typing")
	}
	clk.Advance(time.Minute)
	a.tick()
	if !a.locked() {
		t.Fatal("not locked after 5 idle minutes")
	}
	if a.shell.view.Visible() {
		t.Error("the work is still visible under the lock")
	}
	if !shows(a, "Locked — enter your password") || !shows(a, "Oscar Diaz") {
		t.Error("the lock screen should say it is locked, and for whom")
	}
	if shows(a, "Daniel R.") {
		t.Error("a case is visible while locked")
	}
	test.AssertRendersToMarkup(t, "locked.xml", a.win.Canvas())

	lock := a.lock
	test.Type(lock.password, "wrong horse")
	lock.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !a.locked() || lock.problem.Text != "Wrong password" {
		t.Fatalf("wrong password: locked %v, problem %q", a.locked(), lock.problem.Text)
	}
	test.Type(lock.password, testPassword)
	lock.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if a.locked() {
		t.Fatalf("still locked: %q", lock.problem.Text)
	}
	if a.shell != shellBefore || !a.shell.view.Visible() || current(a.shell) != "cases" {
		t.Fatal("unlocking should give back the same screen")
	}
	if search.Text != "dani" {
		t.Errorf("search after unlock = %q, want the typed %q", search.Text, "dani")
	}
	if a.win.Canvas().Focused() != search {
		t.Error("the cursor should be back in the search")
	}
	if rows := caseRows(a); len(rows) != 1 || rows[0].name.Text != "Daniel R." {
		t.Errorf("the filtered list did not survive the lock: %d rows", len(rows))
	}
}

func TestMouseMovesKeepTheWindowOpen(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	program(t, dir, opt)
	a := loggedIn(t, dir, opt, "officer")
	root, ok := a.win.Content().(desktop.Cursorable)
	if !ok {
		t.Fatal("the window's root does not see the pointer")
	}
	for range 3 {
		clk.Advance(4 * time.Minute)
		root.Cursor() // what the desktop driver asks on each pointer move
		a.tick()
		if a.locked() {
			t.Fatal("locked while the mouse was moving")
		}
	}
	// Keys while no field has the focus reach the canvas.
	a.win.Canvas().Unfocus()
	clk.Advance(4 * time.Minute)
	a.idle.touch() // what the canvas's OnKeyDown does
	clk.Advance(2 * time.Minute)
	a.tick()
	if a.locked() {
		t.Fatal("locked 2 minutes after a key")
	}
	clk.Advance(3 * time.Minute)
	a.tick()
	if !a.locked() {
		t.Fatal("not locked after 5 idle minutes")
	}
}

func TestLockButtonAndSwitchUser(t *testing.T) {
	opt, _ := testOptions()
	dir := t.TempDir()
	program(t, dir, opt)
	a := loggedIn(t, dir, opt, "officer")
	test.Tap(button(t, a, "Lock"))
	if !a.locked() {
		t.Fatal("Lock did not lock")
	}
	// Another user's password does not unlock someone's session.
	test.Type(a.lock.password, "wrong")
	test.Tap(button(t, a, "Log in as someone else"))
	if a.sess != nil || a.login == nil || a.shell != nil {
		t.Fatal("switching user should end the session and ask for a login")
	}
	if a.login.username.Text != "" {
		t.Errorf("the new login starts with user name %q", a.login.username.Text)
	}
}

func TestIdleMinutesSetting(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	program(t, dir, opt)
	a := loggedIn(t, dir, opt, "admin")
	a.shell.open("settings")
	var s *settingsScreen
	for _, sec := range a.shell.sections {
		if sec.id == "settings" {
			s = sec.screen.(*settingsScreen)
		}
	}
	if got := s.minutes.entry.Text; got != "5" {
		t.Errorf("the setting shows %q, want the default 5", got)
	}
	assertScreenMarkup(t, a, "settings.xml", dir, "/data")
	for _, c := range []struct {
		name, typed string
		ok          bool
	}{
		{"Zero", "0", false},
		{"TooMany", "121", false},
		{"Words", "ten", false},
		{"Ten", "10", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			s.minutes.entry.SetText("")
			test.Type(s.minutes.entry, c.typed)
			s.minutes.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
			if s.minutes.problem.Visible() == c.ok {
				t.Errorf("typed %q: problem %q", c.typed, s.minutes.problem.Text)
			}
			if !c.ok && s.minutes.entry.Text != c.typed {
				t.Errorf("the typing was lost: %q", s.minutes.entry.Text)
			}
		})
	}
	if v, _ := a.store.Setting(t.Context(), idleSetting); v != "10" {
		t.Errorf("stored setting = %q, want 10", v)
	}
	clk.Advance(9 * time.Minute)
	a.tick()
	if a.locked() {
		t.Fatal("locked after 9 minutes with the setting at 10")
	}
	clk.Advance(time.Minute)
	a.tick()
	if !a.locked() {
		t.Fatal("not locked after 10 minutes")
	}
}

func TestLockTakesDownPopUps(t *testing.T) {
	opt, _ := testOptions()
	dir := t.TempDir()
	program(t, dir, opt)
	a := loggedIn(t, dir, opt, "admin")
	c := a.win.Canvas()
	pop := widget.NewModalPopUp(widget.NewLabel("Daniel R."), c)
	pop.Show()
	a.lockNow()
	if len(c.Overlays().List()) != 0 || shows(a, "Daniel R.") {
		t.Fatal("a pop-up stays over the lock screen")
	}
	test.Type(a.lock.password, testPassword)
	test.Tap(a.lock.submit)
	if a.locked() || c.Overlays().Top() != pop {
		t.Fatal("the pop-up did not come back after unlock")
	}
}
