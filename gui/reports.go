package gui

import (
	"bytes"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// reportsScreen answers "how is the program doing?": the figures for a
// period and an agency, in a table and three charts, and the same report
// saved as a PDF or CSV (each save is audited by data). The public version
// hides small counts and names no facility.
type reportsScreen struct {
	app  *App
	sess *data.Session
	view fyne.CanvasObject

	from, to *field
	agency   *widget.Select
	agencies []data.Agency
	public   *widget.Check
	show     *widget.Button
	savePDF  *widget.Button
	saveCSV  *widget.Button
	problem  *widget.Label
	notice   *widget.Label // what was saved

	title   *widget.Label
	legend  *widget.Label
	empty   *widget.Label
	figures *fyne.Container
	charts  *fyne.Container

	report *data.Report
}

// The charts on screen, in pixels (drawn sharper than shown).
const (
	chartWidth, chartHeight = 900, 420
	chartShownW             = 450
)

func newReportsScreen(a *App, sess *data.Session) *reportsScreen {
	s := &reportsScreen{app: a, sess: sess, problem: problem(), notice: sentence(""),
		title: subheading(""), legend: sentence(lang.L("Public version: counts from 1 to 10 are shown as <11, and * marks a count hidden so that such a count cannot be worked out from the totals. No person and no facility is named.")),
		empty:   sentence(lang.L("Nothing happened in this period: no first contact, placement or check-in. Choose an earlier first day.")),
		figures: container.NewVBox(), charts: container.NewGridWrap(fyne.NewSize(chartShownW, chartShownW*chartHeight/chartWidth))}
	s.notice.Hide()
	s.legend.Hide()
	s.empty.Hide()
	s.from = newField(lang.L("First day"), a.newEntry())
	s.to = newField(lang.L("Last day"), a.newEntry())
	for _, f := range []*field{s.from, s.to} {
		f.entry.SetPlaceHolder("3/14/26")
		f.entry.OnSubmitted = func(string) { s.onShow() }
	}
	from, to := defaultReportPeriod(a.now())
	s.from.entry.SetText(from.Format("01/02/2006"))
	s.to.entry.SetText(to.Format("01/02/2006"))

	s.agency = widget.NewSelect(nil, nil)
	s.public = widget.NewCheck(lang.L("Public version"), nil)
	s.show = widget.NewButton(lang.L("Show figures"), s.onShowFigures)
	s.show.Importance = widget.HighImportance
	s.savePDF = widget.NewButton(lang.L("Save PDF"), func() { s.onSave(data.ReportPDF) })
	s.saveCSV = widget.NewButton(lang.L("Save CSV"), func() { s.onSave(data.ReportCSV) })
	s.savePDF.Disable()
	s.saveCSV.Disable()

	agencyLabel := widget.NewLabel(lang.L("Agency"))
	agencyLabel.TextStyle.Bold = true
	controls := container.New(columns{150, 150, 260, 160},
		s.from.box, s.to.box, container.NewVBox(agencyLabel, s.agency),
		container.NewVBox(widget.NewLabel(""), s.public),
		container.NewVBox(widget.NewLabel(""), container.NewHBox(s.show, s.savePDF, s.saveCSV)))
	top := container.NewVBox(heading(lang.L("Reports")), controls, s.problem, s.notice, widget.NewSeparator())
	body := container.NewVBox(s.title, sentence(data.ConsentNotice), s.legend, s.empty, s.figures, s.charts)
	s.view = container.NewBorder(top, nil, nil, nil, container.NewVScroll(body))
	return s
}

// defaultReportPeriod is the period a coordinator is usually asked about:
// this month so far and the three months before it (as the command line).
func defaultReportPeriod(now time.Time) (from, to time.Time) {
	now = now.In(time.Local)
	return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.Local).AddDate(0, -3, 0), now
}

func (s *reportsScreen) content() fyne.CanvasObject { return s.view }

// onShow fills the agency list and shows the figures for the period in the
// fields, the first time and each time the section is opened again.
func (s *reportsScreen) onShow() {
	ags, err := s.sess.ReportAgencies(s.app.ctx())
	if err != nil {
		say(s.problem, s.app.errorText(err))
		return
	}
	s.agencies = ags
	options := []string{}
	if len(ags) > 1 {
		options = append(options, lang.L("All agencies"))
	}
	for _, ag := range ags {
		options = append(options, ag.Name)
	}
	selected := s.agency.Selected
	s.agency.SetOptions(options)
	if selected == "" && len(options) > 0 {
		selected = options[0]
	}
	s.agency.SetSelected(selected)
	if len(options) < 2 {
		s.agency.Disable()
	}
	s.onShowFigures()
}

