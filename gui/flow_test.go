package gui

import (
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

func init() {
	// The screens show local times; the tests' times are UTC.
	time.Local = time.UTC
}

// meter drives the window as a person would and counts what they do:
// each character typed or key pressed is a keystroke, each click a tap.
type meter struct {
	t          *testing.T
	a          *App
	taps, keys int
}

func (m *meter) tap(o fyne.Tappable) {
	m.t.Helper()
	m.taps++
	test.Tap(o)
}

// typ types s into the focused object.
func (m *meter) typ(s string) {
	m.t.Helper()
	f := m.a.win.Canvas().Focused()
	if f == nil {
		m.t.Fatalf("typing %q with nothing focused", s)
	}
	m.keys += len([]rune(s))
	test.Type(f, s)
}

// tab moves the focus to the next field, as Tab does.
func (m *meter) tab(n int) {
	for range n {
		m.keys++
		test.FocusNext(m.a.win.Canvas())
	}
}

// enter presses Enter in the focused object.
func (m *meter) enter() {
	m.t.Helper()
	m.keys++
	f := m.a.win.Canvas().Focused()
	if f == nil {
		m.t.Fatal("Enter with nothing focused")
	}
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}

// focused checks that o has the focus.
func (m *meter) focused(o fyne.Focusable, what string) {
	m.t.Helper()
	if m.a.win.Canvas().Focused() != o {
		m.t.Fatalf("the focus is not in %s but on %T", what, m.a.win.Canvas().Focused())
	}
}

// workflowProgram is the test program with a roster and a directory: Tom
// (on call, no login) and Ana (on call, the "coach" user), and one
// facility. It returns the facility's ID.
func workflowProgram(t *testing.T, dir string, opt data.Options) (admin *data.Session, tom, ana, facility string) {
	t.Helper()
	admin = program(t, dir, opt)
	ctx := t.Context()
	users, err := admin.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	coachUser := ""
	for _, u := range users {
		if u.Username == "coach" {
			coachUser = u.ID
		}
	}
	if tom, err = admin.AddCoach(ctx, data.Coach{Name: "Tom Becker", Phone: "630-555-0142", Gender: "male", Languages: []string{"en"}}); err != nil {
		t.Fatal(err)
	}
	if ana, err = admin.AddCoach(ctx, data.Coach{Name: "Ana Park", Phone: "630-555-0177", Gender: "female", LivedExperience: true,
		Certification: "CRSS", Languages: []string{"en", "es"}, UserID: coachUser}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{tom, ana} {
		if _, err := admin.AddShift(ctx, data.Shift{Coach: c, StartsAt: start.Add(-time.Hour), EndsAt: start.Add(11 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	f := data.Facility{Name: "Gateway Aurora", Street: "400 Mercy Ln", City: "Aurora", State: "IL", ZIP: "60506",
		Phone: "630-966-7400", Lat: 41.7606, Lon: -88.3201, Services: []string{"RES", "SS", "MD", "MALE", "ADLT"}}
	sum, err := admin.ImportFacilities(ctx, []data.Facility{f}, false)
	if err != nil {
		t.Fatal(err)
	}
	return admin, tom, ana, sum.IDs[data.FacilityIdentity(&f)]
}

// relogin locks the window and logs in as someone else.
func relogin(t *testing.T, a *App, user string) {
	t.Helper()
	a.lockNow()
	test.Tap(button(t, a, "Log in as someone else"))
	test.Type(a.login.username, user)
	test.Type(a.login.password, testPassword)
	test.Tap(a.login.submit)
	if a.shell == nil {
		t.Fatalf("not logged in as %s: %q", user, a.login.problem.Text)
	}
}

// checkBox finds the visible check box labelled text.
func checkBox(t *testing.T, a *App, text string) *check {
	t.Helper()
	var found *check
	visible(a.win.Canvas().Content(), func(o fyne.CanvasObject) {
		if c, ok := o.(*check); ok && c.Text == text {
			found = c
		}
	})
	if found == nil {
		t.Fatalf("no check box %q on screen", text)
	}
	return found
}

// seg is the option labelled text of a choice.
func seg(t *testing.T, c *choice, text string) *choiceSeg {
	t.Helper()
	i := indexOf(c.labels, text)
	if i < 0 {
		t.Fatalf("no option %q in %v", text, c.labels)
	}
	return c.segs[i]
}

// TestWalkInToFirstCheckIn drives a walk-in from the New intake button to
// the placement and the first check-in, through the widgets, and counts
// the clicks and keystrokes from "New intake" to "Placed".
func TestWalkInToFirstCheckIn(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	_, tom, ana, facility := workflowProgram(t, dir, opt)
	printed := t.TempDir()
	printDir = func() (string, error) { return printed, nil }
	t.Cleanup(func() { printDir = func() (string, error) { return os.MkdirTemp("", "connectpoint-print-") } })

	a := loggedIn(t, dir, opt, "officer")
	m := &meter{t: t, a: a}

	// Intake, by keyboard, at the front desk.
	m.tap(button(t, a, "New intake (Ctrl+N)"))
	in, ok := a.shell.page("intake").(*intakeScreen)
	if !ok || a.shell.pages.current != "intake" {
		t.Fatal("New intake did not open the intake form")
	}
	m.focused(in.first.entry, "the first name")
	m.typ("Daniel")
	m.tab(1)
	m.typ("Reyes")
	m.tab(2) // past the alias
	m.focused(in.dob.entry, "the date of birth")
	m.typ("3/14/86")
	if !strings.Contains(in.dobHint.Text, "March 14, 1986") || !strings.Contains(in.dobHint.Text, "40 years old") {
		t.Errorf("date of birth understood as %q", in.dobHint.Text)
	}
	m.tab(1)
	m.typ("6305550101")
	m.tab(2) // past the ZIP
	m.focused(in.gender, "the gender")
	m.typ("m")
	m.tab(3) // language and channel keep English and walk-in
	m.focused(in.ins, "the insurance")
	m.typ("n")
	if in.gender.Value() != "male" || in.ins.Value() != "none" || in.channel.Value() != "walk-in" || in.language.Value() != "en" {
		t.Fatalf("choices: gender %q insurance %q channel %q language %q", in.gender.Value(), in.ins.Value(), in.channel.Value(), in.language.Value())
	}
	m.tap(checkBox(t, a, "Heroin"))
	if in.consent.signedBy.entry.Text != "Daniel Reyes" {
		t.Errorf("consent signer %q, want the name typed above", in.consent.signedBy.entry.Text)
	}
	// The consent form prints with the §2.32 notice.
	test.Tap(in.consent.print)
	if !strings.Contains(in.consent.printed.Text, "PDF viewer") {
		t.Errorf("after print: %q", in.consent.printed.Text)
	}
	m.tap(checkBox(t, a, "The person signed"))
	m.enter()

	cs, ok := a.shell.page(a.shell.pages.current).(*caseScreen)
	if !ok {
		t.Fatalf("after saving the intake the screen is %q, not the case", a.shell.pages.current)
	}
	if a.shell.page("intake") != nil {
		t.Error("the intake draft is still open after saving")
	}
	id := cs.id
	if cs.title.Text != "Daniel R." || !strings.Contains(cs.facts.Text, "40 years") || !strings.Contains(cs.facts.Text, "no insurance") {
		t.Errorf("case header %q %q", cs.title.Text, cs.facts.Text)
	}
	if cs.next.Text != "Contact next coach" || !shows(a, "Active: signed") {
		t.Fatalf("case next step %q; consent shown: %v", cs.next.Text, shows(a, "Active: signed"))
	}

	// Coach dispatch: Tom first (on call, a man, like Daniel); no answer;
	// Ana accepts with an ETA of 20 minutes.
	clk.Advance(2 * time.Minute)
	m.tap(cs.next)
	ds, ok := a.shell.page("dispatch:" + id).(*dispatchScreen)
	if !ok || ds.current == nil || ds.current.ID != tom {
		t.Fatalf("dispatch proposes %+v, want Tom", ds.current)
	}
	if !shows(a, "(630) 555-0142") {
		t.Error("Tom's phone is not on screen")
	}
	assertScreenMarkup(t, a, "dispatch.xml", data.ShortID(id), "4F2K9A")
	m.tap(ds.noAnswer)
	if ds.current == nil || ds.current.ID != ana {
		t.Fatalf("after no answer the screen proposes %+v, want Ana", ds.current)
	}
	clk.Advance(3 * time.Minute)
	m.tap(ds.accepted)
	m.focused(ds.eta, "the ETA")
	m.typ("20")
	m.enter()
	if !ds.arrived.Visible() || !strings.HasPrefix(ds.callTitle.Text, "Ana Park accepted") {
		t.Fatalf("after accepted: %q, arrived button shown %v", ds.callTitle.Text, ds.arrived.Visible())
	}
	clk.Advance(20 * time.Minute)
	m.tap(ds.arrived)
	if a.shell.pages.current != "case:"+id {
		t.Fatalf("after arrived the screen is %q", a.shell.pages.current)
	}
	if cs.nextTitle.Text != "Waiting for the coach's assessment" || cs.next.Visible() {
		t.Errorf("officer's next step after arrival: %q (button shown %v)", cs.nextTitle.Text, cs.next.Visible())
	}

	// The coach assesses and places, on the same station PC.
	relogin(t, a, "coach")
	if rows := caseRows(a); len(rows) != 1 || rows[0].name.Text != "Daniel R." {
		t.Fatalf("the coach's dashboard shows %d cases", len(rows))
	}
	sel(a, 0, m)
	cs = a.shell.page("case:" + id).(*caseScreen)
	if cs.next.Text != "Assess" {
		t.Fatalf("coach's next step %q", cs.next.Text)
	}
	clk.Advance(10 * time.Minute)
	m.tap(cs.next)
	as := a.shell.page("assess:" + id).(*assessScreen)
	assertScreenMarkup(t, a, "assess.xml", data.ShortID(id), "4F2K9A")
	m.tap(seg(t, as.level, levelLabel("3.5")))
	m.tap(seg(t, as.moud, "Buprenorphine"))
	m.tap(as.save)
	if cs.next.Text != "Find a bed" || !strings.Contains(cs.nextFacts.Text, "level 3.5") {
		t.Fatalf("after assessment: %q %q", cs.next.Text, cs.nextFacts.Text)
	}

	// Find a bed opens the directory for the case; its "Place here" hands
	// the facility to the placement (findbed_test.go drives that screen).
	clk.Advance(20 * time.Minute)
	m.tap(cs.next)
	if a.shell.current < 0 || a.shell.sections[a.shell.current].id != "facilities" {
		t.Fatal("Find a bed did not open the facility directory")
	}
	m.taps++
	a.placeChosen(id, facility)
	ps, ok := a.shell.page("place:" + id).(*placeScreen)
	if !ok || !shows(a, "Gateway Aurora") {
		t.Fatal("placement did not open with the facility")
	}
	assertScreenMarkup(t, a, "place.xml", data.ShortID(id), "4F2K9A")
	m.tap(seg(t, ps.transport, "Coach drives"))
	m.tap(ps.confirm)
	if a.shell.pages.current != "case:"+id || cs.nextTitle.Text != "Placed" || !strings.Contains(cs.nextFacts.Text, "Gateway Aurora") {
		t.Fatalf("after placement: page %q, %q %q", a.shell.pages.current, cs.nextTitle.Text, cs.nextFacts.Text)
	}
	if !strings.Contains(cs.nextFacts.Text, "0:55 from first contact") {
		t.Errorf("time to placement: %q", cs.nextFacts.Text)
	}
	t.Logf("walk-in from New intake to Placed: %d clicks, %d keystrokes (plus a login for the coach)", m.taps, m.keys)
	if m.taps > 20 || m.keys > 60 {
		t.Errorf("the path got longer: %d clicks, %d keystrokes", m.taps, m.keys)
	}

	// The officer sees "placed", not where.
	relogin(t, a, "officer")
	a.openCase(id)
	cs = a.shell.page("case:" + id).(*caseScreen)
	if cs.nextTitle.Text != "Placed" || shows(a, "Gateway") {
		t.Errorf("officer sees %q %q; the facility is shown: %v", cs.nextTitle.Text, cs.nextFacts.Text, shows(a, "Gateway"))
	}

	// Next day: the coach is reminded and records the first check-in.
	clk.Advance(24 * time.Hour)
	// At login the reminders catch up: a notification with the case
	// number, never the name.
	test.AssertNotificationSent(t, &fyne.Notification{Title: "Check-in due: case " + data.ShortID(id),
		Content: "Open ConnectPoint, then Check-ins."}, func() { relogin(t, a, "coach") })
	// A minute later nothing new: no second notification.
	test.AssertNotificationSent(t, nil, func() { a.reminders.run() })
	if got := navTitle(&a.shell.sections[indexOfSection(a.shell, "checkins")]); got != "Check-ins (1)" {
		t.Errorf("nav shows %q", got)
	}
	a.shell.open("checkins")
	if !shows(a, "day 1 · due today") || !shows(a, "Daniel R. · case "+data.ShortID(id)) {
		t.Fatal("My check-ins does not list the day-1 check-in")
	}
	// The list makes its rows from the check-ins: their case number is what
	// the golden file fixes.
	ci := a.shell.sections[indexOfSection(a.shell, "checkins")].screen.(*checkInsScreen)
	for i := range ci.due {
		ci.due[i].Short = "4F2K9A"
	}
	ci.list.Refresh()
	assertScreenMarkup(t, a, "checkins.xml")
	ci.onShow()
	test.Tap(button(t, a, "Record check-in"))
	f := a.shell.page("checkin:" + id).(*checkInForm)
	assertScreenMarkup(t, a, "checkin_form.xml", data.ShortID(id), "4F2K9A")
	test.Tap(seg(t, f.reached, "Yes, reached"))
	test.Tap(seg(t, f.situation, "In treatment"))
	test.Tap(seg(t, f.meds, "Taking as prescribed"))
	test.Tap(f.naloxone)
	test.Tap(f.barcBtn)
	for i, c := range f.barc {
		test.Type(c, string(rune('3'+i%3)))
	}
	if !strings.Contains(f.barcTotal.Text, "Score so far: 39 of 60 (10 of 10 answered)") {
		t.Errorf("BARC-10 total %q", f.barcTotal.Text)
	}
	if f.nextDue.entry.Text != dateText(start.Add(3*24*time.Hour).Format(data.DateLayout)) {
		t.Errorf("next due %q", f.nextDue.entry.Text)
	}
	test.Tap(f.save)
	if a.shell.page("checkin:"+id) != nil {
		t.Fatalf("check-in not saved: %q", f.problem.Text)
	}
	if got := navTitle(&a.shell.sections[indexOfSection(a.shell, "checkins")]); got != "Check-ins" {
		t.Errorf("after the check-in the nav shows %q", got)
	}
	a.openCase(id)
	if !shows(a, "check-in: in treatment") {
		t.Error("the check-in is not on the timeline")
	}
	_ = ana
}

func indexOfSection(s *shell, id string) int {
	for i, sec := range s.sections {
		if sec.id == id {
			return i
		}
	}
	return -1
}

// sel taps row i of the case list on screen.
func sel(a *App, i int, m *meter) {
	var l *widget.List
	visible(a.win.Canvas().Content(), func(o fyne.CanvasObject) {
		if x, ok := o.(*widget.List); ok && x != a.shell.nav {
			l = x
		}
	})
	m.taps++
	l.Select(i)
}
