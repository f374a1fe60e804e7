package gui

import (
	"slices"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// facilitiesScreen answers "which program is that?": the whole treatment
// directory, searched as one types and filtered by state, level of care,
// payment and open slots. A facility opens in its detail; Find a bed for
// a case shows here too. One page at a time, and Back returns to the list
// as it was left.
type facilitiesScreen struct {
	app  *App
	sess *data.Session
	view *fyne.Container // the page on show

	listPage fyne.CanvasObject
	detail   *facilityDetail // the facility on show, or nil
	findBed  *findBedScreen  // Find a bed on show, or nil
	imp      *facilityImport

	search    *entry
	state     *widget.Select
	level     *widget.Select
	payment   *widget.Select
	openOnly  *widget.Check
	order     *widget.Select
	filters   *fyne.Container // the search, the filters and the count
	importBtn *widget.Button
	count     *widget.Label
	notice    *widget.Label
	problem   *widget.Label
	list      *widget.List
	empty     *fyne.Container
	emptyText *widget.Label
	emptyAct  *widget.Button

	index     *facilityIndex
	last      facilityQuery  // what shown was filtered by
	lastIndex *facilityIndex // and from which index
	states    []string       // the state filter's values, "" first for all
	shown     []int
	from      string // where distances are measured from, in words
	now       time.Time
	stale     time.Duration
}

// The sort orders of the list.
const (
	orderOpenFirst = iota // fresh open slots first, then nearest
	orderNearest
	orderName
)

func newFacilitiesScreen(a *App, sess *data.Session) *facilitiesScreen {
	s := &facilitiesScreen{app: a, sess: sess, search: a.newEntry(), count: widget.NewLabel(""),
		notice: sentence(""), problem: problem(), emptyText: sentence(""), stale: 12 * time.Hour}
	s.notice.Hide()
	s.notice.Importance = widget.SuccessImportance
	s.imp = newFacilityImport(a, sess, s.onImported)

	s.search.SetPlaceHolder(lang.L("Search by name, city, ZIP, phone or service (detox, methadone, Spanish…)"))
	s.search.OnChanged = func(string) { s.onFilter() }
	s.search.OnSubmitted = func(string) { s.onOpenFirst() }

	s.state = widget.NewSelect(nil, func(string) { s.onFilter() })
	s.level = widget.NewSelect(append([]string{lang.L("Any level of care")}, mapStrings(careLevels, careLevelName)...), func(string) { s.onFilter() })
	s.level.SetSelectedIndex(0)
	s.payment = widget.NewSelect(append([]string{lang.L("Any payment")}, mapStrings(payments, paymentName)...), func(string) { s.onFilter() })
	s.payment.SetSelectedIndex(0)
	s.openOnly = widget.NewCheck(lang.L("Has open slots now"), func(bool) { s.onFilter() })
	s.order = widget.NewSelect([]string{lang.L("Open slots first"), lang.L("Nearest first"), lang.L("By name")}, func(string) { s.onFilter() })
	s.order.SetSelectedIndex(orderOpenFirst)

	s.list = widget.NewList(
		func() int { return len(s.shown) },
		func() fyne.CanvasObject { return newFacilityRow() },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(s.shown) {
				o.(*facilityRow).set(&s.index.items[s.shown[i]], s.now, s.stale)
			}
		},
	)
	s.list.OnSelected = func(i widget.ListItemID) {
		s.list.UnselectAll()
		if i < len(s.shown) {
			s.openDetail(s.index.items[s.shown[i]].Facility.ID)
		}
	}

	s.emptyAct = widget.NewButton("", nil)
	s.empty = container.NewVBox(s.emptyText, container.NewHBox(s.emptyAct))

	title := []fyne.CanvasObject{heading(lang.L("Facilities"))}
	if sess.Can(data.ActDirectoryEdit) {
		s.importBtn = widget.NewButtonWithIcon(lang.L("Import a directory file"), theme.UploadIcon(), s.imp.choose)
		title = append(title, container.NewCenter(s.importBtn))
	}
	s.filters = container.NewVBox(
		container.NewBorder(nil, nil, widget.NewIcon(theme.SearchIcon()), column(150, s.order), s.search),
		container.NewHBox(column(150, s.state), column(240, s.level), column(240, s.payment), s.openOnly),
		s.count)
	s.listPage = container.NewBorder(
		container.NewVBox(
			container.NewBorder(nil, nil, nil, container.NewHBox(title[1:]...), title[0]),
			s.filters, s.notice, s.problem, widget.NewSeparator()),
		nil, nil, nil,
		container.NewStack(s.list, container.NewPadded(s.empty)))
	s.view = container.NewStack(s.listPage)
	s.index = newFacilityIndex(nil)
	return s
}

