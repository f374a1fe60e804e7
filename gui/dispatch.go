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

// dispatchWaitSetting is how many minutes a coach has to answer before the
// screen proposes the next one (device-local; default 10).
const dispatchWaitSetting = "dispatch_wait_minutes"

// dispatchScreen answers "who can come?" for one case: the coach to call
// now with their phone large, the three answers a call can have, and the
// roster below, who is on call first. Each answer is logged. When a coach
// has not answered within the wait, the screen proposes the next.
type dispatchScreen struct {
	app  *App
	sess *data.Session
	id   string
	view fyne.CanvasObject

	line       *data.CaseSummary
	person     data.Person
	coaches    []data.Coach
	onCall     map[string]bool
	dispatches []data.DispatchAttempt
	wait       time.Duration

	current     *data.Coach // the coach being called
	callStarted time.Time

	caseFacts *widget.Label
	callTitle *widget.Label
	phone     *fyne.Container
	calling   *widget.Label
	proposal  *widget.Label
	answers   *fyne.Container
	accepted  *widget.Button
	declined  *widget.Button
	noAnswer  *widget.Button
	eta       *entry
	etaBox    *fyne.Container
	arrived   *widget.Button
	done      *widget.Button
	roster    *fyne.Container
	empty     *widget.Label
	problem   *widget.Label
}

func newDispatchScreen(a *App, sess *data.Session, id string) *dispatchScreen {
	s := &dispatchScreen{app: a, sess: sess, id: id, caseFacts: widget.NewLabel(""), callTitle: subheading(""),
		phone: container.NewVBox(), calling: widget.NewLabel(""), proposal: sentence(""),
		roster: container.NewVBox(), empty: sentence(""), problem: problem(), eta: a.newEntry()}
	s.caseFacts.TextStyle.Bold = true
	s.proposal.Importance = widget.WarningImportance
	s.proposal.TextStyle.Bold = true
	s.proposal.Hide()
	s.accepted = primary(lang.L("Accepted"), theme.ConfirmIcon(), s.onAccepted)
	s.declined = widget.NewButtonWithIcon(lang.L("Declined"), theme.CancelIcon(), func() { s.onAnswer("declined") })
	s.noAnswer = widget.NewButtonWithIcon(lang.L("No answer"), theme.MediaSkipNextIcon(), func() { s.onAnswer("no_answer") })
	s.answers = container.NewHBox(s.accepted, s.declined, s.noAnswer)

	s.eta.SetPlaceHolder("20")
	s.eta.OnSubmitted = func(string) { s.onSaveETA() }
	s.eta.onEscape = func() { s.etaBox.Hide() }
	saveETA := primary(lang.L("Save"), theme.ConfirmIcon(), s.onSaveETA)
	s.etaBox = container.NewHBox(widget.NewLabel(lang.L("Minutes until they arrive:")), column(80, s.eta), saveETA)
	s.etaBox.Hide()
	s.arrived = primary(lang.L("Arrived"), theme.ConfirmIcon(), s.onArrived)
	s.arrived.Hide()
	s.done = primary(lang.L("Back to the case"), theme.NavigateBackIcon(), s.onBack)
	s.done.Hide()
	s.empty.Hide()
	s.wait = a.minutesSetting(dispatchWaitSetting, 10*time.Minute)

	back := widget.NewButtonWithIcon(lang.L("Back"), theme.NavigateBackIcon(), s.onBack)
	callBox := container.NewVBox(s.callTitle, s.phone, s.calling, s.proposal, s.answers, s.etaBox,
		container.NewHBox(s.arrived, s.done), s.empty)
	top := container.NewVBox(
		container.NewHBox(back, heading(lang.L("Call a coach")), layout.NewSpacer(), s.caseFacts),
		s.problem, widget.NewSeparator(), callBox, widget.NewSeparator(),
		subheading(lang.L("Roster: on call now first")), newCoachHeader())
	s.view = container.NewBorder(top, nil, nil, nil, container.NewVScroll(s.roster))
	return s
}

