package gui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// dashboardScreen answers "who is waiting?": the open cases, oldest first,
// with their clocks and what each waits for; who is on call now; open
// slots near the station (from the facility directory); and the check-ins
// due now. Its one primary button is a new intake.
type dashboardScreen struct {
	app  *App
	sess *data.Session
	view fyne.CanvasObject

	intake  *widget.Button
	title   *widget.Label
	list    *caseList
	empty   *widget.Label
	problem *widget.Label

	onCall     *fyne.Container
	slots      *fyne.Container // open slots near the station (facility_hooks.go)
	checkIns   *widget.Label
	checkInBox *fyne.Container
}

func newDashboardScreen(a *App, sess *data.Session) *dashboardScreen {
	s := &dashboardScreen{app: a, sess: sess, title: subheading(lang.L("Waiting now")),
		empty:   sentence(lang.L("No one is waiting. New intakes will appear here with their clock.")),
		problem: problem(), onCall: container.NewVBox(), checkIns: widget.NewLabel("")}
	s.list = newCaseList(a, a.openCase)
	s.checkIns.TextStyle.Bold = true

	// New intake sits beside the heading, not under it: the height is the
	// waiting list's, which must show every open case of a normal night.
	title := container.NewHBox(heading(lang.L("Dashboard")))
	if sess.Can(data.ActCaseCreate) {
		s.intake = primary(lang.L("New intake (Ctrl+N)"), theme.ContentAddIcon(), a.onNewIntake)
		title.Add(container.NewCenter(s.intake))
	}
	top := container.NewVBox(title, s.title)
	top.Add(s.problem)
	top.Add(newCaseHeader())

	zip := ""
	if ag, err := sess.Agency(a.ctx()); err == nil {
		zip = ag.ZIP
	}
	s.slots = container.NewVBox()
	slots := container.NewVBox(subheading(lang.L("Open slots near {{.ZIP}}", map[string]string{"ZIP": zip})), s.slots)

	bottom := container.NewVBox(widget.NewSeparator(),
		container.NewGridWithColumns(2,
			container.NewVBox(subheading(lang.L("On call now")), s.onCall),
			slots))
	if sess.Can(data.ActCheckIn) {
		s.checkInBox = container.NewHBox(s.checkIns, layout.NewSpacer(),
			widget.NewButtonWithIcon(lang.L("My check-ins"), theme.CalendarIcon(), func() { a.shell.open("checkins") }))
		bottom.Add(widget.NewSeparator())
		bottom.Add(s.checkInBox)
	}
	s.view = container.NewBorder(top, bottom, nil, nil,
		container.NewStack(s.list.list, container.NewPadded(s.empty)))
	return s
}

func (s *dashboardScreen) content() fyne.CanvasObject { return s.view }

func (s *dashboardScreen) onShow() {
	a, ctx := s.app, s.app.ctx()
	if s.intake != nil {
		if in, ok := a.shell.page("intake").(*intakeScreen); ok && in.dirty() {
			s.intake.SetText(lang.L("Continue the intake (Ctrl+N)"))
		} else {
			s.intake.SetText(lang.L("New intake (Ctrl+N)"))
		}
	}
	cases, err := s.sess.ListCases(ctx, data.CaseFilter{Status: data.StatusOpen})
	if err != nil {
		say(s.problem, a.errorText(err))
		return
	}
	say(s.problem, "")
	s.list.limits = a.clockLimits()
	s.list.setCases(cases)
	n := s.list.filter("")
	s.empty.Hidden = n > 0
	s.empty.Refresh()
	if n == 0 {
		s.title.SetText(lang.L("Waiting now"))
	} else {
		s.title.SetText(lang.LocalizePlural("Waiting now: {{.Count}} open cases", n, map[string]int{"Count": n}))
	}
	s.showOnCall()
	s.showCheckIns()
	// Four, as tall as three coaches on call: the waiting list above keeps
	// room for five open cases in a 720-pixel window. Find a bed has the rest.
	s.slots.Objects = []fyne.CanvasObject{s.app.openSlotsNear(4)}
	s.slots.Refresh()
}

func (s *dashboardScreen) onTick() {
	s.list.list.Refresh()
}

// onCallShown is how many coaches on call the dashboard lists; the rest
// are a count and a button to the roster. The list must not grow with the
// program: on a state-size roster (800 coaches) it made the window 18,000
// pixels tall, and its image alone took 180 MB; and each row it adds takes
// one from the waiting list above it.
const onCallShown = 3

// showOnCall lists the active coaches on call now, phone first to dial.
func (s *dashboardScreen) showOnCall() {
	a, ctx := s.app, s.app.ctx()
	s.onCall.RemoveAll()
	coaches, err := s.sess.Coaches(ctx)
	var on map[string]bool
	if err == nil {
		on, err = s.sess.OnCall(ctx, a.now())
	}
	if err != nil {
		s.onCall.Add(sentence(a.errorText(err)))
		return
	}
	n := 0
	for _, c := range coaches {
		if !c.Active || !on[c.ID] {
			continue
		}
		n++
		if n > onCallShown {
			continue
		}
		name := widget.NewLabel(c.Name)
		name.TextStyle.Bold = true
		name.Truncation = fyne.TextTruncateEllipsis
		var phone fyne.CanvasObject = widget.NewLabel(lang.L("no phone"))
		if c.Phone != "" {
			phone = phoneRow(a, c.Phone)
		}
		s.onCall.Add(container.New(columns{130, 310}, name, phone, widget.NewLabel(strings.Join(c.Languages, " "))))
	}
	all := widget.NewButton(lang.L("Show all coaches"), func() { a.shell.open("coaches") })
	switch {
	case n == 0:
		s.onCall.Add(sentence(lang.L("No coach is on call now.")))
		s.onCall.Add(container.NewHBox(all))
	case n > onCallShown:
		more := widget.NewLabel(lang.LocalizePlural("{{.Count}} more on call", n-onCallShown, map[string]int{"Count": n - onCallShown}))
		s.onCall.Add(container.NewHBox(more, all))
	}
	s.onCall.Refresh()
}

// showCheckIns shows the check-ins due now and overdue, as the reminders
// last counted them (reminders.go).
func (s *dashboardScreen) showCheckIns() {
	if s.checkInBox == nil {
		return
	}
	r := s.app.reminders
	if r == nil || !r.counted {
		s.checkIns.Importance = widget.MediumImportance
		s.checkIns.SetText(lang.L("Check-ins due now: counting…"))
		return
	}
	s.checkIns.Importance = widget.MediumImportance
	if r.late > 0 {
		s.checkIns.Importance = widget.DangerImportance
	}
	s.checkIns.SetText(lang.L("Check-ins due now: {{.Count}} ({{.Late}} overdue)", map[string]int{"Count": r.due, "Late": r.late}))
}

// dashboard returns the dashboard screen if it has been built.
func (s *shell) dashboard() *dashboardScreen {
	for _, sec := range s.sections {
		if d, ok := sec.screen.(*dashboardScreen); ok {
			return d
		}
	}
	return nil
}