func mapStrings(xs []string, f func(string) string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

func (s *facilitiesScreen) content() fyne.CanvasObject { return s.view }

// onShow reads the directory again (when it may have changed) and keeps
// the search, the filters and the page as they were.
func (s *facilitiesScreen) onShow() {
	s.reload()
	switch {
	case s.detail != nil:
		s.detail.reload()
	case s.findBed != nil:
		s.findBed.refresh()
	default:
		s.app.win.Canvas().Focus(s.search)
	}
}

// onTick moves the ages of the slot reports.
func (s *facilitiesScreen) onTick() {
	s.now = s.app.now()
	s.list.Refresh()
}

// reload reads the directory and shows the list filtered as it was.
func (s *facilitiesScreen) reload() {
	s.now, s.stale = s.app.now(), s.app.staleAfter()
	if s.index == nil || len(s.index.items) == 0 {
		s.count.SetText(lang.L("Reading the directory…"))
	}
	s.app.withDirectory(s.showDirectory)
}

// showDirectory shows the directory read for reload.
func (s *facilitiesScreen) showDirectory(dir *data.Directory, err error) {
	if err != nil {
		say(s.problem, s.app.errorText(err))
		return
	}
	say(s.problem, "")
	zip := s.app.stationZIP()
	origin, ok := locateZIP(zip)
	s.from = lang.L("distances from {{.ZIP}}", map[string]string{"ZIP": zip})
	if !ok {
		s.from = lang.L("distances unknown: the station's ZIP is not set")
	}
	s.index = newFacilityIndex(dir.Listings(origin))

	// The state filter offers the states the directory has.
	states := append([]string{""}, s.index.states...)
	if !slices.Equal(states, s.states) {
		keep := s.stateValue()
		s.states = states
		opts := make([]string, len(states))
		opts[0] = lang.L("All states")
		copy(opts[1:], states[1:])
		s.state.Options = opts
		s.state.SetSelectedIndex(max(0, slices.Index(states, keep)))
	}
	s.refilter()
}

func (s *facilitiesScreen) stateValue() string {
	if i := s.state.SelectedIndex(); i > 0 && i < len(s.states) {
		return s.states[i]
	}
	return ""
}

// query is what the search box and the filters ask for.
func (s *facilitiesScreen) query() facilityQuery {
	q := facilityQuery{state: s.stateValue(), openOnly: s.openOnly.Checked, now: s.now, stale: s.stale, order: s.order.SelectedIndex()}
	q.setText(s.search.Text)
	if i := s.level.SelectedIndex(); i > 0 {
		q.level = data.NewServiceSet(data.LevelSettings(careLevels[i-1]))
	}
	if i := s.payment.SelectedIndex(); i > 0 {
		q.payment = payments[i-1]
	}
	return q
}

// onFilter applies a change of the search or the filters, from the top.
func (s *facilitiesScreen) onFilter() {
	if s.index == nil {
		return // still being built
	}
	s.refilter()
	s.list.ScrollToTop()
}

// refilter shows the facilities that match the search and the filters.
func (s *facilitiesScreen) refilter() {
	if s.index == nil {
		return // still being built
	}
	q := s.query()
	if q.narrows(s.last) && s.lastIndex == s.index {
		// Typing on: what matches now is among what matched before.
		s.shown = s.index.refine(q, s.shown)
	} else {
		s.shown = s.index.filter(q, s.shown)
	}
	s.last, s.lastIndex = q, s.index
	s.list.Refresh()
	n, total := len(s.shown), len(s.index.items)
	if n == total {
		s.count.SetText(joinDot(lang.LocalizePlural("{{.Count}} facilities", total, map[string]int{"Count": total}), s.from))
	} else {
		s.count.SetText(joinDot(lang.L("{{.Shown}} of {{.Count}}", map[string]int{"Shown": n, "Count": total}), s.from))
	}
	switch {
	case total == 0 && s.sess.Can(data.ActDirectoryEdit):
		s.emptyText.SetText(lang.L("The directory is empty. Import a directory file (your state's SAMHSA or FindTreatment.gov listings) to fill it."))
		s.emptyAct.SetText(lang.L("Import a directory file"))
		s.emptyAct.OnTapped = s.imp.choose
		s.emptyAct.Importance = widget.HighImportance
		s.emptyAct.Show()
	case total == 0:
		s.emptyText.SetText(lang.L("The directory is empty. A coordinator fills it by importing a directory file."))
		s.emptyAct.Hide()
	case n == 0:
		s.emptyText.SetText(lang.L("No facility matches this search and these filters."))
		s.emptyAct.SetText(lang.L("Clear the search and filters"))
		s.emptyAct.OnTapped = s.onClear
		s.emptyAct.Importance = widget.MediumImportance
		s.emptyAct.Show()
	}
	// An empty directory has nothing to search: only the way to fill it.
	showIf(s.filters, total > 0)
	if s.importBtn != nil {
		showIf(s.importBtn, total > 0)
	}
	showIf(s.empty, n == 0)
}

// showIf shows or hides obj.
func showIf(obj fyne.CanvasObject, show bool) {
	if show {
		obj.Show()
	} else {
		obj.Hide()
	}
}

// onClear empties the search and resets the filters.
func (s *facilitiesScreen) onClear() {
	idx := s.index
	s.index = nil // one refilter at the end, not one per widget
	s.search.SetText("")
	s.state.SetSelectedIndex(0)
	s.level.SetSelectedIndex(0)
	s.payment.SetSelectedIndex(0)
	s.openOnly.SetChecked(false)
	s.index = idx
	s.onFilter()
	s.app.win.Canvas().Focus(s.search)
}

// onOpenFirst (Enter in the search) opens the first facility listed.
func (s *facilitiesScreen) onOpenFirst() {
	if len(s.shown) > 0 {
		s.openDetail(s.index.items[s.shown[0]].Facility.ID)
	}
}

// page shows one page of the section.
func (s *facilitiesScreen) page(obj fyne.CanvasObject) {
	s.app.win.Canvas().Unfocus()
	s.view.Objects = []fyne.CanvasObject{obj}
	s.view.Refresh()
}

// openDetail shows a facility.
func (s *facilitiesScreen) openDetail(id string) {
	back := s.showList
	if fb := s.findBed; fb != nil {
		back = func() { s.detail = nil; s.page(fb.view); fb.refresh() }
	}
	s.detail = newFacilityDetail(s.app, s.sess, id, back, s.onDirectoryChanged)
	s.page(s.detail.view)
	s.detail.reload()
}

// showList goes back to the list as it was.
func (s *facilitiesScreen) showList() {
	s.detail, s.findBed = nil, nil
	s.page(s.listPage)
	s.reload()
	s.app.win.Canvas().Focus(s.search)
}

// showFindBed shows Find a bed for a case; Back returns to the section
// numbered from (or to the list).
func (s *facilitiesScreen) showFindBed(caseID string, from int) {
	back := s.showList
	if s.app.shell != nil && from >= 0 && from < len(s.app.shell.sections) && s.app.shell.sections[from].id != "facilities" {
		back = func() {
			s.showList()
			s.app.shell.nav.Select(from)
		}
	}
	s.detail = nil
	s.findBed = newFindBedScreen(s.app, s.sess, caseID, back, s.openDetail)
	s.page(s.findBed.view)
	s.findBed.refresh()
}

// onDirectoryChanged is called after a slot report or an edit.
func (s *facilitiesScreen) onDirectoryChanged() {
	s.app.directoryChanged()
	s.reload()
}

// onImported is called after an import was applied.
func (s *facilitiesScreen) onImported(text string) {
	s.onDirectoryChanged()
	say(s.notice, text)
}

// facilityIndex is the directory prepared for filtering as one types: the
// two sort orders, and a quick "cannot match" per facility. The text
// searched is the directory's own (Listing.Search), and the labels of the
// services are found through the facility's ServiceSet, so that the index
// keeps no second copy of 20,000 facilities' text.
type facilityIndex struct {
	items     []data.Listing
	chars     []uint64 // charSet of each item's text and service labels
	byName    []int32
	byNearest []int32
	states    []string
}

func newFacilityIndex(ls []data.Listing) *facilityIndex {
	x := &facilityIndex{items: ls, chars: make([]uint64, len(ls)),
		byName: make([]int32, len(ls)), byNearest: make([]int32, len(ls))}
	seen := map[string]bool{}
	labelChars := map[string]uint64{}
	for i := range ls {
		f := ls[i].Facility
		m := charSet(ls[i].Search)
		for _, c := range f.Services {
			cs, ok := labelChars[c]
			if !ok {
				if l := data.ServiceLabel(c); l != c {
					cs = charSet(strings.ToLower(l))
				}
				labelChars[c] = cs
			}
			m |= cs
		}
		x.chars[i] = m
		x.byName[i], x.byNearest[i] = int32(i), int32(i)
		if st := strings.ToUpper(f.State); st != "" && !seen[st] {
			seen[st] = true
			x.states = append(x.states, st)
		}
	}
	sort.Strings(x.states)
	sort.SliceStable(x.byName, func(i, j int) bool {
		return strings.ToLower(ls[x.byName[i]].Facility.Name) < strings.ToLower(ls[x.byName[j]].Facility.Name)
	})
	dist := func(i int32) float64 {
		if d := ls[i].DistanceMiles; d >= 0 {
			return d
		}
		return 1e9
	}
	sort.SliceStable(x.byNearest, func(i, j int) bool { return dist(x.byNearest[i]) < dist(x.byNearest[j]) })
	return x
}

// has reports whether item i has every word of q, in its text or in the
// label of one of its services.
func (x *facilityIndex) has(i int, q facilityQuery) bool {
	if x.chars[i]&q.chars != q.chars {
		return false
	}
	l := &x.items[i]
	for k, w := range q.words {
		if !strings.Contains(l.Search, w) && !l.Services.Any(q.labels[k]) {
			return false
		}
	}
	return true
}

// charSet notes which bytes s has, each by its value mod 64: a haystack
// that lacks one of a word's bytes cannot contain the word.
func charSet(s string) uint64 {
	var m uint64
	for i := 0; i < len(s); i++ {
		m |= 1 << (s[i] & 63)
	}
	return m
}

// facilityQuery is a search with its filters.
type facilityQuery struct {
	text     string            // as typed, lower-case
	words    []string          // every word must appear
	labels   []data.ServiceSet // for each word, the services whose label has it
	chars    uint64            // charSet of the words
	state    string            // two letters, "" for all
	level    data.ServiceSet   // the settings of a level of care, 0 for any
	payment  string            // an insurance as data.Insurances, "" for any
	openOnly bool              // only fresh reports of open slots
	now      time.Time
	stale    time.Duration
	order    int // orderOpenFirst, orderNearest or orderName
}

// setText sets what q searches for: typed, in any case.
func (q *facilityQuery) setText(typed string) {
	q.text = strings.ToLower(typed)
	q.words = strings.Fields(q.text)
	q.chars = charSet(strings.ReplaceAll(q.text, " ", ""))
	q.labels = make([]data.ServiceSet, len(q.words))
	for i, w := range q.words {
		q.labels[i] = data.LabelsContaining(w)
	}
}

// narrows reports whether q keeps only items that prev kept, in the same
// order: the same filters and time, and the text typed on from prev's.
// Every word of prev is then inside a word of q.
func (q facilityQuery) narrows(prev facilityQuery) bool {
	return q.state == prev.state && q.level == prev.level && q.payment == prev.payment && q.openOnly == prev.openOnly &&
		q.now.Equal(prev.now) && q.stale == prev.stale && q.order == prev.order &&
		prev.text != "" && strings.HasPrefix(q.text, prev.text)
}

// filter appends to out[:0] the items that match q, in q's order: with
// open slots first, those with a fresh report of open slots come first,
// each part nearest first.
func (x *facilityIndex) filter(q facilityQuery, out []int) []int {
	out = out[:0]
	switch q.order {
	case orderName:
		return x.appendMatches(q, x.byName, out)
	case orderNearest:
		return x.appendMatches(q, x.byNearest, out)
	}
	out = x.appendMatches(q, x.byNearest, out)
	var rest []int
	n := 0
	for _, i := range out {
		if x.fresh(i, q) {
			out[n] = i
			n++
		} else {
			rest = append(rest, i)
		}
	}
	return append(out[:n], rest...)
}

// refine keeps in place the items of shown that still match q.
func (x *facilityIndex) refine(q facilityQuery, shown []int) []int {
	n := 0
	for _, i := range shown {
		if x.has(i, q) {
			shown[n] = i
			n++
		}
	}
	return shown[:n]
}

// fresh reports whether item i has a report of open slots that is not out
// of date.
func (x *facilityIndex) fresh(i int, q facilityQuery) bool {
	l := &x.items[i]
	return l.Slots != nil && l.Slots.Open > 0 && q.now.Sub(l.Slots.At) <= q.stale
}

// appendMatches appends the items of order that match q.
func (x *facilityIndex) appendMatches(q facilityQuery, order []int32, out []int) []int {
	for _, k := range order {
		i := int(k)
		l := &x.items[i]
		if q.openOnly && !x.fresh(i, q) {
			continue
		}
		if q.state != "" && !strings.EqualFold(l.Facility.State, q.state) {
			continue
		}
		if q.level != 0 && !l.Services.Any(q.level) {
			continue
		}
		if q.payment != "" && !l.Services.PaymentOK(q.payment) {
			continue
		}
		if !x.has(i, q) {
			continue
		}
		out = append(out, i)
	}
	return out
}

// facilityRow is one facility in the list: its name and latest slot report
// on the first line; where it is, its phone and how far on the second.
type facilityRow struct {
	widget.BaseWidget
	name                      *cutLabel
	slots, place, phone, dist *widget.Label
	top, bottom               *fyne.Container
}

func newFacilityRow() *facilityRow {
	r := &facilityRow{name: newCutLabel(), slots: widget.NewLabel(""), place: widget.NewLabel(""),
		phone: widget.NewLabel(""), dist: widget.NewLabel("")}
	r.name.TextStyle.Bold = true
	r.slots.TextStyle.Bold = true
	r.slots.Alignment = fyne.TextAlignTrailing
	r.phone.TextStyle.Monospace = true
	r.top = container.NewBorder(nil, nil, nil, r.slots, r.name)
	r.bottom = container.New(columns{260, 190}, r.place, r.phone, r.dist)
	r.ExtendBaseWidget(r)
	return r
}

func (r *facilityRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.New(tightRows{}, r.top, r.bottom))
}