func (s *reportsScreen) onTick() {}

// query reads the fields, saying beside each what is wrong.
func (s *reportsScreen) query() (data.ReportQuery, bool) {
	now := s.app.now()
	q := data.ReportQuery{Public: s.public.Checked, Location: time.Local}
	ok := true
	for _, f := range []struct {
		field *field
		dst   *string
	}{{s.from, &q.From}, {s.to, &q.To}} {
		d, err := data.ParseDate(f.field.entry.Text, now)
		if err != nil {
			f.field.setProblem(lang.L("Use a date like 08/01/2026"))
			ok = false
			continue
		}
		f.field.setProblem("")
		*f.dst = d
	}
	for _, ag := range s.agencies {
		if ag.Name == s.agency.Selected && len(s.agencies) > 1 {
			q.Agency = ag.ID
		}
	}
	return q, ok
}

// onShowFigures computes the report away from the window (it reads tens of
// thousands of cases in a large program) and shows it.
func (s *reportsScreen) onShowFigures() {
	q, ok := s.query()
	if !ok {
		return
	}
	s.show.Disable()
	s.app.background(func() {
		r, err := s.sess.Report(s.app.ctx(), q)
		var charts [][]byte
		if err == nil {
			for _, c := range data.ReportCharts {
				png, cerr := r.ChartPNG(c, chartWidth, chartHeight)
				if cerr != nil {
					err = cerr
					break
				}
				charts = append(charts, png)
			}
		}
		fyne.Do(func() {
			s.show.Enable()
			s.onReport(r, charts, err)
		})
	})
}

func (s *reportsScreen) onReport(r *data.Report, charts [][]byte, err error) {
	if err != nil {
		say(s.problem, s.app.errorText(err))
		return
	}
	say(s.problem, "")
	s.report = r
	s.savePDF.Enable()
	s.saveCSV.Enable()
	scope := r.AgencyName
	if scope == "" {
		scope = lang.L("all agencies")
	}
	s.title.SetText(joinDot(reportDate(r.From)+" – "+reportDate(r.To), scope))
	s.legend.Hidden = !r.Public
	s.empty.Hidden = !(r.Contacts == data.Count{} && r.Placed == data.Count{} && r.CheckInsDue == data.Count{})
	s.legend.Refresh()
	s.empty.Refresh()
	s.figures.Objects = s.rows(r)
	s.figures.Refresh()
	s.charts.Objects = nil
	for i, png := range charts {
		img := canvas.NewImageFromReader(bytes.NewReader(png), string(data.ReportCharts[i])+".png")
		img.FillMode = canvas.ImageFillContain
		s.charts.Objects = append(s.charts.Objects, img)
	}
	s.charts.Refresh()
}

func reportDate(d string) string {
	t, err := time.Parse(data.DateLayout, d)
	if err != nil {
		return d
	}
	return t.Format("Jan 2, 2006")
}

