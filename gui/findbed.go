package gui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// findBedScreen answers "who will take him?" for one case: the directory
// filtered by what the case needs (level of care, payment, gender, age,
// medication) and ranked by fresh open slots and distance. Each program
// comes with its phone, large, to call now; the call is logged, and "Place
// here" hands the placement to the station workflow.
type findBedScreen struct {
	app          *App
	sess         *data.Session
	caseID       string
	view         fyne.CanvasObject
	openFacility func(id string)

	title      *widget.Label
	summary    *widget.Label
	filtersBtn *widget.Button
	filters    *fyne.Container
	level      *widget.Select
	payment    *widget.Select
	gender     *widget.Select
	moud       *widget.Select
	within     *widget.Select
	adult      *widget.Check
	pregnant   *widget.Check
	veteran    *widget.Check
	near       *field
	text       *entry

	count     *widget.Label
	notice    *widget.Label
	problem   *widget.Label
	roleNote  *widget.Label
	list      *widget.List
	empty     *fyne.Container
	emptyText *widget.Label
	loosen    *fyne.Container

	matches  []data.Match
	calls    map[string]data.FacilityCall // the latest call to each facility for this case
	canPlace bool
	call     *callForm // the Log a call dialog on show, or nil
	building bool      // the filters are being set: no refresh per widget
}

// The distance limits of the "within" filter, in miles; 0 is any distance.
var withinMiles = []int{0, 10, 25, 50, 100}

// The medication filters: a program that provides it (and does not refuse
// medication).
var moudChoices = []string{"", "methadone", "buprenorphine", "naltrexone"}

var genderChoices = []string{"", "male", "female"}

func newFindBedScreen(a *App, sess *data.Session, caseID string, back func(), openFacility func(string)) *findBedScreen {
	fb := &findBedScreen{app: a, sess: sess, caseID: caseID, openFacility: openFacility,
		title: heading(lang.L("Find a bed")), summary: subheading(""), count: widget.NewLabel(""), notice: sentence(""), problem: problem(),
		roleNote: sentence(""), emptyText: sentence(""), loosen: container.NewVBox(),
		canPlace: sess.Can(data.ActPlace), building: true}
	fb.summary.Wrapping = fyne.TextWrapWord
	fb.notice.Importance = widget.SuccessImportance
	fb.notice.Hide()
	fb.roleNote.Hide()
	if !fb.canPlace {
		say(fb.roleNote, lang.L("Calls to facilities and the placement are recorded by the case's coach or a coordinator. You can call, and report open slots from a facility's page."))
	}

	changed := func(string) { fb.refresh() }
	fb.level = widget.NewSelect(append([]string{lang.L("Any level of care")}, mapStrings(careLevels, careLevelName)...), changed)
	fb.payment = widget.NewSelect(append([]string{lang.L("Any payment")}, mapStrings(payments, paymentName)...), changed)
	fb.gender = widget.NewSelect([]string{lang.L("Any gender"), lang.L("Takes men"), lang.L("Takes women")}, changed)
	fb.moud = widget.NewSelect([]string{lang.L("Any medication policy"), lang.L("Provides methadone"),
		lang.L("Provides buprenorphine"), lang.L("Provides naltrexone")}, changed)
	fb.within = widget.NewSelect([]string{lang.L("Any distance"), lang.L("Within 10 miles"), lang.L("Within 25 miles"),
		lang.L("Within 50 miles"), lang.L("Within 100 miles")}, changed)
	checked := func(bool) { fb.refresh() }
	fb.adult = widget.NewCheck(lang.L("Adult (18 or older)"), checked)
	fb.pregnant = widget.NewCheck(lang.L("Pregnant"), checked)
	fb.veteran = widget.NewCheck(lang.L("Veteran"), checked)
	fb.near = newField(lang.L("Near ZIP"), a.newEntry())
	fb.near.entry.OnChanged = func(string) { fb.refresh() }
	fb.text = a.newEntry()
	fb.text.SetPlaceHolder(lang.L("Name or city"))
	fb.text.OnChanged = func(string) { fb.refresh() }
	note := sentence(lang.L("Pregnant and Veteran add a note to programs that serve them; they hide no program. A program for women is never offered to a man, nor one for men to a woman."))
	note.TextStyle.Italic = true
	fb.filters = container.NewVBox(
		container.NewGridWithColumns(3, fb.level, fb.payment, fb.gender),
		container.NewGridWithColumns(3, fb.moud, fb.within, fb.text),
		container.NewHBox(fb.adult, fb.pregnant, fb.veteran, widget.NewLabel(fb.near.label.Text), column(90, fb.near.entry)),
		fb.near.problem, note, widget.NewSeparator())
	fb.filters.Hide()
	fb.filtersBtn = widget.NewButtonWithIcon(lang.L("Filters"), theme.MenuDropDownIcon(), fb.onFilters)

	fb.list = widget.NewList(
		func() int { return len(fb.matches) },
		func() fyne.CanvasObject { return newBedRow(fb) },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < len(fb.matches) {
				o.(*bedRow).set(i, &fb.matches[i])
			}
		},
	)
	fb.list.OnSelected = func(widget.ListItemID) { fb.list.UnselectAll() }
	fb.empty = container.NewVBox(fb.emptyText, fb.loosen)

	backBtn := widget.NewButtonWithIcon(lang.L("Back"), theme.NavigateBackIcon(), back)
	fb.view = container.NewBorder(
		container.NewVBox(
			container.NewHBox(backBtn, fb.title),
			container.NewBorder(nil, nil, nil, fb.filtersBtn, fb.summary),
			fb.filters, fb.count, fb.roleNote, fb.notice, fb.problem, widget.NewSeparator()),
		nil, nil, nil,
		container.NewStack(fb.list, container.NewPadded(fb.empty)))
	fb.prefill()
	fb.building = false
	return fb
}

