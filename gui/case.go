package gui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// caseScreen answers "what happens next for this person?": the case's
// clock and who it is at the top, the timeline on the left (time, who,
// what), and on the right the next step as the one primary button, the
// person's details and notes. Opening it opens the full record, which data
// audits.
type caseScreen struct {
	app  *App
	sess *data.Session
	id   string
	view fyne.CanvasObject

	rec        *data.CaseRecord
	line       *data.CaseSummary
	dispatches []data.DispatchAttempt
	coaches    map[string]data.Coach
	consents   []data.Consent
	limits     clockLimits

	clock, flag, title, facts *widget.Label
	timeline                  *fyne.Container
	nextTitle, nextFacts      *widget.Label
	next                      *widget.Button
	nextNote                  *widget.Label
	coach                     *fyne.Container
	person                    *fyne.Container
	consent                   *fyne.Container
	note                      *entry
	noteHint                  *widget.Label
	addNote                   *widget.Button
	notice, problem           *widget.Label
	barred                    *widget.Label // nothing more may be shared: the consent ended
	revoke                    *revokeForm   // the revocation being confirmed, if any
	end                       *widget.Button
	endFollowUp               *endFollowUpForm // the end of follow-up being confirmed, if any

	nextAction func()
}

func newCaseScreen(a *App, sess *data.Session, id string) *caseScreen {
	s := &caseScreen{app: a, sess: sess, id: id,
		clock: widget.NewLabel(""), flag: widget.NewLabel(""), title: widget.NewLabel(""), facts: widget.NewLabel(""),
		timeline: container.NewVBox(), nextTitle: subheading(""), nextFacts: sentence(""), nextNote: sentence(""),
		coach: container.NewVBox(), person: container.NewVBox(), consent: container.NewVBox(),
		note: a.newEntry(), noteHint: sentence(""), notice: sentence(""), problem: problem(), barred: sentence("")}
	s.clock.SizeName = theme.SizeNameHeadingText
	s.clock.TextStyle.Bold = true
	s.flag.TextStyle.Bold = true
	s.flag.SizeName = theme.SizeNameSubHeadingText
	s.title.SizeName = theme.SizeNameHeadingText
	s.title.TextStyle.Bold = true
	s.facts.SizeName = theme.SizeNameSubHeadingText
	s.notice.Importance = widget.WarningImportance
	s.notice.Hide()
	s.barred.Importance = widget.DangerImportance
	s.barred.TextStyle.Bold = true
	s.barred.Hide()
	s.nextNote.Hide()

	s.next = primary("", theme.NavigateNextIcon(), func() {
		if s.nextAction != nil {
			s.nextAction()
		}
	})
	s.end = widget.NewButtonWithIcon(lang.L("End follow-up…"), theme.CancelIcon(), s.onEndFollowUp)
	s.end.Hide()
	s.note.MultiLine = true
	s.note.Wrapping = fyne.TextWrapWord
	s.note.SetMinRowsVisible(3)
	s.note.SetPlaceHolder(lang.L("Add a note… (Shift+Enter saves)"))
	s.note.OnSubmitted = func(string) { s.onAddNote() }
	s.note.onEscape = s.onBack
	s.addNote = widget.NewButtonWithIcon(lang.L("Add note"), theme.ContentAddIcon(), s.onAddNote)
	s.noteHint.Importance = widget.LowImportance
	if !sess.Can(data.ActNoteView) {
		s.noteHint.SetText(lang.L("Coaches and coordinators read the notes; your role adds them without seeing the others."))
	} else {
		s.noteHint.Hide()
	}
	back := widget.NewButtonWithIcon(lang.L("Back"), theme.NavigateBackIcon(), s.onBack)

	header := container.NewVBox(
		container.NewHBox(back, s.clock, s.flag, s.title, s.facts),
		s.barred, s.notice, s.problem, widget.NewSeparator())
	left := container.NewBorder(subheading(lang.L("What happened")), nil, nil, nil,
		container.NewVScroll(s.timeline))
	nextBox := container.NewVBox(s.nextTitle, s.nextFacts, container.NewHBox(s.next, s.end), s.nextNote)
	notes := container.NewVBox(subheading(lang.L("Notes")), s.noteHint, s.note,
		container.NewHBox(layout.NewSpacer(), s.addNote))
	right := container.NewVScroll(container.NewVBox(nextBox, widget.NewSeparator(), s.coach, s.person,
		s.consent, widget.NewSeparator(), notes))
	split := container.NewHSplit(left, right)
	split.Offset = 0.55
	s.view = container.NewBorder(header, nil, nil, nil, split)
	return s
}

