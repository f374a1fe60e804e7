package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// SetVersion gives the window the program's version, the string that
// `connectpoint version` prints (from git, set at build time), for the
// About section.
func (a *App) SetVersion(v string) { a.version = v }

// aboutScreen answers what a person on the phone with support is asked
// first: which program, which version, which data folder, which computer.
// It carries the §2.32 notice, since the window shows Part 2 records. It is
// the last entry of the navigation, for every role.
type aboutScreen struct {
	view    fyne.CanvasObject
	version *widget.Label
	folder  *widget.Label
	device  *widget.Label
	notice  *widget.Label
}

func newAboutScreen(a *App) *aboutScreen {
	version := a.version
	if version == "" {
		version = lang.L("not stamped (a development build)")
	}
	device := ""
	if a.store != nil {
		device = a.store.Device()
	}
	s := &aboutScreen{version: selectable(version), folder: selectable(a.dir), device: selectable(device),
		notice: sentence(lang.L("42 CFR part 2 prohibits unauthorized disclosure of these records."))}
	s.notice.TextStyle.Bold = true

	facts := widget.NewForm(
		widget.NewFormItem(lang.L("Version"), s.version),
		widget.NewFormItem(lang.L("Data folder"), s.folder),
		widget.NewFormItem(lang.L("This device"), s.device),
	)
	s.view = container.NewVScroll(container.NewVBox(
		heading(lang.L("About ConnectPoint")),
		container.NewHBox(logo(), container.NewCenter(subheading(lang.L("ConnectPoint")))),
		sentence(lang.L("Connects a person who asks a police station for help with a recovery coach and a treatment bed, and follows them through recovery.")),
		facts,
		sentence(lang.L("Whoever helps you with this computer may ask for these: select one to copy it.")),
		widget.NewSeparator(),
		s.notice,
	))
	return s
}

func (s *aboutScreen) content() fyne.CanvasObject { return s.view }
func (s *aboutScreen) onShow()                    {}
func (s *aboutScreen) onTick()                    {}

// selectable is a label whose text can be selected and copied, for what a
// person may need to read out or paste: a version, a folder, an ID.
func selectable(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Selectable = true
	l.Wrapping = fyne.TextWrapBreak
	return l
}
