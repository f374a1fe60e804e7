package gui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// conflictsScreen answers "which value is right?": the fields that two
// devices changed before they synced, each value with who wrote it and
// when, and a "Keep this" for each. Keeping is an operation like any other
// edit, so it reaches every device at the next sync. For coordinators and
// administrators; data refuses anyone else.
type conflictsScreen struct {
	app  *App
	sess *data.Session
	view fyne.CanvasObject

	list    *fyne.Container // one card per conflict
	count   *widget.Label
	empty   *widget.Label
	notice  *widget.Label
	problem *widget.Label

	conflicts []data.Conflict
	keep      []*widget.Button // the Keep buttons, in the order shown (tests)
	coaches   map[string]string
}

func newConflictsScreen(a *App, sess *data.Session) *conflictsScreen {
	s := &conflictsScreen{app: a, sess: sess, list: container.NewVBox(), count: subheading(""),
		empty:  sentence(lang.L("No conflicts — every device agrees.")),
		notice: notice(), problem: problem()}
	top := container.NewVBox(
		heading(lang.L("Conflicts")),
		sentence(lang.L("Two devices changed the same thing before they synced. Both values are kept, and the newest is shown meanwhile. Keep the right one: your choice goes to every device at the next sync.")),
		s.notice, s.problem, s.count)
	s.view = container.NewBorder(top, nil, nil, nil,
		container.NewVScroll(container.NewVBox(s.empty, s.list)))
	return s
}

func (s *conflictsScreen) content() fyne.CanvasObject { return s.view }

func (s *conflictsScreen) onTick() {}

// onShow reads the conflicts again.
func (s *conflictsScreen) onShow() {
	ctx := s.app.ctx()
	cs, err := s.sess.Conflicts(ctx)
	if err != nil {
		say(s.problem, s.app.errorText(err))
		return
	}
	say(s.problem, "")
	s.coaches = map[string]string{}
	if coaches, err := s.sess.Coaches(ctx); err == nil {
		for _, c := range coaches {
			s.coaches[c.ID] = c.Name
		}
	}
	s.conflicts = cs
	s.keep = nil
	s.list.RemoveAll()
	for i := range cs {
		s.list.Add(s.card(&cs[i]))
	}
	s.empty.Hidden = len(cs) > 0
	s.count.Hidden = len(cs) == 0
	s.count.SetText(lang.LocalizePlural("{{.Count}} fields to choose", len(cs), map[string]int{"Count": len(cs)}))
	if s.app.shell != nil {
		s.app.shell.setConflicts(len(cs))
	}
	s.view.Refresh()
}

// card is one conflict: what it is about, then each value on its row.
func (s *conflictsScreen) card(c *data.Conflict) fyne.CanvasObject {
	title := widget.NewLabel(joinDot(conflictSubject(c), fieldLabel(c.Entity, c.Field)))
	title.TextStyle.Bold = true
	title.Wrapping = fyne.TextWrapWord
	head := fyne.CanvasObject(title)
	if c.CaseID != "" && s.sess.Can(data.ActCaseView) {
		id := c.CaseID
		open := widget.NewButton(lang.L("Open the case"), func() { s.app.openCase(id) })
		open.Importance = widget.LowImportance
		head = container.NewBorder(nil, nil, nil, open, title)
	}
	rows := container.NewVBox(head)
	shown := shownValue(c)
	now := s.app.now()
	for i := range c.Values {
		v := c.Values[i]
		value := widget.NewLabel(s.valueText(c, v.Value))
		value.TextStyle.Bold = true
		value.SizeName = theme.SizeNameSubHeadingText
		who := v.Who
		if who == "" {
			who = lang.L("a user this computer does not know")
		}
		where := lang.L("on another device")
		if v.Op.Device == s.app.store.Device() {
			where = lang.L("on this computer")
		}
		facts := joinDot(who, where, timeText(v.HLC.Time(), now))
		if i == shown {
			facts = joinDot(facts, lang.L("shown until you choose"))
		}
		keep := widget.NewButtonWithIcon(lang.L("Keep this"), theme.ConfirmIcon(), func() { s.onKeep(c, v) })
		s.keep = append(s.keep, keep)
		rows.Add(container.New(columns{260, 0, 0}, value, keep, widget.NewLabel(facts)))
	}
	rows.Add(widget.NewSeparator())
	return rows
}

