package gui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// assessScreen answers "what care does this person need?": the ASAM level
// of care in plain words, the edition of the criteria, interest in
// medication, and needs in the coach's words.
type assessScreen struct {
	app  *App
	sess *data.Session
	id   string
	view fyne.CanvasObject
	keys formKeys

	who     *widget.Label
	level   *choice
	edition *choice
	moud    *choice
	needs   *entry
	levelP  *widget.Label
	problem *widget.Label
	save    *widget.Button
}

func newAssessScreen(a *App, sess *data.Session, id string) *assessScreen {
	s := &assessScreen{app: a, sess: sess, id: id, who: widget.NewLabel(""), levelP: problem(), problem: problem()}
	s.keys = formKeys{submit: s.onSave, cancel: s.onCancel}
	k := &s.keys
	labels := make([]string, len(data.Levels))
	for i, l := range data.Levels {
		labels[i] = levelLabel(l)
	}
	s.level = a.newChoice(data.Levels, labels, k)
	s.level.vertical = true
	s.level.OnChanged = func(string) { say(s.levelP, "") }
	s.edition = a.newChoice(data.ASAMEditions, []string{lang.L("3rd edition (2013)"), lang.L("4th edition (2023)")}, k)
	s.edition.SetValue("3")
	s.moud = a.newChoice(data.MOUDs, moudLabels(), k)
	s.needs = a.newEntry()
	s.needs.MultiLine = true
	s.needs.Wrapping = fyne.TextWrapWord
	s.needs.SetMinRowsVisible(4)
	s.needs.SetPlaceHolder(lang.L("What else matters for a placement: no phone, a dog, childcare, court date… (Shift+Enter saves)"))
	s.needs.OnSubmitted = func(string) { s.onSave() }
	s.needs.onEscape = s.onCancel
	s.needs.keys = k
	s.who.TextStyle.Bold = true

	s.save = primary(lang.L("Save assessment"), theme.ConfirmIcon(), s.onSave)
	back := widget.NewButtonWithIcon(lang.L("Back"), theme.NavigateBackIcon(), s.onCancel)
	form := container.NewVBox(
		labelled(lang.L("Level of care (ASAM)"), s.level, s.levelP),
		labelled(lang.L("ASAM criteria"), s.edition, nil),
		labelled(lang.L("Medication the person is interested in"), s.moud, nil),
		labelled(lang.L("Needs"), s.needs, nil),
	)
	top := container.NewVBox(container.NewHBox(back, heading(lang.L("Assessment")), layout.NewSpacer(), s.who), widget.NewSeparator())
	bottom := container.NewVBox(widget.NewSeparator(), s.problem, container.NewHBox(layout.NewSpacer(), s.save))
	s.keys.scroll = container.NewVScroll(form)
	s.view = container.NewBorder(top, bottom, nil, nil, s.keys.scroll)
	return s
}

func (s *assessScreen) content() fyne.CanvasObject { return s.view }

func (s *assessScreen) onShow() {
	l, err := s.sess.CaseLine(s.app.ctx(), s.id)
	if err != nil {
		say(s.problem, s.app.errorText(err))
		return
	}
	s.who.SetText(lang.L("For {{.Name}} · case {{.Short}}", map[string]string{"Name": l.Display, "Short": l.Short}))
	if s.level.Value() == "" && l.Level != "" {
		s.level.SetValue(l.Level)
	}
	s.app.win.Canvas().Focus(s.level)
}

func (s *assessScreen) onTick() {}

func (s *assessScreen) onCancel() { s.app.shell.back() }

func (s *assessScreen) onSave() {
	if s.level.Value() == "" {
		say(s.levelP, lang.L("Choose the level of care."))
		s.app.win.Canvas().Focus(s.level)
		return
	}
	err := s.sess.Assess(s.app.ctx(), s.id, data.Assessment{Level: s.level.Value(), Edition: s.edition.Value(),
		MOUD: s.moud.Value(), Needs: strings.TrimSpace(s.needs.Text)})
	if err != nil {
		say(s.problem, s.app.errorText(err))
		return
	}
	s.app.shell.closePage("assess:" + s.id)
}
