package gui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// placements records, through the data API, three first contacts in
// October and November: two placed (one in 90 minutes, one in 3 hours),
// one still waiting.
func placements(t *testing.T, sess *data.Session) {
	t.Helper()
	ctx := t.Context()
	fs := []data.Facility{{Name: "Gateway Aurora", City: "Aurora", State: "IL", ZIP: "60505", Services: []string{"RES"}}}
	sum, err := sess.ImportFacilities(ctx, fs, false)
	if err != nil {
		t.Fatal(err)
	}
	bed := sum.IDs[data.FacilityIdentity(&fs[0])]
	for _, c := range []struct {
		first  string
		opened time.Time
		wait   time.Duration
	}{
		{"Daniel", time.Date(2026, 10, 5, 19, 0, 0, 0, time.UTC), 90 * time.Minute},
		{"Maria", time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC), 3 * time.Hour},
		{"Tom", time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC), 0},
	} {
		id, err := sess.CreateCase(ctx, data.NewCase{Person: data.Person{First: c.first, Last: "Test"},
			Case: data.Case{Channel: "walk-in", OpenedAt: c.opened, Insurance: "none"}})
		if err != nil {
			t.Fatal(err)
		}
		if c.wait > 0 {
			if err := sess.Place(ctx, id, data.Placement{Facility: bed, At: c.opened.Add(c.wait)}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

func reportsOf(t *testing.T, a *App) *reportsScreen {
	t.Helper()
	if !a.shell.open("reports") {
		t.Fatal("no Reports section")
	}
	for _, sec := range a.shell.sections {
		if s, ok := sec.screen.(*reportsScreen); ok {
			return s
		}
	}
	t.Fatal("the Reports section is not the reports screen")
	return nil
}

// figure returns the value shown beside a label of the figures table.
func figure(t *testing.T, s *reportsScreen, label string) string {
	t.Helper()
	for _, o := range s.figures.Objects {
		if box, ok := o.(*fyne.Container); ok && len(box.Objects) == 1 {
			row := box.Objects[0].(*fyne.Container)
			l, lok := row.Objects[0].(*widget.Label)
			v, vok := row.Objects[1].(*widget.Label)
			if lok && vok && strings.TrimSpace(l.Text) == label {
				return v.Text
			}
		}
	}
	t.Fatalf("no figure %q", label)
	return ""
}

func TestReportsScreen(t *testing.T) {
	opt, _ := testOptions()
	dir := t.TempDir()
	placements(t, program(t, dir, opt))
	a := loggedIn(t, dir, opt, "coordinator")
	s := reportsOf(t, a)

	// Opening the section shows this month and the three before it.
	if s.from.entry.Text != "08/01/2026" || s.to.entry.Text != "11/27/2026" {
		t.Errorf("period %q to %q", s.from.entry.Text, s.to.entry.Text)
	}
	if !shows(a, "Aug 1, 2026 – Nov 27, 2026") || !shows(a, data.ConsentNotice) {
		t.Error("the period and the notice should be on screen")
	}
	for label, want := range map[string]string{
		"Contacts (first contact in the period)": "3", "Placed (placement in the period)": "2",
		"uninsured": "2", "Median (h:mm)": "1:30", "90th percentile (h:mm)": "3:00", "share of placements": "50%",
	} {
		if got := figure(t, s, label); got != want {
			t.Errorf("%s = %q, want %q", label, got, want)
		}
	}
	images := 0
	visible(a.win.Canvas().Content(), func(o fyne.CanvasObject) {
		if _, ok := o.(*canvas.Image); ok {
			images++
		}
	})
	if images < 3 {
		t.Errorf("%d charts on screen, want 3", images)
	}
	if !shows(a, "Gateway Aurora, Aurora") {
		t.Error("the coordinator's figures should name the facility")
	}

	// Dates as people type them; a wrong one is said beside its field.
	s.from.entry.SetText("")
	test.Type(s.from.entry, "11/1/26")
	test.Tap(s.show)
	if figure(t, s, "Contacts (first contact in the period)") != "2" || !shows(a, "Nov 1, 2026 – Nov 27, 2026") {
		t.Errorf("November: contacts %q", figure(t, s, "Contacts (first contact in the period)"))
	}
	s.to.entry.SetText("13/45/26")
	test.Tap(s.show)
	if !s.to.problem.Visible() || !shows(a, "Nov 1, 2026 – Nov 27, 2026") {
		t.Error("a wrong date should be said beside the field, and the figures kept")
	}
	s.to.entry.SetText("11/27/26")

	// The public version: small counts hidden, no facility named.
	test.Tap(s.public)
	test.Tap(s.show)
	if got := figure(t, s, "Contacts (first contact in the period)"); got != "<11" {
		t.Errorf("public contacts %q", got)
	}
	if shows(a, "Gateway") || !s.legend.Visible() {
		t.Error("the public version names a facility or lacks its legend")
	}

	// Saving: the file has the notice, and the export is audited.
	path := filepath.Join(t.TempDir(), "report.csv")
	w, err := storage.Writer(storage.NewFileURI(path))
	if err != nil {
		t.Fatal(err)
	}
	s.saveTo(w, s.report, data.ReportCSV)
	b, err := os.ReadFile(path)
	if err != nil || !strings.Contains(string(b), data.ConsentNotice) || !strings.Contains(string(b), "<11") {
		t.Fatalf("saved %q, %v", b, err)
	}
	if !shows(a, "Saved: report.csv") {
		t.Error("saving should say so")
	}
	events, err := a.sess.AuditEvents(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range events {
		found = found || e.Action == "report.export" && strings.HasPrefix(e.Detail, "csv public 2026-11-01..2026-11-27")
	}
	if !found {
		t.Error("the saved report is not in the audit trail")
	}
}

func TestReportsOnlyForCoordinators(t *testing.T) {
	opt, _ := testOptions()
	dir := t.TempDir()
	program(t, dir, opt)
	for _, user := range []string{"officer", "coach"} {
		a := loggedIn(t, dir, opt, user)
		for _, id := range sectionIDs(a.shell) {
			if id == "reports" {
				t.Errorf("%s sees Reports", user)
			}
		}
	}
}