func (s *caseScreen) content() fyne.CanvasObject { return s.view }

// onShow reads the case again: the full record (audited), its line, its
// timeline, the calls to coaches and its consents.
func (s *caseScreen) onShow() {
	a, ctx := s.app, s.app.ctx()
	rec, err := s.sess.Case(ctx, s.id)
	if err != nil {
		say(s.problem, a.errorText(err))
		return
	}
	s.rec = rec
	if s.line, err = s.sess.CaseLine(ctx, s.id); err != nil {
		say(s.problem, a.errorText(err))
		return
	}
	events, err := s.sess.Timeline(ctx, s.id)
	if err == nil {
		s.dispatches, err = s.sess.Dispatches(ctx, s.id)
	}
	if err == nil {
		s.consents, err = s.sess.Consents(ctx, s.id)
	}
	var coaches []data.Coach
	if err == nil {
		coaches, err = s.sess.Coaches(ctx)
	}
	if err != nil {
		say(s.problem, a.errorText(err))
		return
	}
	say(s.problem, "")
	s.coaches = map[string]data.Coach{}
	for _, c := range coaches {
		s.coaches[c.ID] = c
	}
	s.limits = a.clockLimits()
	s.showTimeline(events)
	s.showNext()
	s.showCoach()
	s.showPerson()
	s.showConsent()
	s.showBarred()
	s.onTick()
	s.view.Refresh()
}

// onTick moves the clock.
func (s *caseScreen) onTick() {
	if s.rec == nil {
		return
	}
	c := &s.rec.Case
	age := c.Age(s.app.now())
	imp, word := widget.LowImportance, ""
	switch c.Status {
	case data.StatusOpen:
		imp, word = s.limits.state(age)
	case data.StatusPlaced:
		word = lang.L("to placement")
	}
	s.clock.Importance, s.flag.Importance = imp, imp
	s.clock.SetText(clockText(age))
	s.flag.SetText(word)
}

// setNotice shows a sentence above the case (what went wrong just before).
func (s *caseScreen) setNotice(text string) { say(s.notice, text) }

func (s *caseScreen) onBack() { s.app.shell.back() }

func (s *caseScreen) showTimeline(events []data.TimelineEvent) {
	now := s.app.now()
	s.timeline.RemoveAll()
	pad := 2 * theme.InnerPadding()
	timeW := fyne.MeasureText("12/31 23:59", theme.TextSize(), fyne.TextStyle{Bold: true}).Width + pad
	whoW := fyne.MeasureText("Carla Brown-Smith", theme.TextSize(), fyne.TextStyle{Italic: true}).Width + pad
	for _, e := range events {
		at := widget.NewLabel(timeText(e.At, now))
		at.TextStyle.Bold = true
		who := widget.NewLabel(e.Who)
		who.TextStyle.Italic = true
		who.Truncation = fyne.TextTruncateEllipsis
		what := sentence(e.What)
		s.timeline.Add(container.NewBorder(nil, nil, container.New(columns{timeW, whoW}, at, column(whoW, who)), nil, what))
	}
	s.timeline.Refresh()
}

// showHeader writes "Daniel R. · 34 · no insurance".
func (s *caseScreen) showHeader() {
	p, c := &s.rec.Person, &s.rec.Case
	s.title.SetText(data.DisplayName(p.First, p.Last, p.Alias))
	age := ""
	if n := ageYears(p.DOB, s.app.now()); n >= 0 {
		age = lang.L("{{.Age}} years", map[string]int{"Age": n})
	}
	s.facts.SetText(joinDot("", age, insuranceName(c.Insurance, c.Payer), lang.L("case {{.Short}}", map[string]string{"Short": data.ShortID(c.ID)})))
}

