package gui

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// illinois is the 2017 SAMHSA directory of Illinois, shared with the
// other parts of the project outside the repository.
const illinois = "../../shared/data/facilities/samhsa-directory-2017-illinois.csv"

// someFacilities imports a small directory around Naperville and reports
// open slots: Gateway 2 open 40 minutes ago, Serenity 3 open 10 minutes
// ago, Harbor 1 open but 13 hours ago (out of date). It returns the IDs by
// name.
func someFacilities(t *testing.T, sess *data.Session, clk *data.FixedClock) map[string]string {
	t.Helper()
	fs := []data.Facility{
		{Name: "Gateway Aurora", Street: "400 Mercy Ln", City: "Aurora", State: "IL", ZIP: "60506", Lat: 41.7606, Lon: -88.3201,
			Phone: "(630) 966-7400", IntakePhone: "(630) 966-7401", Website: "gatewayfoundation.org",
			Services: []string{"RES", "RS", "SS", "MD", "MALE", "FEM", "ADLT", "BU", "CBT", "LANG:pl"}},
		{Name: "Serenity Women's House", Street: "1 Oak St", City: "Naperville", State: "IL", ZIP: "60540", Lat: 41.77, Lon: -88.15,
			Phone: "(630) 555-0111", Services: []string{"RES", "RL", "NP", "FEM", "PW", "ADLT"}},
		{Name: "Cash Only Residential", Street: "2 Elm St", City: "Wheaton", State: "IL", ZIP: "60187", Lat: 41.86, Lon: -88.1,
			Phone: "(630) 555-0122", Services: []string{"RES", "SF", "MALE", "ADLT"}},
		{Name: "Harbor Recovery Home", Street: "5 Pine St", City: "Joliet", State: "IL", ZIP: "60432",
			Phone: "(815) 555-0133", Services: []string{"HH", "RES", "NP", "ADLT"}},
		{Name: "Methadone Clinic", Street: "7 Lake St", City: "Aurora", State: "IL", ZIP: "60505", Lat: 41.75, Lon: -88.3,
			Phone: "(630) 555-0144", Services: []string{"OTP", "OMB", "MM", "SS", "ADLT"}},
		{Name: "Youth Residential", Street: "8 Lake St", City: "Aurora", State: "IL", ZIP: "60505", Lat: 41.75, Lon: -88.3,
			Phone: "(630) 555-0155", Services: []string{"RES", "NP", "CHLD", "YAD"}},
		{Name: "Hope Outpatient", Street: "9 Main St", City: "Naperville", State: "IL", ZIP: "60563", Lat: 41.79, Lon: -88.14,
			Services: []string{"OP", "ORT", "SS", "MD", "ADLT", "SP"}},
		{Name: "Lakeside Clinic", Street: "3 Shore Dr", City: "Kenosha", State: "WI", ZIP: "53140", Lat: 42.58, Lon: -87.82,
			Phone: "(262) 555-0166", Services: []string{"OP", "PI", "ADLT"}},
	}
	sum, err := sess.ImportFacilities(t.Context(), fs, false)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, f := range fs {
		ids[f.Name] = sum.IDs[data.FacilityIdentity(&f)]
	}
	now := clk.T
	report := func(name string, open int, ago time.Duration, note string) {
		clk.Set(now.Add(-ago))
		if _, err := sess.ReportAvailability(t.Context(), ids[name], open, note); err != nil {
			t.Fatal(err)
		}
	}
	report("Harbor Recovery Home", 1, 13*time.Hour, "")
	report("Gateway Aurora", 0, 5*time.Hour, "full until Monday")
	report("Gateway Aurora", 2, 40*time.Minute, "men's beds")
	report("Serenity Women's House", 3, 10*time.Minute, "")
	clk.Set(now)
	return ids
}

// facilities opens the Facilities section of a logged-in window.
func openFacilities(t *testing.T, a *App) *facilitiesScreen {
	t.Helper()
	fs := a.facilities()
	if fs == nil {
		t.Fatal("no Facilities section")
	}
	return fs
}

// listed returns the names of the facilities the list shows, in order.
func listed(fs *facilitiesScreen) []string {
	var out []string
	for _, i := range fs.shown {
		out = append(out, fs.index.items[i].Facility.Name)
	}
	return out
}