func (s *dispatchScreen) content() fyne.CanvasObject { return s.view }

func (s *dispatchScreen) onBack() { s.app.shell.back() }

// onShow reads the roster, who is on call and the calls made so far, and
// works out whom to call.
func (s *dispatchScreen) onShow() {
	a, ctx := s.app, s.app.ctx()
	var err error
	if s.line, err = s.sess.CaseLine(ctx, s.id); err != nil {
		say(s.problem, a.errorText(err))
		return
	}
	if s.person.ID == "" {
		// The language and gender to match: from the case screen when it
		// is open, else from the record (an audited opening).
		if cs, ok := a.shell.page("case:" + s.id).(*caseScreen); ok && cs.rec != nil {
			s.person = cs.rec.Person
		} else if rec, err := s.sess.Case(ctx, s.id); err == nil {
			s.person = rec.Person
		}
	}
	coaches, err := s.sess.Coaches(ctx)
	if err == nil {
		s.onCall, err = s.sess.OnCall(ctx, a.now())
	}
	if err == nil {
		s.dispatches, err = s.sess.Dispatches(ctx, s.id)
	}
	if err != nil {
		say(s.problem, a.errorText(err))
		return
	}
	say(s.problem, "")
	s.coaches = s.rank(coaches)
	if s.current != nil {
		// Keep the coach being called, with fresh details.
		for i := range s.coaches {
			if s.coaches[i].ID == s.current.ID {
				s.current = &s.coaches[i]
			}
		}
	}
	s.refresh()
}

// rank orders the roster for this case: active first; on call now; not yet
// tried for this case; speaks the person's language; same gender; lived
// experience; then by name.
func (s *dispatchScreen) rank(cs []data.Coach) []data.Coach {
	tried := s.tried()
	score := func(c *data.Coach) []bool {
		return []bool{c.ID == s.line.Coach, c.Active, s.onCall[c.ID], tried[c.ID] == "",
			s.person.Language != "" && slices.Contains(c.Languages, s.person.Language),
			s.person.Gender != "" && c.Gender == s.person.Gender, c.LivedExperience}
	}
	slices.SortStableFunc(cs, func(x, y data.Coach) int {
		sx, sy := score(&x), score(&y)
		for i := range sx {
			if sx[i] != sy[i] {
				return boolRank(sy[i]) - boolRank(sx[i])
			}
		}
		return 0
	})
	return cs
}

// tried maps the coaches already called for this case to their last answer.
func (s *dispatchScreen) tried() map[string]string {
	out := map[string]string{}
	for _, d := range s.dispatches {
		out[d.Coach] = d.Response
	}
	return out
}

// nextCoach is the best coach not yet called for this case, nil if none.
func (s *dispatchScreen) nextCoach(after string) *data.Coach {
	tried := s.tried()
	for i := range s.coaches {
		c := &s.coaches[i]
		if c.Active && tried[c.ID] == "" && c.ID != after {
			return c
		}
	}
	return nil
}

// accepting is the call whose coach accepted and has not arrived, if any.
func (s *dispatchScreen) accepting() *data.DispatchAttempt {
	if s.line.Coach == "" {
		return nil
	}
	for i := len(s.dispatches) - 1; i >= 0; i-- {
		if d := &s.dispatches[i]; d.Coach == s.line.Coach {
			if d.Response == "accepted" {
				return d
			}
			return nil
		}
	}
	return nil
}

