package gui

import (
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

// settingsScreen holds this computer's settings (the idle lock, the
// workflow's clocks) and says who is logged in; its Sync tab is
// settings_sync.go.
type settingsScreen struct {
	app  *App
	sess *data.Session
	view fyne.CanvasObject

	minutes *field
	save    *widget.Button
	saved   *widget.Label
	clocks  *flowSettings
	sync    *syncPane // the Sync tab
	tabs    *container.AppTabs
}

func newSettingsScreen(a *App, sess *data.Session) *settingsScreen {
	s := &settingsScreen{app: a, sess: sess, minutes: newField(lang.L("Lock the window after this many minutes without use"), a.newEntry()),
		saved: widget.NewLabel(""), clocks: newFlowSettings(a)}
	s.minutes.entry.OnSubmitted = func(string) { s.onSave() }
	s.minutes.entry.OnChanged = func(string) { s.saved.SetText("") }
	s.save = widget.NewButton(lang.L("Save"), s.onSave)
	s.save.Importance = widget.HighImportance

	agency := ""
	if ag, err := sess.Agency(a.ctx()); err == nil {
		agency = ag.Name
	} else {
		a.log.Error("read agency", "err", err)
	}
	u := &sess.User
	who := widget.NewForm(
		widget.NewFormItem(lang.L("Name"), widget.NewLabel(displayName(u))),
		widget.NewFormItem(lang.L("User name"), widget.NewLabel(u.Username)),
		widget.NewFormItem(lang.L("Role"), widget.NewLabel(roleName(u.Role))),
		widget.NewFormItem(lang.L("Agency"), widget.NewLabel(agency)),
	)
	folder := widget.NewLabel(a.dir)
	folder.Selectable = true
	folder.Wrapping = fyne.TextWrapBreak

	here := container.NewVScroll(container.NewVBox(
		heading(lang.L("Settings")),
		subheading(lang.L("This computer")),
		sentence(lang.L("A station PC is shared: after the minutes below without a key or the mouse, the window hides the work and asks for the password. Use 1 to 120 minutes.")),
		s.minutes.label,
		container.NewHBox(column(100, s.minutes.entry), s.save),
		s.minutes.problem,
		s.saved,
		widget.NewSeparator(),
		s.clocks.view,
		widget.NewSeparator(),
		subheading(lang.L("You")),
		who,
		widget.NewSeparator(),
		subheading(lang.L("Data folder")),
		folder,
		layout.NewSpacer(),
	))
	s.sync = newSyncPane(a, sess)
	s.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.L("This computer"), theme.ComputerIcon(), here),
		container.NewTabItemWithIcon(lang.L("Sync"), theme.ViewRefreshIcon(), s.sync.view))
	s.tabs.OnSelected = func(t *container.TabItem) {
		if t.Content == s.sync.view {
			s.sync.load()
		}
	}
	s.view = s.tabs
	return s
}

func (s *settingsScreen) content() fyne.CanvasObject { return s.view }

// onShow fills the field with the saved setting, unless something was
// typed there and not saved yet.
func (s *settingsScreen) onShow() {
	if s.minutes.entry.Text == "" {
		s.minutes.entry.SetText(strconv.Itoa(int(s.app.idleLimit() / time.Minute)))
		s.saved.SetText("")
	}
	s.clocks.load()
	if s.tabs.SelectedIndex() == 1 {
		s.sync.load()
	}
}

func (s *settingsScreen) onTick() {}

func (s *settingsScreen) onSave() {
	n, ok := parseIdleMinutes(strings.TrimSpace(s.minutes.entry.Text))
	if !ok {
		s.minutes.setProblem(lang.L("Type a whole number of minutes from 1 to 120."))
		return
	}
	s.minutes.setProblem("")
	if err := s.app.store.SetSetting(s.app.ctx(), idleSetting, strconv.Itoa(n)); err != nil {
		s.minutes.setProblem(s.app.errorText(err))
		return
	}
	s.app.idle.setLimit(time.Duration(n) * time.Minute)
	s.minutes.entry.SetText(strconv.Itoa(n))
	s.saved.SetText(lang.LocalizePlural("Saved. The window locks after {{.Count}} minutes without use.", n, map[string]int{"Count": n}))
}
