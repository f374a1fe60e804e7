package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// shell is the main layout of a logged-in user: the header bar, the
// sections the user's role may use on the left, the chosen one on the
// right. Each section's screen is built the first time it is opened and
// then kept, so what was typed in it survives going elsewhere and back.
type shell struct {
	app  *App
	sess *data.Session
	view fyne.CanvasObject

	agency   *widget.Label
	syncSpot *fyne.Container // where the sync status goes, once sync exists
	// conflicts says how many fields wait for a person to choose: a button
	// to the Conflicts screen for those who may choose, else words.
	conflicts     *widget.Button
	conflictsNote *widget.Label
	nav           *widget.List
	content       *fyne.Container

	sections []section
	current  int
	cases    *casesScreen // also reached with Ctrl+F
	pages    pages        // intake, case, dispatch... (flow.go)
}

// screen is what a section shows.
type screen interface {
	content() fyne.CanvasObject
	onShow() // the section was opened: load fresh data
	onTick() // time passed: move the clocks
}

// section is one entry of the navigation.
type section struct {
	id     string
	title  string
	badge  int // a count shown after the title (check-ins due)
	icon   fyne.Resource
	build  func() screen
	screen screen // built on first use
}

// sectionAction says which permission a section needs (data enforces the
// same; hiding is for clarity, not protection).
var sectionAction = map[string]data.Action{
	"dashboard":  data.ActCaseList,
	"cases":      data.ActCaseList,
	"coaches":    data.ActRosterView,
	"facilities": data.ActDirectoryView,
	"checkins":   data.ActCheckIn,
	"reports":    data.ActReports,
	"conflicts":  data.ActConflicts,
	// The idle-lock delay of a shared station PC is the device's
	// administrator's call.
	"settings": data.ActDevices,
}

func newShell(a *App, sess *data.Session) *shell {
	s := &shell{app: a, sess: sess, current: -1}
	all := []section{
		{id: "dashboard", title: lang.L("Dashboard"), icon: theme.HomeIcon(), build: func() screen { return newDashboardScreen(a, sess) }},
		{id: "cases", title: lang.L("Cases"), icon: theme.ListIcon(), build: func() screen {
			s.cases = newCasesScreen(a, sess)
			return s.cases
		}},
		{id: "coaches", title: lang.L("Coaches"), icon: theme.AccountIcon(), build: func() screen { return newCoachesScreen(a, sess) }},
		{id: "facilities", title: lang.L("Facilities"), icon: theme.StorageIcon(), build: func() screen { return newFacilitiesScreen(a, sess) }},
		{id: "checkins", title: lang.L("Check-ins"), icon: theme.CalendarIcon(), build: func() screen { return newCheckInsScreen(a, sess) }},
		{id: "reports", title: lang.L("Reports"), icon: theme.GridIcon(), build: func() screen { return newReportsScreen(a, sess) }},
		{id: "conflicts", title: lang.L("Conflicts"), icon: theme.WarningIcon(), build: func() screen { return newConflictsScreen(a, sess) }},
		{id: "settings", title: lang.L("Settings"), icon: theme.SettingsIcon(), build: func() screen { return newSettingsScreen(a, sess) }},
		{id: "about", title: lang.L("About"), icon: theme.InfoIcon(), build: func() screen { return newAboutScreen(a) }},
	}
	for _, sec := range all {
		if sec.id == "about" || sess.Can(sectionAction[sec.id]) { // About is for everyone
			s.sections = append(s.sections, sec)
		}
	}

	s.nav = widget.NewList(
		func() int { return len(s.sections) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(theme.HomeIcon()), widget.NewLabel("Check-ins xx"))
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			row.Objects[0].(*widget.Icon).SetResource(s.sections[i].icon)
			row.Objects[1].(*widget.Label).SetText(navTitle(&s.sections[i]))
		},
	)
	s.nav.OnSelected = s.onNav
	s.content = container.NewStack()
	s.view = container.NewBorder(s.header(), nil,
		container.NewHBox(column(190, s.nav), widget.NewSeparator()), nil,
		s.content)
	if n, err := a.store.ConflictCount(a.ctx()); err == nil {
		s.setConflicts(n)
	} else {
		a.log.Error("count conflicts", "err", err)
	}
	return s
}