// facilityRows returns the rows on screen, top to bottom.
func facilityRows(a *App) []*facilityRow {
	var rows []*facilityRow
	visible(a.win.Canvas().Content(), func(o fyne.CanvasObject) {
		if r, ok := o.(*facilityRow); ok {
			rows = append(rows, r)
		}
	})
	return rows
}

// buttons finds the visible buttons labelled text, top to bottom.
func buttons(a *App, text string) []*widget.Button {
	var out []*widget.Button
	visible(a.win.Canvas().Content(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			out = append(out, b)
		}
	})
	return out
}

// overlaid reports whether a visible label of a dialog contains text.
func overlaid(a *App, text string) bool { return overlaysSaying(a, text) > 0 }

// overlaysSaying counts the dialogs with a visible label containing text.
func overlaysSaying(a *App, text string) int {
	n := 0
	for _, o := range a.win.Canvas().Overlays().List() {
		found := false
		visible(o, func(o fyne.CanvasObject) {
			if l, ok := o.(*widget.Label); ok && strings.Contains(l.Text, text) {
				found = true
			}
		})
		if found {
			n++
		}
	}
	return n
}

func TestFacilityListFiltersAsTyped(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	someFacilities(t, program(t, dir, opt), clk)
	a := loggedIn(t, dir, opt, "officer")
	fs := openFacilities(t, a)
	if a.win.Canvas().Focused() != fs.search {
		t.Error("the search should have the cursor when Facilities opens")
	}

	// Open slots first (fresh ones), nearest first; then the rest by distance.
	all := []string{"Serenity Women's House", "Gateway Aurora", "Hope Outpatient", "Cash Only Residential",
		"Methadone Clinic", "Youth Residential", "Harbor Recovery Home", "Lakeside Clinic"}
	if got := listed(fs); !slices.Equal(got, all) {
		t.Fatalf("list %v\nwant %v", got, all)
	}
	if !shows(a, "8 facilities · distances from 60540") {
		t.Errorf("count: %q", fs.count.Text)
	}
	rows := facilityRows(a)
	if len(rows) == 0 || rows[0].slots.Text != "3 open · 10 min ago" || rows[0].slots.Importance != widget.SuccessImportance {
		t.Fatalf("first row: %+v", rows[0].slots)
	}
	test.AssertRendersToMarkup(t, "facilities/list.xml", a.win.Canvas())

	for _, c := range []struct {
		name  string
		typed string
		setup func()
		want  []string
	}{
		{"City", "aur", nil, []string{"Gateway Aurora", "Methadone Clinic", "Youth Residential"}},
		{"TwoWords", "aurora meth", nil, []string{"Methadone Clinic"}},
		{"Phone", "8155550133", nil, []string{"Harbor Recovery Home"}},
		{"Service", "spanish", nil, []string{"Hope Outpatient"}},
		{"State", "", func() { fs.state.SetSelected("WI") }, []string{"Lakeside Clinic"}},
		{"Level", "", func() { fs.level.SetSelected(careLevelName("OTP")) }, []string{"Methadone Clinic"}},
		{"Uninsured", "aur", func() { fs.payment.SetSelected(paymentName("none")) }, []string{"Gateway Aurora", "Methadone Clinic", "Youth Residential"}},
		// Free and sliding-fee programs take everyone; cash only takes no insurance.
		{"Private", "", func() { fs.payment.SetSelected(paymentName("private")) }, []string{"Serenity Women's House", "Gateway Aurora",
			"Hope Outpatient", "Methadone Clinic", "Youth Residential", "Harbor Recovery Home", "Lakeside Clinic"}},
		{"OpenSlots", "", func() { fs.openOnly.SetChecked(true) }, []string{"Serenity Women's House", "Gateway Aurora"}},
		{"ByName", "", func() { fs.order.SetSelectedIndex(orderName) }, []string{"Cash Only Residential", "Gateway Aurora",
			"Harbor Recovery Home", "Hope Outpatient", "Lakeside Clinic", "Methadone Clinic", "Serenity Women's House", "Youth Residential"}},
		{"NoMatch", "zzz", nil, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			fs.onClear()
			fs.order.SetSelectedIndex(orderOpenFirst)
			if c.setup != nil {
				c.setup()
			}
			test.Type(fs.search, c.typed)
			if got := listed(fs); !slices.Equal(got, c.want) {
				t.Errorf("got  %v\nwant %v", got, c.want)
			}
			if fs.empty.Visible() != (len(c.want) == 0) {
				t.Errorf("the empty message shows: %v with %d rows", fs.empty.Visible(), len(c.want))
			}
		})
	}
	if !shows(a, "No facility matches this search and these filters.") {
		t.Error("an empty result should say so")
	}
	test.Tap(button(t, a, "Clear the search and filters"))
	if len(fs.shown) != 8 || fs.search.Text != "" {
		t.Errorf("after clearing: %d shown, search %q", len(fs.shown), fs.search.Text)
	}

	// Enter in the search opens the first facility.
	test.Type(fs.search, "harbor")
	fs.search.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if fs.detail == nil || fs.detail.f.Name != "Harbor Recovery Home" {
		t.Fatal("Enter should open the first facility listed")
	}
	test.Tap(button(t, a, "Back"))
	if fs.detail != nil || fs.search.Text != "harbor" {
		t.Error("Back should return to the list as it was")
	}
}