// rows lays the figures out as a table: a heading per part, then a label
// and its number on each line.
func (s *reportsScreen) rows(r *data.Report) []fyne.CanvasObject {
	var out []fyne.CanvasObject
	head := func(text string) { out = append(out, subheading(text)) }
	line := func(label, value string, sub bool) {
		l := widget.NewLabel(label)
		if sub {
			l.SetText("    " + label)
		} else {
			l.TextStyle.Bold = true
		}
		v := widget.NewLabel(value)
		v.Alignment = fyne.TextAlignTrailing
		v.TextStyle.Monospace = true
		// In an HBox the row keeps its minimum width: the number stays
		// beside its label however wide the window.
		out = append(out, container.NewHBox(container.New(columns{440, 110}, l, v)))
	}
	count := func(label string, c data.Count, sub bool) { line(label, c.String(), sub) }
	share := func(label string, part, whole data.Count) {
		if pct, ok := data.Share(part, whole); ok {
			line(label, fmt.Sprintf("%.0f%%", pct), true)
		} else if whole.Hidden == data.Shown && whole.N == 0 {
			line(label, lang.L("none"), true)
		} else {
			line(label, lang.L("not shown"), true)
		}
	}
	times := func(t data.Times) {
		med, p90 := lang.L("none"), lang.L("none")
		switch {
		case t.Hidden:
			med, p90 = lang.L("not shown"), lang.L("not shown")
		case t.Measured:
			med, p90 = data.FormatAge(t.Median), data.FormatAge(t.P90)
		}
		line(lang.L("Median (h:mm)"), med, false)
		line(lang.L("90th percentile (h:mm)"), p90, false)
	}

	head(lang.L("Contacts and placements"))
	count(lang.L("Contacts (first contact in the period)"), r.Contacts, false)
	count(lang.L("eligible"), r.Eligible, true)
	count(lang.L("not eligible"), r.NotEligible, true)
	count(lang.L("Placed (placement in the period)"), r.Placed, false)
	count(lang.L("uninsured"), r.PlacedUninsured, true)
	count(lang.L("insured or insurance not recorded"), r.PlacedOther, true)
	count(lang.L("Still open more than 24 hours after first contact"), r.OpenPastWindow, false)

	head(lang.L("Time from first contact to placement"))
	times(r.TimeToPlacement)
	count(lang.L("Placed within the 2-hour target"), r.PlacedWithin, false)
	share(lang.L("share of placements"), r.PlacedWithin, r.Placed)
	count(lang.L("Placed after more than 2 hours"), r.PlacedOver, false)

	head(lang.L("Coach response (first call to the coach to arrival)"))
	count(lang.L("Coach arrivals"), r.CoachArrivals, false)
	times(r.CoachResponse)

	head(lang.L("Check-ins"))
	count(lang.L("Check-ins due in the period (window closed)"), r.CheckInsDue, false)
	count(lang.L("person reached"), r.CheckInsDone, true)
	count(lang.L("missed"), r.CheckInsMissed, true)
	share(lang.L("completion"), r.CheckInsDone, r.CheckInsDue)

	head(lang.L("Retention: still in treatment or recovery support"))
	for _, t := range r.Retention {
		count(lang.L("Day {{.Day}} after placement fell in the period", map[string]int{"Day": t.Day}), t.Due, false)
		count(lang.L("still in treatment or recovery support"), t.Retained, true)
		count(lang.L("reached, elsewhere"), t.NotRetained, true)
		count(lang.L("not reached"), t.NotReached, true)
		share(lang.L("retention"), t.Retained, t.Due)
	}

	if len(r.Agencies) > 0 {
		head(lang.L("By agency: contacts, eligible, placed, placed uninsured"))
		for _, ag := range r.Agencies {
			line(ag.Name, fmt.Sprintf("%s · %s · %s · %s", ag.Contacts, ag.Eligible, ag.Placed, ag.PlacedUninsured), false)
		}
	}
	if len(r.Facilities) > 0 {
		head(lang.L("Placements by facility (not in the public version)"))
		for _, f := range r.Facilities {
			line(f.Name, fmt.Sprint(f.Placed), true)
		}
	}
	head(lang.L("Charts"))
	return out
}

// onSave asks where to save the report shown, as a PDF or CSV.
func (s *reportsScreen) onSave(f data.ReportFormat) {
	if s.report == nil {
		return
	}
	r := s.report
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			say(s.problem, s.app.errorText(err))
			return
		}
		if w == nil {
			return // cancelled
		}
		s.saveTo(w, r, f)
	}, s.app.win)
	name := "connectpoint-report-" + r.From + "-to-" + r.To
	if r.Public {
		name += "-public"
	}
	d.SetFileName(name + "." + string(f))
	d.SetFilter(storage.NewExtensionFileFilter([]string{"." + string(f)}))
	d.Show()
}

// saveTo writes the report to w; data records the export in the audit trail.
func (s *reportsScreen) saveTo(w fyne.URIWriteCloser, r *data.Report, f data.ReportFormat) {
	b, err := s.sess.ExportReport(s.app.ctx(), r, f)
	if err == nil {
		_, err = w.Write(b)
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil && data.ErrorCode(err) == data.EINTERNAL {
		s.app.log.Error("save report", "err", err)
		say(s.problem, lang.L("The report could not be saved there. Choose another folder."))
		return
	}
	if err != nil {
		say(s.problem, s.app.errorText(err))
		return
	}
	say(s.problem, "")
	say(s.notice, lang.L("Saved: {{.Name}}", map[string]string{"Name": w.URI().Name()}))
}
