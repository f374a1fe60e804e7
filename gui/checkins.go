package gui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// checkInsScreen answers "whom do I call today?": the check-ins of the
// user's placed cases that are overdue, due, or due within the week, the
// due date first and in words ("3 days late"), each with the button that
// records it. The rows are a list that makes only those on screen: a
// coordinator of a large program has thousands.
type checkInsScreen struct {
	app  *App
	sess *data.Session
	view fyne.CanvasObject

	due     []data.DueCheckIn
	now     time.Time // when due was read: the rows' words are as of then
	count   *widget.Label
	list    *widget.List
	empty   *widget.Label
	problem *widget.Label
}

func newCheckInsScreen(a *App, sess *data.Session) *checkInsScreen {
	s := &checkInsScreen{app: a, sess: sess, count: subheading(""), problem: problem(),
		empty: sentence(lang.L("No check-ins due this week. After a placement, the check-ins of day 1, 3, 7, 14, 30, 60, 90, 180 and 365 appear here."))}
	s.list = widget.NewList(
		func() int { return len(s.due) },
		func() fyne.CanvasObject { return newCheckInRow(s) },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(s.due) {
				o.(*checkInRow).set(&s.due[i], s.now)
			}
		})
	s.list.OnSelected = func(widget.ListItemID) { s.list.UnselectAll() } // the buttons act, not the row
	s.view = container.NewBorder(
		container.NewVBox(heading(lang.L("My check-ins")), s.count, s.problem, widget.NewSeparator(), s.empty),
		nil, nil, nil, s.list)
	return s
}

func (s *checkInsScreen) content() fyne.CanvasObject { return s.view }

func (s *checkInsScreen) onShow() {
	now := s.app.now()
	due, err := s.sess.MyCheckIns(s.app.ctx(), now, dueSoon)
	if err != nil {
		say(s.problem, s.app.errorText(err))
		return
	}
	say(s.problem, "")
	s.due, s.now = due, now
	s.show()
}

func (s *checkInsScreen) onTick() {}

func (s *checkInsScreen) show() {
	overdue, today := 0, 0
	for i := range s.due {
		switch s.due[i].State {
		case data.CheckInOverdue:
			overdue++
		case data.CheckInDue:
			today++
		}
	}
	s.empty.Hidden = len(s.due) > 0
	s.empty.Refresh()
	s.count.SetText(lang.L("Overdue: {{.Overdue}} · due now: {{.Due}} · coming this week: {{.Soon}}",
		map[string]int{"Overdue": overdue, "Due": today, "Soon": len(s.due) - overdue - today}))
	s.list.Refresh()
}

// checkInRow is one check-in: due date, how late in words, who, and the
// buttons.
type checkInRow struct {
	widget.BaseWidget
	date, when, who *widget.Label
	open, record    *widget.Button
	due             data.DueCheckIn // the check-in shown
}

func newCheckInRow(s *checkInsScreen) *checkInRow {
	r := &checkInRow{date: widget.NewLabel(""), when: widget.NewLabel(""), who: widget.NewLabel("")}
	r.date.SizeName = theme.SizeNameHeadingText
	r.date.TextStyle.Bold = true
	r.who.TextStyle.Bold = true
	r.who.Truncation = fyne.TextTruncateEllipsis
	r.record = widget.NewButtonWithIcon(lang.L("Record check-in"), theme.DocumentCreateIcon(), func() {
		due := r.due
		s.app.openCheckIn(due.CaseID, &due)
	})
	r.open = widget.NewButton(lang.L("Open case"), func() { s.app.openCase(r.due.CaseID) })
	r.ExtendBaseWidget(r)
	return r
}

func (r *checkInRow) CreateRenderer() fyne.WidgetRenderer {
	dateW := fyne.MeasureText("Wed 12/31", theme.TextHeadingSize(), fyne.TextStyle{Bold: true}).Width + 2*theme.InnerPadding()
	// The name is centred on the row's height, level with the date beside it.
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, container.New(columns{dateW, 220}, r.date, r.when),
		container.NewHBox(r.open, r.record), container.NewVBox(layout.NewSpacer(), r.who, layout.NewSpacer())))
}

// set shows d as of now.
func (r *checkInRow) set(d *data.DueCheckIn, now time.Time) {
	r.due = *d
	r.date.SetText(d.Due.Format("Mon 1/2"))
	r.when.SetText(dueWords(d, now))
	r.when.TextStyle.Bold = d.State != data.CheckInUpcoming
	switch d.State {
	case data.CheckInOverdue:
		r.date.Importance, r.when.Importance = widget.DangerImportance, widget.DangerImportance
	case data.CheckInDue:
		r.date.Importance, r.when.Importance = widget.WarningImportance, widget.WarningImportance
	default:
		r.date.Importance, r.when.Importance = widget.MediumImportance, widget.MediumImportance
	}
	r.who.SetText(joinDot(d.Display, lang.L("case {{.Short}}", map[string]string{"Short": d.Short})))
	r.record.Importance = widget.MediumImportance
	if d.State != data.CheckInUpcoming {
		r.record.Importance = widget.HighImportance
	}
	r.date.Refresh()
	r.when.Refresh()
	r.record.Refresh()
}

// dueWords is a check-in's day and how late it is: "day 7 · 3 days late".
func dueWords(d *data.DueCheckIn, now time.Time) string {
	y, m, dd := now.UTC().Date()
	days := int(time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Sub(d.Due) / (24 * time.Hour))
	var when string
	switch {
	case days == 0:
		when = lang.L("due today")
	case days > 0:
		when = lang.LocalizePlural("{{.Count}} days late", days, map[string]int{"Count": days})
	case days == -1:
		when = lang.L("due tomorrow")
	default:
		when = lang.LocalizePlural("due in {{.Count}} days", -days, map[string]int{"Count": -days})
	}
	return joinDot(lang.L("day {{.Day}}", map[string]int{"Day": d.Day}), when)
}
