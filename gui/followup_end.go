package gui

import (
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// endFollowUpForm asks why a placed case's follow-up ends.
type endFollowUpForm struct {
	reason  *widget.RadioGroup
	reasons map[string]string // the choice as shown -> data.FollowUpEnds
	problem *widget.Label
	confirm *widget.Button
	dialog  *dialog.CustomDialog
}

// mayEndFollowUp says whether this user may end the follow-up of the case:
// it is placed and they follow it up.
func (s *caseScreen) mayEndFollowUp() bool {
	return s.rec.Case.Status == data.StatusPlaced && s.sess.Can(data.ActCheckIn) &&
		s.sess.Can(data.ActPlacementView) && s.mine()
}

// onEndFollowUp asks why the follow-up ends, then closes the case: it
// leaves the check-ins, and its timeline says why.
func (s *caseScreen) onEndFollowUp() {
	a := s.app
	f := &endFollowUpForm{problem: problem(), reasons: map[string]string{}}
	s.endFollowUp = f
	var shown []string
	for _, r := range data.FollowUpEnds {
		label := followUpEndLabel(r)
		f.reasons[label] = r
		shown = append(shown, label)
	}
	f.reason = widget.NewRadioGroup(shown, func(string) { say(f.problem, "") })
	f.confirm = widget.NewButtonWithIcon(lang.L("End follow-up"), theme.ConfirmIcon(), func() { s.onConfirmEndFollowUp(f) })
	f.confirm.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.L("Cancel"), func() { f.dialog.Hide() })
	intro := sentence(lang.L("{{.Name}} leaves the check-ins. The case stays on record, closed, with the reason.",
		map[string]string{"Name": s.line.Display}))
	body := container.NewVBox(intro, labelled(lang.L("Why does the follow-up end?"), f.reason, nil), f.problem,
		container.NewHBox(layout.NewSpacer(), cancel, f.confirm))
	f.dialog = dialog.NewCustomWithoutButtons(lang.L("End follow-up"), column(480, body), a.win)
	f.dialog.Show()
}

// followUpEndLabel is a reason as the form offers it.
func followUpEndLabel(reason string) string {
	switch reason {
	case data.FollowUpCompleted:
		return lang.L("Follow-up completed")
	case data.FollowUpLost:
		return lang.L("Lost contact")
	case "moved away":
		return lang.L("Moved away")
	case "declined further contact":
		return lang.L("Declined further contact")
	case "deceased":
		return lang.L("Deceased")
	}
	return reason
}

// onConfirmEndFollowUp closes the case with the chosen reason.
func (s *caseScreen) onConfirmEndFollowUp(f *endFollowUpForm) {
	reason, ok := f.reasons[f.reason.Selected]
	if !ok {
		say(f.problem, lang.L("Choose why the follow-up ends."))
		return
	}
	err := s.sess.SetCaseFields(s.app.ctx(), s.id, map[string]string{"status": data.StatusClosed, "closed_at": "now",
		"close_reason": reason})
	if err != nil {
		say(f.problem, s.app.errorText(err))
		return
	}
	f.dialog.Hide()
	s.endFollowUp = nil
	s.onShow()
}