func TestEmptyDirectorySaysHowToFillIt(t *testing.T) {
	opt, _ := testOptions()
	dir := t.TempDir()
	program(t, dir, opt)
	t.Run("Coordinator", func(t *testing.T) {
		a := loggedIn(t, dir, opt, "coordinator")
		fs := openFacilities(t, a)
		if !shows(a, "The directory is empty. Import a directory file") || fs.filters.Visible() {
			t.Error("an empty directory should say so, offer the import and hide the search")
		}
		button(t, a, "Import a directory file")
		test.AssertRendersToMarkup(t, "facilities/empty.xml", a.win.Canvas())
	})
	t.Run("Officer", func(t *testing.T) {
		a := loggedIn(t, dir, opt, "officer")
		fs := openFacilities(t, a)
		if !shows(a, "A coordinator fills it by importing a directory file.") {
			t.Error("an officer should be told who fills the directory")
		}
		if fs.importBtn != nil || fs.emptyAct.Visible() {
			t.Error("an officer may not import: no import button")
		}
	})
}

func TestFacilityDetailShowsPhonesAndSlotHistory(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	ids := someFacilities(t, program(t, dir, opt), clk)
	a := loggedIn(t, dir, opt, "officer")
	fs := openFacilities(t, a)
	fs.openDetail(ids["Gateway Aurora"])
	d := fs.detail

	for _, text := range []string{"(630) 966-7400", "(630) 966-7401", "400 Mercy Ln", "Aurora, IL 60506",
		"2 open · 40 min ago", // the latest, in words
		"2 open · 40 min ago · reported by Naperville PD — men's beds",
		"0 open · 5 h ago · reported by Naperville PD — full until Monday",
		"residential · short-term residential", "sliding fee · Medicaid", "buprenorphine", "women · men · adults", "Polish",
		"miles from the station."} {
		if !shows(a, text) {
			t.Errorf("the detail does not show %q", text)
		}
	}
	// The phones are large, each with its copy button.
	var big []string
	visible(d.view, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.Label); ok && l.SizeName == "headingText" && strings.HasPrefix(l.Text, "(") {
			big = append(big, l.Text)
		}
	})
	if !slices.Equal(big, []string{"(630) 966-7400", "(630) 966-7401"}) {
		t.Errorf("large phones %v", big)
	}
	test.Tap(buttons(a, "Copy")[0])
	if got := a.fa.Clipboard().Content(); got != "(630) 966-7400" {
		t.Errorf("clipboard %q", got)
	}
	if !shows(a, "Copied (630) 966-7400 to the clipboard.") {
		t.Error("copying should say so")
	}
	if d.editBtn != nil {
		t.Error("an officer may not correct the listing")
	}
	test.AssertRendersToMarkup(t, "facilities/detail.xml", a.win.Canvas())

	// A listing located by its ZIP says the distance is approximate; one
	// with nothing says so.
	fs.openDetail(ids["Harbor Recovery Home"])
	if !shows(a, "approximate: the listing has no map position, so the middle of ZIP 60432 is used") || !shows(a, "1 open · 13 h ago (out of date)") {
		t.Error("Harbor: approximate distance and an out-of-date report should say so")
	}
	fs.openDetail(ids["Hope Outpatient"])
	if !shows(a, "No phone number is listed.") || !shows(a, "Nobody has reported open slots here yet.") || !shows(a, "No website is listed.") {
		t.Error("Hope: what is not there should be said")
	}
}

