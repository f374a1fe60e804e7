package gui

import (
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"connectpoint/assets"
	"connectpoint/data"
)

// What the facility screens give the rest of the window: Find a bed for a
// case, the open slots near the station for the dashboard, and the
// placement the station workflow records when someone presses "Place
// here". Also the directory held in memory that they all read.

// showFindBed opens Find a bed for a case, in the Facilities section. Back
// returns to the section it was called from.
func (a *App) showFindBed(caseID string) {
	if a.shell == nil {
		return
	}
	from := a.shell.current
	fs := a.facilities()
	if fs == nil {
		return
	}
	fs.showFindBed(caseID, from)
}

// openSlotsNear is the dashboard's list of facilities with fresh open
// slots, nearest the station first, at most limit of them:
//
//	Gateway Aurora   residential  2 open · 40 min  11 mi
//
// or one sentence when there are none. A tap on a name opens the facility.
func (a *App) openSlotsNear(limit int) fyne.CanvasObject {
	if a.sess == nil {
		return container.NewVBox()
	}
	// The rows at once when the directory is in memory; else a sentence,
	// replaced by the rows once the directory has been read.
	box := container.NewVBox(sentence(lang.L("Reading the directory…")))
	var rows fyne.CanvasObject
	waiting := true
	a.withDirectory(func(dir *data.Directory, err error) {
		if waiting {
			rows = a.openSlotRows(dir, err, limit)
			return
		}
		box.Objects = []fyne.CanvasObject{a.openSlotRows(dir, err, limit)}
		box.Refresh()
		// The rows are taller than the sentence: lay the window out again.
		if c := fyne.CurrentApp().Driver().CanvasForObject(box); c != nil && c.Content() != nil {
			c.Content().Refresh()
		}
	})
	waiting = false
	if rows != nil {
		return rows
	}
	return box
}

func (a *App) openSlotRows(dir *data.Directory, err error, limit int) fyne.CanvasObject {
	if err != nil {
		return sentence(a.errorText(err))
	}
	origin, _ := a.stationOrigin()
	stale := a.staleAfter()
	now := a.now()
	near := dir.Nearest(origin, now, stale, limit)
	if len(near) == 0 {
		return sentence(lang.L("No open slots reported in the last {{.Hours}} hours. Report one from Facilities.",
			map[string]int{"Hours": int(stale / time.Hour)}))
	}
	rows := container.NewVBox()
	for _, l := range near {
		id := l.Facility.ID
		name := widget.NewHyperlink(l.Facility.Name, nil)
		name.OnTapped = func() { a.showFacility(id) }
		name.Truncation = fyne.TextTruncateEllipsis
		slots := widget.NewLabel(lang.L("{{.Open}} open · {{.Ago}}", map[string]any{"Open": l.Slots.Open, "Ago": shortAgo(now.Sub(l.Slots.At))}))
		slots.Importance = widget.SuccessImportance
		slots.TextStyle.Bold = true
		dist := widget.NewLabel(nearWords(l.DistanceMiles, l.Approx))
		dist.Alignment = fyne.TextAlignTrailing
		// Fixed columns on the right, so that the rows line up.
		rows.Add(container.NewBorder(nil, nil, nil,
			container.New(columns{100, 130, 90}, widget.NewLabel(settingWord(l.Services)), slots, dist), name))
	}
	return rows
}

// nearWords is a distance in a tight column: "0.5 mi", "11 mi", "about 11
// mi" when approximate.
func nearWords(miles float64, approx bool) string {
	switch {
	case miles < 0:
		return lang.L("distance unknown")
	case approx:
		return lang.L("about {{.Miles}} mi", map[string]int{"Miles": max(1, int(miles+0.5))})
	case miles < 10:
		return lang.L("{{.Miles}} mi", map[string]string{"Miles": strconv.FormatFloat(miles, 'f', 1, 64)})
	}
	return lang.L("{{.Miles}} mi", map[string]string{"Miles": strconv.Itoa(int(miles + 0.5))})
}

// onPlaceChosen hands "Place here" to the station workflow. It reports
// false when this build has no placement to hand it to.
func (a *App) onPlaceChosen(caseID, facilityID string) bool {
	if a.placeChosen == nil {
		return false
	}
	a.placeChosen(caseID, facilityID)
	return true
}

// showFacility opens a facility's detail in the Facilities section.
func (a *App) showFacility(id string) {
	if fs := a.facilities(); fs != nil {
		fs.openDetail(id)
	}
}

