package gui

import (
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// checkInForm records one follow-up contact: whether the person was
// reached (and after how many attempts), how, where they are now, their
// medication, an overdose since last time, naloxone, housing and work, the
// optional BARC-10, notes, and when the next check-in is due.
type checkInForm struct {
	app  *App
	sess *data.Session
	id   string
	view fyne.CanvasObject
	keys formKeys

	due     *data.DueCheckIn
	next    string // the next scheduled due date, YYYY-MM-DD
	title   *widget.Label
	reached *choice
	reachP  *widget.Label

	attempts  *field
	method    *choice
	situation *choice
	situP     *widget.Label
	meds      *choice
	overdose  *check
	naloxone  *check
	housing   *choice
	work      *choice
	barc      []*choice
	barcTotal *widget.Label
	barcBox   *fyne.Container
	barcBtn   *widget.Button
	notes     *entry
	nextDue   *field

	reachedOnly *fyne.Container // shown when the person was reached
	problem     *widget.Label
	save        *widget.Button
}

// The answers a check-in records, as stored.
var (
	checkInMethods = []string{"phone", "text", "in_person", "video"}
	medications    = []string{"taking", "missed", "stopped", "none"}
	housings       = []string{"stable", "temporary", "treatment", "homeless"}
	works          = []string{"working", "school", "looking", "not_working"}
)

// barcItems are the ten statements of the BARC-10 (Vilsaint et al., 2017),
// each scored from 1 (strongly disagree) to 6 (strongly agree).
func barcItems() []string {
	return []string{
		lang.L("There are more important things to me in life than using substances."),
		lang.L("In general I am happy with my life."),
		lang.L("I have enough energy to complete the tasks I set myself."),
		lang.L("I am proud of the community I live in and feel a part of it."),
		lang.L("I get lots of support from friends."),
		lang.L("I regard my life as challenging and fulfilling without the need for using drugs or alcohol."),
		lang.L("My living space has helped to drive my recovery journey."),
		lang.L("I take full responsibility for my actions."),
		lang.L("I am happy dealing with a range of professional people."),
		lang.L("I am making good progress on my recovery journey."),
	}
}

func newCheckInForm(a *App, sess *data.Session, id string) *checkInForm {
	s := &checkInForm{app: a, sess: sess, id: id, title: widget.NewLabel(""), reachP: problem(), situP: problem(),
		barcTotal: widget.NewLabel(""), problem: problem()}
	s.keys = formKeys{submit: s.onSave, cancel: s.onCancel}
	k := &s.keys
	s.title.TextStyle.Bold = true
	s.reached = a.newChoice([]string{"yes", "no"}, []string{lang.L("Yes, reached"), lang.L("Not reached")}, k)
	s.reached.OnChanged = func(v string) {
		say(s.reachP, "")
		s.reachedOnly.Hidden = v != "yes"
		s.reachedOnly.Refresh()
	}
	s.attempts = newField(lang.L("Attempts"), k.wire(a.newEntry()))
	s.attempts.entry.SetText("1")
	s.method = a.newChoice(checkInMethods, []string{lang.L("Phone"), lang.L("Text"), lang.L("In person"), lang.L("Video")}, k)
	s.method.SetValue("phone")
	s.situation = a.newChoice(data.Situations, situationLabels(), k)
	s.situation.OnChanged = func(string) { say(s.situP, "") }
	s.meds = a.newChoice(medications, []string{lang.L("Taking as prescribed"), lang.L("Missed doses"), lang.L("Stopped"), lang.L("Not on medication")}, k)
	s.overdose = a.newCheck(lang.L("Overdose since the last contact"), k)
	s.naloxone = a.newCheck(lang.L("Has naloxone (Narcan) on hand"), k)
	s.housing = a.newChoice(housings, []string{lang.L("Stable"), lang.L("Temporary"), lang.L("In a treatment residence"), lang.L("Homeless")}, k)
	s.work = a.newChoice(works, []string{lang.L("Working"), lang.L("In school"), lang.L("Looking for work"), lang.L("Not working")}, k)

	scores := []string{"1", "2", "3", "4", "5", "6"}
	rows := []fyne.CanvasObject{sentence(lang.L("Each statement from 1 (strongly disagree) to 6 (strongly agree). Answer all ten, or none."))}
	for i, item := range barcItems() {
		c := a.newChoice(scores, scores, k)
		c.oneRow = true
		c.OnChanged = func(string) { s.showBARC() }
		s.barc = append(s.barc, c)
		rows = append(rows, container.NewBorder(nil, nil, nil, c, sentence(strconv.Itoa(i+1)+". "+item)))
	}
	rows = append(rows, s.barcTotal)
	s.barcBox = container.NewVBox(rows...)
	s.barcBox.Hide()
	s.barcBtn = widget.NewButtonWithIcon(lang.L("Add BARC-10 recovery capital (optional)"), theme.ContentAddIcon(), func() {
		s.barcBox.Show()
		s.barcBtn.Hide()
		a.win.Canvas().Focus(s.barc[0])
	})
	s.notes = a.newEntry()
	s.notes.MultiLine = true
	s.notes.Wrapping = fyne.TextWrapWord
	s.notes.SetMinRowsVisible(3)
	s.notes.SetPlaceHolder(lang.L("Notes (Shift+Enter saves)"))
	s.notes.OnSubmitted = func(string) { s.onSave() }
	s.notes.onEscape = s.onCancel
	s.notes.keys = k
	s.nextDue = newField(lang.L("Next check-in due"), k.wire(a.newEntry()))

	s.reachedOnly = container.NewVBox(
		labelled(lang.L("Where the person is now"), s.situation, s.situP),
		labelled(lang.L("Medication"), s.meds, nil),
		container.NewHBox(s.overdose, s.naloxone),
		container.NewGridWithColumns(2, labelled(lang.L("Housing"), s.housing, nil), labelled(lang.L("Work"), s.work, nil)),
		container.NewHBox(s.barcBtn), s.barcBox,
	)
	s.reachedOnly.Hide()
	form := container.NewVBox(
		labelled(lang.L("Reached?"), s.reached, s.reachP),
		container.NewBorder(nil, nil, column(110, s.attempts.box), nil, labelled(lang.L("How"), s.method, nil)),
		s.reachedOnly,
		labelled(lang.L("Notes"), s.notes, nil),
		container.NewHBox(column(200, s.nextDue.box)),
	)
	s.save = primary(lang.L("Save check-in"), theme.ConfirmIcon(), s.onSave)
	back := widget.NewButtonWithIcon(lang.L("Back"), theme.NavigateBackIcon(), s.onCancel)
	top := container.NewVBox(container.NewHBox(back, heading(lang.L("Check-in")), layout.NewSpacer(), s.title), widget.NewSeparator())
	bottom := container.NewVBox(widget.NewSeparator(), s.problem, container.NewHBox(layout.NewSpacer(), s.save))
	s.keys.scroll = container.NewVScroll(form)
	s.view = container.NewBorder(top, bottom, nil, nil, s.keys.scroll)
	return s
}

func (s *checkInForm) content() fyne.CanvasObject { return s.view }

// setDue is the check-in this contact is for; nil: the one due now or next.
func (s *checkInForm) setDue(d *data.DueCheckIn) {
	s.due = d
	s.findDue()
}

func (s *checkInForm) onShow() {
	s.findDue()
	s.app.win.Canvas().Focus(s.reached)
}

func (s *checkInForm) onTick() {}

func (s *checkInForm) onCancel() { s.app.shell.back() }

// findDue looks up the case's schedule: which check-in this is, and when
// the next one falls due.
func (s *checkInForm) findDue() {
	a := s.app
	now := a.now()
	all, err := s.sess.MyCheckIns(a.ctx(), now, 400*24*time.Hour)
	if err != nil {
		say(s.problem, a.errorText(err))
		return
	}
	var mine []data.DueCheckIn
	for _, d := range all {
		if d.CaseID == s.id {
			mine = append(mine, d)
		}
	}
	if s.due == nil && len(mine) > 0 {
		d := mine[0]
		s.due = &d
	}
	s.next = ""
	for _, d := range mine {
		if s.due != nil && d.Due.After(s.due.Due) {
			// A next check-in whose day has passed (this one was late) is
			// due now: the form proposes today, not a date gone by.
			s.next = max(d.Due.Format(data.DateLayout), now.Format(data.DateLayout))
			break
		}
	}
	if s.due == nil {
		s.title.SetText(lang.L("No check-in is scheduled for this case now; this contact is recorded as extra."))
		return
	}
	s.title.SetText(joinDot(s.due.Display, lang.L("case {{.Short}}", map[string]string{"Short": s.due.Short}),
		dueWords(s.due, now)))
	if s.nextDue.entry.Text == "" && s.next != "" {
		s.nextDue.entry.SetText(dateText(s.next))
	}
}

// showBARC adds up the BARC-10 as it is answered.
func (s *checkInForm) showBARC() {
	sum, n := 0, 0
	for _, c := range s.barc {
		if v, err := strconv.Atoi(c.Value()); err == nil {
			sum += v
			n++
		}
	}
	s.barcTotal.SetText(lang.L("Score so far: {{.Sum}} of 60 ({{.N}} of 10 answered)", map[string]int{"Sum": sum, "N": n}))
}

// barcScores returns the ten scores as data stores them, "" when none was
// given; ok is false when only some were.
func (s *checkInForm) barcScores() (string, bool) {
	var parts []string
	for _, c := range s.barc {
		if c.Value() != "" {
			parts = append(parts, c.Value())
		}
	}
	switch len(parts) {
	case 0:
		return "", true
	case len(s.barc):
		return strings.Join(parts, ","), true
	}
	return "", false
}

func (s *checkInForm) onSave() {
	a := s.app
	now := a.now()
	say(s.problem, "")
	ok := true
	if s.reached.Value() == "" {
		say(s.reachP, lang.L("Say whether the person was reached."))
		ok = false
	}
	reached := s.reached.Value() == "yes"
	attempts, err := strconv.Atoi(strings.TrimSpace(s.attempts.entry.Text))
	if err != nil || attempts < 1 || attempts > 50 {
		s.attempts.setProblem(lang.L("A number from 1 to 50."))
		ok = false
	} else {
		s.attempts.setProblem("")
	}
	if reached && s.situation.Value() == "" {
		say(s.situP, lang.L("Choose where the person is now."))
		ok = false
	}
	barc, bok := s.barcScores()
	if reached && !bok {
		say(s.problem, lang.L("BARC-10: answer all ten statements, or none."))
		ok = false
	}
	next := ""
	if t := strings.TrimSpace(s.nextDue.entry.Text); t != "" {
		if next, err = data.ParseDate(t, now); err != nil {
			s.nextDue.setProblem(lang.L("Use a date like 12/04/2026."))
			ok = false
		} else {
			s.nextDue.setProblem("")
		}
	}
	if !ok {
		if s.problem.Text == "" {
			say(s.problem, lang.L("Some answers need a look: see the notes in red above."))
		}
		return
	}
	ci := data.CheckIn{CaseID: s.id, Reached: reached, Attempts: attempts, Method: s.method.Value(),
		NextDue: next, Notes: strings.TrimSpace(s.notes.Text)}
	if s.due != nil {
		ci.DueOn = s.due.Due.Format(data.DateLayout)
	}
	if reached {
		ci.Situation, ci.Medication, ci.Overdose, ci.Naloxone = s.situation.Value(), s.meds.Value(), s.overdose.Checked, s.naloxone.Checked
		ci.Housing, ci.Work, ci.BARC10 = s.housing.Value(), s.work.Value(), barc
	}
	if _, err := s.sess.RecordCheckIn(a.ctx(), ci); err != nil {
		say(s.problem, a.errorText(err))
		return
	}
	a.shell.closePage("checkin:" + s.id)
	if a.reminders != nil {
		a.background(a.reminders.run)
	}
}
