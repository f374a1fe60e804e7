package gui

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// exchange gives each store the other's operations, as a sync round does.
func exchange(t *testing.T, a, b *data.Store) {
	t.Helper()
	for _, pair := range [][2]*data.Store{{a, b}, {b, a}} {
		ops, err := pair[0].Ops(t.Context(), pair[0].Device(), 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pair[1].ApplyRemote(t.Context(), ops); err != nil {
			t.Fatal(err)
		}
	}
}

// conflictProgram makes a program whose station PC (dir) and a coach's
// laptop both changed Daniel's phone before they synced. It returns the
// laptop's store and the case.
func conflictProgram(t *testing.T, dir string, opt data.Options, clk *data.FixedClock) (*data.Store, string) {
	t.Helper()
	ctx := t.Context()
	admin := program(t, dir, opt)
	id, err := admin.CreateCase(ctx, data.NewCase{Person: data.Person{First: "Daniel", Last: "Reyes", Phone: "630 555 0101"},
		Case: data.Case{Channel: "walk-in", Insurance: "none"}})
	if err != nil {
		t.Fatal(err)
	}
	laptop, err := data.Create(ctx, filepath.Join(t.TempDir(), "laptop"), opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { laptop.Close() })
	exchange(t, admin.Store(), laptop)
	there, err := laptop.Login(ctx, "coordinator", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(5 * time.Minute)
	if err := there.SetCaseFields(ctx, id, map[string]string{"phone": "630 555 0123"}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(5 * time.Minute)
	if err := admin.SetCaseFields(ctx, id, map[string]string{"phone": "630 555 0177"}); err != nil {
		t.Fatal(err)
	}
	exchange(t, admin.Store(), laptop)
	return laptop, id
}

// keepButtons are the Keep buttons of the Conflicts screen on show.
func conflictsOnScreen(t *testing.T, a *App) *conflictsScreen {
	t.Helper()
	for _, sec := range a.shell.sections {
		if c, ok := sec.screen.(*conflictsScreen); ok {
			return c
		}
	}
	t.Fatal("no Conflicts screen")
	return nil
}

// TestConflictsScreen shows a real conflict between two devices, keeps the
// value that is not shown, and checks that the keeping is an operation
// that ends the conflict on both devices.
func TestConflictsScreen(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	laptop, id := conflictProgram(t, dir, opt, clk)
	a := loggedIn(t, dir, opt, "coordinator")

	if c := a.shell.conflicts; !c.Visible() || c.Text != "1 conflict waiting" {
		t.Fatalf("the header says %q (shown %v)", c.Text, c.Visible())
	}
	test.Tap(a.shell.conflicts)
	if current(a.shell) != "conflicts" {
		t.Fatalf("the header's button opened %q", current(a.shell))
	}
	short := data.ShortID(id)
	for _, want := range []string{
		"Case " + short + " · Daniel R. · phone",
		"(630) 555-0177", "Jane Ortiz · on this computer · 19:10 · shown until you choose",
		"(630) 555-0123", "Carla Brown · on another device · 19:05",
		"1 field to choose",
	} {
		if !shows(a, want) {
			t.Errorf("the screen does not say %q", want)
		}
	}
	assertMarkup(t, "conflicts.xml", a, map[string]string{short: "CASE01"})

	s := conflictsOnScreen(t, a)
	if len(s.keep) != 2 {
		t.Fatalf("%d Keep buttons, want one per value", len(s.keep))
	}
	test.Tap(s.keep[1]) // the laptop's, older, number
	if !shows(a, "No conflicts — every device agrees.") || len(s.keep) != 0 {
		t.Error("after keeping, the list should be empty and say so")
	}
	if !shows(a, "Kept “(630) 555-0123” as phone of Case "+short+" · Daniel R.; the other devices get it") {
		t.Errorf("no word of what was kept: %q", s.notice.Text)
	}
	if a.shell.conflicts.Visible() {
		t.Error("the header still counts a conflict")
	}
	assertMarkup(t, "conflicts_empty.xml", a, map[string]string{short: "CASE01"})

	// The kept number is what every device shows after the next sync.
	station, err := data.Open(t.Context(), dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer station.Close()
	exchange(t, station, laptop)
	for _, st := range []*data.Store{station, laptop} {
		sess, err := st.Login(t.Context(), "coordinator", testPassword)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := sess.Case(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		if n, _ := st.ConflictCount(t.Context()); n != 0 || rec.Person.Phone != "(630) 555-0123" {
			t.Errorf("%d conflicts, phone %q; want none and the kept number", n, rec.Person.Phone)
		}
	}
}

// TestConflictsAreForCoordinators: an officer and a coach are told that a
// coordinator must choose, get no screen for it, and data refuses them.
func TestConflictsAreForCoordinators(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	conflictProgram(t, dir, opt, clk)
	for _, user := range []string{"officer", "coach"} {
		t.Run(user, func(t *testing.T) {
			a := loggedIn(t, dir, opt, user)
			if a.shell.open("conflicts") || a.shell.conflicts.Visible() {
				t.Error("a way to the Conflicts screen")
			}
			if n := a.shell.conflictsNote; !n.Visible() || n.Text != "1 conflict waits for a coordinator" {
				t.Errorf("the header says %q (shown %v)", n.Text, n.Visible())
			}
			cs, err := a.sess.Conflicts(t.Context())
			if data.ErrorCode(err) != data.EFORBIDDEN || len(cs) != 0 {
				t.Errorf("data gave the conflicts: %v", err)
			}
		})
	}
}

// TestConflictValuesInWords: codes read as the forms say them.
func TestConflictValuesInWords(t *testing.T) {
	opt, _ := testOptions()
	dir := t.TempDir()
	program(t, dir, opt)
	a := loggedIn(t, dir, opt, "coordinator")
	a.shell.open("conflicts")
	s := conflictsOnScreen(t, a)
	for _, c := range []struct {
		entity, field, value, want string
	}{
		{data.EntCase, "insurance", "medicaid", "Medicaid"},
		{data.EntCase, "level", "3.5", "3.5 — clinically managed high-intensity residential"},
		{data.EntCase, "veteran", "true", "yes"},
		{data.EntPerson, "dob", "1986-03-14", "03/14/1986"},
		{data.EntCase, "placed_at", "2026-11-27T18:40:00Z", "18:40"},
		{data.EntPerson, "phone", "", "(empty)"},
		{data.EntUser, "password", "(secret)", "(hidden)"},
	} {
		got := s.valueText(&data.Conflict{Entity: c.entity, Field: c.field}, c.value)
		if got != c.want {
			t.Errorf("%s.%s=%q reads %q, want %q", c.entity, c.field, c.value, got, c.want)
		}
	}
	if got := fieldLabel(data.EntConsent, "status"); got != "consent" {
		t.Errorf("consent status reads %q", got)
	}
	if !strings.Contains(conflictSubject(&data.Conflict{Entity: data.EntFacility, Subject: "Gateway Aurora"}), "Facility Gateway Aurora") {
		t.Error("a facility's conflict does not name it")
	}
}

// assertMarkup compares the window with a golden file, after replacing
// what differs from run to run (a random case number, a temporary folder)
// with fixed words, as repl says. The measured sizes of the texts that
// held them are left out.
func assertMarkup(t *testing.T, name string, a *App, repl map[string]string) {
	t.Helper()
	got := test.RenderToMarkup(a.win.Canvas())
	lines := strings.Split(got, "\n")
	for i, l := range lines {
		for from, to := range repl {
			if strings.Contains(l, from) {
				l = regexp.MustCompile(` size="[0-9]+x`).ReplaceAllString(l, ` size="Wx`)
				l = strings.ReplaceAll(l, from, to)
			}
		}
		lines[i] = l
	}
	got = strings.Join(lines, "\n")
	path := filepath.Join("testdata", name)
	want, err := os.ReadFile(path)
	if err != nil || string(want) != got {
		failed := filepath.Join("testdata", "failed", name)
		os.MkdirAll(filepath.Dir(failed), 0o755)
		os.WriteFile(failed, []byte(got), 0o644)
		t.Errorf("the window does not match %s (read: %v); what it shows is in %s", path, err, failed)
	}
}

// overlayButton finds the button labelled text on the pop-up on top.
func overlayButton(t *testing.T, a *App, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	top := a.win.Canvas().Overlays().Top()
	visible(top, func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			found = b
		}
	})
	if found == nil {
		t.Fatalf("no button %q on the pop-up", text)
	}
	return found
}

// overlayShows reports whether the pop-up on top says text.
func overlayShows(a *App, text string) bool {
	found := false
	visible(a.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, text) {
			found = true
		}
	})
	return found
}
