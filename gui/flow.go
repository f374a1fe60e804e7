package gui

import (
	"strings"

	"fyne.io/fyne/v2"

	"connectpoint/data"
)

// The workflow's pages: the screens that are not sections of the
// navigation (an intake, a case, calling coaches, an assessment, a
// placement, a check-in). A page is shown in place of the section, and
// kept once built, so that what was typed in it survives going elsewhere,
// the idle lock and coming back; it is dropped when its work is done.
//
// The facility directory's screens (facilities*.go, findbed.go) give the
// workflow a.showFindBed(caseID) and a.openSlotsNear(limit); their "Place
// here" calls a.placeChosen, which New sets to a.placeCase: the placement
// page opens with that facility.

// pageEntry is one page and where Back goes from it.
type pageEntry struct {
	key  string
	sc   screen
	back string // "section:<id>" or "page:<key>"
}

// pages are the shell's open pages.
type pages struct {
	byKey   map[string]*pageEntry
	current string // the page on screen, "" when a section is
}

// here names what is on screen, as a place to come back to.
func (s *shell) here() string {
	switch {
	case s.pages.current != "":
		return "page:" + s.pages.current
	case s.current >= 0:
		return "section:" + s.sections[s.current].id
	}
	return "section:dashboard"
}

// showPage shows the page key, building it the first time. Back from a new
// page, or one opened from a section, goes to where the user was.
func (s *shell) showPage(key string, build func() screen) screen {
	from := s.here()
	if s.pages.byKey == nil {
		s.pages.byKey = map[string]*pageEntry{}
	}
	p := s.pages.byKey[key]
	isNew := p == nil
	if isNew {
		if build == nil {
			return nil
		}
		p = &pageEntry{key: key, sc: build()}
		s.pages.byKey[key] = p
		s.content.Add(p.sc.content())
	}
	if from != "page:"+key && (isNew || !strings.HasPrefix(from, "page:")) {
		p.back = from
	}
	s.reveal(p.sc.content())
	s.pages.current = key
	if s.current >= 0 {
		s.current = -1
		s.nav.UnselectAll()
	}
	p.sc.onShow()
	return p.sc
}

// page returns the open page key, nil if there is none.
func (s *shell) page(key string) screen {
	if p := s.pages.byKey[key]; p != nil {
		return p.sc
	}
	return nil
}

// reveal shows obj in the content area and hides every other screen.
func (s *shell) reveal(obj fyne.CanvasObject) {
	s.app.win.Canvas().Unfocus()
	for _, o := range s.content.Objects {
		if o != obj {
			o.Hide()
		}
	}
	obj.Show()
	s.content.Refresh()
}

// hidePages takes the open page off the screen (a section is opening).
func (s *shell) hidePages() {
	for _, p := range s.pages.byKey {
		p.sc.content().Hide()
	}
	s.pages.current = ""
}

// closePage drops the page key; if it was on screen, Back is taken.
func (s *shell) closePage(key string) {
	p := s.pages.byKey[key]
	if p == nil {
		return
	}
	delete(s.pages.byKey, key)
	s.content.Remove(p.sc.content())
	if s.pages.current == key {
		s.pages.current = ""
		s.goTo(p.back)
	}
}

// back leaves the page on screen for where the user came from.
func (s *shell) back() {
	if p := s.pages.byKey[s.pages.current]; p != nil {
		s.goTo(p.back)
	}
}

// backOf is where Back goes from the page key.
func (s *shell) backOf(key string) string {
	if p := s.pages.byKey[key]; p != nil {
		return p.back
	}
	return "section:dashboard"
}

// goTo shows a place named by here.
func (s *shell) goTo(place string) {
	if key, ok := strings.CutPrefix(place, "page:"); ok {
		if s.pages.byKey[key] != nil {
			s.showPage(key, nil)
			return
		}
		place = "section:dashboard"
	}
	id := strings.TrimPrefix(place, "section:")
	s.hidePages()
	for i, sec := range s.sections {
		if sec.id == id {
			if s.current == i {
				s.onNav(i) // already selected: the list would not call it
			} else {
				s.nav.Select(i)
			}
			return
		}
	}
	s.select0()
}

func (s *shell) tickPage() {
	if p := s.pages.byKey[s.pages.current]; p != nil {
		p.sc.onTick()
	}
}

// The ways into the workflow's pages.

// onNewIntake (Ctrl+N) opens the intake form, with the draft if one was
// left unfinished.
func (a *App) onNewIntake() {
	a.idle.touch()
	if a.shell == nil || a.locked() || a.session != a.shell.view || !a.sess.Can(data.ActCaseCreate) {
		return
	}
	a.shell.showPage("intake", func() screen { return newIntakeScreen(a, a.sess) })
	if s, ok := a.shell.page("intake").(*intakeScreen); ok {
		s.focusFirst()
	}
}

// openCase opens the full record of a case (the opening is audited).
func (a *App) openCase(id string) {
	if a.shell == nil {
		return
	}
	a.shell.showPage("case:"+id, func() screen { return newCaseScreen(a, a.sess, id) })
}

// openDispatch opens the calls to coaches for a case.
func (a *App) openDispatch(id string) {
	a.shell.showPage("dispatch:"+id, func() screen { return newDispatchScreen(a, a.sess, id) })
}

// openAssess opens the assessment of a case.
func (a *App) openAssess(id string) {
	a.shell.showPage("assess:"+id, func() screen { return newAssessScreen(a, a.sess, id) })
}

// placeCase opens the placement of a case at facilityID: the facility
// directory's "Place here" calls it.
func (a *App) placeCase(caseID, facilityID string) {
	if a.shell == nil {
		return
	}
	sc := a.shell.showPage("place:"+caseID, func() screen { return newPlaceScreen(a, a.sess, caseID) })
	sc.(*placeScreen).setFacility(facilityID)
}

// openCheckIn opens the check-in form of a case, for the check-in due.
func (a *App) openCheckIn(caseID string, due *data.DueCheckIn) {
	sc := a.shell.showPage("checkin:"+caseID, func() screen { return newCheckInForm(a, a.sess, caseID) })
	sc.(*checkInForm).setDue(due)
}

// onEscape (Esc with no field focused) leaves the page on screen.
func (a *App) onEscape() {
	if a.shell == nil || a.locked() || a.session != a.shell.view {
		return
	}
	a.shell.back()
}