func TestReportOpenSlots(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	ids := someFacilities(t, program(t, dir, opt), clk)
	a := loggedIn(t, dir, opt, "officer")
	fs := openFacilities(t, a)
	fs.openDetail(ids["Cash Only Residential"])
	d := fs.detail

	test.Tap(button(t, a, "Report open slots"))
	if a.win.Canvas().Focused() != d.open.entry {
		t.Error("the number should have the cursor")
	}
	test.Type(d.open.entry, "lots")
	d.open.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !shows(a, "Type how many slots are open: a number from 0 to 999.") {
		t.Fatal("a bad number should be said beside the field")
	}
	d.open.entry.SetText("")
	test.Type(d.open.entry, "4")
	// Tab goes from the number to the note.
	a.win.Canvas().FocusNext()
	if a.win.Canvas().Focused() != d.note.entry {
		t.Fatalf("Tab from the number went to %T", a.win.Canvas().Focused())
	}
	test.Type(d.note.entry, "two for women")
	test.Tap(button(t, a, "Save the report"))
	if !shows(a, "Saved: 4 open slots, reported just now.") || !shows(a, "4 open · just now · reported by Naperville PD — two for women") {
		t.Fatal("the report should be saved and shown in the history")
	}
	if d.report.Visible() || d.open.entry.Text != "" {
		t.Error("the form should close and empty after saving")
	}
	// Back in the list, the facility has open slots now.
	test.Tap(button(t, a, "Back"))
	fs.openOnly.SetChecked(true)
	if got := listed(fs); !slices.Contains(got, "Cash Only Residential") {
		t.Errorf("open slots %v", got)
	}
	reports, err := a.sess.SlotReports(t.Context(), ids["Cash Only Residential"])
	if err != nil || len(reports) != 1 || reports[0].Open != 4 || reports[0].Note != "two for women" {
		t.Errorf("stored reports %+v %v", reports, err)
	}
}

func TestCorrectTheListing(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	ids := someFacilities(t, program(t, dir, opt), clk)
	a := loggedIn(t, dir, opt, "coordinator")
	fs := openFacilities(t, a)
	fs.openDetail(ids["Hope Outpatient"])
	d := fs.detail

	test.Tap(button(t, a, "Correct the listing"))
	f := d.fields
	if f["name"].entry.Text != "Hope Outpatient" || a.win.Canvas().Focused() != f["name"].entry {
		t.Fatal("the form should start with the listing as it is, the cursor in the name")
	}
	test.Type(f["phone"].entry, "555-0199")
	f["zip"].entry.SetText("6056")
	test.Type(f["website"].entry, "hope outpatient")
	test.Tap(button(t, a, "Save the listing"))
	for _, want := range []string{"Phone: a phone number has 10 digits, like (630) 555-0142", "ZIP: use five digits, like 60540",
		"Website: use an address like www.example.org"} {
		if !shows(a, want) {
			t.Errorf("the form should say %q beside the field", want)
		}
	}
	if a.win.Canvas().Focused() != f["phone"].entry {
		t.Error("the cursor should go to the first field in error")
	}
	f["phone"].entry.SetText("630 555 0199")
	f["zip"].entry.SetText("60563")
	f["website"].entry.SetText("hopeoutpatient.org")
	f["website"].entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !shows(a, "The listing is saved.") || !shows(a, "(630) 555-0199") {
		t.Fatal("the corrected listing should show, with its new phone large")
	}
	got, _ := a.sess.FacilityByID(t.Context(), ids["Hope Outpatient"])
	if got.Phone != "(630) 555-0199" || got.Website != "https://hopeoutpatient.org" {
		t.Errorf("stored %q %q", got.Phone, got.Website)
	}

	// Esc in a field cancels, and keeps the listing as it was.
	test.Tap(button(t, a, "Correct the listing"))
	f["name"].entry.SetText("Something else")
	f["name"].entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if d.edit.Visible() || !shows(a, "Hope Outpatient") {
		t.Error("Esc should close the form without saving")
	}
}

