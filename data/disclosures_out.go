package data

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

// ExportDisclosures writes the accounting of disclosures of a case as a
// PDF (to print and hand to the person) or CSV, with the §2.32 notice, and
// records the export in the audit trail. Whoever may read the accounting
// may print it: it is made for the person it is about.
func (sess *Session) ExportDisclosures(ctx context.Context, caseID string, f ReportFormat) ([]byte, error) {
	acc, err := sess.disclosures(ctx, caseID)
	if err != nil {
		return nil, err
	}
	var out []byte
	switch f {
	case ReportPDF:
		out, err = acc.PDF()
	case ReportCSV:
		out, err = acc.CSV()
	default:
		err = Errorf(EINVALID, "accounting of disclosures: format %q: use pdf or csv", f)
	}
	if err != nil {
		return nil, err
	}
	err = sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		return sess.audit(w, "disclosures.export", EntCase, caseID, string(f))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ConsentSummary says in English what a consent allows and whether it is
// in force at now: "to Connect for Life coaches, for referral; signed
// 11/27/2026; in force until 11/27/2027".
func ConsentSummary(c *Consent, now time.Time) string {
	until := usDate(c.ExpiresOn)
	switch {
	case c.ExpiresOn == "":
		until = c.ExpiryEvent
	case c.ExpiryEvent != "":
		until += " or " + c.ExpiryEvent + ", whichever comes first"
	}
	state := "in force until " + until
	switch c.State(now) {
	case ConsentRevoked:
		state = "REVOKED on " + usDate(c.revokedDay())
		if c.RevokerName != "" {
			state += ", recorded by " + c.RevokerName
		}
	case ConsentExpired:
		state = "EXPIRED on " + usDate(c.ExpiresOn)
	}
	return fmt.Sprintf("%s may disclose %s to %s, for %s; signed by %s on %s; %s",
		c.Discloser, c.Information, c.Recipient, c.Purpose, c.SignedBy, usDate(dayOf(c.SignedAt).Format(DateLayout)), state)
}

// heading is the accounting's first lines: whom it is about, who made it.
func (acc *DisclosureAccount) heading() []string {
	about := "For: " + acc.Person
	if acc.DOB != "" {
		about += ", born " + usDate(acc.DOB)
	}
	about += " (case " + acc.Short + ")"
	made := "Made " + acc.MadeAt.Local().Format("01/02/2006 15:04")
	if acc.MadeBy != "" {
		made += " by " + acc.MadeBy
	}
	if acc.Agency != "" {
		made += ", " + acc.Agency
	}
	return []string{about, made}
}

// CSV writes the accounting: the notice and heading first, then one row per
// disclosure.
func (acc *DisclosureAccount) CSV() ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	rows := [][]string{{ConsentNotice}, {"Accounting of disclosures"}}
	for _, h := range acc.heading() {
		rows = append(rows, []string{h})
	}
	for _, c := range acc.Consents {
		rows = append(rows, []string{"Consent: " + ConsentSummary(&c, acc.MadeAt)})
	}
	rows = append(rows, []string{"when", "to whom", "what", "by", "under"})
	for _, d := range acc.Disclosures {
		rows = append(rows, []string{d.At.UTC().Format(time.RFC3339), d.To, d.What, d.By, d.Under})
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, fmt.Errorf("write accounting CSV: %w", err)
	}
	return buf.Bytes(), nil
}

// PDF writes the accounting as a document to print and hand to the
// person, with the §2.32 notice on every page.
func (acc *DisclosureAccount) PDF() ([]byte, error) {
	pdf := fpdf.New("P", "mm", "Letter", "")
	pdf.SetCompression(false) // plain text inside: the notice can be checked
	pdf.SetCreationDate(acc.MadeAt)
	pdf.SetModificationDate(acc.MadeAt)
	pdf.SetTitle("Accounting of disclosures", true)
	pdf.SetSubject(ConsentNotice, false)
	pdf.SetCreator("ConnectPoint", false)
	pdf.SetMargins(18, 16, 18)
	pdf.SetAutoPageBreak(true, 22)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-16)
		pdf.SetFont("Helvetica", "B", 9)
		pdf.CellFormat(140, 5, tr(ConsentNotice), "T", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 8)
		pdf.CellFormat(0, 5, fmt.Sprintf("page %d of {nb}", pdf.PageNo()), "T", 0, "R", false, 0, "")
	})
	pdf.AddPage()
	pageW, _ := pdf.GetPageSize()
	left, _, right, _ := pdf.GetMargins()
	width := pageW - left - right

	pdf.SetFont("Helvetica", "B", 16)
	pdf.MultiCell(width, 8, tr("Accounting of disclosures"), "", "L", false)
	pdf.SetFont("Helvetica", "", 11)
	for _, h := range acc.heading() {
		pdf.MultiCell(width, 6, tr(h), "", "L", false)
	}
	pdf.Ln(2)
	pdf.SetFont("Helvetica", "B", 11)
	pdf.SetFillColor(240, 240, 240)
	pdf.CellFormat(width, 8, tr(ConsentNotice), "1", 1, "C", true, 0, "")
	pdf.Ln(3)

	section := func(title string) {
		pdf.SetFont("Helvetica", "B", 12)
		pdf.CellFormat(width, 7, tr(title), "B", 1, "L", false, 0, "")
		pdf.Ln(1)
	}
	section("Consents")
	pdf.SetFont("Helvetica", "", 10)
	if len(acc.Consents) == 0 {
		pdf.MultiCell(width, 5, tr("No consent on record."), "", "L", false)
	}
	for _, c := range acc.Consents {
		pdf.MultiCell(width, 5, tr(ConsentSummary(&c, acc.MadeAt)+"."), "", "L", false)
		pdf.Ln(1)
	}
	pdf.Ln(3)
	section(fmt.Sprintf("Disclosures (%d)", len(acc.Disclosures)))
	if len(acc.Disclosures) == 0 {
		pdf.SetFont("Helvetica", "", 10)
		pdf.MultiCell(width, 5, tr("Nothing about this person has been disclosed."), "", "L", false)
	}
	for _, d := range acc.Disclosures {
		if pdf.GetY() > 240 {
			pdf.AddPage()
		}
		pdf.SetFont("Helvetica", "B", 10)
		pdf.MultiCell(width, 5, tr(d.At.Local().Format("01/02/2006 15:04")+"  to "+d.To), "", "L", false)
		pdf.SetFont("Helvetica", "", 10)
		by := ""
		if d.By != "" {
			by = "; by " + d.By
		}
		pdf.SetX(left + 6)
		pdf.MultiCell(width-6, 5, tr(d.What+by+"; "+d.Under+"."), "", "L", false)
		pdf.Ln(1.5)
	}
	pdf.Ln(3)
	pdf.SetFont("Helvetica", "I", 9)
	pdf.MultiCell(width, 4.5, tr(strings.Join([]string{
		"Listed: calls to recovery coaches that a coach answered, calls to treatment facilities that someone answered, the placement (referral),",
		"and exports of the whole program's records made while this case existed.",
		"Printouts made for the person (consent forms, this accounting) are not disclosures and are not listed.",
	}, " ")), "", "L", false)

	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("write accounting PDF: %w", err)
	}
	return buf.Bytes(), nil
}
