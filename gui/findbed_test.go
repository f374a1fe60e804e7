package gui

import (
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// aCase records an intake for the test and returns its ID: Daniel, a man
// of 35 from Naperville, uninsured, assessed at level 3.5.
func aCase(t *testing.T, sess *data.Session, p data.Person, c data.Case, level string) string {
	t.Helper()
	if c.Channel == "" {
		c.Channel = "walk-in"
	}
	c.OpenedAt = start.Add(-90 * time.Minute)
	id, err := sess.CreateCase(t.Context(), data.NewCase{Person: p, Case: c})
	if err != nil {
		t.Fatal(err)
	}
	if level != "" {
		if err := sess.Assess(t.Context(), id, data.Assessment{Level: level}); err != nil {
			t.Fatal(err)
		}
	}
	return id
}

var daniel = data.Person{First: "Daniel", Last: "Reyes", DOB: "1991-03-14", Gender: "male", ZIP: "60540"}

// bedNames are the programs Find a bed offers, in order.
func bedNames(fb *findBedScreen) []string {
	var out []string
	for _, m := range fb.matches {
		out = append(out, m.Facility.Name)
	}
	return out
}

// bedRows returns the result rows on screen, top to bottom.
func bedRows(a *App) []*bedRow {
	var rows []*bedRow
	visible(a.win.Canvas().Content(), func(o fyne.CanvasObject) {
		if r, ok := o.(*bedRow); ok {
			rows = append(rows, r)
		}
	})
	return rows
}

func TestFindABedOffersOnlyWhatFits(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	admin := program(t, dir, opt)
	ids := someFacilities(t, admin, clk)
	man := aCase(t, admin, daniel, data.Case{Insurance: "none"}, "3.5")
	woman := aCase(t, admin, data.Person{First: "Maria", DOB: "1988-07-02", Gender: "female", ZIP: "60505"},
		data.Case{Insurance: "none", Pregnant: true}, "3.5")
	a := loggedIn(t, dir, opt, "coordinator")
	a.shell.open("cases")
	a.showFindBed(man)
	fs := a.facilities()
	fb := fs.findBed
	if current(a.shell) != "facilities" || fb == nil {
		t.Fatal("showFindBed should open Find a bed in Facilities")
	}

	if got := fb.summary.Text; got != "Level 3.5 · uninsured · man · near 60540" {
		t.Errorf("header %q", got)
	}
	// A free recovery home and the sliding-fee residential take him; the
	// women's house, cash only, the clinic, youth and outpatient do not.
	want := []string{"Gateway Aurora", "Harbor Recovery Home"}
	if got := bedNames(fb); !slices.Equal(got, want) {
		t.Fatalf("offered %v, want %v", got, want)
	}
	if !shows(a, "2 programs fit · 1 with open slots reported") {
		t.Errorf("count %q", fb.count.Text)
	}
	rows := bedRows(a)
	if len(rows) != 2 {
		t.Fatalf("%d rows", len(rows))
	}
	r := rows[0]
	if r.slots.Text != "2 open · 40 min ago" || r.dist.Text != "9.1 mi" || r.phone.Text != "(630) 966-7401" ||
		r.why.Text != "sliding fee · short-term residential" || r.phone.SizeName != "subHeadingText" {
		t.Errorf("Gateway row: slots %q, distance %q, phone %q, why %q", r.slots.Text, r.dist.Text, r.phone.Text, r.why.Text)
	}
	if r := rows[1]; r.slots.Text != "open slots unknown" || !strings.Contains(r.dist.Text, "distance approximate") {
		t.Errorf("Harbor row: slots %q (its report is 13 h old), distance %q", r.slots.Text, r.dist.Text)
	}
	test.AssertRendersToMarkup(t, "facilities/findbed.xml", a.win.Canvas())

	// Copy puts the intake number on the clipboard.
	test.Tap(rows[0].copyBtn)
	if got := a.fa.Clipboard().Content(); got != "(630) 966-7401" {
		t.Errorf("clipboard %q", got)
	}

	// Back returns to the section it came from.
	test.Tap(button(t, a, "Back"))
	if current(a.shell) != "cases" {
		t.Errorf("Back went to %q", current(a.shell))
	}

	// A pregnant woman in Aurora: both programs with fresh slots first,
	// nearest first; the women's house says it takes pregnant women.
	a.showFindBed(woman)
	fb = a.facilities().findBed
	if got := fb.summary.Text; got != "Level 3.5 · uninsured · woman · pregnant · near 60505" {
		t.Errorf("header %q", got)
	}
	want = []string{"Gateway Aurora", "Serenity Women's House", "Harbor Recovery Home"}
	if got := bedNames(fb); !slices.Equal(got, want) {
		t.Fatalf("offered %v, want %v", got, want)
	}
	if why := bedRows(a)[1].why.Text; why != "free · long-term residential · takes pregnant women" {
		t.Errorf("why %q", why)
	}
	_ = ids
}

func TestFindABedNeverOffersAWomensHouseToAMan(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	admin := program(t, dir, opt)
	someFacilities(t, admin, clk)
	man := aCase(t, admin, daniel, data.Case{}, "")
	a := loggedIn(t, dir, opt, "coordinator")
	a.showFindBed(man)
	fb := a.facilities().findBed
	// Whatever else is loosened, the women's house stays out.
	for _, loosen := range []func(){
		func() {},
		func() { fb.level.SetSelectedIndex(0) },
		func() { fb.payment.SetSelectedIndex(0) },
		func() { fb.adult.SetChecked(false) },
		func() { test.Type(fb.text, "serenity") },
	} {
		loosen()
		if slices.Contains(bedNames(fb), "Serenity Women's House") {
			t.Fatalf("a women's house offered to a man (%s)", fb.summary.Text)
		}
	}
	// Searching for the women's house by name: nothing fits, and the way
	// out offered is to drop the search, not the gender.
	var offers []string
	visible(a.win.Canvas().Content(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && strings.HasPrefix(b.Text, "Drop ") {
			offers = append(offers, b.Text)
		}
	})
	if len(offers) != 1 || !strings.HasPrefix(offers[0], "Drop the name or city search: ") {
		t.Errorf("offers %q", offers)
	}
}

func TestFindABedSaysWhichFilterToLoosen(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	admin := program(t, dir, opt)
	someFacilities(t, admin, clk)
	id := aCase(t, admin, daniel, data.Case{Insurance: "none"}, "3.5")
	if err := admin.Assess(t.Context(), id, data.Assessment{Level: "3.5", MOUD: "methadone"}); err != nil {
		t.Fatal(err)
	}
	a := loggedIn(t, dir, opt, "coordinator")
	a.showFindBed(id)
	fb := a.facilities().findBed
	if len(fb.matches) != 0 || !fb.empty.Visible() {
		t.Fatalf("no residential program here gives methadone: %v", bedNames(fb))
	}
	if !shows(a, "No program in the directory fits all of these. Loosen one filter:") {
		t.Errorf("empty text %q", fb.emptyText.Text)
	}
	test.AssertRendersToMarkup(t, "facilities/findbed_empty.xml", a.win.Canvas())
	test.Tap(button(t, a, "Drop the medication filter (methadone): 2 programs would fit"))
	if got := bedNames(fb); !slices.Equal(got, []string{"Gateway Aurora", "Harbor Recovery Home"}) || fb.moud.SelectedIndex() != 0 {
		t.Errorf("after dropping the medication filter: %v", got)
	}
	fb.moud.SetSelectedIndex(2) // buprenorphine: Gateway has it
	if got := bedNames(fb); !slices.Equal(got, []string{"Gateway Aurora"}) {
		t.Errorf("buprenorphine: %v", got)
	}
	fb.within.SetSelectedIndex(1) // within 10 miles: Gateway is 9.1
	fb.onFilters()
	fb.near.entry.SetText("60432")
	// From Joliet, Gateway is too far, and Harbor does not give buprenorphine.
	button(t, a, "Drop the distance limit: 1 program would fit")
	button(t, a, "Drop the medication filter (buprenorphine): 1 program would fit")
	fb.near.entry.SetText("00000")
	if !shows(a, "Near ZIP: 00000 is not a ZIP code we can find; distances are unknown.") {
		t.Error("an unknown ZIP should be said beside the field")
	}
}

func TestFindABedLogsACallAndPlaces(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	admin := program(t, dir, opt)
	ids := someFacilities(t, admin, clk)
	id := aCase(t, admin, daniel, data.Case{Insurance: "none"}, "3.5")
	a := loggedIn(t, dir, opt, "coordinator")
	a.showFindBed(id)
	fb := a.facilities().findBed

	// Log a call: the result is required; a held bed asks until when.
	test.Tap(bedRows(a)[0].logBtn)
	c := fb.call
	if c == nil || !overlaid(a, "Gateway Aurora") {
		t.Fatal("Log a call should open its dialog for the program")
	}
	test.Tap(c.save)
	if !overlaid(a, "Choose how the call went.") {
		t.Error("saving without a result should say what is missing")
	}
	c.result.SetSelected(callResultName("bed_held"))
	if !c.heldBox.Visible() {
		t.Error("a held bed asks until when")
	}
	test.AssertRendersToMarkup(t, "facilities/logcall.xml", a.win.Canvas())
	test.Type(c.note, "ask for Lisa")
	c.note.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if fb.call != nil {
		t.Fatalf("the dialog should close: %q", c.problem.Text)
	}
	calls, err := a.sess.FacilityCalls(t.Context(), id)
	if err != nil || len(calls) != 1 {
		t.Fatalf("calls %v %v", calls, err)
	}
	if got := calls[0]; got.Facility != ids["Gateway Aurora"] || got.Result != "bed_held" || !got.HeldUntil.Equal(start.Add(2*time.Hour)) || got.Note != "ask for Lisa" {
		t.Errorf("call %+v", got)
	}
	if !shows(a, "Call to Gateway Aurora logged: a bed is held until Fri 9:00 PM.") || !shows(a, "called just now: bed held until 9:00 PM") {
		t.Error("the logged call should show on the screen and in the row")
	}

	// Place here: the workflow gets the case and the facility.
	var gotCase, gotFacility string
	a.placeChosen = func(caseID, facilityID string) { gotCase, gotFacility = caseID, facilityID }
	test.Tap(bedRows(a)[1].placeBtn)
	if gotCase != id || gotFacility != ids["Harbor Recovery Home"] {
		t.Errorf("placeChosen(%q, %q)", gotCase, gotFacility)
	}

	// A tap on the name opens the facility; Back returns to Find a bed.
	test.TapAt(bedRows(a)[0].name, fyne.NewPos(12, 12))
	fs := a.facilities()
	if fs.detail == nil || fs.detail.f.Name != "Gateway Aurora" {
		t.Fatal("the name should open the facility")
	}
	test.Tap(button(t, a, "Back"))
	if fs.detail != nil || fs.findBed != fb || len(bedRows(a)) == 0 {
		t.Error("Back from the facility should return to Find a bed")
	}
}

func TestOfficerFindsABedButDoesNotPlace(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	admin := program(t, dir, opt)
	someFacilities(t, admin, clk)
	id := aCase(t, admin, daniel, data.Case{Insurance: "none"}, "3.5")
	a := loggedIn(t, dir, opt, "officer")
	a.showFindBed(id)
	fb := a.facilities().findBed
	if len(fb.matches) == 0 {
		t.Fatal("an officer may look for a bed")
	}
	if !shows(a, "Calls to facilities and the placement are recorded by the case's coach or a coordinator.") {
		t.Error("an officer should be told who records calls and placement")
	}
	if len(buttons(a, "Log a call"))+len(buttons(a, "Place here")) != 0 {
		t.Error("an officer has no Log a call or Place here")
	}
	if len(buttons(a, "Copy")) == 0 {
		t.Error("an officer can still copy the phone")
	}
	if _, err := a.sess.LogFacilityCall(t.Context(), data.FacilityCall{CaseID: id, Facility: fb.matches[0].Facility.ID, Result: "no_bed"}); data.ErrorCode(err) != data.EFORBIDDEN {
		t.Errorf("an officer logged a call: %v", err)
	}
}

func TestOpenSlotsNearTheStation(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	sess := program(t, dir, opt)
	a := loggedIn(t, dir, opt, "officer")
	texts := func(o fyne.CanvasObject) []string {
		var out []string
		visible(o, func(o fyne.CanvasObject) {
			switch x := o.(type) {
			case *widget.Label:
				out = append(out, x.Text)
			case *widget.Hyperlink:
				out = append(out, x.Text)
			}
		})
		return out
	}
	if got := texts(a.openSlotsNear(5)); !slices.Equal(got, []string{"No open slots reported in the last 12 hours. Report one from Facilities."}) {
		t.Errorf("no reports: %q", got)
	}

	ids := someFacilities(t, sess, clk)
	a.directoryChanged()
	got := texts(a.openSlotsNear(5))
	want := []string{"Serenity Women's House", "residential", "3 open · 10 min", "0.5 mi",
		"Gateway Aurora", "residential", "2 open · 40 min", "9.1 mi"}
	if !slices.Equal(got, want) {
		t.Errorf("rows %q\nwant %q", got, want)
	}
	if got := texts(a.openSlotsNear(1)); len(got) != 4 {
		t.Errorf("limit 1: %q", got)
	}
	// A tap on a name opens the facility.
	var link *widget.Hyperlink
	visible(a.openSlotsNear(1), func(o fyne.CanvasObject) {
		if h, ok := o.(*widget.Hyperlink); ok {
			link = h
		}
	})
	test.NewTempWindow(t, link)
	test.TapAt(link, fyne.NewPos(12, 12))
	if fs := a.facilities(); current(a.shell) != "facilities" || fs.detail == nil || fs.detail.id != ids["Serenity Women's House"] {
		t.Error("a tap on a name should open the facility")
	}

	// The device's station ZIP and staleness settings are used.
	if err := a.store.SetSetting(t.Context(), settingStaleHours, "0"); err != nil {
		t.Fatal(err)
	}
	if err := a.store.SetSetting(t.Context(), settingStationZIP, "60432"); err != nil {
		t.Fatal(err)
	}
	if a.stationZIP() != "60432" || a.staleAfter() != 12*time.Hour {
		t.Errorf("station %q, stale %v", a.stationZIP(), a.staleAfter())
	}
	a.store.SetSetting(t.Context(), settingStaleHours, "24")
	a.directoryChanged()
	got = texts(a.openSlotsNear(5))
	if len(got) != 12 || got[0] != "Harbor Recovery Home" || got[3] != "about 1 mi" {
		t.Errorf("from Joliet, with 24 hours: %q", got)
	}
}
