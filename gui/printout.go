package gui

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"github.com/go-pdf/fpdf"

	"connectpoint/data"
)

// Printouts: the consent form as a PDF, opened in the computer's PDF viewer
// to be printed there. Every printout carries the §2.32 notice and is on
// the audit trail.

// printDir is where printouts are written: a private temporary folder, so
// that a form with a person's name on it is not left in a shared PC's
// documents. Tests point it elsewhere.
var printDir = func() (string, error) {
	return os.MkdirTemp("", "connectpoint-print-")
}

// consentPDF writes consent c, for the person named (born dob, YYYY-MM-DD),
// as a one-page form to sign, with the §2.32 notice at the foot.
func consentPDF(c data.Consent, person, dob string, now time.Time) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "Letter", "")
	pdf.SetCompression(false) // plain text inside: the notice can be checked
	pdf.SetCreationDate(now)
	pdf.SetModificationDate(now)
	pdf.SetTitle(lang.L("Consent to disclose (42 CFR Part 2)"), true)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	pdf.SetMargins(20, 20, 20)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-22)
		pdf.SetFont("Helvetica", "B", 10)
		pdf.MultiCell(0, 5, tr(data.ConsentNotice), "T", "C", false)
	})
	pdf.AddPage()

	pdf.SetFont("Helvetica", "B", 15)
	pdf.MultiCell(0, 7, tr(lang.L("Consent to disclose substance use referral information")), "", "L", false)
	pdf.SetFont("Helvetica", "", 10)
	pdf.MultiCell(0, 5, tr(lang.L("Under 42 CFR Part 2, §2.31")), "", "L", false)
	pdf.Ln(4)

	blank := func(s string) string {
		if s == "" {
			return "______________________________"
		}
		return s
	}
	row := func(label, value string) {
		pdf.SetFont("Helvetica", "B", 11)
		pdf.CellFormat(52, 7, tr(label), "", 0, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 11)
		pdf.MultiCell(0, 7, tr(blank(value)), "", "L", false)
	}
	born := ""
	if dob != "" {
		born = dateText(dob)
	}
	row(lang.L("Patient"), person)
	row(lang.L("Date of birth"), born)
	row(lang.L("Who may disclose"), c.Discloser)
	row(lang.L("To whom"), c.Recipient)
	row(lang.L("Purpose"), c.Purpose)
	row(lang.L("What information"), c.Information)
	until := ""
	switch {
	case c.ExpiresOn != "" && c.ExpiryEvent != "":
		until = lang.L("{{.Date}} or {{.Event}}, whichever comes first", map[string]string{"Date": dateText(c.ExpiresOn), "Event": c.ExpiryEvent})
	case c.ExpiresOn != "":
		until = dateText(c.ExpiresOn)
	default:
		until = c.ExpiryEvent
	}
	row(lang.L("This consent ends"), until)
	pdf.Ln(4)

	pdf.SetFont("Helvetica", "", 11)
	for _, p := range []string{
		lang.L("I understand that my records are protected under the federal regulations governing Confidentiality of Substance Use Disorder Patient Records, 42 CFR Part 2, and cannot be disclosed without my written consent unless otherwise provided for by the regulations."),
		lang.L("I understand that I may revoke this consent at any time, in writing or by telling program staff, except to the extent that action has already been taken in reliance on it."),
		lang.L("I understand that my treatment, payment, enrollment or eligibility for benefits will not depend on whether I sign this consent."),
	} {
		pdf.MultiCell(0, 5.5, tr(p), "", "L", false)
		pdf.Ln(2)
	}
	pdf.Ln(10)
	sig := func(label string) {
		pdf.CellFormat(110, 7, "", "B", 0, "L", false, 0, "")
		pdf.CellFormat(10, 7, "", "", 0, "L", false, 0, "")
		pdf.CellFormat(0, 7, "", "B", 1, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 9)
		pdf.CellFormat(120, 5, tr(label), "", 0, "L", false, 0, "")
		pdf.CellFormat(0, 5, tr(lang.L("Date")), "", 1, "L", false, 0, "")
		pdf.SetFont("Helvetica", "", 11)
		pdf.Ln(8)
	}
	sig(lang.L("Signature of the patient") + " (" + blank(c.SignedBy) + ")")
	sig(lang.L("Witness (program staff)"))

	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("write consent form: %w", err)
	}
	return buf.Bytes(), nil
}

// printConsent writes the consent form to a file, puts the print on the
// audit trail and opens the file in the PDF viewer. It returns the path.
func (a *App) printConsent(c data.Consent, person, dob, caseID string) (string, error) {
	b, err := consentPDF(c, person, dob, a.now())
	if err != nil {
		return "", err
	}
	if err := a.sess.RecordPrint(a.ctx(), caseID, "consent form"); err != nil {
		return "", err
	}
	return a.openPrintout("consent-form", b)
}

// openPrintout writes a PDF into a private print folder and opens it in
// the PDF viewer, returning its path. name says what it is, never whom.
func (a *App) openPrintout(name string, pdf []byte) (string, error) {
	dir, err := printDir()
	if err != nil {
		return "", fmt.Errorf("make print folder: %w", err)
	}
	path := filepath.Join(dir, name+"-"+a.now().Local().Format("2006-01-02-1504")+".pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		return "", fmt.Errorf("write %s: %w", name, err)
	}
	u, err := url.Parse(storage.NewFileURI(path).String())
	if err == nil {
		err = a.fa.OpenURL(u)
	}
	if err != nil {
		a.log.Error("open printout", "what", name, "err", err)
	}
	return path, nil
}