// prefill sets the filters from the case: its level of care, insurance,
// medication and needs, the person's gender, age and ZIP (else the
// station's).
func (fb *findBedScreen) prefill() {
	fb.level.SetSelectedIndex(0)
	fb.payment.SetSelectedIndex(0)
	fb.gender.SetSelectedIndex(0)
	fb.moud.SetSelectedIndex(0)
	fb.within.SetSelectedIndex(0)
	near := fb.app.stationZIP()
	rec, err := fb.sess.Case(fb.app.ctx(), fb.caseID)
	if err != nil {
		say(fb.problem, fb.app.errorText(err))
		fb.near.entry.SetText(near)
		return
	}
	c, p := &rec.Case, &rec.Person
	// First name and last initial, as lists show people.
	fb.title.SetText(lang.L("Find a bed for {{.Name}}", map[string]string{"Name": data.DisplayName(p.First, p.Last, p.Alias)}))
	if i := slices.Index(careLevels, c.Level); i >= 0 {
		fb.level.SetSelectedIndex(i + 1)
	}
	if i := slices.Index(payments, c.Insurance); i >= 0 {
		fb.payment.SetSelectedIndex(i + 1)
	}
	if i := slices.Index(genderChoices, p.Gender); i > 0 {
		fb.gender.SetSelectedIndex(i)
	}
	if i := slices.Index(moudChoices, c.MOUD); i > 0 {
		fb.moud.SetSelectedIndex(i)
	}
	fb.pregnant.SetChecked(c.Pregnant)
	fb.veteran.SetChecked(c.Veteran)
	if dob, err := time.Parse(data.DateLayout, p.DOB); err == nil {
		fb.adult.SetChecked(!dob.AddDate(18, 0, 0).After(fb.app.now()))
	}
	if _, ok := locateZIP(p.ZIP); ok {
		near = p.ZIP
	}
	fb.near.entry.SetText(near)
}

// findQuery is Find a bed's filters: the match query and the distance limit.
type findQuery struct {
	q      data.MatchQuery
	within int // miles, 0 for any
	near   string
	nearOK bool
}

func (fb *findBedScreen) query() findQuery {
	fq := findQuery{near: strings.TrimSpace(fb.near.entry.Text)}
	q := &fq.q
	if i := fb.level.SelectedIndex(); i > 0 {
		q.Level = careLevels[i-1]
	}
	if i := fb.payment.SelectedIndex(); i > 0 {
		q.Insurance = payments[i-1]
	}
	if i := fb.gender.SelectedIndex(); i > 0 {
		q.Gender = genderChoices[i]
	}
	if i := fb.moud.SelectedIndex(); i > 0 {
		q.MOUD = moudChoices[i]
	}
	if i := fb.within.SelectedIndex(); i > 0 {
		fq.within = withinMiles[i]
	}
	q.Adult, q.Pregnant, q.Veteran = fb.adult.Checked, fb.pregnant.Checked, fb.veteran.Checked
	q.Text = fb.text.Text
	q.Now, q.Stale = fb.app.now(), fb.app.staleAfter()
	q.Origin, fq.nearOK = locateZIP(fq.near)
	return fq
}