// facilities opens the Facilities section and returns its screen, or nil
// when the user has no such section.
func (a *App) facilities() *facilitiesScreen {
	if a.shell == nil || !a.shell.open("facilities") {
		return nil
	}
	for _, sec := range a.shell.sections {
		if fs, ok := sec.screen.(*facilitiesScreen); ok {
			return fs
		}
	}
	return nil
}

// facilityCache is the directory in memory, shared by the facility
// screens and the dashboard. It is read again after this window changes
// the directory, after a minute (slot reports from other stations arrive
// with sync), or for another user.
type facilityCache struct {
	sess    *data.Session
	dir     *data.Directory
	loaded  time.Time
	gen     int // counts the changes this window made
	loading bool
	waiting []func(*data.Directory, error)
}

// directoryMaxAge is how long the directory in memory is used before it is
// read again.
const directoryMaxAge = time.Minute

// withDirectory calls done on the UI thread with the directory and each
// facility's latest slot report: at once when it is in memory, else once it
// has been read away from the window (20,000 facilities take about a
// second).
func (a *App) withDirectory(done func(*data.Directory, error)) {
	c := &a.facCache
	now := a.now()
	if c.dir != nil && c.sess == a.sess && now.Sub(c.loaded) < directoryMaxAge && !now.Before(c.loaded) {
		done(c.dir, nil)
		return
	}
	c.waiting = append(c.waiting, done)
	if !c.loading {
		a.loadDirectory()
	}
}

func (a *App) loadDirectory() {
	c := &a.facCache
	c.loading = true
	sess, gen := a.sess, c.gen
	zips, err := assets.ZIPs()
	if err != nil {
		a.log.Error("load ZIP centroids", "err", err)
		zips = nil // facilities without coordinates then have no distance
	}
	a.background(func() {
		dir, err := sess.LoadDirectory(a.ctx(), zips)
		fyne.Do(func() {
			switch {
			case a.sess != sess:
				// Logged out meanwhile: the screens that asked are gone.
				*c = facilityCache{gen: c.gen}
				return
			case c.gen != gen:
				a.loadDirectory() // changed while it was read: read it again
				return
			}
			waiting := c.waiting
			c.waiting, c.loading = nil, false
			if err == nil {
				c.sess, c.dir, c.loaded = sess, dir, a.now()
			}
			for _, f := range waiting {
				f(dir, err)
			}
		})
	})
}

// directoryChanged forgets the directory in memory after this window
// changed it.
func (a *App) directoryChanged() {
	a.facCache.dir = nil
	a.facCache.gen++
}

// Device settings the facility screens read.
const (
	settingStationZIP   = "station_zip"            // where distances are measured from; else the agency's ZIP
	settingStaleHours   = "stale_hours"            // slot reports older than this are out of date (default 12)
	settingImportFolder = "facility_import_folder" // where the last directory file came from
)

// stationZIP is where this computer is: its own setting, else the agency's.
func (a *App) stationZIP() string {
	if v, err := a.store.Setting(a.ctx(), settingStationZIP); err == nil && strings.TrimSpace(v) != "" {
		return strings.TrimSpace(v)
	} else if err != nil {
		a.log.Error("read setting", "key", settingStationZIP, "err", err)
	}
	if a.sess == nil {
		return ""
	}
	ag, err := a.sess.Agency(a.ctx())
	if err != nil {
		a.log.Error("read agency", "err", err)
		return ""
	}
	return ag.ZIP
}

// stationOrigin locates the station; ok is false when its ZIP is unknown.
func (a *App) stationOrigin() (data.LatLon, bool) {
	return locateZIP(a.stationZIP())
}

// locateZIP finds a ZIP code on the map.
func locateZIP(zip string) (data.LatLon, bool) {
	zips, err := assets.ZIPs()
	if err != nil {
		return data.LatLon{}, false
	}
	p, _, ok := zips.Locate(zip)
	return p, ok
}

// staleAfter is the age at which a slot report is out of date.
func (a *App) staleAfter() time.Duration {
	v, err := a.store.Setting(a.ctx(), settingStaleHours)
	if err != nil {
		a.log.Error("read setting", "key", settingStaleHours, "err", err)
	}
	if h, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && h > 0 && h <= 24*14 {
		return time.Duration(h) * time.Hour
	}
	return 12 * time.Hour
}
