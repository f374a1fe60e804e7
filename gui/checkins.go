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
// records it.
type checkInsScreen struct {
	app  *App
	sess *data.Session
	view fyne.CanvasObject

	due     []data.DueCheckIn
	count   *widget.Label
	rows    *fyne.Container
	empty   *widget.Label
	problem *widget.Label
}

func newCheckInsScreen(a *App, sess *data.Session) *checkInsScreen {
	s := &checkInsScreen{app: a, sess: sess, count: subheading(""), rows: container.NewVBox(), problem: problem(),
		empty: sentence(lang.L("No check-ins due this week. After a placement, the check-ins of day 1, 3, 7, 14, 30, 60, 90, 180 and 365 appear here."))}
	s.view = container.NewBorder(
		container.NewVBox(heading(lang.L("My check-ins")), s.count, s.problem, widget.NewSeparator()),
		nil, nil, nil,
		container.NewVScroll(container.NewVBox(s.rows, s.empty)))
	return s
}

func (s *checkInsScreen) content() fyne.CanvasObject { return s.view }

func (s *checkInsScreen) onShow() {
	due, err := s.sess.MyCheckIns(s.app.ctx(), s.app.now(), dueSoon)
	if err != nil {
		say(s.problem, s.app.errorText(err))
		return
	}
	say(s.problem, "")
	s.due = due
	s.show()
}

func (s *checkInsScreen) onTick() {}

func (s *checkInsScreen) show() {
	now := s.app.now()
	s.rows.RemoveAll()
	overdue, today := 0, 0
	for i := range s.due {
		d := s.due[i]
		switch d.State {
		case data.CheckInOverdue:
			overdue++
		case data.CheckInDue:
			today++
		}
		s.rows.Add(s.row(&d, now))
	}
	s.empty.Hidden = len(s.due) > 0
	s.empty.Refresh()
	s.count.SetText(lang.L("Overdue: {{.Overdue}} · due now: {{.Due}} · coming this week: {{.Soon}}",
		map[string]int{"Overdue": overdue, "Due": today, "Soon": len(s.due) - overdue - today}))
	s.rows.Refresh()
}

// row is one check-in: due date, how late in words, who, and the button.
func (s *checkInsScreen) row(d *data.DueCheckIn, now time.Time) fyne.CanvasObject {
	date := widget.NewLabel(d.Due.Format("Mon 1/2"))
	date.SizeName = theme.SizeNameHeadingText
	date.TextStyle.Bold = true
	when := widget.NewLabel(dueWords(d, now))
	when.TextStyle.Bold = true
	switch d.State {
	case data.CheckInOverdue:
		date.Importance, when.Importance = widget.DangerImportance, widget.DangerImportance
	case data.CheckInDue:
		date.Importance, when.Importance = widget.WarningImportance, widget.WarningImportance
	default:
		when.TextStyle.Bold = false
	}
	who := widget.NewLabel(joinDot(d.Display, lang.L("case {{.Short}}", map[string]string{"Short": d.Short})))
	who.TextStyle.Bold = true
	due := *d
	record := widget.NewButtonWithIcon(lang.L("Record check-in"), theme.DocumentCreateIcon(), func() { s.app.openCheckIn(due.CaseID, &due) })
	if d.State != data.CheckInUpcoming {
		record.Importance = widget.HighImportance
	}
	open := widget.NewButton(lang.L("Open case"), func() { s.app.openCase(due.CaseID) })
	dateW := fyne.MeasureText("Wed 12/31", theme.TextHeadingSize(), fyne.TextStyle{Bold: true}).Width + 2*theme.InnerPadding()
	// The name is centred on the row's height, level with the date beside it.
	return container.NewBorder(nil, nil, container.New(columns{dateW, 220}, date, when), container.NewHBox(open, record),
		container.NewVBox(layout.NewSpacer(), who, layout.NewSpacer()))
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
