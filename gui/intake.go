package gui

import (
	"slices"
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

// intakeScreen is the first contact: who the person is, how they came,
// what they use, what is urgent, whether the program can take them, and
// their consent. An officer completes it by keyboard in under a minute:
// every question is one Tab stop in reading order, Enter saves from
// anywhere, Esc leaves and keeps the draft. The clock starts when the form
// opens: that is the first contact.
type intakeScreen struct {
	app  *App
	sess *data.Session
	view fyne.CanvasObject
	keys formKeys

	started time.Time
	clock   *widget.Label

	first, last, alias, dob, phone, zip *field
	dobHint                             *widget.Label
	gender, language, channel, ins      *choice
	langOther, payer, substOther        *entry
	genderP, langP                      *widget.Label

	substances []*check
	needs      []*check
	screen     []*check // warrant, DV charge, danger, medical emergency
	advice     *widget.Label

	consent *consentForm

	dups    *fyne.Container
	problem *widget.Label
	save    *widget.Button
}

// The intake's substances with a box of their own; others are typed.
var intakeSubstances = []string{"heroin", "fentanyl", "prescription opioids", "alcohol", "cocaine", "methamphetamine", "benzodiazepines"}

func substanceLabels() []string {
	return []string{lang.L("Heroin"), lang.L("Fentanyl"), lang.L("Prescription opioids"), lang.L("Alcohol"),
		lang.L("Cocaine"), lang.L("Methamphetamine"), lang.L("Benzodiazepines")}
}

func newIntakeScreen(a *App, sess *data.Session) *intakeScreen {
	s := &intakeScreen{app: a, sess: sess, started: a.now(), clock: widget.NewLabel(""),
		dobHint: widget.NewLabel(""), advice: sentence(""), problem: problem(), dups: container.NewVBox()}
	s.keys = formKeys{submit: s.onSave, cancel: s.onCancel}
	k := &s.keys
	s.clock.TextStyle.Bold = true

	s.first = newField(lang.L("First name"), k.wire(a.newEntry()))
	s.last = newField(lang.L("Last name"), k.wire(a.newEntry()))
	s.alias = newField(lang.L("Or alias"), k.wire(a.newEntry()))
	s.alias.entry.SetPlaceHolder(lang.L("if no name is given"))
	s.dob = newField(lang.L("Date of birth"), k.wire(a.newEntry()))
	s.dob.entry.SetPlaceHolder(lang.L("like 3/14/86"))
	s.phone = newField(lang.L("Phone"), k.wire(a.newEntry()))
	s.phone.entry.SetPlaceHolder(lang.L("like (630) 555-0142"))
	s.zip = newField(lang.L("ZIP"), k.wire(a.newEntry()))
	s.zip.entry.SetPlaceHolder(lang.L("like 60540"))
	s.dobHint.Importance = widget.SuccessImportance
	s.dobHint.Wrapping = fyne.TextWrapWord
	s.dobHint.Hide()
	s.dob.box.Add(s.dobHint)
	for _, f := range []*field{s.first, s.last, s.alias} {
		f.entry.OnChanged = func(string) { s.onNameChanged() }
	}
	s.dob.entry.OnChanged = func(string) { s.onDOBChanged() }
	s.phone.entry.OnChanged = func(string) { s.phone.setProblem(""); s.checkDuplicates() }

	s.gender = a.newChoice(data.Genders, genderLabels(), k)
	s.genderP = problem()
	s.language = a.newChoice(intakeLanguages, languageLabels(), k)
	s.language.SetValue("en")
	s.langOther = k.wire(a.newEntry())
	s.langOther.SetPlaceHolder(lang.L("which language?"))
	s.langOther.Hide()
	s.langP = problem()
	s.language.OnChanged = func(v string) {
		s.langOther.Hidden = v != "other"
		s.langOther.Refresh()
		if v == "other" {
			a.win.Canvas().Focus(s.langOther)
		}
	}
	s.channel = a.newChoice(data.Channels, channelLabels(), k)
	s.channel.SetValue("walk-in")
	s.ins = a.newChoice(data.Insurances, insuranceLabels(), k)
	s.payer = k.wire(a.newEntry())
	s.payer.SetPlaceHolder(lang.L("payer or plan, if known"))

	for _, l := range substanceLabels() {
		s.substances = append(s.substances, a.newCheck(l, k))
	}
	s.substOther = k.wire(a.newEntry())
	s.substOther.SetPlaceHolder(lang.L("others, with commas"))
	for _, l := range []string{lang.L("Pregnant"), lang.L("Veteran"), lang.L("Co-occurring mental illness"),
		lang.L("At risk of withdrawal"), lang.L("Needs housing")} {
		s.needs = append(s.needs, a.newCheck(l, k))
	}
	for _, l := range []string{lang.L("Open warrant"), lang.L("Domestic-violence charge"), lang.L("Danger to others"),
		lang.L("Medical emergency")} {
		c := a.newCheck(l, k)
		c.OnChanged = func(bool) { s.onScreenChanged() }
		s.screen = append(s.screen, c)
	}
	s.advice.Importance = widget.DangerImportance
	s.advice.TextStyle.Bold = true
	s.advice.Hide()

	agency := ""
	if ag, err := sess.Agency(a.ctx()); err == nil {
		agency = ag.Name
	}
	s.consent = newConsentForm(a, k, agency, s.started)
	s.consent.person = func() (string, string) {
		dob, _ := data.ParseDate(s.dob.entry.Text, a.now())
		return s.fullName(), dob
	}

	s.save = primary(lang.L("Save intake"), theme.ConfirmIcon(), s.onSave)
	cancel := widget.NewButton(lang.L("Leave (Esc)"), s.onCancel)
	clear := widget.NewButtonWithIcon(lang.L("Clear the form"), theme.ContentClearIcon(), s.onClear)

	names := container.NewGridWithColumns(3, s.first.box, s.last.box, s.alias.box)
	facts := container.NewGridWithColumns(3, s.dob.box, s.phone.box, s.zip.box)
	person := container.NewVBox(names, facts,
		labelled(lang.L("Gender"), s.gender, s.genderP),
		labelled(lang.L("Language"), container.NewVBox(s.language, s.langOther), s.langP),
		labelled(lang.L("Came by"), s.channel, nil),
		labelled(lang.L("Insurance"), container.NewVBox(s.ins, s.payer), nil),
	)
	checks := func(n int, cs []*check) *fyne.Container {
		objs := make([]fyne.CanvasObject, len(cs))
		for i, c := range cs {
			objs[i] = c
		}
		return container.NewGridWithColumns(n, objs...)
	}
	right := container.NewVBox(
		labelled(lang.L("Substances"), container.NewGridWithColumns(3, append(checks(3, s.substances).Objects, s.substOther)...), nil),
		labelled(lang.L("Urgent needs"), checks(2, s.needs), nil),
		labelled(lang.L("Eligibility screen"), container.NewVBox(checks(2, s.screen), s.advice), nil),
		widget.NewSeparator(),
		labelled(lang.L("Consent to share (42 CFR Part 2)"), s.consent.view, nil),
	)
	form := container.NewBorder(nil, nil, nil, column(520, right), person)
	// A possible duplicate stays in sight above the form, however far down
	// the cursor is.
	top := container.NewVBox(
		container.NewHBox(heading(lang.L("New intake")), layout.NewSpacer(), s.clock),
		s.dups,
		widget.NewSeparator())
	bottom := container.NewVBox(widget.NewSeparator(), s.problem,
		container.NewHBox(clear, layout.NewSpacer(), cancel, s.save))
	s.keys.scroll = container.NewVScroll(form)
	s.view = container.NewBorder(top, bottom, nil, nil, s.keys.scroll)
	return s
}

func (s *intakeScreen) content() fyne.CanvasObject { return s.view }

func (s *intakeScreen) onShow() { s.onTick() }

// onTick moves the clock of the first contact.
func (s *intakeScreen) onTick() {
	now := s.app.now()
	s.clock.SetText(lang.L("First contact {{.Time}} · {{.Age}} ago",
		map[string]string{"Time": timeText(s.started, now), "Age": clockText(now.Sub(s.started))}))
}

func (s *intakeScreen) focusFirst() {
	s.app.win.Canvas().Focus(s.first.entry)
}

// dirty reports whether anything was typed or ticked.
func (s *intakeScreen) dirty() bool {
	for _, f := range []*field{s.first, s.last, s.alias, s.dob, s.phone, s.zip} {
		if f.entry.Text != "" {
			return true
		}
	}
	return false
}

func (s *intakeScreen) fullName() string {
	return strings.TrimSpace(strings.TrimSpace(s.first.entry.Text) + " " + strings.TrimSpace(s.last.entry.Text))
}

func (s *intakeScreen) onNameChanged() {
	s.first.setProblem("")
	name := s.fullName()
	if name == "" {
		name = strings.TrimSpace(s.alias.entry.Text)
	}
	s.consent.setSigner(name)
	s.checkDuplicates()
}

// onDOBChanged says which date was understood, as it is typed.
func (s *intakeScreen) onDOBChanged() {
	s.dob.setProblem("")
	t := strings.TrimSpace(s.dob.entry.Text)
	d, err := data.ParseDate(t, s.app.now())
	if t == "" || err != nil {
		s.dobHint.SetText("")
		s.dobHint.Hide()
		return
	}
	born, _ := time.Parse(data.DateLayout, d)
	s.dobHint.SetText(lang.L("{{.Date}} · {{.Age}} years old",
		map[string]any{"Date": born.Format("January 2, 2006"), "Age": ageYears(d, s.app.now())}))
	s.dobHint.Show()
	s.checkDuplicates()
}

// onScreenChanged says plainly what to do when the person cannot be taken.
func (s *intakeScreen) onScreenChanged() {
	advice := eligibilityAdvice(s.screen[3].Checked, s.screen[0].Checked, s.screen[1].Checked, s.screen[2].Checked)
	if advice == "" {
		say(s.advice, "")
		s.save.SetText(lang.L("Save intake"))
		return
	}
	say(s.advice, advice+"\n"+lang.L("The intake is saved as not eligible."))
	s.save.SetText(lang.L("Save as not eligible"))
}

// eligibilityAdvice says what to do, in order of urgency, for what the
// eligibility screen found; "" when nothing.
func eligibilityAdvice(medical, warrant, dv, danger bool) string {
	var advice []string
	if medical {
		advice = append(advice, lang.L("Medical emergency: call 911 / send to the emergency department now."))
	}
	if danger {
		advice = append(advice, lang.L("Danger to others: keep everyone safe first and call for help; the program cannot take the person now."))
	}
	if warrant {
		advice = append(advice, lang.L("Open warrant: follow your department's warrant procedure; the program cannot take the person now."))
	}
	if dv {
		advice = append(advice, lang.L("Domestic-violence charge: the program cannot take the person; give them the county treatment line."))
	}
	return strings.Join(advice, "\n")
}

// person reads the person's part of the form; problems are said beside
// the fields and ok is false if there are any.
func (s *intakeScreen) person() (data.Person, bool) {
	now := s.app.now()
	p := data.Person{First: strings.TrimSpace(s.first.entry.Text), Last: strings.TrimSpace(s.last.entry.Text),
		Alias: strings.TrimSpace(s.alias.entry.Text), Gender: s.gender.Value(), ZIP: strings.TrimSpace(s.zip.entry.Text)}
	ok := true
	if p.First == "" && p.Alias == "" {
		s.first.setProblem(lang.L("Give a first name, or an alias if the person will not give one."))
		ok = false
	}
	if t := strings.TrimSpace(s.dob.entry.Text); t != "" {
		d, err := data.ParseDate(t, now)
		switch {
		case err != nil:
			s.dob.setProblem(lang.L("Use a date like 03/14/1986."))
			ok = false
		case d > now.Format(data.DateLayout) || d < "1900-01-01":
			s.dob.setProblem(lang.L("That date cannot be a date of birth."))
			ok = false
		}
		p.DOB = d
	}
	if t := strings.TrimSpace(s.phone.entry.Text); t != "" {
		ph, err := data.NormalizePhone(t)
		if err != nil {
			s.phone.setProblem(lang.L("Use 10 digits, like (630) 555-0142."))
			ok = false
		}
		p.Phone = ph
	}
	if p.ZIP != "" && (len(p.ZIP) != 5 || strings.Trim(p.ZIP, "0123456789") != "") {
		s.zip.setProblem(lang.L("Use five digits, like 60540."))
		ok = false
	} else {
		s.zip.setProblem("")
	}
	p.Language = s.language.Value()
	say(s.langP, "")
	if p.Language == "other" {
		p.Language = strings.TrimSpace(s.langOther.Text)
		if p.Language == "" {
			say(s.langP, lang.L("Type the language the person speaks."))
			ok = false
		}
	}
	return p, ok
}

// substancesTyped returns the ticked and typed substances, lower case,
// each once.
func (s *intakeScreen) substancesTyped() []string {
	out := checked(s.substances, intakeSubstances)
	for _, t := range strings.Split(s.substOther.Text, ",") {
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// onSave records the intake and its consent, then opens the new case.
func (s *intakeScreen) onSave() {
	a := s.app
	say(s.problem, "")
	p, ok := s.person()
	var consent data.Consent
	signed := s.consent.signed.Checked
	if signed {
		var cok bool
		consent, cok = s.consent.consent("", a.now())
		ok = ok && cok
	}
	if !ok {
		say(s.problem, lang.L("Some answers need a look: see the notes in red above."))
		s.focusProblem()
		return
	}
	c := data.Case{Channel: s.channel.Value(), OpenedAt: s.started, Insurance: s.ins.Value(),
		Payer: strings.TrimSpace(s.payer.Text), Substances: s.substancesTyped(),
		Pregnant: s.needs[0].Checked, Veteran: s.needs[1].Checked, MentalHealth: s.needs[2].Checked,
		WithdrawalRisk: s.needs[3].Checked, HousingNeed: s.needs[4].Checked,
		Warrant: s.screen[0].Checked, DVCharge: s.screen[1].Checked, Danger: s.screen[2].Checked,
		MedicalEmergency: s.screen[3].Checked, Eligible: "yes"}
	if c.Warrant || c.DVCharge || c.Danger || c.MedicalEmergency {
		c.Eligible = "no"
	}
	id, err := s.sess.CreateCase(a.ctx(), data.NewCase{Person: p, Case: c})
	if err != nil {
		say(s.problem, a.errorText(err))
		return
	}
	notice := ""
	if signed {
		consent.CaseID = id
		if _, err := s.sess.AddConsent(a.ctx(), consent); err != nil {
			notice = lang.L("The case is saved, but its consent could not be: {{.Why}} Record the consent again from this screen.",
				map[string]string{"Why": a.errorText(err)})
		}
	}
	back := a.shell.backOf("intake")
	a.shell.closePage("intake")
	a.openCase(id)
	if cs, ok := a.shell.page("case:" + id).(*caseScreen); ok {
		a.shell.pages.byKey["case:"+id].back = back
		cs.setNotice(notice)
	}
}

// focusProblem puts the cursor in the first field that has a problem.
func (s *intakeScreen) focusProblem() {
	for _, f := range []*field{s.first, s.dob, s.phone, s.zip} {
		if f.problem.Visible() {
			s.app.win.Canvas().Focus(f.entry)
			return
		}
	}
	if s.langP.Visible() {
		s.app.win.Canvas().Focus(s.langOther)
		return
	}
	for _, f := range []*field{s.consent.discloser, s.consent.recipient, s.consent.purpose, s.consent.information, s.consent.expires, s.consent.signedBy} {
		if f.problem.Visible() {
			s.app.win.Canvas().Focus(f.entry)
			return
		}
	}
}

// onCancel leaves the form; the draft stays for Ctrl+N or New intake.
func (s *intakeScreen) onCancel() { s.app.shell.back() }

// onClear throws the draft away and starts a new first contact.
func (s *intakeScreen) onClear() {
	a := s.app
	back := a.shell.backOf("intake")
	a.shell.closePage("intake")
	a.shell.showPage("intake", func() screen { return newIntakeScreen(a, a.sess) })
	a.shell.pages.byKey["intake"].back = back
	if n, ok := a.shell.page("intake").(*intakeScreen); ok {
		n.focusFirst()
	}
}

// checkDuplicates warns when the name and date of birth, or the phone,
// already belong to a case, with a way to open it.
func (s *intakeScreen) checkDuplicates() {
	now := s.app.now()
	p := data.Person{First: strings.TrimSpace(s.first.entry.Text), Last: strings.TrimSpace(s.last.entry.Text)}
	p.DOB, _ = data.ParseDate(s.dob.entry.Text, now)
	p.Phone, _ = data.NormalizePhone(s.phone.entry.Text)
	s.dups.RemoveAll()
	if p.Phone == "" && (p.DOB == "" || p.First == "") {
		return
	}
	found, err := s.sess.PossibleDuplicates(s.app.ctx(), p)
	if err != nil {
		s.app.log.Error("look for duplicates", "err", err)
		return
	}
	for _, c := range found {
		id := c.ID
		l := sentence(lang.L("Possible duplicate: {{.Name}} already has a case ({{.Short}}, {{.Status}}, opened {{.When}}).",
			map[string]string{"Name": c.Display, "Short": c.Short, "Status": statusName(c.Status), "When": timeText(c.OpenedAt, now)}))
		l.Importance = widget.WarningImportance
		open := widget.NewButtonWithIcon(lang.L("Open that case"), theme.NavigateNextIcon(), func() { s.app.openCase(id) })
		s.dups.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.WarningIcon()), open, l))
	}
	s.dups.Refresh()
}
