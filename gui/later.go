package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
)

// laterScreen stands in for a section that is not built yet: it says so in
// one plain sentence, and what the section will do. Nothing fake.
type laterScreen struct {
	view fyne.CanvasObject
}

func newLaterScreen(id string) *laterScreen {
	var title, text string
	switch id {
	case "facilities":
		title = lang.L("Facilities")
		text = lang.L("The facility directory is not built yet. It will list treatment programs with their open slots, payment and level of care, ranked for each case.")
	case "checkins":
		title = lang.L("Check-ins")
		text = lang.L("Check-ins are not built yet. They will list the follow-up calls each coach has due, from the first day to a year after placement.")
	case "reports":
		title = lang.L("Reports")
		text = lang.L("Reports are not built yet. They will give the program's figures for any period: contacts, placements, time to placement and retention.")
	}
	return &laterScreen{view: container.NewVBox(heading(title), sentence(text))}
}

func (s *laterScreen) content() fyne.CanvasObject { return s.view }
func (s *laterScreen) onShow()                    {}
func (s *laterScreen) onTick()                    {}