// match runs a query over the directory, with the distance limit.
func matchWithin(dir *data.Directory, fq findQuery) []data.Match {
	ms := dir.Match(fq.q)
	if fq.within == 0 {
		return ms
	}
	out := ms[:0]
	for _, m := range ms {
		if m.DistanceMiles >= 0 && m.DistanceMiles <= float64(fq.within) {
			out = append(out, m)
		}
	}
	return out
}

// refresh matches the directory again with the filters as they are.
func (fb *findBedScreen) refresh() {
	if fb.building {
		return
	}
	fq := fb.query()
	fb.summary.SetText(fb.describe(fq))
	switch {
	case fq.near == "":
		fb.near.setProblem("")
	case !fq.nearOK:
		fb.near.setProblem(lang.L("Near ZIP: {{.ZIP}} is not a ZIP code we can find; distances are unknown.", map[string]string{"ZIP": fq.near}))
	default:
		fb.near.setProblem("")
	}
	fb.app.withDirectory(func(dir *data.Directory, err error) { fb.show(dir, err, fq) })
}

// show shows the programs of the directory that fit fq.
func (fb *findBedScreen) show(dir *data.Directory, err error, fq findQuery) {
	if err != nil {
		say(fb.problem, fb.app.errorText(err))
		return
	}
	fb.loadCalls()
	fb.matches = matchWithin(dir, fq)
	fb.list.Refresh()
	n, open := len(fb.matches), 0
	for _, m := range fb.matches {
		if m.Open > 0 {
			open++
		}
	}
	fb.count.SetText(joinDot(lang.LocalizePlural("{{.Count}} programs fit", n, map[string]int{"Count": n}),
		lang.LocalizePlural("{{.Count}} with open slots reported", open, map[string]int{"Count": open})))
	fb.count.Hidden = n == 0
	fb.empty.Hidden = n > 0
	if n == 0 {
		fb.showLoosen(dir, fq)
	}
	fb.empty.Refresh()
}

// loadCalls reads the calls already made for this case, to show beside
// each program.
func (fb *findBedScreen) loadCalls() {
	fb.calls = map[string]data.FacilityCall{}
	if !fb.sess.Can(data.ActPlacementView) {
		return
	}
	calls, err := fb.sess.FacilityCalls(fb.app.ctx(), fb.caseID)
	if err != nil {
		fb.app.log.Error("read facility calls", "err", err)
		return
	}
	for _, c := range calls {
		fb.calls[c.Facility] = c // oldest first: the latest wins
	}
}

// describe is the header: "Level 3.5 · uninsured · man · near 60540".
func (fb *findBedScreen) describe(fq findQuery) string {
	q := fq.q
	level := lang.L("any level of care")
	if q.Level != "" {
		level = lang.L("Level {{.Level}}", map[string]string{"Level": q.Level})
	}
	parts := []string{level, insuranceWord(q.Insurance), genderWord(q.Gender)}
	if q.MOUD != "" {
		parts = append(parts, medicationWord(q.MOUD))
	}
	if q.Pregnant {
		parts = append(parts, lang.L("pregnant"))
	}
	if q.Veteran {
		parts = append(parts, lang.L("veteran"))
	}
	if fq.near != "" {
		near := lang.L("near {{.ZIP}}", map[string]string{"ZIP": fq.near})
		if fq.within > 0 {
			near = lang.L("within {{.Miles}} mi of {{.ZIP}}", map[string]any{"Miles": fq.within, "ZIP": fq.near})
		}
		parts = append(parts, near)
	}
	if q.Text != "" {
		parts = append(parts, fmt.Sprintf("“%s”", strings.TrimSpace(q.Text)))
	}
	return capitalize(joinDot(parts...))
}

// loosening is one filter that, dropped, would let some programs fit.
type loosening struct {
	what  string // "the medication filter (methadone)"
	apply func()
	count int
}

