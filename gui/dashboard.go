package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// dashboardScreen answers "who is waiting?": the open cases, oldest first,
// with their clocks. The rest of the dashboard (who is on call, beds near
// the station, check-ins due) comes with the station workflow.
type dashboardScreen struct {
	app  *App
	sess *data.Session
	view fyne.CanvasObject

	title   *widget.Label
	list    *caseList
	empty   *widget.Label
	notice  *widget.Label
	problem *widget.Label
}

func newDashboardScreen(a *App, sess *data.Session) *dashboardScreen {
	s := &dashboardScreen{app: a, sess: sess, title: subheading(lang.L("Waiting now")),
		empty:  sentence(lang.L("No one is waiting. New intakes will appear here with their clock.")),
		notice: sentence(""), problem: problem()}
	s.list = newCaseList(a, s.onOpen)
	s.notice.Hide()
	later := sentence(lang.L("The rest of the dashboard (who is on call, open beds nearby and check-ins due) arrives with the station workflow."))
	later.TextStyle.Italic = true
	s.view = container.NewBorder(
		container.NewVBox(heading(lang.L("Dashboard")), s.title, s.notice, s.problem, newCaseHeader()),
		container.NewVBox(widget.NewSeparator(), later), nil, nil,
		container.NewStack(s.list.list, container.NewPadded(s.empty)))
	return s
}

func (s *dashboardScreen) content() fyne.CanvasObject { return s.view }

func (s *dashboardScreen) onShow() {
	cases, err := s.sess.ListCases(s.app.ctx(), data.CaseFilter{Status: data.StatusOpen})
	if err != nil {
		say(s.problem, s.app.errorText(err))
		return
	}
	say(s.problem, "")
	s.list.setCases(cases)
	n := s.list.filter("")
	s.empty.Hidden = n > 0
	s.empty.Refresh()
	if n == 0 {
		s.title.SetText(lang.L("Waiting now"))
	} else {
		s.title.SetText(lang.LocalizePlural("Waiting now: {{.Count}} open cases", n, map[string]int{"Count": n}))
	}
}

func (s *dashboardScreen) onTick() { s.list.list.Refresh() }

func (s *dashboardScreen) onOpen() {
	say(s.notice, lang.L("Opening a case is not built yet: for now this list shows each case's clock and what it is waiting for."))
}
