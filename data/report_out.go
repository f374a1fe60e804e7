package data

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

// A report leaves the program as text, CSV or PDF. Each carries the program,
// the period, when it was made and the 42 CFR §2.32 notice, and each export
// is an audit event.

// ReportFormat is how a report is written.
type ReportFormat string

// The formats.
const (
	ReportText ReportFormat = "text"
	ReportCSV  ReportFormat = "csv"
	ReportPDF  ReportFormat = "pdf"
)

// ParseReportFormat checks a format name.
func ParseReportFormat(s string) (ReportFormat, error) {
	switch f := ReportFormat(strings.ToLower(strings.TrimSpace(s))); f {
	case ReportText, ReportCSV, ReportPDF:
		return f, nil
	}
	return "", Errorf(EINVALID, "report format %q: use text, csv or pdf", s)
}

// ExportReport writes a report in a format for it to leave the program,
// and records that in the audit trail (the format, version, period and
// agency: nothing about a person).
func (sess *Session) ExportReport(ctx context.Context, r *Report, f ReportFormat) ([]byte, error) {
	if err := sess.require(ctx, ActReports, EntAgency, r.AgencyID); err != nil {
		return nil, err
	}
	if err := sess.require(ctx, ActExport, EntAgency, r.AgencyID); err != nil {
		return nil, err
	}
	var out []byte
	var err error
	switch f {
	case ReportText:
		out = []byte(r.Text())
	case ReportCSV:
		out, err = r.CSV()
	case ReportPDF:
		out, err = r.PDF()
	default:
		_, err = ParseReportFormat(string(f))
	}
	if err != nil {
		return nil, err
	}
	version := "full"
	if r.Public {
		version = "public"
	}
	agency := r.AgencyID
	if agency == "" {
		agency = "all"
	}
	err = sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		return sess.audit(w, "report.export", EntAgency, r.AgencyID,
			fmt.Sprintf("%s %s %s..%s agency=%s", f, version, r.From, r.To, agency))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// reportLine is one figure as the text, CSV and PDF show it.
type reportLine struct {
	section, key string // CSV
	label        string
	text, csv    string // the value
	level        int    // 0 heading, 1 figure, 2 part of the figure above
}

// PublicLegend explains the markers of a public report.
const PublicLegend = "Public version: counts from 1 to 10 are shown as <11, and * marks a count hidden so that such a count cannot be worked out from the totals. No person and no facility is named."

// Span writes the report's period as people read it: Aug 1, 2026 to Nov 27, 2026.
func (r *Report) Span() string {
	return readableDate(r.From) + " to " + readableDate(r.To)
}

// Scope says which agencies the report covers.
func (r *Report) Scope() string {
	if r.AgencyName != "" {
		return r.AgencyName
	}
	if r.AgencyID != "" {
		return "agency " + ShortID(r.AgencyID)
	}
	return "all agencies"
}

// Generated writes when the report was made, in the report's time zone.
func (r *Report) Generated() string {
	loc := r.Location
	if loc == nil {
		loc = time.UTC
	}
	return r.GeneratedAt.In(loc).Format("Jan 2, 2006 15:04 MST")
}

func readableDate(d string) string {
	t, err := time.Parse(DateLayout, d)
	if err != nil {
		return d
	}
	return t.Format("Jan 2, 2006")
}

// minutes writes a duration for a spreadsheet.
func minutes(d time.Duration) string { return strconv.FormatInt(int64(d/time.Minute), 10) }

func percent(part, whole Count) (text, csv string) {
	pct, ok := Share(part, whole)
	if !ok {
		if whole.Hidden == Shown && whole.N == 0 {
			return "none", ""
		}
		return "not shown", ""
	}
	return fmt.Sprintf("%.0f%%", pct), strconv.FormatFloat(pct, 'f', 1, 64)
}

// lines lists the report's figures in reading order.
func (r *Report) lines() []reportLine {
	var ls []reportLine
	head := func(section, label string) { ls = append(ls, reportLine{section: section, label: label}) }
	count := func(section, key, label string, c Count, level int) {
		ls = append(ls, reportLine{section, key, label, c.String(), c.String(), level})
	}
	share := func(section, key, label string, part, whole Count, level int) {
		t, c := percent(part, whole)
		ls = append(ls, reportLine{section, key, label, t, c, level})
	}
	times := func(section string, t Times) {
		med, p90, medCSV, p90CSV := "none", "none", "", ""
		switch {
		case t.Hidden:
			med, p90 = "not shown", "not shown"
		case t.Measured:
			med, p90, medCSV, p90CSV = FormatAge(t.Median), FormatAge(t.P90), minutes(t.Median), minutes(t.P90)
		}
		ls = append(ls, reportLine{section, "median_minutes", "Median (h:mm)", med, medCSV, 1},
			reportLine{section, "p90_minutes", "90th percentile (h:mm)", p90, p90CSV, 1})
	}

	head("contacts", "Contacts and placements")
	count("contacts", "contacts", "Contacts (first contact in the period)", r.Contacts, 1)
	count("contacts", "eligible", "eligible", r.Eligible, 2)
	count("contacts", "not_eligible", "not eligible", r.NotEligible, 2)
	count("contacts", "placed", "Placed (placement in the period)", r.Placed, 1)
	count("contacts", "placed_uninsured", "uninsured", r.PlacedUninsured, 2)
	count("contacts", "placed_other", "insured or insurance not recorded", r.PlacedOther, 2)
	count("contacts", "open_past_window", "Still open more than 24 hours after first contact", r.OpenPastWindow, 1)

	head("time_to_placement", "Time from first contact to placement")
	times("time_to_placement", r.TimeToPlacement)
	count("time_to_placement", "within_2h", "Placed within the 2-hour target", r.PlacedWithin, 1)
	share("time_to_placement", "within_2h_percent", "share of placements", r.PlacedWithin, r.Placed, 2)
	count("time_to_placement", "over_2h", "Placed after more than 2 hours", r.PlacedOver, 1)
	ls = append(ls, reportLine{label: "Placements by time taken", level: 1})
	for _, b := range r.PlacementTimes {
		count("time_to_placement", "took "+b.Label, b.Label, b.Count, 2)
	}

	head("coach_response", "Coach response (first call to the coach to arrival)")
	count("coach_response", "arrivals", "Coach arrivals", r.CoachArrivals, 1)
	times("coach_response", r.CoachResponse)

	head("check_ins", "Check-ins")
	count("check_ins", "due", "Check-ins due in the period (window closed)", r.CheckInsDue, 1)
	count("check_ins", "done", "person reached", r.CheckInsDone, 2)
	count("check_ins", "missed", "missed", r.CheckInsMissed, 2)
	share("check_ins", "completion_percent", "completion", r.CheckInsDone, r.CheckInsDue, 2)

	head("retention", "Retention: still in treatment or recovery support")
	for _, t := range r.Retention {
		sec, d := "retention", fmt.Sprintf("day_%d_", t.Day)
		count(sec, d+"due", fmt.Sprintf("Day %d after placement fell in the period", t.Day), t.Due, 1)
		count(sec, d+"retained", "still in treatment or recovery support", t.Retained, 2)
		count(sec, d+"not_retained", "reached, elsewhere", t.NotRetained, 2)
		count(sec, d+"not_reached", "not reached", t.NotReached, 2)
		share(sec, d+"percent", "retention", t.Retained, t.Due, 2)
	}

	head("months", "Placements by month")
	for _, m := range r.Months {
		count("months", m.Month, m.Label, m.Placed, 1)
	}
	return ls
}

// Text writes the report for a terminal or a plain-text file.
func (r *Report) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ConnectPoint report: %s\n", r.Program)
	fmt.Fprintf(&b, "Period: %s · %s\n", r.Span(), r.Scope())
	fmt.Fprintf(&b, "Generated: %s\n", r.Generated())
	if r.Public {
		fmt.Fprintln(&b, PublicLegend)
	}
	fmt.Fprintln(&b, ConsentNotice)
	for _, l := range r.lines() {
		if l.level == 0 {
			fmt.Fprintf(&b, "\n%s\n", strings.ToUpper(l.label))
			continue
		}
		label := strings.Repeat("  ", l.level-1) + l.label
		fmt.Fprintf(&b, "  %-58s %10s\n", label, l.text)
	}
	if len(r.Agencies) > 0 {
		fmt.Fprintf(&b, "\nBY AGENCY\n  %-30s %8s %8s %8s %8s %9s %8s\n", "", "contacts", "eligible", "not elig", "placed", "uninsured", "other")
		for _, a := range r.Agencies {
			fmt.Fprintf(&b, "  %-30s %8s %8s %8s %8s %9s %8s\n", clip(a.Name, 30), a.Contacts, a.Eligible, a.NotEligible, a.Placed, a.PlacedUninsured, a.PlacedOther)
		}
	}
	if len(r.Facilities) > 0 {
		fmt.Fprintf(&b, "\nPLACEMENTS BY FACILITY\n")
		for _, f := range r.Facilities {
			fmt.Fprintf(&b, "  %-58s %10d\n", clip(f.Name, 58), f.Placed)
		}
	}
	return b.String()
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// CSV writes the report as section,figure,value rows: durations in
// minutes, shares in percent, hidden counts as "<11" or "*".
func (r *Report) CSV() ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	version := "full"
	if r.Public {
		version = "public"
	}
	rows := [][]string{
		{"section", "figure", "value"},
		{"report", "program", r.Program},
		{"report", "agency", r.Scope()},
		{"report", "from", r.From},
		{"report", "to", r.To},
		{"report", "generated", r.GeneratedAt.UTC().Format(time.RFC3339)},
		{"report", "version", version},
		{"report", "notice", ConsentNotice},
	}
	for _, l := range r.lines() {
		if l.level > 0 && l.key != "" {
			rows = append(rows, []string{l.section, l.key, l.csv})
		}
	}
	for _, a := range r.Agencies {
		for _, c := range []struct {
			key string
			v   Count
		}{{"contacts", a.Contacts}, {"eligible", a.Eligible}, {"not_eligible", a.NotEligible},
			{"placed", a.Placed}, {"placed_uninsured", a.PlacedUninsured}, {"placed_other", a.PlacedOther}} {
			rows = append(rows, []string{"agency " + a.Name, c.key, c.v.String()})
		}
	}
	for _, f := range r.Facilities {
		rows = append(rows, []string{"facility", f.Name, strconv.Itoa(f.Placed)})
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// PDF writes the report as a printable document: the program, the period,
// when it was made and the notice at the top, the notice again at the foot
// of every page, the figures, the charts and the tables. Page content is
// left uncompressed (a few kilobytes) so that the notice can be found by a
// plain text search.
func (r *Report) PDF() ([]byte, error) {
	pdf := fpdf.New("P", "mm", "Letter", "")
	pdf.SetCompression(false)
	pdf.SetCreationDate(r.GeneratedAt)
	pdf.SetModificationDate(r.GeneratedAt)
	pdf.SetTitle("ConnectPoint report: "+r.Program, true)
	pdf.SetSubject(ConsentNotice, false)
	pdf.SetCreator("ConnectPoint", false)
	pdf.SetMargins(18, 16, 18)
	pdf.SetAutoPageBreak(true, 20)
	tr := pdf.UnicodeTranslatorFromDescriptor("") // cp1252, the core fonts' encoding
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-14)
		pdf.SetFont("Helvetica", "", 8)
		pdf.SetTextColor(60, 60, 60)
		pdf.CellFormat(130, 5, tr(ConsentNotice), "", 0, "L", false, 0, "")
		pdf.CellFormat(0, 5, fmt.Sprintf("page %d of {nb}", pdf.PageNo()), "", 0, "R", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
	pdf.AddPage()
	pageW, _ := pdf.GetPageSize()
	left, _, right, _ := pdf.GetMargins()
	width := pageW - left - right

	pdf.SetFont("Helvetica", "B", 17)
	pdf.MultiCell(width, 8, tr("Program report: "+r.Program), "", "L", false)
	pdf.SetFont("Helvetica", "", 11)
	pdf.CellFormat(width, 6, tr("Period: "+r.Span()+" · "+r.Scope()), "", 1, "L", false, 0, "")
	pdf.CellFormat(width, 6, tr("Generated: "+r.Generated()), "", 1, "L", false, 0, "")
	pdf.Ln(2)
	pdf.SetFont("Helvetica", "B", 11)
	pdf.SetFillColor(240, 240, 240)
	pdf.CellFormat(width, 8, tr(ConsentNotice), "1", 1, "C", true, 0, "")
	if r.Public {
		pdf.SetFont("Helvetica", "I", 9)
		pdf.MultiCell(width, 4.5, tr(PublicLegend), "", "L", false)
	}
	pdf.Ln(2)

	for _, l := range r.lines() {
		if l.section == "months" {
			break // the chart shows them
		}
		if l.level == 0 {
			if pdf.GetY() > 230 {
				pdf.AddPage()
			}
			pdf.Ln(2)
			pdf.SetFont("Helvetica", "B", 12)
			pdf.CellFormat(width, 7, tr(l.label), "B", 1, "L", false, 0, "")
			continue
		}
		style, indent := "B", 0.0
		if l.level == 2 {
			style, indent = "", 6
		}
		pdf.SetFont("Helvetica", style, 10)
		pdf.SetX(left + indent)
		pdf.CellFormat(width-40-indent, 5.5, tr(l.label), "", 0, "L", false, 0, "")
		pdf.CellFormat(40, 5.5, tr(l.text), "", 1, "R", false, 0, "")
	}

	for i, chart := range ReportCharts {
		png, err := r.ChartPNG(chart, 1200, 480)
		if err != nil {
			return nil, err
		}
		name := fmt.Sprintf("chart%d", i)
		opts := fpdf.ImageOptions{ImageType: "PNG"}
		pdf.RegisterImageOptionsReader(name, opts, bytes.NewReader(png))
		h := width * 480 / 1200
		if pdf.GetY()+h > 255 {
			pdf.AddPage()
		}
		pdf.Ln(3)
		pdf.ImageOptions(name, left, pdf.GetY(), width, h, true, opts, 0, "")
	}

	if len(r.Agencies) > 0 {
		pdfTable(pdf, tr, width, "By agency",
			[]string{"Agency", "Contacts", "Eligible", "Not eligible", "Placed", "Uninsured", "Other"},
			func(add func(...string)) {
				for _, a := range r.Agencies {
					add(a.Name, a.Contacts.String(), a.Eligible.String(), a.NotEligible.String(),
						a.Placed.String(), a.PlacedUninsured.String(), a.PlacedOther.String())
				}
			})
	}
	if len(r.Facilities) > 0 {
		pdfTable(pdf, tr, width, "Placements by facility", []string{"Facility", "Placed"},
			func(add func(...string)) {
				for _, f := range r.Facilities {
					add(f.Name, strconv.Itoa(f.Placed))
				}
			})
	}
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("write the PDF: %w", err)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("write the PDF: %w", err)
	}
	return buf.Bytes(), nil
}

// pdfTable writes a table whose first column is a name and the others
// numbers.
func pdfTable(pdf *fpdf.Fpdf, tr func(string) string, width float64, title string, head []string, rows func(add func(...string))) {
	if pdf.GetY() > 220 {
		pdf.AddPage()
	}
	pdf.Ln(4)
	pdf.SetFont("Helvetica", "B", 12)
	pdf.CellFormat(width, 7, tr(title), "B", 1, "L", false, 0, "")
	num := 22.0
	first := width - num*float64(len(head)-1)
	cell := func(i int, s string, ln int) {
		w, align := num, "R"
		if i == 0 {
			w, align = first, "L"
			for pdf.GetStringWidth(tr(s)) > w-2 && len(s) > 4 {
				s = clip(s, len([]rune(s))-1)
			}
		}
		pdf.CellFormat(w, 5.5, tr(s), "", ln, align, false, 0, "")
	}
	pdf.SetFont("Helvetica", "B", 9)
	for i, h := range head {
		cell(i, h, map[bool]int{true: 1, false: 0}[i == len(head)-1])
	}
	pdf.SetFont("Helvetica", "", 9)
	rows(func(vals ...string) {
		for i, v := range vals {
			cell(i, v, map[bool]int{true: 1, false: 0}[i == len(vals)-1])
		}
	})
}
