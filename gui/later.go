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
	case "reports":
		title = lang.L("Reports")
		text = lang.L("Reports are not built yet. They will give the program's figures for any period: contacts, placements, time to placement and retention.")
	}
	return &laterScreen{view: container.NewVBox(heading(title), sentence(text))}
}

func (s *laterScreen) content() fyne.CanvasObject { return s.view }
func (s *laterScreen) onShow()                    {}
func (s *laterScreen) onTick()                    {}