func TestRolesInTheDirectory(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	ids := someFacilities(t, program(t, dir, opt), clk)
	for _, c := range []struct {
		user                 string
		importer, edit, slot bool
	}{
		{"officer", false, false, true},
		{"coach", false, false, true},
		{"coordinator", true, true, true},
		{"admin", true, true, true},
	} {
		t.Run(c.user, func(t *testing.T) {
			a := loggedIn(t, dir, opt, c.user)
			fs := openFacilities(t, a)
			if (fs.importBtn != nil) != c.importer {
				t.Errorf("import button: %v", fs.importBtn != nil)
			}
			fs.openDetail(ids["Gateway Aurora"])
			if (fs.detail.editBtn != nil) != c.edit || (fs.detail.reportBtn != nil) != c.slot {
				t.Errorf("edit %v, report %v", fs.detail.editBtn != nil, fs.detail.reportBtn != nil)
			}
			// data refuses what the window hides.
			if !c.edit {
				if err := a.sess.UpdateFacility(t.Context(), ids["Gateway Aurora"], map[string]string{"name": "x"}); data.ErrorCode(err) != data.EFORBIDDEN {
					t.Errorf("edit by %s: %v", c.user, err)
				}
				if _, err := a.sess.ImportFacilities(t.Context(), nil, true); data.ErrorCode(err) != data.EFORBIDDEN {
					t.Errorf("import by %s: %v", c.user, err)
				}
			}
		})
	}
}

func TestImportDryRunThenApply(t *testing.T) {
	if _, err := os.Stat(illinois); err != nil {
		t.Skipf("the shared Illinois directory is not next to the repository (%v): it is the real file this test imports", err)
	}
	opt, _ := testOptions()
	dir := t.TempDir()
	program(t, dir, opt)
	a := loggedIn(t, dir, opt, "coordinator")
	fs := openFacilities(t, a)
	im := fs.imp

	im.read(illinois)
	if im.res == nil || im.sum == nil {
		t.Fatalf("no dry run: %v", im.failed)
	}
	if !overlaid(a, "samhsa-directory-2017-illinois.csv: the 2017 SAMHSA directory, 611 facilities.") ||
		!overlaid(a, "Would add 611, change 0, leave 0 alone.") || !overlaid(a, "73 rows repaired on the way in.") {
		t.Fatal("the dry run should say what the import would do")
	}
	if n, _ := a.sess.Facilities(t.Context(), data.FacilityFilter{}); len(n) != 0 {
		t.Fatalf("a dry run wrote %d facilities", len(n))
	}
	test.AssertRendersToMarkup(t, "facilities/import_dryrun.xml", a.win.Canvas())
	test.Tap(im.showBtn)
	if !overlaid(a, "Line 3 · repaired · name: repaired PDF ligatures") {
		t.Error("Show them should list the rows with their lines")
	}

	test.Tap(im.applyBtn)
	if !shows(a, "Imported samhsa-directory-2017-illinois.csv: 611 added, 0 changed, 0 left alone.") {
		t.Fatalf("after the import: %q", fs.notice.Text)
	}
	if len(fs.index.items) != 611 || !shows(a, "611 facilities") {
		t.Errorf("the list shows %d facilities", len(fs.index.items))
	}
	if len(a.win.Canvas().Overlays().List()) != 0 {
		t.Error("the dialog should close")
	}

	// The same file again changes nothing, and says so.
	im.read(illinois)
	if !overlaid(a, "Would add 0, change 0, leave 611 alone.") || !im.applyBtn.Disabled() ||
		!overlaid(a, "Nothing to import: the directory already has everything in this file.") {
		t.Error("a second import of the same file should have nothing to do")
	}
}