// refresh shows the state of the calls: who to call, who accepted, or who
// arrived.
func (s *dispatchScreen) refresh() {
	a := s.app
	defer s.view.Refresh()
	now := a.now()
	s.caseFacts.SetText(joinDot(lang.L("For {{.Name}}", map[string]string{"Name": s.line.Display}),
		lang.L("waiting {{.Age}}", map[string]string{"Age": clockText(now.Sub(s.line.OpenedAt))}), s.personFacts()))
	s.showRoster()
	for _, o := range []fyne.CanvasObject{s.answers, s.etaBox, s.arrived, s.done, s.calling, s.empty} {
		o.Hide()
	}
	say(s.proposal, "")
	s.phone.RemoveAll()
	names := s.coachNames()

	if acc := s.accepting(); acc != nil {
		s.current = nil
		s.callTitle.SetText(lang.L("{{.Name}} accepted", map[string]string{"Name": names[acc.Coach]}))
		if c := s.coach(acc.Coach); c != nil && c.Phone != "" {
			s.phone.Add(phoneRow(a, c.Phone))
		}
		eta := ""
		if acc.ETAMinutes > 0 {
			eta = lang.L("expected about {{.When}}", map[string]string{"When": timeText(acc.ContactedAt.Add(time.Duration(acc.ETAMinutes)*time.Minute), now)})
		}
		s.calling.SetText(joinDot(lang.L("accepted at {{.When}}", map[string]string{"When": timeText(acc.ContactedAt, now)}), eta) +
			". " + lang.L("Press Arrived when the coach is with the person."))
		s.calling.Show()
		s.arrived.Show()
		return
	}
	if s.line.Coach != "" {
		s.current = nil
		s.callTitle.SetText(lang.L("{{.Name}} is with the person", map[string]string{"Name": names[s.line.Coach]}))
		s.done.Show()
		return
	}
	if s.current == nil {
		s.current = s.nextCoach("")
		s.callStarted = now
	}
	if s.current == nil {
		s.callTitle.SetText(lang.L("No one left to call"))
		switch {
		case len(s.coaches) == 0:
			s.empty.SetText(lang.L("No coaches on the roster yet. A coordinator adds them under Coaches."))
		default:
			s.empty.SetText(lang.L("Every active coach has been called for this case. Call one again from the roster below."))
		}
		s.empty.Show()
		return
	}
	c := s.current
	onCall := lang.L("on call now")
	if !s.onCall[c.ID] {
		onCall = lang.L("not on call")
	}
	s.callTitle.SetText(lang.L("Call {{.Name}}", map[string]string{"Name": c.Name}) + " · " + onCall)
	if c.Phone != "" {
		s.phone.Add(bigPhoneRow(a, c.Phone))
	} else {
		s.phone.Add(sentence(lang.L("No phone on the roster for this coach.")))
	}
	s.answers.Show()
	s.onTick()
}

// onTick moves the time since the call began and, once the wait is over,
// proposes the next coach.
func (s *dispatchScreen) onTick() {
	if s.current == nil || s.line == nil {
		return
	}
	now := s.app.now()
	waited := now.Sub(s.callStarted)
	s.calling.SetText(lang.L("Calling since {{.When}} ({{.Waited}}). Mark the answer below.", map[string]string{
		"When": timeText(s.callStarted, now), "Waited": minutesText(int(waited / time.Minute))}))
	s.calling.Show()
	if waited < s.wait {
		s.setPrimary(s.accepted)
		say(s.proposal, "")
		return
	}
	next := s.nextCoach(s.current.ID)
	text := lang.L("{{.Name}} has not answered in {{.Minutes}} minutes.", map[string]string{
		"Name": s.current.Name, "Minutes": strconv.Itoa(int(s.wait / time.Minute))})
	if next != nil {
		text += " " + lang.L("Mark no answer and call {{.Next}}.", map[string]string{"Next": next.Name})
	}
	say(s.proposal, text)
	s.setPrimary(s.noAnswer)
}

// setPrimary makes b the one primary button of the answers.
func (s *dispatchScreen) setPrimary(b *widget.Button) {
	for _, x := range []*widget.Button{s.accepted, s.declined, s.noAnswer} {
		imp := widget.MediumImportance
		if x == b {
			imp = widget.HighImportance
		}
		if x.Importance != imp {
			x.Importance = imp
			x.Refresh()
		}
	}
}

func (s *dispatchScreen) coach(id string) *data.Coach {
	for i := range s.coaches {
		if s.coaches[i].ID == id {
			return &s.coaches[i]
		}
	}
	return nil
}

