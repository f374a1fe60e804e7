package gui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"connectpoint/data"
)

func TestCoachRoster(t *testing.T) {
	opt, _ := testOptions()
	dir := t.TempDir()
	sess := program(t, dir, opt)
	ctx := t.Context()
	tom, err := sess.AddCoach(ctx, data.Coach{Name: "Tom Becker", Phone: "630-555-0142", Languages: []string{"en"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sess.AddCoach(ctx, data.Coach{Name: "Ana Park", Phone: "(630) 555-0177", Languages: []string{"en", "es"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := sess.AddShift(ctx, data.Shift{Coach: tom, StartsAt: start.Add(-time.Hour), EndsAt: start.Add(7 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	a := loggedIn(t, dir, opt, "officer")
	a.shell.open("coaches")

	var rows []*coachRow
	visible(a.win.Canvas().Content(), func(o fyne.CanvasObject) {
		if r, ok := o.(*coachRow); ok {
			rows = append(rows, r)
		}
	})
	if len(rows) != 2 {
		t.Fatalf("%d coaches on screen, want 2", len(rows))
	}
	for i, want := range []struct{ name, phone, langs, state string }{
		{"Tom Becker", "(630) 555-0142", "English", "on call now"}, // on call first
		{"Ana Park", "(630) 555-0177", "English, Spanish", "not on call"},
	} {
		r := rows[i]
		if r.name.Text != want.name || r.phone.Text != want.phone || r.langs.Text != want.langs || r.state.Text != want.state {
			t.Errorf("row %d: %q %q %q %q, want %+v", i, r.name.Text, r.phone.Text, r.langs.Text, r.state.Text, want)
		}
	}
	if !shows(a, "On call now: 1 of 2") {
		t.Error("the roster should count who is on call")
	}
	rows[0].copyBtn.OnTapped()
	if got := a.fa.Clipboard().Content(); got != "(630) 555-0142" {
		t.Errorf("copied %q", got)
	}
	if !shows(a, "A coordinator changes the roster") {
		t.Error("the roster should say who changes it")
	}
	test.AssertRendersToMarkup(t, "coaches.xml", a.win.Canvas())
}

func TestEmptyRoster(t *testing.T) {
	opt, _ := testOptions()
	dir := t.TempDir()
	program(t, dir, opt)
	a := loggedIn(t, dir, opt, "officer")
	a.shell.open("coaches")
	if !shows(a, "No coaches on the roster yet.") {
		t.Error("the empty roster should say what fills it")
	}
}
