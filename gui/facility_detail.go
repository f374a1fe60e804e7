package gui

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// facilityDetail answers "how do I reach them, and will they take him?":
// the phones large with a copy button each, the address, what the program
// offers in plain words, and its open slots with their history. Anyone may
// report open slots after a call; a coordinator corrects the listing.
type facilityDetail struct {
	app     *App
	sess    *data.Session
	id      string
	view    fyne.CanvasObject
	back    func()
	changed func() // the directory changed: a report or an edit

	f       *data.Facility
	title   *widget.Label
	name2   *widget.Label
	notice  *widget.Label
	problem *widget.Label
	info    *fyne.Container // the phones
	where   *fyne.Container // address, distance, website
	latest  *widget.Label
	history *fyne.Container
	serv    *fyne.Container

	reportBtn *widget.Button
	report    *fyne.Container
	open      *field
	note      *field

	editBtn *widget.Button
	edit    *fyne.Container
	fields  map[string]*field
}

func newFacilityDetail(a *App, sess *data.Session, id string, back, changed func()) *facilityDetail {
	d := &facilityDetail{app: a, sess: sess, id: id, back: back, changed: changed,
		title: heading(""), name2: sentence(""), notice: sentence(""), problem: problem(),
		info: container.NewVBox(), where: container.NewVBox(), latest: subheading(""), history: container.NewVBox(), serv: container.NewVBox()}
	d.name2.TextStyle.Italic = true
	d.notice.Importance = widget.SuccessImportance
	d.notice.Hide()
	d.title.Wrapping = fyne.TextWrapWord

	backBtn := widget.NewButtonWithIcon(lang.L("Back"), theme.NavigateBackIcon(), back)
	top := []fyne.CanvasObject{backBtn, layout.NewSpacer()}
	if sess.Can(data.ActDirectoryEdit) {
		d.editBtn = widget.NewButtonWithIcon(lang.L("Correct the listing"), theme.DocumentCreateIcon(), d.onEdit)
		top = append(top, d.editBtn)
	}

	slots := container.NewVBox(subheading(lang.L("Open slots")), d.latest)
	if sess.Can(data.ActSlotReport) {
		d.reportBtn = widget.NewButtonWithIcon(lang.L("Report open slots"), theme.ContentAddIcon(), d.onReport)
		d.reportBtn.Importance = widget.HighImportance
		d.report = d.reportForm()
		d.report.Hide()
		slots.Add(container.NewHBox(d.reportBtn))
		slots.Add(d.report)
	}

	// The phones first (the reason to open a facility is to call it), what
	// the call found out next, then where it is and the history.
	d.edit = d.editForm()
	d.edit.Hide()
	left := container.NewVBox(d.edit, d.info, slots, d.where, widget.NewSeparator(), d.history)
	right := container.NewVBox(subheading(lang.L("What they offer")), d.serv)
	d.view = container.NewBorder(
		container.NewVBox(container.NewHBox(top...), d.title, d.name2, d.notice, d.problem),
		nil, nil, nil,
		container.NewVScroll(container.NewGridWithColumns(2, container.NewPadded(left), container.NewPadded(right))))
	return d
}

// reload reads the facility and its slot reports and shows them. Typing in
// the open forms is kept.
func (d *facilityDetail) reload() {
	ctx := d.app.ctx()
	f, err := d.sess.FacilityByID(ctx, d.id)
	if err != nil {
		say(d.problem, d.app.errorText(err))
		return
	}
	reports, err := d.sess.SlotReports(ctx, d.id)
	if err != nil {
		say(d.problem, d.app.errorText(err))
		return
	}
	say(d.problem, "")
	d.f = f
	d.title.SetText(f.Name)
	d.name2.SetText(f.Name2)
	d.name2.Hidden = f.Name2 == ""
	d.showInfo()
	d.showSlots(reports)
	d.showServices()
}