func (s *dispatchScreen) coachNames() map[string]string {
	out := map[string]string{}
	for _, c := range s.coaches {
		out[c.ID] = c.Name
	}
	return out
}

// personFacts is what matters to pick a coach: language and gender.
func (s *dispatchScreen) personFacts() string {
	l := ""
	if s.person.Language != "" && s.person.Language != "en" {
		l = lang.L("speaks {{.Language}}", map[string]string{"Language": languageName(s.person.Language)})
	}
	return joinDot(l, genderName(s.person.Gender))
}

// onAccepted asks how many minutes until the coach arrives.
func (s *dispatchScreen) onAccepted() {
	if s.current == nil {
		return
	}
	s.answers.Hide()
	s.etaBox.Show()
	s.app.win.Canvas().Focus(s.eta)
}

func (s *dispatchScreen) onSaveETA() {
	n := 0
	if t := strings.TrimSpace(s.eta.Text); t != "" {
		var err error
		if n, err = strconv.Atoi(t); err != nil || n < 0 || n > 24*60 {
			say(s.problem, lang.L("Minutes until they arrive: type a number, like 20."))
			return
		}
	}
	if s.log("accepted", n) {
		s.eta.SetText("")
	}
}

// onAnswer logs a declined call or no answer and moves to the next coach.
func (s *dispatchScreen) onAnswer(response string) {
	if s.current == nil {
		return
	}
	s.log(response, 0)
}

// log records the answer of the current coach and shows what comes next.
func (s *dispatchScreen) log(response string, eta int) bool {
	_, err := s.sess.LogDispatch(s.app.ctx(), data.DispatchAttempt{CaseID: s.id, Coach: s.current.ID,
		ContactedAt: s.callStarted, Response: response, ETAMinutes: eta})
	if err != nil {
		say(s.problem, s.app.errorText(err))
		return false
	}
	s.current = nil
	s.onShow()
	return true
}

// onArrived records the arrival and goes back to the case, whose next step
// is now the assessment.
func (s *dispatchScreen) onArrived() {
	_, err := s.sess.LogDispatch(s.app.ctx(), data.DispatchAttempt{CaseID: s.id, Coach: s.line.Coach, Response: "arrived"})
	if err != nil {
		say(s.problem, s.app.errorText(err))
		return
	}
	s.app.shell.closePage("dispatch:" + s.id)
}

// onCall makes c the coach being called now.
func (s *dispatchScreen) onCallCoach(c data.Coach) {
	if s.line.Coach != "" {
		return
	}
	for i := range s.coaches {
		if s.coaches[i].ID == c.ID {
			s.current = &s.coaches[i]
		}
	}
	s.callStarted = s.app.now()
	s.refresh()
}

func (s *dispatchScreen) showRoster() {
	s.roster.RemoveAll()
	tried := s.tried()
	for _, c := range s.coaches {
		c := c
		r := newCoachRow(func(p string) { s.app.fa.Clipboard().SetContent(p) })
		r.set(&c, s.onCall[c.ID])
		callBtn := widget.NewButton(lang.L("Call"), func() { s.onCallCoach(c) })
		if !c.Active || s.line.Coach != "" {
			callBtn.Disable()
		}
		answer := widget.NewLabel(responseName(tried[c.ID]))
		answer.TextStyle.Italic = true
		s.roster.Add(container.NewBorder(nil, nil, nil, container.NewHBox(answer, callBtn), r))
	}
	if len(s.coaches) > 0 && len(s.onCall) == 0 {
		l := sentence(lang.L("No coach is on call now: those below may still answer."))
		l.Importance = widget.WarningImportance
		s.roster.Objects = append([]fyne.CanvasObject{l}, s.roster.Objects...)
	}
	s.roster.Refresh()
}

// responseName is a coach's answer for this case, in words.
func responseName(r string) string {
	switch r {
	case "accepted":
		return lang.L("accepted")
	case "declined":
		return lang.L("declined")
	case "no_answer":
		return lang.L("no answer")
	case "arrived":
		return lang.L("arrived")
	}
	return ""
}