// showLoosen says why nothing fits and offers to drop the filter that is
// in the way. Gender is never loosened.
func (fb *findBedScreen) showLoosen(dir *data.Directory, fq findQuery) {
	fb.loosen.Objects = nil
	if dir.Len() == 0 {
		fb.emptyText.SetText(lang.L("The facility directory is empty, so there is nothing to match. A coordinator imports a directory file in Facilities."))
		fb.loosen.Refresh()
		return
	}
	var tries []loosening
	try := func(what string, change func(*findQuery), apply func()) {
		t := fq
		change(&t)
		tries = append(tries, loosening{what: what, apply: apply, count: len(matchWithin(dir, t))})
	}
	q := fq.q
	if q.Text != "" {
		try(lang.L("the name or city search"), func(t *findQuery) { t.q.Text = "" }, func() { fb.text.SetText("") })
	}
	if fq.within > 0 {
		try(lang.L("the distance limit"), func(t *findQuery) { t.within = 0 }, func() { fb.within.SetSelectedIndex(0) })
	}
	if q.MOUD != "" {
		try(lang.L("the medication filter ({{.What}})", map[string]string{"What": medicationWord(q.MOUD)}),
			func(t *findQuery) { t.q.MOUD = "" }, func() { fb.moud.SetSelectedIndex(0) })
	}
	if q.Level != "" {
		try(lang.L("the level of care ({{.What}})", map[string]string{"What": careLevelName(q.Level)}),
			func(t *findQuery) { t.q.Level = "" }, func() { fb.level.SetSelectedIndex(0) })
	}
	if q.Insurance != "" {
		try(lang.L("the payment filter ({{.What}})", map[string]string{"What": insuranceWord(q.Insurance)}),
			func(t *findQuery) { t.q.Insurance = "" }, func() { fb.payment.SetSelectedIndex(0) })
	}
	if q.Adult {
		try(lang.L("the adult filter"), func(t *findQuery) { t.q.Adult = false }, func() { fb.adult.SetChecked(false) })
	}
	helps := 0
	for _, t := range tries {
		if t.count == 0 {
			continue
		}
		helps++
		b := widget.NewButton(lang.LocalizePlural("Drop {{.What}}: {{.Count}} programs would fit", t.count,
			map[string]any{"What": t.what, "Count": t.count}), t.apply)
		b.Alignment = widget.ButtonAlignLeading
		fb.loosen.Add(container.NewHBox(b))
	}
	switch {
	case helps > 0:
		fb.emptyText.SetText(lang.L("No program in the directory fits all of these. Loosen one filter:"))
	case len(tries) > 0:
		fb.emptyText.SetText(lang.L("No program fits, and loosening one filter at a time does not help. Open Filters and set fewer of them, or call the state's treatment helpline."))
	default:
		fb.emptyText.SetText(lang.L("No program in the directory takes this person's gender. Check the gender in the case."))
	}
	fb.loosen.Refresh()
}

// onFilters shows or hides the filters.
func (fb *findBedScreen) onFilters() {
	if fb.filters.Visible() {
		fb.filters.Hide()
		fb.filtersBtn.SetIcon(theme.MenuDropDownIcon())
	} else {
		fb.filters.Show()
		fb.filtersBtn.SetIcon(theme.MenuExpandIcon())
		fb.app.win.Canvas().Focus(fb.level)
	}
}

func (fb *findBedScreen) onCopy(i int) {
	m := &fb.matches[i]
	phone := bedPhone(m.Facility)
	fb.app.fa.Clipboard().SetContent(phone)
	say(fb.notice, lang.L("Copied {{.Phone}} to the clipboard.", map[string]string{"Phone": phone}))
}

// bedPhone is the number to call about a bed: intake when the listing has
// one, else the main number.
func bedPhone(f *data.Facility) string {
	if f.IntakePhone != "" {
		return f.IntakePhone
	}
	return f.Phone
}

// onPlace hands "Place here" to the station workflow.
func (fb *findBedScreen) onPlace(i int) {
	m := &fb.matches[i]
	if !fb.app.onPlaceChosen(fb.caseID, m.Facility.ID) {
		say(fb.notice, lang.L("Placement is not available in this build. Note the program and the time; the case screen will record it once it is."))
		fb.notice.Importance = widget.WarningImportance
		fb.notice.Refresh()
	}
}

// onLogCall asks how the call to a program went.
func (fb *findBedScreen) onLogCall(i int) {
	m := &fb.matches[i]
	fb.call = newCallForm(fb, m.Facility)
	fb.call.dlg.Show()
	fb.app.win.Canvas().Focus(fb.call.note)
}

// callResults are the outcomes of a call, in the order they are offered.
var callResults = []string{"bed_held", "no_bed", "not_eligible", "no_answer", "call_back"}

