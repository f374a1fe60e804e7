package gui

import (
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// flowSettings are this computer's clocks of the workflow: when a case's
// clock turns amber and red, and how long a coach has to answer before the
// next is proposed. Part of the Settings screen.
type flowSettings struct {
	app   *App
	view  fyne.CanvasObject
	amber *field
	red   *field
	wait  *field
	saved *widget.Label
}

func newFlowSettings(a *App) *flowSettings {
	s := &flowSettings{app: a, saved: widget.NewLabel("")}
	keys := &formKeys{submit: s.onSave}
	s.amber = newField(lang.L("Amber after (minutes)"), keys.wire(a.newEntry()))
	s.red = newField(lang.L("Red, “late”, after (minutes)"), keys.wire(a.newEntry()))
	s.wait = newField(lang.L("Propose the next coach after (minutes)"), keys.wire(a.newEntry()))
	s.saved.Importance = widget.SuccessImportance
	save := widget.NewButton(lang.L("Save the clocks"), s.onSave)
	s.view = container.NewVBox(
		subheading(lang.L("Clocks of the workflow")),
		sentence(lang.L("The program's target is a placement within two hours of first contact. The case clocks turn amber, then red, at these ages; a coach who has not answered a call is passed over after the last.")),
		container.NewHBox(column(200, s.amber.box), column(200, s.red.box), column(260, s.wait.box)),
		container.NewHBox(save, s.saved),
	)
	return s
}

// load fills the fields with the settings in force, unless something was
// typed there and not saved yet.
func (s *flowSettings) load() {
	if s.amber.entry.Text != "" {
		return
	}
	l := s.app.clockLimits()
	s.amber.entry.SetText(strconv.Itoa(int(l.amber / time.Minute)))
	s.red.entry.SetText(strconv.Itoa(int(l.red / time.Minute)))
	s.wait.entry.SetText(strconv.Itoa(int(s.app.minutesSetting(dispatchWaitSetting, 10*time.Minute) / time.Minute)))
	s.saved.SetText("")
}

func (s *flowSettings) onSave() {
	a := s.app
	s.saved.SetText("")
	read := func(f *field) (int, bool) {
		n, err := strconv.Atoi(strings.TrimSpace(f.entry.Text))
		if err != nil || n < 1 || n > 24*60 {
			f.setProblem(lang.L("A whole number of minutes, 1 to 1440."))
			return 0, false
		}
		f.setProblem("")
		return n, true
	}
	amber, ok1 := read(s.amber)
	red, ok2 := read(s.red)
	wait, ok3 := read(s.wait)
	if !ok1 || !ok2 || !ok3 {
		return
	}
	if red < amber {
		s.red.setProblem(lang.L("Red comes after amber: use {{.Amber}} or more.", map[string]int{"Amber": amber}))
		return
	}
	for key, n := range map[string]int{amberSetting: amber, redSetting: red, dispatchWaitSetting: wait} {
		if err := a.store.SetSetting(a.ctx(), key, strconv.Itoa(n)); err != nil {
			s.saved.SetText(a.errorText(err))
			return
		}
	}
	s.saved.SetText(lang.L("Saved."))
}