// header is the bar across the top: the program on the left; on the right
// the sync status (empty until sync exists), who is logged in, and Lock.
func (s *shell) header() fyne.CanvasObject {
	name := lang.L("ConnectPoint")
	if ag, err := s.sess.Agency(s.app.ctx()); err == nil && ag.Name != "" {
		name = joinDot(name, ag.Name)
	} else if err != nil {
		s.app.log.Error("read agency", "err", err)
	}
	s.agency = widget.NewLabel(name)
	s.agency.TextStyle.Bold = true
	s.agency.SizeName = theme.SizeNameSubHeadingText
	s.syncSpot = container.NewStack()
	s.conflicts = widget.NewButtonWithIcon("", theme.WarningIcon(), func() { s.open("conflicts") })
	s.conflicts.Importance = widget.WarningImportance
	s.conflicts.Hide()
	s.conflictsNote = widget.NewLabel("")
	s.conflictsNote.Hide()
	who := widget.NewLabel(joinDot(displayName(&s.sess.User), roleName(s.sess.User.Role)))
	lock := widget.NewButtonWithIcon(lang.L("Lock"), theme.VisibilityOffIcon(), s.app.lockNow)
	bar := container.NewHBox(s.agency, layout.NewSpacer(), s.syncSpot, s.conflicts, s.conflictsNote, who, lock)
	return container.NewVBox(bar, widget.NewSeparator())
}

// setConflicts shows how many fields are in conflict, in the header and
// on the Conflicts section.
func (s *shell) setConflicts(n int) {
	s.setBadge("conflicts", n)
	if s.sess.Can(data.ActConflicts) {
		s.conflicts.SetText(lang.LocalizePlural("{{.Count}} conflicts waiting", n, map[string]int{"Count": n}))
		s.conflicts.Hidden = n == 0
		s.conflicts.Refresh()
		return
	}
	s.conflictsNote.SetText(lang.LocalizePlural("{{.Count}} conflicts wait for a coordinator", n, map[string]int{"Count": n}))
	s.conflictsNote.Hidden = n == 0
	s.conflictsNote.Refresh()
}

// currentSection is the section on screen, nil before one is open.
func (s *shell) currentSection() *section {
	if s.current < 0 {
		return nil
	}
	return &s.sections[s.current]
}

// shownConflicts is how many conflicts the Conflicts screen lists now.
func (s *shell) shownConflicts() int {
	for _, sec := range s.sections {
		if c, ok := sec.screen.(*conflictsScreen); ok {
			return len(c.conflicts)
		}
	}
	return 0
}

// select0 opens the first section the user may use.
func (s *shell) select0() {
	if len(s.sections) > 0 {
		s.nav.Select(0)
	}
}

// onNav opens section i, building its screen the first time.
func (s *shell) onNav(i widget.ListItemID) {
	if i < 0 || i >= len(s.sections) {
		return
	}
	s.hidePages()
	sec := &s.sections[i]
	if sec.screen == nil {
		sec.screen = sec.build()
		s.content.Add(sec.screen.content())
	}
	for j := range s.sections {
		if sc := s.sections[j].screen; sc != nil && j != i {
			sc.content().Hide()
		}
	}
	sec.screen.content().Show()
	s.current = i
	sec.screen.onShow()
	s.content.Refresh()
}

// open opens the section with the given id, if the user has it.
func (s *shell) open(id string) bool {
	for i, sec := range s.sections {
		if sec.id == id {
			if s.current != i {
				s.nav.Select(i)
			}
			return true
		}
	}
	return false
}

// focusCaseSearch opens Cases and puts the cursor in its search.
func (s *shell) focusCaseSearch() {
	if s.open("cases") && s.cases != nil {
		s.app.win.Canvas().Focus(s.cases.search)
	}
}

func (s *shell) onTick() {
	if s.current >= 0 {
		s.sections[s.current].screen.onTick()
	}
	s.tickPage()
}

// roleName is a role as people say it.
func roleName(r data.Role) string {
	switch r {
	case data.RoleOfficer:
		return lang.L("officer")
	case data.RoleCoach:
		return lang.L("coach")
	case data.RoleCoordinator:
		return lang.L("coordinator")
	case data.RoleAdmin:
		return lang.L("administrator")
	}
	return string(r)
}
