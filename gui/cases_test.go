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

// someCases records three intakes: Daniel at 19:00, Maria at 20:00 and
// Tom at 20:50, the last one placed at 21:00.
func someCases(t *testing.T, sess *data.Session) {
	t.Helper()
	for _, c := range []data.NewCase{
		{Person: data.Person{First: "Daniel", Last: "Reyes"}, Case: data.Case{Channel: "walk-in", OpenedAt: start}},
		{Person: data.Person{First: "Maria", Last: "Santos"}, Case: data.Case{Channel: "phone", OpenedAt: start.Add(time.Hour)}},
		{Person: data.Person{First: "Tom", Last: "Becker"}, Case: data.Case{Channel: "ed", OpenedAt: start.Add(110 * time.Minute)}},
	} {
		if _, err := sess.CreateCase(t.Context(), c); err != nil {
			t.Fatal(err)
		}
	}
}

func TestCaseFilter(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	someCases(t, program(t, dir, opt))
	clk.Set(start.Add(2*time.Hour + 5*time.Minute)) // 21:05
	a := loggedIn(t, dir, opt, "officer")
	a.shell.open("cases")
	cs := a.shell.cases

	names := func() []string {
		var out []string
		for _, r := range caseRows(a) {
			out = append(out, r.name.Text)
		}
		return out
	}
	for _, c := range []struct {
		name, query string
		want        []string
	}{
		{"All", "", []string{"Daniel R.", "Maria S.", "Tom B."}},
		{"FirstName", "dan", []string{"Daniel R."}},
		{"Initial", "maria s", []string{"Maria S."}},
		{"Channel", "phone", []string{"Maria S."}},
		{"NoMatch", "zzz", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			cs.search.SetText("")
			test.Type(cs.search, c.query)
			got := names()
			if len(got) != len(c.want) {
				t.Fatalf("rows %v, want %v", got, c.want)
			}
			for i := range got {
				if got[i] != c.want[i] {
					t.Fatalf("rows %v, want %v", got, c.want)
				}
			}
			if empty := cs.empty.Visible(); empty != (len(c.want) == 0) {
				t.Errorf("empty message shown: %v with %d rows", empty, len(got))
			}
		})
	}
	if !shows(a, "No case matches this search.") {
		t.Error("an empty search result should say so")
	}

	cs.search.SetText("")
	rows := caseRows(a)
	for i, want := range []struct {
		clock, flag string
		imp         widget.Importance
		waiting     string
	}{
		{"2:05", "late", widget.DangerImportance, "waiting for: a coach"},
		{"1:05", "1 h+", widget.WarningImportance, "waiting for: a coach"},
		{"0:15", "", widget.MediumImportance, "waiting for: a coach"},
	} {
		r := rows[i]
		if r.clock.Text != want.clock || r.flag.Text != want.flag || r.clock.Importance != want.imp || r.waiting.Text != want.waiting {
			t.Errorf("row %d (%s): clock %q flag %q importance %v waiting %q; want %+v",
				i, r.name.Text, r.clock.Text, r.flag.Text, r.clock.Importance, r.waiting.Text, want)
		}
	}
	test.AssertRendersToMarkup(t, "cases.xml", a.win.Canvas())

	// The clocks move with time (less than the idle lock's 5 minutes).
	clk.Advance(4 * time.Minute)
	a.tick()
	if rows := caseRows(a); len(rows) == 0 || rows[0].clock.Text != "2:09" {
		t.Errorf("the clock did not move to 2:09 after 4 minutes")
	}

	// A tap opens the case.
	cs.list.list.Select(0)
	if _, ok := a.shell.page("case:" + rows[0].id).(*caseScreen); !ok || a.shell.pages.current != "case:"+rows[0].id {
		t.Error("a tap on a case should open it")
	}
}

func TestCtrlFFocusesTheCaseSearch(t *testing.T) {
	opt, _ := testOptions()
	dir := t.TempDir()
	program(t, dir, opt)
	a := loggedIn(t, dir, opt, "admin")
	ctrlF := &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}

	// From a field of another section: the field passes Ctrl+F on.
	a.shell.open("settings")
	var minutes *entry
	for _, sec := range a.shell.sections {
		if s, ok := sec.screen.(*settingsScreen); ok {
			minutes = s.minutes.entry
		}
	}
	a.win.Canvas().Focus(minutes)
	minutes.TypedShortcut(ctrlF)
	if current(a.shell) != "cases" || a.win.Canvas().Focused() != a.shell.cases.search {
		t.Fatalf("Ctrl+F in a field: section %q, focus %v", current(a.shell), a.win.Canvas().Focused())
	}

	// With nothing focused, the canvas has the shortcut.
	a.shell.open("dashboard")
	a.win.Canvas().Unfocus()
	if !a.runShortcut(ctrlF) || current(a.shell) != "cases" || a.win.Canvas().Focused() != a.shell.cases.search {
		t.Fatal("Ctrl+F from the dashboard should focus the case search")
	}
}

func TestEmptyCaseListSaysWhatFillsIt(t *testing.T) {
	opt, _ := testOptions()
	dir := t.TempDir()
	program(t, dir, opt)
	a := loggedIn(t, dir, opt, "officer")
	if !shows(a, "No one is waiting.") {
		t.Error("the empty dashboard should say no one is waiting")
	}
	a.shell.open("cases")
	if !shows(a, "No cases yet. New intakes will appear here.") {
		t.Error("the empty case list should say what fills it")
	}
}

func TestDashboardShowsOpenCases(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	sess := program(t, dir, opt)
	someCases(t, sess)
	clk.Set(start.Add(2*time.Hour + 5*time.Minute))
	a := loggedIn(t, dir, opt, "officer")
	if got := len(caseRows(a)); got != 3 {
		t.Errorf("dashboard shows %d cases, want the 3 open ones", got)
	}
	if !shows(a, "Waiting now: 3 open cases") {
		t.Error("the dashboard should count who is waiting")
	}
	test.AssertRendersToMarkup(t, "dashboard.xml", a.win.Canvas())
}
