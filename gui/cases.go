package gui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// casesScreen answers "which cases are there?": every case the user may
// see, oldest open first, each with its clock, filtered as one types.
type casesScreen struct {
	app  *App
	sess *data.Session
	view fyne.CanvasObject

	search  *entry
	count   *widget.Label
	list    *caseList
	empty   *widget.Label
	problem *widget.Label
}

func newCasesScreen(a *App, sess *data.Session) *casesScreen {
	s := &casesScreen{app: a, sess: sess, search: a.newEntry(), count: widget.NewLabel(""),
		empty: sentence(""), problem: problem()}
	s.search.SetPlaceHolder(lang.L("Search by name, case number, channel or status (Ctrl+F)"))
	s.search.OnChanged = s.onSearch
	s.list = newCaseList(a, a.openCase)
	s.view = container.NewBorder(
		container.NewVBox(heading(lang.L("Cases")),
			container.NewBorder(nil, nil, widget.NewIcon(theme.SearchIcon()), s.count, s.search),
			s.problem, newCaseHeader()),
		nil, nil, nil,
		container.NewStack(s.list.list, container.NewPadded(s.empty)))
	return s
}

func (s *casesScreen) content() fyne.CanvasObject { return s.view }

// onShow reloads the cases and keeps the search as it was.
func (s *casesScreen) onShow() {
	index, err := s.sess.CaseIndex(s.app.ctx(), data.CaseFilter{})
	if err != nil {
		say(s.problem, s.app.errorText(err))
		return
	}
	say(s.problem, "")
	s.list.limits = s.app.clockLimits()
	s.list.index = index
	s.onSearch(s.search.Text)
}

func (s *casesScreen) onTick() { s.list.list.Refresh() }

// onSearch narrows the list to the cases that match every word typed.
func (s *casesScreen) onSearch(q string) {
	n := s.list.filter(q)
	total := s.list.total()
	switch {
	case total == 0:
		s.empty.SetText(lang.L("No cases yet. New intakes will appear here."))
	case n == 0:
		s.empty.SetText(lang.L("No case matches this search. Clear the search to see all cases."))
	default:
		s.empty.SetText("")
	}
	s.empty.Hidden = n > 0
	s.empty.Refresh()
	if n == total {
		s.count.SetText(lang.LocalizePlural("{{.Count}} cases", total, map[string]int{"Count": total}))
	} else {
		s.count.SetText(lang.L("{{.Shown}} of {{.Count}}", map[string]int{"Shown": n, "Count": total}))
	}
}

// caseList is a list of cases with their clocks, shared by the Cases
// screen and the dashboard.
type caseList struct {
	app    *App
	index  *data.CaseIndex
	shown  []int
	list   *widget.List
	limits clockLimits
}

// newCaseList makes a list whose rows open their case with onTap.
func newCaseList(a *App, onTap func(id string)) *caseList {
	l := &caseList{app: a, index: data.NewCaseIndex(nil), limits: defaultClockLimits}
	l.list = widget.NewList(
		func() int { return len(l.shown) },
		func() fyne.CanvasObject { return newCaseRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(l.shown) {
				c := l.index.At(l.shown[i])
				o.(*caseRow).set(&c, a.now(), l.limits)
			}
		},
	)
	l.list.OnSelected = func(i widget.ListItemID) {
		l.list.UnselectAll()
		if i >= 0 && i < len(l.shown) {
			onTap(l.index.At(l.shown[i]).ID)
		}
	}
	return l
}

func (l *caseList) setCases(cases []data.CaseSummary) {
	l.index = data.NewCaseIndex(cases)
}

// filter shows the cases matching q and returns how many there are.
func (l *caseList) filter(q string) int {
	l.shown = l.index.Filter(q, l.shown)
	l.list.Refresh()
	return len(l.shown)
}

func (l *caseList) total() int { return l.index.Len() }

// caseRow is one case: the clock first and largest, then who, how they
// came, the status and what the case is waiting for.
type caseRow struct {
	widget.BaseWidget
	clock, flag, name, channel, status, waiting *widget.Label
	id                                          string // the case shown
}