// showNext works out the next step and its button.
func (s *caseScreen) showNext() {
	s.showHeader()
	title, facts, button, note, action := s.nextStep()
	s.nextTitle.SetText(title)
	s.nextFacts.SetText(facts)
	s.nextFacts.Hidden = facts == ""
	s.nextAction = action
	if button == "" {
		s.next.Hide()
	} else {
		s.next.SetText(button)
		s.next.Show()
	}
	say(s.nextNote, note)
	s.nextNote.Importance = widget.MediumImportance
	s.end.Hidden = !s.mayEndFollowUp()
}

// lastCall is the newest call to coach for this case, nil if none.
func (s *caseScreen) lastCall(coach string) *data.DispatchAttempt {
	for i := len(s.dispatches) - 1; i >= 0; i-- {
		if s.dispatches[i].Coach == coach {
			return &s.dispatches[i]
		}
	}
	return nil
}

// nextStep is the case's next step for this user: a title ("Next: find a
// bed"), the facts that matter for it, the button and what it does.
func (s *caseScreen) nextStep() (title, facts, button, note string, action func()) {
	a, c, sess := s.app, &s.rec.Case, s.sess
	now := a.now()
	switch {
	case c.Status == data.StatusClosed && c.CloseReason == "" && !c.PlacedAt.IsZero():
		return lang.L("Closed"), lang.L("follow-up ended"), "", "", nil // why is not for this role
	case c.Status == data.StatusClosed:
		return lang.L("Closed"), c.CloseReason, "", "", nil
	case c.Status == data.StatusPlaced:
		title = lang.L("Placed")
		if !sess.Can(data.ActPlacementView) {
			return title, lang.L("placed {{.When}}", map[string]string{"When": timeText(c.PlacedAt, now)}), "", "", nil
		}
		facts = s.placedFacts()
		if bar := data.ConsentBars(s.consents, now); bar != nil {
			return title, facts, "", endedText(bar) + " " + lang.L("The person is not followed up any more."), nil
		}
		if sess.Can(data.ActCheckIn) && s.mine() {
			return title, facts, lang.L("Record check-in"), "", func() { a.openCheckIn(s.id, nil) }
		}
		return title, facts, "", "", nil
	}
	coachName := s.coaches[c.Coach].Name
	switch s.line.WaitingFor {
	case data.WaitConsent:
		if bar := data.ConsentBars(s.consents, now); bar != nil {
			return s.consentEndedStep(bar)
		}
	case data.WaitReferral:
		facts, note = strings.Join(s.screenedOut(), " · "), eligibilityAdvice(c.MedicalEmergency, c.Warrant, c.DVCharge, c.Danger)
		if sess.Can(data.ActCaseEdit) {
			return lang.L("Not eligible: refer elsewhere"), facts, lang.L("Referred elsewhere: close the case"), note, s.onCloseReferred
		}
		return lang.L("Not eligible: refer elsewhere"), facts, "", note, nil
	case data.WaitCoach:
		facts = lang.L("no coach called yet")
		if n := s.line.Tried; n > 0 {
			facts = lang.LocalizePlural("{{.Count}} coaches tried", n, map[string]int{"Count": n})
		}
		if sess.Can(data.ActDispatch) {
			return lang.L("Next: a coach"), facts, lang.L("Contact next coach"), "", func() { a.openDispatch(s.id) }
		}
		return lang.L("Next: a coach"), facts, "", "", nil
	case data.WaitCoachOnWay:
		title = lang.L("{{.Name}} is on the way", map[string]string{"Name": coachName})
		if last := s.lastCall(c.Coach); last != nil {
			facts = lang.L("accepted {{.When}}", map[string]string{"When": timeText(last.ContactedAt, now)})
		}
		if eta := s.line.CoachETA; !eta.IsZero() {
			facts = joinDot(facts, lang.L("expected {{.When}}", map[string]string{"When": timeText(eta, now)}))
		}
		if sess.Can(data.ActDispatch) {
			return title, facts, lang.L("Coach arrived"), "", s.onArrived
		}
		return title, facts, "", "", nil
	case data.WaitAssessment:
		if sess.Can(data.ActAssess) && s.mine() {
			return lang.L("Next: assessment"), lang.L("with {{.Name}}", map[string]string{"Name": coachName}), lang.L("Assess"), "", func() { a.openAssess(s.id) }
		}
		return lang.L("Waiting for the coach's assessment"), coachName, "", "", nil
	case data.WaitBed:
		var also []string
		if c.Pregnant {
			also = append(also, lang.L("pregnant"))
		}
		if c.Veteran {
			also = append(also, lang.L("veteran"))
		}
		facts = joinDot(append([]string{lang.L("level {{.Level}}", map[string]string{"Level": c.Level}), insuranceName(c.Insurance, c.Payer), genderName(s.rec.Person.Gender)}, also...)...)
		if sess.Can(data.ActPlace) && s.mine() {
			return lang.L("Next: find a bed"), facts, lang.L("Find a bed"), "", s.onFindBed
		}
		return lang.L("Waiting for a bed"), lang.L("{{.Name}} is finding one", map[string]string{"Name": coachName}), "", "", nil
	case data.WaitPlacement:
		if !s.line.HeldUntil.IsZero() {
			facts = lang.L("a bed is held until {{.When}}", map[string]string{"When": timeText(s.line.HeldUntil, now)})
		}
		if sess.Can(data.ActPlace) && s.mine() {
			if c.Facility != "" {
				return lang.L("Next: placement"), facts, lang.L("Confirm placement"), "", func() { a.placeCase(s.id, c.Facility) }
			}
			return lang.L("Next: placement"), facts, lang.L("Find a bed"), lang.L("Choose “Place here” at the facility that holds the bed."), s.onFindBed
		}
		return lang.L("Waiting for placement"), facts, "", "", nil
	}
	return "", "", "", "", nil
}

