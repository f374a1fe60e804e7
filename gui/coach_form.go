package gui

import (
	"slices"
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

// coachForm adds a coach to the roster or changes one: name, phone,
// languages, gender, lived experience, certification, the login that
// shows them their cases, and whether they are active; and their shifts
// on call. Coordinators and administrators only.
type coachForm struct {
	app  *App
	sess *data.Session
	id   string // "" for a new coach
	view fyne.CanvasObject
	keys formKeys

	name, phone, langs, cert *field
	gender                   *choice
	lived, active            *check
	login                    *choice
	title, problem, saved    *widget.Label
	save                     *widget.Button

	shifts                 *fyne.Container
	shiftDay, from, to     *field
	shiftProblem           *widget.Label
	addShift               *widget.Button
	shiftBox               *fyne.Container
	logins                 []data.User
	loginValues, loginText []string
}

func newCoachForm(a *App, sess *data.Session, id string) *coachForm {
	s := &coachForm{app: a, sess: sess, id: id, problem: problem(), saved: widget.NewLabel(""),
		shifts: container.NewVBox(), shiftProblem: problem()}
	s.keys = formKeys{submit: s.onSave, cancel: s.onCancel}
	k := &s.keys
	s.name = newField(lang.L("Name"), k.wire(a.newEntry()))
	s.phone = newField(lang.L("Phone"), k.wire(a.newEntry()))
	s.phone.entry.SetPlaceHolder(lang.L("like (630) 555-0142"))
	s.langs = newField(lang.L("Languages"), k.wire(a.newEntry()))
	s.langs.entry.SetPlaceHolder(lang.L("like English, Spanish"))
	s.cert = newField(lang.L("Certification"), k.wire(a.newEntry()))
	s.cert.entry.SetPlaceHolder(lang.L("like CRSS, CPRS"))
	s.gender = a.newChoice(data.Genders, genderLabels(), k)
	s.lived = a.newCheck(lang.L("Lived experience of recovery"), k)
	s.active = a.newCheck(lang.L("Active: on the roster for calls"), k)
	s.active.SetChecked(true)
	s.saved.Importance = widget.SuccessImportance
	s.saved.Hide()

	s.loginValues, s.loginText = []string{""}, []string{lang.L("No login")}
	if logins, err := sess.CoachLogins(a.ctx()); err == nil {
		s.logins = logins
		for _, u := range logins {
			s.loginValues = append(s.loginValues, u.ID)
			s.loginText = append(s.loginText, joinDot(displayName(&u), u.Username))
		}
	} else {
		a.log.Error("list coach logins", "err", err)
	}
	s.login = a.newChoice(s.loginValues, s.loginText, k)
	s.login.SetValue("")

	s.title = heading(lang.L("New coach"))
	saveText := lang.L("Add to the roster")
	if id != "" {
		saveText = lang.L("Save")
	}
	s.save = primary(saveText, theme.ConfirmIcon(), s.onSave)
	back := widget.NewButtonWithIcon(lang.L("Back"), theme.NavigateBackIcon(), s.onCancel)

	// Shifts: a day and the hours, typed as people say them.
	sk := &formKeys{submit: s.onAddShift, cancel: s.onCancel}
	s.shiftDay = newField(lang.L("Day"), sk.wire(a.newEntry()))
	s.from = newField(lang.L("From"), sk.wire(a.newEntry()))
	s.from.entry.SetPlaceHolder("19:00")
	s.to = newField(lang.L("To"), sk.wire(a.newEntry()))
	s.to.entry.SetPlaceHolder("7:00")
	s.addShift = widget.NewButtonWithIcon(lang.L("Add shift"), theme.ContentAddIcon(), s.onAddShift)
	s.shiftBox = container.NewVBox(
		widget.NewSeparator(),
		subheading(lang.L("On call")),
		s.shifts,
		container.NewHBox(column(150, s.shiftDay.box), column(100, s.from.box), column(100, s.to.box),
			container.NewVBox(widget.NewLabel(""), s.addShift)),
		s.shiftProblem,
	)
	if id == "" {
		s.shiftBox.Hide()
	}

	form := container.NewVBox(
		container.NewGridWithColumns(2, s.name.box, s.phone.box),
		labelled(lang.L("Gender"), s.gender, nil),
		container.NewGridWithColumns(2, s.langs.box, s.cert.box),
		s.lived,
		labelled(lang.L("Login that shows them their cases"), s.login, nil),
		s.active,
		s.problem,
		container.NewHBox(layout.NewSpacer(), s.saved, s.save),
		s.shiftBox,
	)
	s.keys.scroll = container.NewVScroll(form)
	top := container.NewVBox(container.NewHBox(back, s.title), widget.NewSeparator())
	s.view = container.NewBorder(top, nil, nil, nil, s.keys.scroll)
	if id != "" {
		s.load()
	}
	return s
}

func (s *coachForm) content() fyne.CanvasObject { return s.view }

func (s *coachForm) onShow() {
	if s.shiftDay.entry.Text == "" {
		s.shiftDay.entry.SetText(s.app.now().Local().Format("01/02/2006"))
	}
	s.showShifts()
	s.app.win.Canvas().Focus(s.name.entry)
}

func (s *coachForm) onTick() {}

func (s *coachForm) onCancel() { s.app.shell.back() }

// coach returns the coach being edited as the roster has it.
func (s *coachForm) coach() *data.Coach {
	cs, err := s.sess.Coaches(s.app.ctx())
	if err != nil {
		say(s.problem, s.app.errorText(err))
		return nil
	}
	for i := range cs {
		if cs[i].ID == s.id {
			return &cs[i]
		}
	}
	return nil
}

// load fills the form with the coach's details.
func (s *coachForm) load() {
	c := s.coach()
	if c == nil {
		return
	}
	s.name.entry.SetText(c.Name)
	s.title.SetText(lang.L("Coach: {{.Name}}", map[string]string{"Name": c.Name}))
	s.phone.entry.SetText(c.Phone)
	names := make([]string, len(c.Languages))
	for i, l := range c.Languages {
		names[i] = languageName(l)
	}
	s.langs.entry.SetText(strings.Join(names, ", "))
	s.cert.entry.SetText(c.Certification)
	s.gender.SetValue(c.Gender)
	s.lived.SetChecked(c.LivedExperience)
	s.active.SetChecked(c.Active)
	if !slices.Contains(s.loginValues, c.UserID) {
		c.UserID = ""
	}
	s.login.SetValue(c.UserID)
}

// languageCodes reads "English, Spanish" or "en, es" as language codes.
func languageCodes(text string) ([]string, string) {
	byName := map[string]string{}
	for _, code := range []string{"en", "es", "pl", "ar", "hi", "ur", "zh", "ko", "tl", "vi", "ru", "uk", "fr", "de", "it", "pt", "el", "gu", "ja", "ht", "so", "sw", "fa"} {
		byName[strings.ToLower(languageName(code))] = code
		byName[code] = code
	}
	var out []string
	for _, w := range strings.Split(text, ",") {
		w = strings.ToLower(strings.TrimSpace(w))
		if w == "" {
			continue
		}
		code, ok := byName[w]
		if !ok {
			return nil, w
		}
		if !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	return out, ""
}

func (s *coachForm) onSave() {
	a := s.app
	say(s.problem, "")
	s.saved.Hide()
	ok := true
	name := strings.TrimSpace(s.name.entry.Text)
	if name == "" {
		s.name.setProblem(lang.L("Type the coach's name."))
		ok = false
	} else {
		s.name.setProblem("")
	}
	phone := strings.TrimSpace(s.phone.entry.Text)
	if phone != "" {
		p, err := data.NormalizePhone(phone)
		if err != nil {
			s.phone.setProblem(lang.L("Use 10 digits, like (630) 555-0142."))
			ok = false
		} else {
			phone = p
			s.phone.setProblem("")
		}
	}
	langs, bad := languageCodes(s.langs.entry.Text)
	if bad != "" {
		s.langs.setProblem(lang.L("“{{.Word}}” is not a language this knows: use names like Spanish, or codes like es.", map[string]string{"Word": bad}))
		ok = false
	} else {
		s.langs.setProblem("")
	}
	if !ok {
		return
	}
	c := data.Coach{ID: s.id, Name: name, Phone: phone, Gender: s.gender.Value(), LivedExperience: s.lived.Checked,
		Certification: strings.TrimSpace(s.cert.entry.Text), Active: s.active.Checked, UserID: s.login.Value(), Languages: langs}
	if s.id == "" {
		id, err := s.sess.AddCoach(a.ctx(), c)
		if err != nil {
			say(s.problem, a.errorText(err))
			return
		}
		// The new coach's page replaces this one, with their shifts.
		back := a.shell.backOf("coach:")
		a.shell.closePage("coach:")
		a.shell.showPage("coach:"+id, func() screen { return newCoachForm(a, a.sess, id) })
		a.shell.pages.byKey["coach:"+id].back = back
		if f, ok := a.shell.page("coach:" + id).(*coachForm); ok {
			say(f.saved, lang.L("Added. Now give them shifts on call."))
			a.win.Canvas().Focus(f.from.entry)
		}
		return
	}
	if err := s.sess.UpdateCoach(a.ctx(), c); err != nil {
		say(s.problem, a.errorText(err))
		return
	}
	say(s.saved, lang.L("Saved."))
}

// parseClock reads a time of day as people type it: 19:00, 7pm, 7:30 pm,
// 0700, 7.
func parseClock(s string) (h, m int, ok bool) {
	s = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	pm, am := strings.HasSuffix(s, "pm"), strings.HasSuffix(s, "am")
	s = strings.TrimSuffix(strings.TrimSuffix(s, "pm"), "am")
	var err error
	switch {
	case strings.Contains(s, ":"):
		hs, ms, _ := strings.Cut(s, ":")
		if h, err = strconv.Atoi(hs); err != nil {
			return 0, 0, false
		}
		if m, err = strconv.Atoi(ms); err != nil {
			return 0, 0, false
		}
	case len(s) == 4:
		if h, err = strconv.Atoi(s[:2]); err != nil {
			return 0, 0, false
		}
		if m, err = strconv.Atoi(s[2:]); err != nil {
			return 0, 0, false
		}
	default:
		if h, err = strconv.Atoi(s); err != nil {
			return 0, 0, false
		}
	}
	if pm || am {
		if h < 1 || h > 12 {
			return 0, 0, false
		}
		h %= 12
		if pm {
			h += 12
		}
	}
	if h < 0 || h > 24 || m < 0 || m > 59 || h == 24 && m > 0 {
		return 0, 0, false
	}
	return h, m, true
}

// onAddShift puts the coach on call for the day and hours typed; an end
// at or before the start is the next morning.
func (s *coachForm) onAddShift() {
	a := s.app
	say(s.shiftProblem, "")
	day, err := data.ParseDate(s.shiftDay.entry.Text, a.now())
	if err != nil {
		say(s.shiftProblem, lang.L("Day: use a date like 11/27/2026."))
		return
	}
	fh, fm, ok1 := parseClock(s.from.entry.Text)
	th, tm, ok2 := parseClock(s.to.entry.Text)
	if !ok1 || !ok2 {
		say(s.shiftProblem, lang.L("From and to: use times like 19:00 and 7:00, or 7pm and 7am."))
		return
	}
	d, _ := time.ParseInLocation(data.DateLayout, day, time.Local)
	start := d.Add(time.Duration(fh)*time.Hour + time.Duration(fm)*time.Minute)
	end := d.Add(time.Duration(th)*time.Hour + time.Duration(tm)*time.Minute)
	if !end.After(start) {
		end = end.AddDate(0, 0, 1)
	}
	if _, err := s.sess.AddShift(a.ctx(), data.Shift{Coach: s.id, StartsAt: start, EndsAt: end}); err != nil {
		say(s.shiftProblem, a.errorText(err))
		return
	}
	s.from.entry.SetText("")
	s.to.entry.SetText("")
	s.showShifts()
}

// showShifts lists the coach's shifts from yesterday to two weeks ahead.
func (s *coachForm) showShifts() {
	if s.id == "" {
		return
	}
	a := s.app
	now := a.now()
	s.shifts.RemoveAll()
	all, err := s.sess.Shifts(a.ctx(), now.Add(-24*time.Hour), now.Add(14*24*time.Hour))
	if err != nil {
		s.shifts.Add(sentence(a.errorText(err)))
		return
	}
	n := 0
	for _, sh := range all {
		if sh.Coach != s.id {
			continue
		}
		n++
		id := sh.ID
		text := lang.L("{{.Start}} to {{.End}}", map[string]string{"Start": sh.StartsAt.Local().Format("Mon 1/2 15:04"), "End": sh.EndsAt.Local().Format("Mon 1/2 15:04")})
		state := ""
		if !now.Before(sh.StartsAt) && now.Before(sh.EndsAt) {
			state = lang.L("on call now")
		}
		st := widget.NewLabel(state)
		st.Importance = widget.SuccessImportance
		st.TextStyle.Bold = true
		remove := widget.NewButtonWithIcon(lang.L("Remove"), theme.DeleteIcon(), func() {
			if err := s.sess.RemoveShift(a.ctx(), id); err != nil {
				say(s.shiftProblem, a.errorText(err))
				return
			}
			s.showShifts()
		})
		s.shifts.Add(container.New(columns{290, 120}, widget.NewLabel(text), st, container.NewHBox(remove)))
	}
	if n == 0 {
		s.shifts.Add(sentence(lang.L("No shifts in the next two weeks. Add one below: the coach is proposed first while on call.")))
	}
	s.shifts.Refresh()
}