func callResultName(r string) string {
	switch r {
	case "bed_held":
		return lang.L("A bed is held")
	case "no_bed":
		return lang.L("No bed now")
	case "not_eligible":
		return lang.L("Not eligible")
	case "no_answer":
		return lang.L("No answer")
	case "call_back":
		return lang.L("They will call back")
	}
	return r
}

// heldFor are the choices of how long a bed is held.
var heldFor = []time.Duration{time.Hour, 2 * time.Hour, 4 * time.Hour, 8 * time.Hour, 24 * time.Hour}

// callForm is the Log a call dialog.
type callForm struct {
	fb       *findBedScreen
	facility *data.Facility
	result   *widget.RadioGroup
	held     *widget.Select
	heldBox  *fyne.Container
	note     *entry
	problem  *widget.Label
	save     *widget.Button
	dlg      dialog.Dialog
}

func newCallForm(fb *findBedScreen, f *data.Facility) *callForm {
	c := &callForm{fb: fb, facility: f, note: fb.app.newEntry(), problem: problem()}
	c.result = widget.NewRadioGroup(mapStrings(callResults, callResultName), func(string) { c.onResult() })
	now := fb.app.now()
	c.held = widget.NewSelect(nil, nil)
	for _, d := range heldFor {
		c.held.Options = append(c.held.Options, lang.L("for {{.Hours}} h, until {{.Time}}",
			map[string]any{"Hours": int(d / time.Hour), "Time": now.Add(d).Format("Mon 3:04 PM")}))
	}
	c.held.SetSelectedIndex(1)
	c.heldBox = container.NewHBox(widget.NewLabel(lang.L("Held")), column(280, c.held))
	c.heldBox.Hide()
	c.note.SetPlaceHolder(lang.L("who you spoke to, what they need…"))
	c.note.OnSubmitted = func(string) { c.onSave() }
	c.note.onEscape = c.onCancel
	c.save = widget.NewButton(lang.L("Save the call"), c.onSave)
	c.save.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.L("Cancel"), c.onCancel)
	title := widget.NewLabel(f.Name)
	title.TextStyle.Bold = true
	title.Wrapping = fyne.TextWrapWord
	content := container.NewVBox(title, bigPhone(lang.L("Call"), bedPhone(f), func(p string) { fb.app.fa.Clipboard().SetContent(p) }),
		widget.NewLabel(lang.L("How did the call go?")), c.result, c.heldBox,
		widget.NewLabel(lang.L("Note (optional)")), c.note, c.problem,
		container.NewHBox(layout.NewSpacer(), cancel, c.save))
	c.dlg = dialog.NewCustomWithoutButtons(lang.L("Log a call"), column(460, content), fb.app.win)
	return c
}

func (c *callForm) resultValue() string {
	for i, o := range c.result.Options {
		if o == c.result.Selected {
			return callResults[i]
		}
	}
	return ""
}

func (c *callForm) onResult() {
	c.heldBox.Hidden = c.resultValue() != "bed_held"
	c.heldBox.Refresh()
	say(c.problem, "")
}

func (c *callForm) onCancel() {
	c.dlg.Hide()
	c.fb.call = nil
}

func (c *callForm) onSave() {
	res := c.resultValue()
	if res == "" {
		say(c.problem, lang.L("Choose how the call went."))
		return
	}
	fc := data.FacilityCall{CaseID: c.fb.caseID, Facility: c.facility.ID, Result: res, Note: strings.TrimSpace(c.note.Text)}
	now := c.fb.app.now()
	if res == "bed_held" {
		fc.HeldUntil = now.Add(heldFor[max(0, c.held.SelectedIndex())])
	}
	if _, err := c.fb.sess.LogFacilityCall(c.fb.app.ctx(), fc); err != nil {
		say(c.problem, c.fb.app.errorText(err))
		return
	}
	c.onCancel()
	text := lang.L("Call to {{.Name}} logged: {{.Result}}.", map[string]string{"Name": c.facility.Name, "Result": strings.ToLower(callResultName(res))})
	if res == "bed_held" {
		text = lang.L("Call to {{.Name}} logged: a bed is held until {{.Time}}.", map[string]string{"Name": c.facility.Name, "Time": fc.HeldUntil.Format("Mon 3:04 PM")})
	}
	c.fb.notice.Importance = widget.SuccessImportance
	say(c.fb.notice, text)
	c.fb.refresh()
}