// mine reports whether this user works on the case: a coach on their own
// cases, a coordinator or administrator on every case they can open.
func (s *caseScreen) mine() bool {
	if s.sess.User.Role != data.RoleCoach {
		return true
	}
	return s.rec.Case.Coach != "" && s.rec.Case.Coach == s.sess.CoachID()
}

func (s *caseScreen) placedFacts() string {
	c := &s.rec.Case
	name := c.Facility
	if f, err := s.sess.FacilityByID(s.app.ctx(), c.Facility); err == nil {
		name = f.Name
	}
	return joinDot(name, timeText(c.PlacedAt, s.app.now()), lang.L("{{.Time}} from first contact", map[string]string{"Time": clockText(c.PlacedAt.Sub(c.OpenedAt))}))
}

func (s *caseScreen) screenedOut() []string {
	c := &s.rec.Case
	var out []string
	if c.MedicalEmergency {
		out = append(out, lang.L("medical emergency"))
	}
	if c.Warrant {
		out = append(out, lang.L("open warrant"))
	}
	if c.DVCharge {
		out = append(out, lang.L("domestic-violence charge"))
	}
	if c.Danger {
		out = append(out, lang.L("danger to others"))
	}
	return out
}

// onCloseReferred closes a case the program cannot take, once the person
// was sent where the screen said: the clock stops and the case leaves the
// dashboard.
func (s *caseScreen) onCloseReferred() {
	err := s.sess.SetCaseFields(s.app.ctx(), s.id, map[string]string{"status": data.StatusClosed, "closed_at": "now",
		"close_reason": "not eligible: referred elsewhere"})
	if err != nil {
		say(s.problem, s.app.errorText(err))
		return
	}
	s.onShow()
}

// onArrived records that the coach who accepted has arrived.
func (s *caseScreen) onArrived() {
	_, err := s.sess.LogDispatch(s.app.ctx(), data.DispatchAttempt{CaseID: s.id, Coach: s.rec.Case.Coach, Response: "arrived"})
	if err != nil {
		say(s.problem, s.app.errorText(err))
		return
	}
	s.onShow()
}

func (s *caseScreen) onFindBed() { s.app.showFindBed(s.id) }