// onKeep keeps v as the value of c's field, on every device.
func (s *conflictsScreen) onKeep(c *data.Conflict, v data.ConflictValue) {
	a := s.app
	if err := s.sess.KeepValue(a.ctx(), c.Entity, c.Row, c.Field, v.Op); err != nil {
		say(s.problem, a.errorText(err))
		return
	}
	say(s.notice, lang.L("Kept “{{.Value}}” as {{.Field}} of {{.Subject}}; the other devices get it at their next sync.",
		map[string]string{"Value": s.valueText(c, v.Value), "Field": fieldLabel(c.Entity, c.Field), "Subject": conflictSubject(c)}))
	if a.sync != nil {
		a.sync.RunNow()
	}
	s.onShow()
}

// shownValue is the index of the value the screens show while the field
// is in conflict: the newest (first), unless the field has a value that
// wins (a revoked consent).
func shownValue(c *data.Conflict) int {
	if e, ok := data.Entity(c.Entity); ok {
		if f, ok := e.Field(c.Field); ok && f.Wins != "" {
			for i, v := range c.Values {
				if v.Value == f.Wins {
					return i
				}
			}
		}
	}
	return 0
}

// conflictSubject says what record a conflict is in: "Case 2381F0 ·
// Daniel R.", "Facility Gateway Aurora", "Coach Tom Brennan".
func conflictSubject(c *data.Conflict) string {
	name := c.Subject
	if name == "" {
		name = lang.L("(no name)")
	}
	switch {
	case c.CaseID != "":
		return joinDot(lang.L("Case {{.Short}}", map[string]string{"Short": data.ShortID(c.CaseID)}), c.Subject)
	case c.Entity == data.EntFacility:
		return lang.L("Facility {{.Name}}", map[string]string{"Name": name})
	case c.Entity == data.EntCoach:
		return lang.L("Coach {{.Name}}", map[string]string{"Name": name})
	case c.Entity == data.EntShift:
		return lang.L("A shift of {{.Name}}", map[string]string{"Name": name})
	case c.Entity == data.EntUser:
		return lang.L("User {{.Name}}", map[string]string{"Name": name})
	case c.Entity == data.EntAgency:
		return lang.L("Agency {{.Name}}", map[string]string{"Name": name})
	}
	return name
}

// valueText is one competing value as a person reads it.
func (s *conflictsScreen) valueText(c *data.Conflict, v string) string {
	switch v {
	case "":
		return lang.L("(empty)")
	case "(secret)":
		return lang.L("(hidden)")
	case "(cannot be opened)":
		return lang.L("(cannot be opened on this computer)")
	}
	switch c.Field {
	case "insurance":
		return insuranceName(v, "")
	case "status":
		if c.Entity == data.EntCase {
			return statusName(v)
		}
	case "level":
		return levelLabel(v)
	case "moud":
		return moudName(v)
	case "gender":
		return genderName(v)
	case "channel":
		return channelName(v)
	case "language":
		return languageName(v)
	case "dob":
		return dateText(v)
	case "coach":
		if name := s.coaches[v]; name != "" {
			return name
		}
	case "facility":
		if f, err := s.sess.FacilityByID(s.app.ctx(), v); err == nil {
			return f.Name
		}
	}
	switch v {
	case "true":
		return lang.L("yes")
	case "false":
		return lang.L("no")
	}
	if t, err := data.ParseTime(v); err == nil && strings.HasSuffix(c.Field, "_at") {
		return timeText(t, s.app.now())
	}
	return v
}

// fieldLabel names a field the way the forms do.
func fieldLabel(entity, field string) string {
	switch field {
	case "first":
		return lang.L("first name")
	case "last":
		return lang.L("last name")
	case "alias":
		return lang.L("alias")
	case "dob":
		return lang.L("date of birth")
	case "phone":
		return lang.L("phone")
	case "address":
		return lang.L("address")
	case "zip":
		return lang.L("ZIP code")
	case "gender":
		return lang.L("gender")
	case "language":
		return lang.L("language")
	case "insurance":
		return lang.L("insurance")
	case "payer":
		return lang.L("insurance payer")
	case "status":
		if entity == data.EntConsent {
			return lang.L("consent")
		}
		return lang.L("status")
	case "coach":
		return lang.L("coach")
	case "level":
		return lang.L("level of care")
	case "moud":
		return lang.L("medication")
	case "needs":
		return lang.L("needs")
	case "facility":
		return lang.L("placed at")
	case "transport":
		return lang.L("transport")
	case "name":
		return lang.L("name")
	case "city":
		return lang.L("city")
	case "street":
		return lang.L("street")
	case "intake_phone":
		return lang.L("intake phone")
	case "active":
		return lang.L("active")
	case "role":
		return lang.L("role")
	case data.FieldTombstone:
		return lang.L("deleted")
	}
	return strings.ReplaceAll(field, "_", " ")
}