func newCaseRow() *caseRow {
	r := &caseRow{clock: widget.NewLabel("0:00"), flag: widget.NewLabel(""), name: widget.NewLabel(""),
		channel: widget.NewLabel(""), status: widget.NewLabel(""), waiting: widget.NewLabel("")}
	r.clock.SizeName = theme.SizeNameHeadingText
	r.clock.TextStyle = fyne.TextStyle{Bold: true}
	r.clock.Alignment = fyne.TextAlignTrailing
	r.flag.TextStyle.Bold = true
	r.name.TextStyle.Bold = true
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.waiting.Truncation = fyne.TextTruncateEllipsis
	r.ExtendBaseWidget(r)
	return r
}

func (r *caseRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.New(caseColumns(),
		r.clock, r.flag, r.name, r.channel, r.status, r.waiting))
}

// caseColumns are the widths of a case row's columns, the clock's wide
// enough for "00:00" in its large type.
func caseColumns() columns {
	clockW := fyne.MeasureText("00:00", theme.TextHeadingSize(), fyne.TextStyle{Bold: true}).Width + 2*theme.InnerPadding()
	return columns{clockW, 70, 170, 150, 90}
}

// newCaseHeader names the columns of the case rows below it.
func newCaseHeader() fyne.CanvasObject {
	names := []string{lang.L("Open for"), "", lang.L("Person"), lang.L("Came by"), lang.L("Status"), lang.L("Next step")}
	objs := make([]fyne.CanvasObject, len(names))
	for i, n := range names {
		l := widget.NewLabel(n)
		l.TextStyle.Italic = true
		objs[i] = l
	}
	objs[0].(*widget.Label).Alignment = fyne.TextAlignTrailing
	return container.New(caseColumns(), objs...)
}

// set shows case c as it stands at now.
func (r *caseRow) set(c *data.CaseSummary, now time.Time, limits clockLimits) {
	r.id = c.ID
	open := c.Status == data.StatusOpen
	end := now
	switch {
	case !c.PlacedAt.IsZero():
		end = c.PlacedAt
	case !c.ClosedAt.IsZero():
		end = c.ClosedAt
	case !open:
		end = c.OpenedAt // a closed case without its time: no clock to show
	}
	age := end.Sub(c.OpenedAt)
	imp, flag := widget.LowImportance, ""
	if open {
		imp, flag = limits.state(age)
	}
	r.clock.Importance, r.flag.Importance = imp, imp
	r.clock.SetText(data.FormatAge(age))
	r.flag.SetText(flag)
	r.name.SetText(c.Display)
	r.channel.SetText(channelName(c.Channel))
	r.status.SetText(statusName(c.Status))
	if c.WaitingFor != "" {
		r.waiting.SetText(lang.L("waiting for: {{.What}}", map[string]string{"What": waitingText(c)}))
	} else {
		r.waiting.SetText("")
	}
}

// channelName is how a person came to the program, in words.
func channelName(ch string) string {
	switch ch {
	case "walk-in":
		return lang.L("walk-in")
	case "phone":
		return lang.L("phone")
	case "ed":
		return lang.L("emergency dept.")
	case "outreach":
		return lang.L("outreach")
	case "family":
		return lang.L("family")
	}
	return ch
}

func statusName(st string) string {
	switch st {
	case data.StatusOpen:
		return lang.L("open")
	case data.StatusPlaced:
		return lang.L("placed")
	case data.StatusClosed:
		return lang.L("closed")
	}
	return st
}

// waitingText says what an open case waits for, with what is known about
// it: "coach arriving (ETA 14:20)", "a coach (2 tried)".
func waitingText(c *data.CaseSummary) string {
	switch c.WaitingFor {
	case data.WaitCoach:
		if c.Tried > 0 {
			return lang.L("a coach ({{.Count}} tried)", map[string]int{"Count": c.Tried})
		}
		return lang.L("a coach")
	case data.WaitCoachOnWay:
		if !c.CoachETA.IsZero() {
			return lang.L("coach arriving (ETA {{.Time}})", map[string]string{"Time": c.CoachETA.Local().Format("15:04")})
		}
		return lang.L("coach arriving")
	case data.WaitAssessment:
		return lang.L("assessment")
	case data.WaitBed:
		return lang.L("a bed")
	case data.WaitPlacement:
		if !c.HeldUntil.IsZero() {
			return lang.L("placement (bed held until {{.Time}})", map[string]string{"Time": c.HeldUntil.Local().Format("15:04")})
		}
		return lang.L("placement")
	case data.WaitReferral:
		return lang.L("referral elsewhere")
	case data.WaitConsent:
		return lang.L("a new consent (the last one ended)")
	}
	return c.WaitingFor
}