// showCoach shows the case's coach with their phone, large, to call.
func (s *caseScreen) showCoach() {
	s.coach.RemoveAll()
	co, ok := s.coaches[s.rec.Case.Coach]
	if !ok {
		return
	}
	s.coach.Add(labelled(lang.L("Coach"), widget.NewLabel(co.Name), nil))
	if co.Phone != "" {
		s.coach.Add(phoneRow(s.app, co.Phone))
	}
}

// showPerson shows the record's personal facts: the full record was
// opened on purpose, and that is on the audit trail.
func (s *caseScreen) showPerson() {
	p, c := &s.rec.Person, &s.rec.Case
	now := s.app.now()
	s.person.RemoveAll()
	s.person.Add(subheading(lang.L("Person")))
	name := strings.TrimSpace(p.First + " " + p.Last)
	if p.Alias != "" {
		name = joinDot(name, lang.L("alias {{.Alias}}", map[string]string{"Alias": p.Alias}))
	}
	s.person.Add(widget.NewLabel(name))
	if p.Phone != "" {
		s.person.Add(phoneRow(s.app, p.Phone))
	}
	born := ""
	if p.DOB != "" {
		born = lang.L("born {{.Date}}", map[string]string{"Date": dateText(p.DOB)})
	}
	lng := ""
	if p.Language != "" {
		lng = languageName(p.Language)
	}
	s.person.Add(sentence(joinDot(born, genderName(p.Gender), lng, p.ZIP)))
	s.person.Add(sentence(joinDot(channelName(c.Channel), lang.L("first contact {{.When}}", map[string]string{"When": timeText(c.OpenedAt, now)}))))
	if len(c.Substances) > 0 {
		s.person.Add(sentence(lang.L("Uses: {{.List}}", map[string]string{"List": strings.Join(c.Substances, ", ")})))
	}
	var needs []string
	for _, n := range []struct {
		on   bool
		word string
	}{{c.Pregnant, lang.L("pregnant")}, {c.Veteran, lang.L("veteran")}, {c.MentalHealth, lang.L("co-occurring mental illness")},
		{c.WithdrawalRisk, lang.L("at risk of withdrawal")}, {c.HousingNeed, lang.L("needs housing")}} {
		if n.on {
			needs = append(needs, n.word)
		}
	}
	if len(needs) > 0 {
		l := sentence(lang.L("Urgent: {{.List}}", map[string]string{"List": strings.Join(needs, ", ")}))
		l.TextStyle.Bold = true
		s.person.Add(l)
	}
	if c.Level != "" {
		s.person.Add(sentence(joinDot(levelLabel(c.Level), moudName(c.MOUD))))
	}
	if c.Needs != "" {
		s.person.Add(sentence(lang.L("Needs: {{.Text}}", map[string]string{"Text": c.Needs})))
	}
}

// phoneRow is a phone number to dial: large, with a copy button.
func phoneRow(a *App, number string) fyne.CanvasObject {
	l := widget.NewLabel(number)
	l.SizeName = theme.SizeNameHeadingText
	l.TextStyle.Monospace = true
	return phoneWith(a, number, l)
}

// bigPhoneRow is the number of the one call to make now: larger still.
func bigPhoneRow(a *App, number string) fyne.CanvasObject {
	t := canvas.NewText(number, theme.Color(theme.ColorNameForeground))
	t.TextSize = theme.TextHeadingSize() * 1.6
	t.TextStyle = fyne.TextStyle{Monospace: true}
	return phoneWith(a, number, container.NewPadded(t))
}

func phoneWith(a *App, number string, l fyne.CanvasObject) fyne.CanvasObject {
	copied := widget.NewLabel("")
	copied.Importance = widget.LowImportance
	btn := widget.NewButtonWithIcon(lang.L("Copy"), theme.ContentCopyIcon(), func() {
		a.fa.Clipboard().SetContent(number)
		copied.SetText(lang.L("Copied"))
	})
	return container.NewHBox(l, container.NewCenter(btn), copied)
}

func (s *caseScreen) onAddNote() {
	text := strings.TrimSpace(s.note.Text)
	if text == "" {
		return
	}
	if _, err := s.sess.AddNote(s.app.ctx(), s.id, text); err != nil {
		say(s.problem, s.app.errorText(err))
		return
	}
	s.note.SetText("")
	s.onShow()
}