func (r *facilityRow) set(l *data.Listing, now time.Time, stale time.Duration) {
	f := l.Facility
	r.name.full = f.Name
	text, imp := slotWords(l.Slots, now, stale)
	if r.slots.Importance != imp {
		r.slots.Importance = imp
		r.slots.Text = "" // refresh with the new colour
	}
	setLabel(r.slots, text)
	setLabel(r.place, joinComma(f.City, strings.TrimSpace(f.State+" "+f.ZIP)))
	phone := f.Phone
	if phone == "" {
		phone = lang.L("no phone listed")
	}
	setLabel(r.phone, phone)
	setLabel(r.dist, distanceWords(l.DistanceMiles, l.Approx))
	relayout(r.top) // fits the name to what the slots leave
}

// setLabel changes a label's text only when it differs: each change shapes
// the text again, which is what a list row costs as one types.
func setLabel(l *widget.Label, text string) {
	if l.Text != text {
		l.SetText(text)
	}
}

// relayout lays a container's objects out again after their texts changed
// width, without refreshing each of them once more (Container.Refresh
// would).
func relayout(c *fyne.Container) {
	if c.Layout != nil {
		c.Layout.Layout(c.Objects, c.Size())
	}
}

func joinComma(parts ...string) string {
	out := parts[:0:0]
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ", ")
}

// tightRows stacks objects with no padding between them, for rows of a
// list that hold two or three lines of labels (labels pad themselves).
type tightRows struct{}

func (tightRows) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		m := o.MinSize()
		s.Width = max(s.Width, m.Width)
		s.Height += m.Height - theme.InnerPadding()/2
	}
	return s
}

func (tightRows) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	y := float32(0)
	for _, o := range objs {
		if !o.Visible() {
			continue
		}
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h - theme.InnerPadding()/2
	}
}
