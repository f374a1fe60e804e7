package gui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"connectpoint/data"
)

// coachesScreen answers "who can come?": the roster, who is on call at
// this moment first. A coordinator adds coaches, and opens one (a tap) to
// change them, deactivate them or give them shifts.
type coachesScreen struct {
	app  *App
	sess *data.Session
	view fyne.CanvasObject

	coaches []data.Coach
	onCall  map[string]bool
	count   *widget.Label
	list    *widget.List
	empty   *widget.Label
	problem *widget.Label
}

func newCoachesScreen(a *App, sess *data.Session) *coachesScreen {
	s := &coachesScreen{app: a, sess: sess, problem: problem(), count: subheading(""),
		empty: sentence(lang.L("No coaches on the roster yet. A coordinator adds them here."))}
	edit := sess.Can(data.ActRosterEdit)
	if edit {
		s.empty.SetText(lang.L("No coaches on the roster yet. Add the first with “Add coach”."))
	}
	s.list = widget.NewList(
		func() int { return len(s.coaches) },
		func() fyne.CanvasObject { return newCoachRow(s.onCopy) },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(s.coaches) {
				c := &s.coaches[i]
				o.(*coachRow).set(c, s.onCall[c.ID])
			}
		},
	)
	s.list.OnSelected = func(i widget.ListItemID) {
		s.list.UnselectAll()
		if edit && i >= 0 && i < len(s.coaches) {
			id := s.coaches[i].ID
			a.shell.showPage("coach:"+id, func() screen { return newCoachForm(a, sess, id) })
		}
	}
	top := container.NewVBox(heading(lang.L("Coaches")))
	foot := sentence(lang.L("A coordinator changes the roster and the shifts."))
	if edit {
		top.Add(container.NewHBox(primary(lang.L("Add coach"), theme.ContentAddIcon(), func() {
			a.shell.showPage("coach:", func() screen { return newCoachForm(a, sess, "") })
		})))
		foot.SetText(lang.L("Tap a coach to change their details, deactivate them or give them shifts."))
	}
	foot.TextStyle.Italic = true
	top.Add(s.count)
	top.Add(newCoachHeader())
	s.view = container.NewBorder(top,
		container.NewVBox(s.problem, widget.NewSeparator(), foot), nil, nil,
		container.NewStack(s.list, container.NewPadded(s.empty)))
	return s
}

func (s *coachesScreen) content() fyne.CanvasObject { return s.view }

func (s *coachesScreen) onShow() {
	ctx := s.app.ctx()
	coaches, err := s.sess.Coaches(ctx)
	if err == nil {
		s.onCall, err = s.sess.OnCall(ctx, s.app.now())
	}
	if err != nil {
		say(s.problem, s.app.errorText(err))
		return
	}
	say(s.problem, "")
	// Who can come now first; then by name, as data sorts them.
	slices.SortStableFunc(coaches, func(x, y data.Coach) int {
		return boolRank(s.onCall[y.ID] && y.Active) - boolRank(s.onCall[x.ID] && x.Active)
	})
	s.coaches = coaches
	n := 0
	for _, c := range coaches {
		if c.Active && s.onCall[c.ID] {
			n++
		}
	}
	s.count.SetText(lang.L("On call now: {{.OnCall}} of {{.Count}}", map[string]int{"OnCall": n, "Count": len(coaches)}))
	s.count.Hidden = len(coaches) == 0
	s.empty.Hidden = len(coaches) > 0
	s.empty.Refresh()
	s.list.Refresh()
}

// onTick leaves the roster as it is: who is on call changes by the hour,
// and the roster is read again each time the section opens.
func (s *coachesScreen) onTick() {}

func (s *coachesScreen) onCopy(phone string) {
	s.app.fa.Clipboard().SetContent(phone)
}

// coachRow is one coach: name, phone (large, with a copy button),
// languages, and whether they are on call now.
type coachRow struct {
	widget.BaseWidget
	name, phone, langs, details, state *widget.Label
	copyBtn                            *widget.Button
	number                             string
}

func newCoachRow(onCopy func(string)) *coachRow {
	r := &coachRow{name: widget.NewLabel(""), phone: widget.NewLabel(""), langs: widget.NewLabel(""),
		details: widget.NewLabel(""), state: widget.NewLabel("")}
	r.details.Truncation = fyne.TextTruncateEllipsis
	r.langs.Truncation = fyne.TextTruncateEllipsis
	r.copyBtn = widget.NewButtonWithIcon("", theme.ContentCopyIcon(), func() { onCopy(r.number) })
	r.name.TextStyle.Bold = true
	r.name.Truncation = fyne.TextTruncateEllipsis
	r.phone.SizeName = theme.SizeNameSubHeadingText
	r.phone.TextStyle.Monospace = true
	r.state.TextStyle.Bold = true
	r.ExtendBaseWidget(r)
	return r
}

func (r *coachRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.New(coachColumns,
		r.name, r.phone, r.copyBtn, r.state, r.langs, r.details))
}

// coachColumns are the widths of a coach row's columns.
var coachColumns = columns{200, 190, 40, 120, 150}

// newCoachHeader names the columns of the coach rows below it.
func newCoachHeader() fyne.CanvasObject {
	names := []string{lang.L("Coach"), lang.L("Phone"), "", "", lang.L("Languages"), lang.L("Gender, experience, certification")}
	objs := make([]fyne.CanvasObject, len(names))
	for i, n := range names {
		l := widget.NewLabel(n)
		l.TextStyle.Italic = true
		objs[i] = l
	}
	return container.New(coachColumns, objs...)
}

func (r *coachRow) set(c *data.Coach, onCall bool) {
	r.name.SetText(c.Name)
	r.number = c.Phone
	r.phone.SetText(c.Phone)
	if c.Phone == "" {
		r.phone.SetText(lang.L("no phone"))
		r.copyBtn.Hide()
	} else {
		r.copyBtn.Show()
	}
	names := make([]string, len(c.Languages))
	for i, code := range c.Languages {
		names[i] = languageName(code)
	}
	r.langs.SetText(strings.Join(names, ", "))
	exp := ""
	if c.LivedExperience {
		exp = lang.L("lived experience")
	}
	r.details.SetText(joinDot(genderName(c.Gender), exp, c.Certification))
	switch {
	case !c.Active:
		r.state.Importance = widget.LowImportance
		r.state.SetText(lang.L("inactive"))
	case onCall:
		r.state.Importance = widget.SuccessImportance
		r.state.SetText(lang.L("on call now"))
	default:
		r.state.Importance = widget.MediumImportance
		r.state.SetText(lang.L("not on call"))
	}
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// languageName names a language code ("es") in the language of the
// window ("Spanish"), or gives the code back when it does not know it.
func languageName(code string) string {
	tag, err := language.Parse(code)
	if err != nil {
		return code
	}
	dict := display.English
	if lang.SystemLocale().LanguageString() == "es" {
		dict = display.Spanish
	}
	if name := dict.Languages().Name(tag); name != "" {
		return name
	}
	return code
}