// bedRow is one program that fits: name, distance and open slots first;
// why it fits; then its phone, large, with what to do.
type bedRow struct {
	widget.BaseWidget
	fb                        *findBedScreen
	i                         int
	name                      *cutLink
	dist                      *widget.Label
	slots                     *widget.Label
	why                       *cutLabel
	phone                     *widget.Label
	called                    *widget.Label
	copyBtn, logBtn, placeBtn *widget.Button
	top, bottom               *fyne.Container
}

func newBedRow(fb *findBedScreen) *bedRow {
	r := &bedRow{fb: fb, dist: widget.NewLabel(""), slots: widget.NewLabel(""),
		why: newCutLabel(), phone: widget.NewLabel(""), called: widget.NewLabel("")}
	r.name = newCutLink(func() { fb.openFacility(fb.matches[r.i].Facility.ID) })
	r.name.TextStyle.Bold = true
	r.slots.TextStyle.Bold = true
	r.phone.SizeName = theme.SizeNameSubHeadingText
	r.phone.TextStyle = fyne.TextStyle{Monospace: true}
	r.called.TextStyle.Italic = true
	r.called.Truncation = fyne.TextTruncateEllipsis
	r.copyBtn = widget.NewButtonWithIcon(lang.L("Copy"), theme.ContentCopyIcon(), func() { fb.onCopy(r.i) })
	r.logBtn = widget.NewButtonWithIcon(lang.L("Log a call"), theme.DocumentCreateIcon(), func() { fb.onLogCall(r.i) })
	r.placeBtn = widget.NewButtonWithIcon(lang.L("Place here"), theme.ConfirmIcon(), func() { fb.onPlace(r.i) })
	if !fb.canPlace {
		r.logBtn.Hide()
		r.placeBtn.Hide()
	}
	r.dist.Alignment = fyne.TextAlignTrailing
	r.top = container.NewBorder(nil, nil, nil, container.New(columns{280, 190}, r.dist, r.slots), r.name)
	r.bottom = container.NewBorder(nil, nil, container.NewHBox(r.phone, r.copyBtn), container.NewHBox(r.logBtn, r.placeBtn), r.called)
	r.ExtendBaseWidget(r)
	return r
}

func (r *bedRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.New(tightRows{}, r.top, r.why, r.bottom))
}

func (r *bedRow) set(i int, m *data.Match) {
	r.i = i
	f := m.Facility
	r.name.full = f.Name
	r.dist.SetText(distanceWords(m.DistanceMiles, m.Approx))
	now := r.fb.app.now()
	switch {
	case m.Open > 0:
		r.slots.Importance = widget.SuccessImportance
		r.slots.SetText(lang.L("{{.Open}} open · {{.Ago}}", map[string]any{"Open": m.Open, "Ago": agoWords(now.Sub(m.OpenAt))}))
	case m.Open == 0:
		r.slots.Importance = widget.WarningImportance
		r.slots.SetText(lang.L("full · {{.Ago}}", map[string]any{"Ago": agoWords(now.Sub(m.OpenAt))}))
	default:
		r.slots.Importance = widget.LowImportance
		r.slots.SetText(lang.L("open slots unknown"))
	}
	r.why.setFull(strings.Join(matchWhy(m), " · "))
	phone := bedPhone(f)
	if phone == "" {
		r.phone.SetText(lang.L("no phone listed"))
		r.copyBtn.Hide()
	} else {
		r.phone.SetText(phone)
		r.copyBtn.Show()
	}
	r.called.SetText("")
	if c, ok := r.fb.calls[f.ID]; ok {
		text := lang.L("called {{.Ago}}: {{.Result}}", map[string]string{"Ago": agoWords(now.Sub(c.At)), "Result": strings.ToLower(callResultName(c.Result))})
		if c.Result == "bed_held" && !c.HeldUntil.IsZero() {
			text = lang.L("called {{.Ago}}: bed held until {{.Time}}", map[string]string{"Ago": agoWords(now.Sub(c.At)), "Time": c.HeldUntil.Format("3:04 PM")})
		}
		r.called.SetText(text)
	}
	relayout(r.top)
	relayout(r.bottom)
}

// matchWhy is why a program fits, without the distance and the open slots
// that the row shows in their own columns (data writes them last).
func matchWhy(m *data.Match) []string {
	rs := m.Reasons
	if n := len(rs); n > 0 {
		rs = rs[:n-1] // open slots
	}
	if n := len(rs); n > 0 && (strings.HasSuffix(rs[n-1], " mi") || strings.Contains(rs[n-1], "mi (distance approximate)") || rs[n-1] == "distance unknown") {
		rs = rs[:n-1]
	}
	return rs
}