func TestImportListsSkippedRows(t *testing.T) {
	opt, _ := testOptions()
	dir := t.TempDir()
	program(t, dir, opt)
	a := loggedIn(t, dir, opt, "admin")
	fs := openFacilities(t, a)
	fs.imp.read("testdata/facilities/skipped.csv")
	if !overlaid(a, "Would add 1, change 0, leave 0 alone.") || !overlaid(a, "3 rows skipped.") {
		t.Fatal("the dry run should count the skipped rows")
	}
	test.Tap(fs.imp.showBtn)
	for _, want := range []string{"Line 3 · skipped · name: no name", "Line 4 · skipped · zip: no ZIP, coordinates, or city and state",
		"Line 5 · skipped · the row has 2 cells, the header 7"} {
		if !overlaid(a, want) {
			t.Errorf("the skipped rows should include %q", want)
		}
	}
	test.Tap(fs.imp.applyBtn)
	if got := listed(fs); !slices.Equal(got, []string{"Harbor House"}) {
		t.Errorf("after the import: %v", got)
	}
}

func TestImportOfABadFileChangesNothing(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	sess := program(t, dir, opt)
	someFacilities(t, sess, clk)
	bad := t.TempDir() + "/directory.xlsx"
	if err := os.WriteFile(bad, []byte("PK\x03\x04[Content_Types].xml and the rest of a workbook"), 0o600); err != nil {
		t.Fatal(err)
	}
	a := loggedIn(t, dir, opt, "coordinator")
	fs := openFacilities(t, a)
	for _, c := range []struct{ name, path, want string }{
		{"Workbook", bad, "Unknown format: a spreadsheet workbook; save it as CSV (UTF-8) first"},
		{"Missing", t.TempDir() + "/gone.csv", "No such file or folder"},
	} {
		t.Run(c.name, func(t *testing.T) {
			fs.imp.read(c.path)
			if fs.imp.failed == nil || fs.imp.failed.Text != c.want {
				t.Fatalf("failure %v, want %q", fs.imp.failed, c.want)
			}
			if !overlaid(a, "This file cannot be imported") || !overlaid(a, "Nothing was changed.") {
				t.Error("a bad file should say it cannot be imported and that nothing changed")
			}
			if fs.imp.res != nil {
				t.Error("nothing to apply")
			}
			if n, _ := a.sess.Facilities(t.Context(), data.FacilityFilter{}); len(n) != 8 {
				t.Errorf("%d facilities after a bad file, want the 8 there were", len(n))
			}
			fs.imp.closeDialog()
		})
	}
	fs.imp.read(bad)
	test.AssertRendersToMarkup(t, "facilities/import_bad.xml", a.win.Canvas())
}

// TestFacilityIndexSearchesEveryField checks the index against the plain
// way of searching: every word is looked for in one lower-case text of all
// the fields a search covers and the labels of the facility's services.
// Every piece of one to four bytes of that text is tried, and some misses.
func TestFacilityIndexSearchesEveryField(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	someFacilities(t, program(t, dir, opt), clk)
	a := loggedIn(t, dir, opt, "officer")
	x := openFacilities(t, a).index
	if len(x.items) != 8 {
		t.Fatalf("%d facilities indexed", len(x.items))
	}
	digits := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r < '0' || r > '9' {
				return -1
			}
			return r
		}, s)
	}
	hays := make([]string, len(x.items))
	words := map[string]bool{"zzz": true, "aurora\nil": true, "naperville hope": true, "ln 400": true}
	for i, l := range x.items {
		f := l.Facility
		parts := []string{f.Name, f.Name2, f.Street, f.City, f.State, f.ZIP, f.Phone, f.IntakePhone, digits(f.Phone), digits(f.IntakePhone)}
		for _, c := range f.Services {
			if lb := data.ServiceLabel(c); lb != c {
				parts = append(parts, lb)
			}
		}
		hays[i] = strings.ToLower(strings.Join(parts, "\n"))
		for _, p := range parts {
			p = strings.ToLower(p)
			for n := 1; n <= 4; n++ {
				for k := 0; k+n <= len(p); k++ {
					words[p[k:k+n]] = true
				}
			}
		}
	}
	for typed := range words {
		var q facilityQuery
		q.setText(typed)
		for i := range x.items {
			want := true
			for _, w := range q.words {
				want = want && strings.Contains(hays[i], w)
			}
			if got := x.has(i, q); got != want {
				t.Errorf("%q in %s: %v, want %v", typed, x.items[i].Facility.Name, got, want)
			}
		}
	}
}