// showInfo fills the phones, the address and the website.
func (d *facilityDetail) showInfo() {
	f := d.f
	objs := []fyne.CanvasObject{subheading(lang.L("Call"))}
	if f.Phone == "" && f.IntakePhone == "" {
		objs = append(objs, sentence(lang.L("No phone number is listed. A coordinator can add one with “Correct the listing”.")))
	}
	if f.Phone != "" {
		objs = append(objs, bigPhone(lang.L("Main"), f.Phone, d.onCopy))
	}
	if f.IntakePhone != "" {
		objs = append(objs, bigPhone(lang.L("Intake"), f.IntakePhone, d.onCopy))
	}
	d.info.Objects = objs
	d.info.Refresh()

	objs = []fyne.CanvasObject{subheading(lang.L("Address"))}
	addr := strings.Join(nonEmpty(f.Street, f.Street2, joinComma(f.City, strings.TrimSpace(f.State+" "+f.ZIP))), "\n")
	if addr == "" {
		addr = lang.L("No address is listed.")
	}
	a := sentence(addr)
	a.Selectable = true
	objs = append(objs, a)
	origin, ok := d.app.stationOrigin()
	switch miles, approx := facilityMiles(f, origin, ok); {
	case miles >= 0 && approx:
		objs = append(objs, sentence(lang.L("About {{.Miles}} miles from the station (approximate: the listing has no map position, so the middle of ZIP {{.ZIP}} is used).",
			map[string]any{"Miles": max(1, int(miles+0.5)), "ZIP": f.ZIP})))
	case miles >= 0:
		objs = append(objs, sentence(lang.L("{{.Miles}} miles from the station.", map[string]string{"Miles": fmt.Sprintf("%.1f", miles)})))
	}
	if site := websiteURL(f.Website); site != nil {
		link := widget.NewHyperlink(f.Website, site)
		link.Truncation = fyne.TextTruncateEllipsis
		objs = append(objs, container.NewBorder(nil, nil, widget.NewLabel(lang.L("Website:")), nil, link))
	} else {
		objs = append(objs, sentence(lang.L("No website is listed.")))
	}
	d.where.Objects = objs
	d.where.Refresh()
}

// facilityMiles is how far a facility is from origin, measured from its
// ZIP's centre (approx) when the listing has no coordinates; -1 unknown.
func facilityMiles(f *data.Facility, origin data.LatLon, ok bool) (float64, bool) {
	if !ok {
		return -1, false
	}
	if p := (data.LatLon{Lat: f.Lat, Lon: f.Lon}); p.Valid() {
		return data.Miles(origin, p), false
	}
	if p, ok := locateZIP(f.ZIP); ok {
		return data.Miles(origin, p), true
	}
	return -1, false
}

func websiteURL(s string) *url.URL {
	if s == "" {
		return nil
	}
	if !strings.Contains(s, "://") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil
	}
	return u
}

