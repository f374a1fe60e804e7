package gui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// start is the fixed "now" of the tests: 7 p.m. at the station.
var start = time.Date(2026, 11, 27, 19, 0, 0, 0, time.UTC)

// testOptions are store options with cheap password hashing and a clock
// the test moves.
func testOptions() (data.Options, *data.FixedClock) {
	kdf := data.TestKDF
	clk := &data.FixedClock{T: start}
	return data.Options{KDF: &kdf, Clock: clk}, clk
}

// Users of the test program, all with the password "correct horse".
const testPassword = "correct horse"

// program sets up a program in dir the way `connectpoint init` would, with
// one user per role, and returns the administrator's session for more
// setup. The store is closed when the test ends.
func program(t *testing.T, dir string, opt data.Options) *data.Session {
	t.Helper()
	ctx := context.Background()
	st, err := data.Create(ctx, dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	sess, _, err := st.Initialize(ctx, data.Setup{Agency: "Naperville PD", AgencyZIP: "60540",
		AdminUsername: "admin", AdminName: "Jane Ortiz", AdminPassword: testPassword})
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []data.User{
		{Username: "officer", Name: "Oscar Diaz", Role: data.RoleOfficer},
		{Username: "coach", Name: "Ana Park", Role: data.RoleCoach},
		{Username: "coordinator", Name: "Carla Brown", Role: data.RoleCoordinator},
	} {
		if _, err := sess.AddUser(ctx, u, testPassword); err != nil {
			t.Fatal(err)
		}
	}
	return sess
}

// newTestApp opens the window on dir in a test app. Slow work runs in
// place, and there is no ticking goroutine: the test calls tick.
func newTestApp(t *testing.T, dir string, opt data.Options) *App {
	t.Helper()
	fa := test.NewTempApp(t)
	a := newApp(fa, dir, opt)
	a.background = func(f func()) { f() }
	a.start()
	t.Cleanup(a.win.Close)
	return a
}

// loggedIn opens the window on dir and logs user in.
func loggedIn(t *testing.T, dir string, opt data.Options, user string) *App {
	t.Helper()
	a := newTestApp(t, dir, opt)
	if a.login == nil {
		t.Fatal("no login screen")
	}
	test.Type(a.login.username, user)
	test.Type(a.login.password, testPassword)
	test.Tap(a.login.submit)
	if a.shell == nil {
		t.Fatalf("not logged in as %s: %q", user, a.login.problem.Text)
	}
	return a
}

// visible walks what is on screen (hidden objects and their children are
// skipped), calling f for each object.
func visible(o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	if o == nil || !o.Visible() {
		return
	}
	f(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, c := range x.Objects {
			visible(c, f)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(x).Objects() {
			visible(c, f)
		}
	}
}

// button finds the visible button labelled text.
func button(t *testing.T, a *App, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	visible(a.win.Canvas().Content(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no button %q on screen", text)
	}
	return found
}

// shows reports whether some visible label contains text.
func shows(a *App, text string) bool {
	found := false
	visible(a.win.Canvas().Content(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, text) {
			found = true
		}
	})
	return found
}

// caseRows returns the case rows on screen, top to bottom.
func caseRows(a *App) []*caseRow {
	var rows []*caseRow
	visible(a.win.Canvas().Content(), func(o fyne.CanvasObject) {
		if r, ok := o.(*caseRow); ok {
			rows = append(rows, r)
		}
	})
	return rows
}

// sectionIDs lists the sections in the navigation.
func sectionIDs(s *shell) []string {
	var ids []string
	for _, sec := range s.sections {
		ids = append(ids, sec.id)
	}
	return ids
}

// current is the id of the section on screen.
func current(s *shell) string {
	if s.current < 0 {
		return ""
	}
	return s.sections[s.current].id
}

// assertScreenMarkup compares the window with its golden file. What
// changes from run to run (case IDs, temporary folders) is given as pairs
// of what is shown and what the golden file has instead, which every label
// shows while the markup is taken.
func assertScreenMarkup(t *testing.T, a *App, golden string, replace ...string) {
	t.Helper()
	r := strings.NewReplacer(replace...)
	var restore []func()
	visible(a.win.Canvas().Content(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok {
			if shown := r.Replace(l.Text); shown != l.Text {
				old := l.Text
				l.SetText(shown)
				restore = append(restore, func() { l.SetText(old) })
			}
		}
	})
	relayout := func() {
		visible(a.win.Canvas().Content(), func(o fyne.CanvasObject) {
			if c, ok := o.(*fyne.Container); ok {
				c.Refresh()
			}
		})
	}
	relayout()
	test.AssertRendersToMarkup(t, golden, a.win.Canvas())
	for _, r := range restore {
		r()
	}
	relayout()
}
