package gui

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// hasButton reports whether a visible button is labelled text.
func hasButton(a *App, text string) bool {
	found := false
	visible(a.win.Canvas().Content(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == text {
			found = true
		}
	})
	return found
}

// placedCase makes a case at every step for the role tests: dispatched to
// Ana, assessed and placed at the facility.
func placedCase(t *testing.T, admin *data.Session, ana, facility string) string {
	t.Helper()
	ctx := t.Context()
	id, err := admin.CreateCase(ctx, data.NewCase{Person: data.Person{First: "Kevin", Last: "Walsh", DOB: "1991-07-02"},
		Case: data.Case{Channel: "phone", Insurance: "medicaid"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.LogDispatch(ctx, data.DispatchAttempt{CaseID: id, Coach: ana, Response: "accepted"}); err != nil {
		t.Fatal(err)
	}
	if err := admin.Assess(ctx, id, data.Assessment{Level: "3.5"}); err != nil {
		t.Fatal(err)
	}
	if err := admin.Place(ctx, id, data.Placement{Facility: facility, Transport: "coach"}); err != nil {
		t.Fatal(err)
	}
	if _, err := admin.AddNote(ctx, id, "sister drives him"); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestRolesSeeWhatTheyMay opens each workflow screen as officer, coach and
// coordinator and checks what each is offered.
func TestRolesSeeWhatTheyMay(t *testing.T) {
	opt, _ := testOptions()
	dir := t.TempDir()
	admin, tom, ana, facility := workflowProgram(t, dir, opt)
	placed := placedCase(t, admin, ana, facility)
	waiting, err := admin.CreateCase(t.Context(), data.NewCase{Person: data.Person{First: "Daniel", Last: "Reyes"}, Case: data.Case{Channel: "walk-in"}})
	if err != nil {
		t.Fatal(err)
	}
	_ = tom

	t.Run("Officer", func(t *testing.T) {
		a := loggedIn(t, dir, opt, "officer")
		if got := strings.Join(sectionIDs(a.shell), ","); got != "dashboard,cases,coaches,facilities,about" {
			t.Errorf("officer's sections: %s", got)
		}
		if !hasButton(a, "New intake (Ctrl+N)") || shows(a, "Check-ins due now") {
			t.Error("officer's dashboard: New intake and no check-ins expected")
		}
		a.openCase(placed)
		cs := a.shell.page("case:" + placed).(*caseScreen)
		if cs.nextTitle.Text != "Placed" || cs.next.Visible() || hasButton(a, "End follow-up…") || shows(a, "Gateway") || shows(a, "3.5") || shows(a, "sister drives him") {
			t.Errorf("officer on a placed case: %q %q, facility shown %v", cs.nextTitle.Text, cs.nextFacts.Text, shows(a, "Gateway"))
		}
		if !shows(a, "Coaches and coordinators read the notes") {
			t.Error("officer should be told notes are read by others")
		}
		a.openCase(waiting)
		cs = a.shell.page("case:" + waiting).(*caseScreen)
		if cs.next.Text != "Contact next coach" || !cs.next.Visible() {
			t.Errorf("officer on a waiting case: button %q", cs.next.Text)
		}
		a.shell.open("coaches")
		if hasButton(a, "Add coach") || !shows(a, "A coordinator changes the roster") {
			t.Error("an officer is offered to change the roster")
		}
	})

	t.Run("Coach", func(t *testing.T) {
		a := loggedIn(t, dir, opt, "coach")
		if got := strings.Join(sectionIDs(a.shell), ","); got != "dashboard,cases,coaches,facilities,checkins,about" {
			t.Errorf("coach's sections: %s", got)
		}
		if hasButton(a, "New intake (Ctrl+N)") {
			t.Error("a coach is offered an intake")
		}
		a.onNewIntake()
		if a.shell.page("intake") != nil {
			t.Error("Ctrl+N opened an intake for a coach")
		}
		if rows := caseRows(a); len(rows) != 0 {
			t.Errorf("the coach's dashboard shows %d open cases; theirs is placed", len(rows))
		}
		a.shell.open("cases")
		if rows := caseRows(a); len(rows) != 1 || rows[0].name.Text != "Kevin W." {
			t.Errorf("the coach sees %d cases", len(rows))
		}
		a.openCase(placed)
		cs := a.shell.page("case:" + placed).(*caseScreen)
		if cs.next.Text != "Record check-in" || !hasButton(a, "End follow-up…") || !strings.Contains(cs.nextFacts.Text, "Gateway Aurora") || !shows(a, "sister drives him") {
			t.Errorf("coach on their placed case: %q %q", cs.next.Text, cs.nextFacts.Text)
		}
		a.openCase(waiting)
		if cs := a.shell.page("case:" + waiting).(*caseScreen); cs.rec != nil || !cs.problem.Visible() {
			t.Error("a coach opened a case not theirs")
		}
	})

	t.Run("Coordinator", func(t *testing.T) {
		a := loggedIn(t, dir, opt, "coordinator")
		if !hasButton(a, "New intake (Ctrl+N)") || !shows(a, "Check-ins due now") {
			t.Error("coordinator's dashboard: New intake and check-ins expected")
		}
		a.openCase(placed)
		cs := a.shell.page("case:" + placed).(*caseScreen)
		if cs.next.Text != "Record check-in" || !hasButton(a, "End follow-up…") || !strings.Contains(cs.nextFacts.Text, "Gateway Aurora") {
			t.Errorf("coordinator on a placed case: %q %q", cs.next.Text, cs.nextFacts.Text)
		}
		a.shell.open("coaches")
		if !hasButton(a, "Add coach") {
			t.Error("a coordinator is not offered to add a coach")
		}
	})
}

func TestCoachEditing(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	workflowProgram(t, dir, opt)
	a := loggedIn(t, dir, opt, "coordinator")
	a.shell.open("coaches")
	test.Tap(button(t, a, "Add coach"))
	f := a.shell.page("coach:").(*coachForm)
	test.Type(f.name.entry, "Luis Ortega")
	test.Type(f.phone.entry, "630555019")
	test.Type(f.langs.entry, "English, Klingon")
	test.Tap(f.save)
	if !f.phone.problem.Visible() || !strings.Contains(f.langs.problem.Text, "klingon") {
		t.Fatalf("problems: phone %q, languages %q", f.phone.problem.Text, f.langs.problem.Text)
	}
	if f.name.entry.Text != "Luis Ortega" {
		t.Error("the typing was lost on an error")
	}
	test.Type(f.phone.entry, "0")
	f.langs.entry.SetText("English, Spanish")
	test.Tap(seg(t, f.gender, "Man"))
	f.save.OnTapped()
	var id string
	for key := range a.shell.pages.byKey {
		if strings.HasPrefix(key, "coach:") && key != "coach:" {
			id = strings.TrimPrefix(key, "coach:")
		}
	}
	nf, ok := a.shell.page("coach:" + id).(*coachForm)
	if id == "" || !ok || !shows(a, "Added. Now give them shifts on call.") {
		t.Fatalf("after adding: pages %v, problem %q", a.shell.pages.byKey, f.problem.Text)
	}
	if a.win.Canvas().Focused() != nf.from.entry {
		t.Error("after adding, the cursor should be in the shift's start")
	}
	test.Type(nf.from.entry, "6pm")
	test.Type(nf.to.entry, "2am")
	nf.to.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !shows(a, "Fri 11/27 18:00 to Sat 11/28 02:00") {
		t.Fatalf("shift not listed: %q", nf.shiftProblem.Text)
	}
	clk.Advance(30 * time.Minute) // 19:30
	on, err := a.sess.OnCall(t.Context(), a.now())
	if err != nil || !on[id] {
		t.Fatalf("Luis is not on call at 19:30: %v", err)
	}

	// Deactivate: off the roster for calls.
	test.Tap(nf.active)
	test.Tap(nf.save)
	cs, err := a.sess.Coaches(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.ID == id && (c.Active || c.Phone != "(630) 555-0190" || c.Gender != "male" || strings.Join(c.Languages, ",") != "en,es") {
			t.Errorf("saved coach %+v", c)
		}
	}
	test.Tap(button(t, a, "Back"))
	if current(a.shell) != "coaches" {
		t.Errorf("Back from the coach went to %q", current(a.shell))
	}
}

func TestParseClock(t *testing.T) {
	for _, c := range []struct {
		in   string
		h, m int
		ok   bool
	}{
		{"19:00", 19, 0, true}, {"7pm", 19, 0, true}, {"7:30 pm", 19, 30, true}, {"12am", 0, 0, true},
		{"0700", 7, 0, true}, {"7", 7, 0, true}, {"24:00", 24, 0, true}, {"25", 0, 0, false}, {"13pm", 0, 0, false}, {"x", 0, 0, false},
	} {
		t.Run(c.in, func(t *testing.T) {
			h, m, ok := parseClock(c.in)
			if ok != c.ok || ok && (h != c.h || m != c.m) {
				t.Errorf("parseClock(%q) = %d:%d %v", c.in, h, m, ok)
			}
		})
	}
}

// TestIntakeTabOrder walks the intake with Tab: the order is the reading
// order, each question one stop.
func TestIntakeTabOrder(t *testing.T) {
	opt, _ := testOptions()
	dir := t.TempDir()
	program(t, dir, opt)
	a := loggedIn(t, dir, opt, "officer")
	ctrlN := &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}
	if !a.runShortcut(ctrlN) {
		t.Fatal("Ctrl+N is not a shortcut")
	}
	in := a.shell.page("intake").(*intakeScreen)
	want := []fyne.Focusable{in.first.entry, in.last.entry, in.alias.entry, in.dob.entry, in.phone.entry, in.zip.entry,
		in.gender, in.language, in.channel, in.ins, in.payer}
	for _, c := range in.substances {
		want = append(want, c)
	}
	want = append(want, in.substOther)
	for _, c := range append(append([]*check{}, in.needs...), in.screen...) {
		want = append(want, c)
	}
	want = append(want, in.consent.edit, in.consent.print, in.consent.signedBy.entry, in.consent.signed)
	c := a.win.Canvas()
	for i, w := range want {
		if c.Focused() != w {
			t.Fatalf("Tab stop %d is %T, want %T", i, c.Focused(), w)
		}
		test.FocusNext(c)
	}
}

func TestIntakeSaysWhatIsWrongAndKeepsTyping(t *testing.T) {
	opt, _ := testOptions()
	dir := t.TempDir()
	sess := program(t, dir, opt)
	if _, err := sess.CreateCase(t.Context(), data.NewCase{Person: data.Person{First: "Daniel", Last: "Reyes", DOB: "1986-03-14"},
		Case: data.Case{Channel: "walk-in", OpenedAt: start.Add(-time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	a := loggedIn(t, dir, opt, "officer")
	a.onNewIntake()
	in := a.shell.page("intake").(*intakeScreen)
	test.Type(in.first.entry, "Daniel")
	test.Type(in.last.entry, "Reyes")
	test.Type(in.dob.entry, "03/14/1986")
	if !shows(a, "Possible duplicate: Daniel R. already has a case") {
		t.Error("no duplicate warning for the same name and date of birth")
	}
	test.Type(in.phone.entry, "555-12")
	test.Type(in.zip.entry, "605")
	test.Tap(in.screen[3]) // medical emergency
	if !strings.Contains(in.advice.Text, "Medical emergency: call 911 / send to the emergency department") || in.save.Text != "Save as not eligible" {
		t.Errorf("medical emergency advice %q, button %q", in.advice.Text, in.save.Text)
	}
	in.phone.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if in.phone.problem.Text != "Use 10 digits, like (630) 555-0142." || in.zip.problem.Text != "Use five digits, like 60540." {
		t.Errorf("problems: phone %q zip %q", in.phone.problem.Text, in.zip.problem.Text)
	}
	if a.win.Canvas().Focused() != in.phone.entry {
		t.Error("the cursor should go to the first field with a problem")
	}
	// Esc leaves and keeps the draft; Ctrl+N brings it back as it was.
	in.phone.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if current(a.shell) != "dashboard" || !hasButton(a, "Continue the intake (Ctrl+N)") {
		t.Fatalf("Esc: section %q", current(a.shell))
	}
	a.lockNow()
	test.Type(a.lock.password, testPassword)
	a.lock.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	a.onNewIntake()
	if a.shell.page("intake") != in || in.phone.entry.Text != "555-12" || in.first.entry.Text != "Daniel" {
		t.Fatal("the draft was not kept across Esc and the idle lock")
	}
	// The duplicate's link opens that case; the draft stays.
	test.Tap(button(t, a, "Open that case"))
	if !strings.HasPrefix(a.shell.pages.current, "case:") || a.shell.page("intake") == nil {
		t.Error("the duplicate link should open the case and keep the draft")
	}
	// Fixed, it saves as not eligible.
	a.onNewIntake()
	in.phone.entry.SetText("6305550101")
	in.zip.entry.SetText("60540")
	test.Tap(in.save)
	cs, ok := a.shell.page(a.shell.pages.current).(*caseScreen)
	if !ok || cs.rec.Case.Eligible != "no" || !cs.rec.Case.MedicalEmergency || cs.nextTitle.Text != "Not eligible: refer elsewhere" {
		t.Fatalf("saved: %+v", cs)
	}
	if !strings.Contains(cs.nextNote.Text, "call 911") {
		t.Errorf("the case should say what to do: %q", cs.nextNote.Text)
	}
	if !shows(a, "No consent on file") {
		t.Error("an intake without a signature should say no consent is on file")
	}
	test.Tap(cs.next)
	if cs.rec.Case.Status != data.StatusClosed || cs.nextTitle.Text != "Closed" {
		t.Errorf("after closing: %s %q", cs.rec.Case.Status, cs.nextTitle.Text)
	}
}

func TestIntakeErrorsMarkup(t *testing.T) {
	opt, _ := testOptions()
	dir := t.TempDir()
	program(t, dir, opt)
	a := loggedIn(t, dir, opt, "officer")
	a.onNewIntake()
	in := a.shell.page("intake").(*intakeScreen)
	test.Type(in.dob.entry, "3/14/86")
	test.Type(in.phone.entry, "555-12")
	test.Tap(in.screen[3])
	test.Tap(in.save)
	if in.first.problem.Text != "Give a first name, or an alias if the person will not give one." {
		t.Errorf("name problem %q", in.first.problem.Text)
	}
	test.AssertRendersToMarkup(t, "intake_errors.xml", a.win.Canvas())
}

func TestDispatchProposesTheNextCoachAfterTheWait(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	admin, tom, ana, _ := workflowProgram(t, dir, opt)
	id, err := admin.CreateCase(t.Context(), data.NewCase{Person: data.Person{First: "Maria", Last: "Santos", Gender: "female", Language: "es"},
		Case: data.Case{Channel: "phone"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := admin.Store().SetSetting(t.Context(), dispatchWaitSetting, "5"); err != nil {
		t.Fatal(err)
	}
	a := loggedIn(t, dir, opt, "officer")
	a.openCase(id)
	test.Tap(button(t, a, "Contact next coach"))
	ds := a.shell.page("dispatch:" + id).(*dispatchScreen)
	if ds.current == nil || ds.current.ID != ana {
		t.Fatalf("a Spanish-speaking woman: Ana first, got %+v", ds.current)
	}
	if !shows(a, "speaks Spanish") {
		t.Error("the screen should say the person speaks Spanish")
	}
	clk.Advance(4 * time.Minute)
	a.idle.touch() // the officer is at the keyboard
	a.tick()
	if ds.proposal.Visible() || ds.accepted.Importance != widget.HighImportance {
		t.Fatal("proposed the next coach before the wait was over")
	}
	clk.Advance(time.Minute)
	a.idle.touch()
	a.tick()
	if !ds.proposal.Visible() || !strings.Contains(ds.proposal.Text, "Ana Park has not answered in 5 minutes. Mark no answer and call Tom Becker.") {
		t.Fatalf("proposal %q", ds.proposal.Text)
	}
	if ds.noAnswer.Importance != widget.HighImportance || ds.accepted.Importance == widget.HighImportance {
		t.Error("after the wait No answer should be the one primary button")
	}
	test.Tap(ds.noAnswer)
	if ds.current == nil || ds.current.ID != tom {
		t.Fatalf("after no answer: %+v", ds.current)
	}
	got, err := admin.Dispatches(t.Context(), id)
	if err != nil || len(got) != 1 || got[0].Response != "no_answer" || !got[0].ContactedAt.Equal(start) {
		t.Errorf("logged %+v (%v)", got, err)
	}
	// Declined moves on; with no one left the screen says so.
	test.Tap(ds.declined)
	if ds.current != nil || !shows(a, "Every active coach has been called for this case.") {
		t.Error("with everyone called, the screen should say so")
	}
}

func TestRemindersCountAndNotifyWhenTheCountGrows(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	admin, _, ana, facility := workflowProgram(t, dir, opt)
	first := placedCase(t, admin, ana, facility)
	clk.Advance(24 * time.Hour)
	a := newTestApp(t, dir, opt)
	test.AssertNotificationSent(t, &fyne.Notification{Title: "Check-in due: case " + data.ShortID(first),
		Content: "Open ConnectPoint, then Check-ins."}, func() {
		test.Type(a.login.username, "coach")
		test.Type(a.login.password, testPassword)
		test.Tap(a.login.submit)
	})
	if a.reminders == nil {
		t.Fatal("no reminders for a coach")
	}
	// Another case placed: the next day both are due, one new.
	second := placedCase(t, admin, ana, facility)
	clk.Advance(24 * time.Hour)
	test.AssertNotificationSent(t, &fyne.Notification{Title: "Check-in due: case " + data.ShortID(second),
		Content: "Open ConnectPoint, then Check-ins."}, func() { a.reminders.run() })
	for _, sec := range a.shell.sections {
		if sec.id == "checkins" && sec.badge != 2 {
			t.Errorf("badge %d, want 2", sec.badge)
		}
	}
	if a.shell.nav.Length() == 0 || !strings.Contains(navTitle(&a.shell.sections[indexOfSection(a.shell, "checkins")]), "(2)") {
		t.Error("the Check-ins item should show 2")
	}
	// An officer gets none.
	b := loggedIn(t, dir, opt, "officer")
	if b.reminders != nil {
		t.Error("an officer has check-in reminders")
	}
	// Logging out stops them.
	a.endSession()
	if a.reminders != nil {
		t.Error("reminders still running after logout")
	}
}

// TestTranslationKeysAreNotI18nWords guards en.json against keys that
// go-i18n reads as its own ("Other", "One", "ID"...): one such key makes
// the whole file a single message, and every plural breaks.
func TestTranslationKeysAreNotI18nWords(t *testing.T) {
	raw, err := os.ReadFile("../assets/translations/en.json")
	if err != nil {
		t.Fatal(err)
	}
	var en map[string]any
	if err := json.Unmarshal(raw, &en); err != nil {
		t.Fatal(err)
	}
	reserved := map[string]bool{"id": true, "description": true, "hash": true, "leftdelim": true, "rightdelim": true,
		"zero": true, "one": true, "two": true, "few": true, "many": true, "other": true, "translation": true}
	for k := range en {
		if reserved[strings.ToLower(k)] {
			t.Errorf("en.json key %q is a go-i18n word: reword it", k)
		}
	}
}

func TestClockSettings(t *testing.T) {
	opt, clk := testOptions()
	dir := t.TempDir()
	sess := program(t, dir, opt)
	someCases(t, sess) // Daniel 19:00, Maria 20:00, Tom 20:50
	clk.Set(start.Add(95 * time.Minute))
	a := loggedIn(t, dir, opt, "admin")
	a.shell.open("settings")
	var st *settingsScreen
	for _, sec := range a.shell.sections {
		if s, ok := sec.screen.(*settingsScreen); ok {
			st = s
		}
	}
	f := st.clocks
	if f.amber.entry.Text != "60" || f.red.entry.Text != "120" || f.wait.entry.Text != "10" {
		t.Fatalf("defaults %q %q %q", f.amber.entry.Text, f.red.entry.Text, f.wait.entry.Text)
	}
	f.red.entry.SetText("20")
	test.Tap(button(t, a, "Save the clocks"))
	if f.red.problem.Text != "Red comes after amber: use 60 or more." {
		t.Errorf("red before amber: %q", f.red.problem.Text)
	}
	f.amber.entry.SetText("30")
	f.red.entry.SetText("90")
	f.wait.entry.SetText("5")
	f.wait.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if f.saved.Text != "Saved." {
		t.Fatalf("not saved: %q", f.saved.Text)
	}
	a.shell.open("dashboard")
	rows := caseRows(a)
	if len(rows) < 2 || rows[0].flag.Text != "late" || rows[1].flag.Text != "30 min+" {
		t.Errorf("with amber 30 and red 90 at 20:35: %q %q", rows[0].flag.Text, rows[1].flag.Text)
	}
	if got := a.minutesSetting(dispatchWaitSetting, 0); got != 5*time.Minute {
		t.Errorf("dispatch wait %v", got)
	}
}