func nonEmpty(parts ...string) []string {
	out := parts[:0:0]
	for _, p := range parts {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

// showSlots shows the latest report in words and the history, newest first.
func (d *facilityDetail) showSlots(reports []data.SlotReport) {
	now, stale := d.app.now(), d.app.staleAfter()
	var latest *data.SlotReport
	if len(reports) > 0 {
		latest = &reports[0]
	}
	text, imp := slotWords(latest, now, stale)
	if latest == nil {
		text = lang.L("Nobody has reported open slots here yet.")
	}
	d.latest.SetText(text)
	d.latest.Importance = imp
	d.latest.Refresh()

	const shown = 15
	objs := []fyne.CanvasObject{}
	if len(reports) > 0 {
		objs = append(objs, subheading(lang.L("Slot reports, newest first")))
	}
	for i := range reports {
		if i == shown {
			objs = append(objs, sentence(lang.LocalizePlural("and {{.Count}} older reports", len(reports)-shown, map[string]int{"Count": len(reports) - shown})))
			break
		}
		r := &reports[i]
		line := r.Describe(now)
		if r.Note != "" {
			line += " — " + r.Note
		}
		objs = append(objs, sentence(line))
	}
	d.history.Objects = objs
	d.history.Refresh()
}

// showServices lists what the facility offers, by kind, in plain words.
func (d *facilityDetail) showServices() {
	groups := data.GroupServices(d.f.Services)
	if len(groups) == 0 {
		d.serv.Objects = []fyne.CanvasObject{sentence(lang.L("The listing names no services."))}
		d.serv.Refresh()
		return
	}
	var objs []fyne.CanvasObject
	var other []string
	for _, g := range groups {
		names := serviceNames(g.Codes)
		if g.Group == data.GroupOther {
			other = names
			continue
		}
		title := widget.NewLabel(serviceGroupName(g.Group))
		title.TextStyle.Bold = true
		objs = append(objs, title, sentence(strings.Join(names, " · ")))
	}
	if len(other) > 0 {
		acc := widget.NewAccordion(widget.NewAccordionItem(
			lang.LocalizePlural("{{.Count}} other services", len(other), map[string]int{"Count": len(other)}),
			sentence(strings.Join(other, " · "))))
		objs = append(objs, acc)
	}
	d.serv.Objects = objs
	d.serv.Refresh()
}

func serviceGroupName(g string) string {
	switch g {
	case data.GroupSetting:
		return lang.L("Setting and level of care")
	case data.GroupPayment:
		return lang.L("Payment")
	case data.GroupMedication:
		return lang.L("Medication")
	case data.GroupPopulation:
		return lang.L("Who they serve")
	case data.GroupLanguage:
		return lang.L("Languages besides English")
	}
	return g
}

func (d *facilityDetail) onCopy(phone string) {
	d.app.fa.Clipboard().SetContent(phone)
	d.say(lang.L("Copied {{.Phone}} to the clipboard.", map[string]string{"Phone": phone}))
}

func (d *facilityDetail) say(text string) {
	say(d.notice, text)
}

// reportForm is "how many slots are open now?" with an optional note.
func (d *facilityDetail) reportForm() *fyne.Container {
	d.open = newField(lang.L("Open slots now"), d.app.newEntry())
	d.open.entry.SetPlaceHolder(lang.L("0 if full"))
	d.note = newField(lang.L("Note (optional)"), d.app.newEntry())
	d.note.entry.SetPlaceHolder(lang.L("men's beds only, call intake after 8 a.m.…"))
	for _, e := range []*entry{d.open.entry, d.note.entry} {
		e.OnSubmitted = func(string) { d.onSaveReport() }
		e.onEscape = d.onCancelReport
	}
	save := widget.NewButton(lang.L("Save the report"), d.onSaveReport)
	save.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.L("Cancel"), d.onCancelReport)
	return container.NewVBox(
		// The number, then the note: in this order for Tab too.
		container.New(columns{140}, container.NewVBox(d.open.label, d.open.entry), container.NewVBox(d.note.label, d.note.entry)),
		d.open.problem, d.note.problem,
		container.NewHBox(save, cancel))
}

func (d *facilityDetail) onReport() {
	d.say("")
	d.report.Show()
	d.reportBtn.Hide()
	d.app.win.Canvas().Focus(d.open.entry)
}

func (d *facilityDetail) onCancelReport() {
	d.open.entry.SetText("")
	d.note.entry.SetText("")
	d.open.setProblem("")
	d.note.setProblem("")
	d.report.Hide()
	d.reportBtn.Show()
}

func (d *facilityDetail) onSaveReport() {
	n, err := strconv.Atoi(strings.TrimSpace(d.open.entry.Text))
	if err != nil || n < 0 || n > 999 {
		d.open.setProblem(lang.L("Type how many slots are open: a number from 0 to 999."))
		d.app.win.Canvas().Focus(d.open.entry)
		return
	}
	d.open.setProblem("")
	if _, err := d.sess.ReportAvailability(d.app.ctx(), d.id, n, d.note.entry.Text); err != nil {
		d.note.setProblem(d.app.errorText(err))
		return
	}
	d.onCancelReport()
	d.changed()
	d.reload()
	d.say(lang.LocalizePlural("Saved: {{.Count}} open slots, reported just now.", n, map[string]int{"Count": n}))
}

// editForm corrects the listing: names, address, phones, website.
func (d *facilityDetail) editForm() *fyne.Container {
	d.fields = map[string]*field{}
	labels := map[string]string{
		"name": lang.L("Name"), "name2": lang.L("Second name or department"), "street": lang.L("Street"),
		"street2": lang.L("Street, second line"), "city": lang.L("City"), "state": lang.L("State"), "zip": lang.L("ZIP"),
		"phone": lang.L("Main phone"), "intake_phone": lang.L("Intake phone"), "website": lang.L("Website"),
	}
	for _, name := range data.FacilityEditFields {
		f := newField(labels[name], d.app.newEntry())
		f.entry.OnSubmitted = func(string) { d.onSaveEdit() }
		f.entry.onEscape = d.onCancelEdit
		d.fields[name] = f
	}
	save := widget.NewButton(lang.L("Save the listing"), d.onSaveEdit)
	save.Importance = widget.HighImportance
	cancel := widget.NewButton(lang.L("Cancel"), d.onCancelEdit)
	fl := d.fields
	return container.NewVBox(
		subheading(lang.L("Correct the listing")),
		fl["name"].box, fl["name2"].box,
		container.NewGridWithColumns(2, fl["phone"].box, fl["intake_phone"].box),
		fl["street"].box, fl["street2"].box,
		container.NewBorder(nil, nil, nil, container.NewHBox(column(70, fl["state"].box), column(110, fl["zip"].box)), fl["city"].box),
		fl["website"].box,
		container.NewHBox(save, cancel))
}

func (d *facilityDetail) onEdit() {
	if d.f == nil {
		return
	}
	values := map[string]string{"name": d.f.Name, "name2": d.f.Name2, "street": d.f.Street, "street2": d.f.Street2,
		"city": d.f.City, "state": d.f.State, "zip": d.f.ZIP, "phone": d.f.Phone, "intake_phone": d.f.IntakePhone, "website": d.f.Website}
	for name, f := range d.fields {
		f.entry.SetText(values[name])
		f.setProblem("")
	}
	d.say("")
	d.info.Hide()
	d.where.Hide()
	d.edit.Show()
	d.editBtn.Disable()
	d.app.win.Canvas().Focus(d.fields["name"].entry)
}

func (d *facilityDetail) onCancelEdit() {
	d.edit.Hide()
	d.info.Show()
	d.where.Show()
	if d.editBtn != nil {
		d.editBtn.Enable()
	}
}

// onSaveEdit checks every field, says beside each what is wrong, and saves
// when nothing is.
func (d *facilityDetail) onSaveEdit() {
	values := map[string]string{}
	var first *entry
	// In the order of the form, so that the cursor goes to the first
	// field in error.
	for _, name := range []string{"name", "name2", "phone", "intake_phone", "street", "street2", "city", "state", "zip", "website"} {
		f := d.fields[name]
		v, err := data.NormalizeFacilityValue(name, f.entry.Text)
		if err != nil {
			f.setProblem(capitalize(data.ErrorMessage(err)))
			if first == nil {
				first = f.entry
			}
			continue
		}
		f.setProblem("")
		values[name] = v
	}
	if first != nil {
		d.app.win.Canvas().Focus(first)
		return
	}
	if err := d.sess.UpdateFacility(d.app.ctx(), d.id, values); err != nil {
		say(d.problem, d.app.errorText(err))
		return
	}
	d.onCancelEdit()
	d.changed()
	d.reload()
	d.say(lang.L("The listing is saved."))
}

// bigPhone is a phone number someone must dial: large, selectable, with a
// copy button beside it.
func bigPhone(label, number string, onCopy func(string)) fyne.CanvasObject {
	what := widget.NewLabel(label)
	num := widget.NewLabel(number)
	num.SizeName = theme.SizeNameHeadingText
	num.TextStyle = fyne.TextStyle{Monospace: true}
	num.Selectable = true
	cp := widget.NewButtonWithIcon(lang.L("Copy"), theme.ContentCopyIcon(), func() { onCopy(number) })
	return container.New(columns{70}, what, container.NewHBox(num, container.NewCenter(cp)))
}
