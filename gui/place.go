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

// placeScreen answers "is this where they go?": the facility the bed was
// found at (chosen on the facility directory's screen, which calls
// a.placeCase), how the person gets there, and the check-ins that will
// follow. Confirming records the placement and stops the clock.
type placeScreen struct {
	app  *App
	sess *data.Session
	id   string
	view fyne.CanvasObject
	keys formKeys

	facilityID string
	who        *widget.Label
	facility   *fyne.Container
	transport  *choice
	transportP *widget.Label
	plan       *widget.Label
	problem    *widget.Label
	confirm    *widget.Button
}

func newPlaceScreen(a *App, sess *data.Session, id string) *placeScreen {
	s := &placeScreen{app: a, sess: sess, id: id, who: widget.NewLabel(""), facility: container.NewVBox(),
		transportP: problem(), plan: sentence(""), problem: problem()}
	s.keys = formKeys{submit: s.onConfirm, cancel: s.onCancel}
	s.who.TextStyle.Bold = true
	s.transport = a.newChoice(data.Transports, transportLabels(), &s.keys)
	s.transport.OnChanged = func(string) { say(s.transportP, "") }
	days := make([]string, len(data.DefaultCheckInPlan))
	for i, d := range data.DefaultCheckInPlan {
		days[i] = lang.L("day {{.Day}}", map[string]int{"Day": d})
	}
	s.plan.SetText(lang.L("After the placement the coach gets check-ins due on {{.Days}} after today.",
		map[string]string{"Days": strings.Join(days, ", ")}))
	s.confirm = primary(lang.L("Confirm placement"), theme.ConfirmIcon(), s.onConfirm)
	back := widget.NewButtonWithIcon(lang.L("Back"), theme.NavigateBackIcon(), s.onCancel)
	form := container.NewVBox(
		labelled(lang.L("Facility"), s.facility, nil),
		labelled(lang.L("How the person gets there"), s.transport, s.transportP),
		s.plan,
	)
	top := container.NewVBox(container.NewHBox(back, heading(lang.L("Placement")), layout.NewSpacer(), s.who), widget.NewSeparator())
	bottom := container.NewVBox(widget.NewSeparator(), s.problem, container.NewHBox(layout.NewSpacer(), s.confirm))
	s.view = container.NewBorder(top, bottom, nil, nil, container.NewVScroll(form))
	return s
}

func (s *placeScreen) content() fyne.CanvasObject { return s.view }

// setFacility is the facility chosen for the case.
func (s *placeScreen) setFacility(id string) {
	s.facilityID = id
	s.showFacility()
}

func (s *placeScreen) onShow() {
	l, err := s.sess.CaseLine(s.app.ctx(), s.id)
	if err != nil {
		say(s.problem, s.app.errorText(err))
		return
	}
	s.who.SetText(lang.L("For {{.Name}} · case {{.Short}}", map[string]string{"Name": l.Display, "Short": l.Short}))
	s.showFacility()
	s.app.win.Canvas().Focus(s.transport)
}

func (s *placeScreen) onTick() {}

func (s *placeScreen) showFacility() {
	defer s.view.Refresh() // the facility's lines change the form's layout
	s.facility.RemoveAll()
	if s.facilityID == "" {
		s.facility.Add(sentence(lang.L("No facility chosen: find a bed first, then choose “Place here”.")))
		s.confirm.Disable()
		return
	}
	f, err := s.sess.FacilityByID(s.app.ctx(), s.facilityID)
	if err != nil {
		say(s.problem, s.app.errorText(err))
		s.confirm.Disable()
		return
	}
	s.confirm.Enable()
	name := subheading(f.Name)
	s.facility.Add(name)
	addr := joinDot(strings.TrimSpace(f.Street+" "+f.Street2), f.City, strings.TrimSpace(f.State+" "+f.ZIP))
	if addr != "" {
		s.facility.Add(widget.NewLabel(addr))
	}
	phone := f.IntakePhone
	if phone == "" {
		phone = f.Phone
	}
	if phone != "" {
		s.facility.Add(phoneRow(s.app, phone))
	}
}

func (s *placeScreen) onCancel() { s.app.shell.back() }

// onConfirm records the placement, then shows the case.
func (s *placeScreen) onConfirm() {
	if s.facilityID == "" {
		return
	}
	if s.transport.Value() == "" {
		say(s.transportP, lang.L("Choose how the person gets there."))
		s.app.win.Canvas().Focus(s.transport)
		return
	}
	err := s.sess.Place(s.app.ctx(), s.id, data.Placement{Facility: s.facilityID, Transport: s.transport.Value()})
	if err != nil {
		say(s.problem, s.app.errorText(err))
		return
	}
	a := s.app
	a.shell.closePage("place:" + s.id)
	a.openCase(s.id)
}
