package gui

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2/test"

	"connectpoint/data"
)

func TestConsentPDFCarriesTheNotice(t *testing.T) {
	c := data.Consent{Discloser: "Naperville PD", Recipient: "the program's coaches", Purpose: "treatment referral",
		Information: "name, contact, placement", ExpiresOn: "2027-11-27", SignedBy: "Daniel Reyes"}
	b, err := consentPDF(c, "Daniel Reyes", "1986-03-14", start)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", b[:min(len(b), 16)])
	}
	for _, want := range []string{data.ConsentNotice, "Daniel Reyes", "03/14/1986", "Naperville PD", "11/27/2027", "revoke"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("the consent form lacks %q", want)
		}
	}
}

func TestPrintConsentIsAudited(t *testing.T) {
	opt, _ := testOptions()
	dir := t.TempDir()
	admin := program(t, dir, opt)
	out := t.TempDir()
	old := printDir
	printDir = func() (string, error) { return out, nil }
	t.Cleanup(func() { printDir = old })
	a := loggedIn(t, dir, opt, "officer")
	a.onNewIntake()
	in := a.shell.page("intake").(*intakeScreen)
	test.Type(in.first.entry, "Daniel")
	test.Tap(in.consent.print)
	files, _ := filepath.Glob(filepath.Join(out, "*.pdf"))
	if len(files) != 1 {
		t.Fatalf("printed %v", files)
	}
	if filepath.Base(files[0]) != "consent-form-2026-11-27-1900.pdf" {
		t.Errorf("file name %q (it must not name the person)", filepath.Base(files[0]))
	}
	b, _ := os.ReadFile(files[0])
	if !bytes.Contains(b, []byte(data.ConsentNotice)) || !bytes.Contains(b, []byte("Daniel")) {
		t.Error("the printed form lacks the notice or the name")
	}
	evs, err := admin.AuditEvents(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range evs {
		if e.Action == "print" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d prints audited, want 1", n)
	}
}
