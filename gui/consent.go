package gui

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// consentForm captures a 42 CFR §2.31 consent: who may disclose, to whom,
// for what purpose, what information, until when, signed by whom. The
// program's usual wording is filled in and summed up in one sentence; the
// officer changes it only when the person asks, ticks that the person
// signed, and can print the form with the §2.32 notice.
type consentForm struct {
	app  *App
	keys *formKeys
	view fyne.CanvasObject

	discloser, recipient, purpose, information, expires, event, signedBy *field

	signed  *check
	summary *widget.Label
	details *fyne.Container
	edit    *widget.Button
	print   *widget.Button
	printed *widget.Label

	// signedByTyped is set once someone types the signer's name, which then
	// no longer follows the name typed above.
	signedByTyped bool
	// person gives the name and date of birth for the printed form.
	person func() (name, dob string)
}

func newConsentForm(a *App, keys *formKeys, agency string, now time.Time) *consentForm {
	f := &consentForm{app: a, keys: keys, summary: sentence(""), printed: sentence("")}
	mk := func(label, value string) *field {
		fd := newField(label, keys.wire(a.newEntry()))
		fd.entry.SetText(value)
		fd.entry.OnChanged = func(string) { f.refreshSummary() }
		return fd
	}
	f.discloser = mk(lang.L("Who may disclose"), agency)
	f.recipient = mk(lang.L("To whom"), lang.L("the program's recovery coaches and the treatment providers they refer me to"))
	f.purpose = mk(lang.L("Purpose"), lang.L("to connect me with treatment and recovery support, and to follow up with me"))
	f.information = mk(lang.L("What information"), lang.L("my name, date of birth, contact details, insurance, substance use, referral, placement and follow-up"))
	f.expires = mk(lang.L("Expires on"), now.AddDate(1, 0, 0).Format("01/02/2006"))
	f.expires.entry.SetPlaceHolder(lang.L("a date like 11/27/2027"))
	f.event = mk(lang.L("Or expires when"), "")
	f.event.entry.SetPlaceHolder(lang.L("an event, like: one year after placement"))
	f.signedBy = mk(lang.L("Signed by"), "")
	f.signedBy.entry.SetPlaceHolder(lang.L("the person's full name"))
	f.signedBy.entry.OnChanged = func(string) {
		f.signedByTyped = true
		f.refreshSummary()
	}
	f.signed = a.newCheck(lang.L("The person signed"), keys)
	f.edit = widget.NewButtonWithIcon(lang.L("Change the wording"), theme.DocumentCreateIcon(), f.onEdit)
	f.print = widget.NewButtonWithIcon(lang.L("Print consent form"), theme.DocumentPrintIcon(), f.onPrint)
	f.printed.Hide()

	f.details = container.NewGridWithColumns(2,
		f.discloser.box, f.recipient.box, f.purpose.box, f.information.box,
		f.expires.box, f.event.box)
	f.details.Hide()
	f.summary.TextStyle.Italic = true
	signer := widget.NewLabel(lang.L("Signed by"))
	signer.TextStyle.Bold = true
	f.view = container.NewVBox(
		f.summary,
		f.details,
		container.NewHBox(f.edit, f.print),
		f.printed,
		container.NewBorder(nil, nil, signer, f.signed, f.signedBy.entry),
		f.signedBy.problem,
	)
	f.refreshSummary()
	return f
}

// setSigner follows the name typed for the person, until the signer's
// name is typed itself.
func (f *consentForm) setSigner(name string) {
	if f.signedByTyped {
		return
	}
	f.signedBy.entry.SetText(name)
	f.signedByTyped = false
}

func (f *consentForm) onEdit() {
	f.details.Show()
	f.edit.Hide()
	f.app.win.Canvas().Focus(f.discloser.entry)
}

func (f *consentForm) refreshSummary() {
	until := strings.TrimSpace(f.expires.entry.Text)
	if ev := strings.TrimSpace(f.event.entry.Text); ev != "" {
		if until != "" {
			until = lang.L("{{.Date}} or {{.Event}}, whichever comes first", map[string]string{"Date": until, "Event": ev})
		} else {
			until = ev
		}
	}
	f.summary.SetText(lang.L("{{.Discloser}} may share the record with {{.Recipient}}, until {{.Until}}; the person may revoke it at any time.",
		map[string]string{"Discloser": f.discloser.entry.Text, "Recipient": f.recipient.entry.Text, "Until": until}))
}

// consent reads the form into a consent for caseID, saying beside each
// field what is missing; ok is false if anything is.
func (f *consentForm) consent(caseID string, now time.Time) (data.Consent, bool) {
	c := data.Consent{CaseID: caseID, Status: data.ConsentGranted}
	ok := true
	need := func(fd *field, v *string) {
		*v = strings.TrimSpace(fd.entry.Text)
		if *v == "" {
			fd.setProblem(lang.L("Required on a consent form."))
			f.details.Show()
			ok = false
		} else {
			fd.setProblem("")
		}
	}
	need(f.discloser, &c.Discloser)
	need(f.recipient, &c.Recipient)
	need(f.purpose, &c.Purpose)
	need(f.information, &c.Information)
	need(f.signedBy, &c.SignedBy)
	c.ExpiryEvent = strings.TrimSpace(f.event.entry.Text)
	f.expires.setProblem("")
	if t := strings.TrimSpace(f.expires.entry.Text); t != "" {
		d, err := data.ParseDate(t, now)
		if err != nil {
			f.expires.setProblem(lang.L("Use a date like 11/27/2027."))
			f.details.Show()
			ok = false
		}
		c.ExpiresOn = d
	} else if c.ExpiryEvent == "" {
		f.expires.setProblem(lang.L("Give an expiry date, or the event that ends the consent."))
		f.details.Show()
		ok = false
	}
	return c, ok
}

// onPrint makes the consent form as a PDF and opens it.
func (f *consentForm) onPrint() {
	a := f.app
	c, _ := f.consent("", a.now())
	name, dob := "", ""
	if f.person != nil {
		name, dob = f.person()
	}
	path, err := a.printConsent(c, name, dob, "")
	if err != nil {
		say(f.printed, a.errorText(err))
		f.printed.Importance = widget.DangerImportance
		return
	}
	f.printed.Importance = widget.MediumImportance
	say(f.printed, lang.L("The consent form opened in your PDF viewer ({{.Path}}). Print it there, have the person sign, then tick below.", map[string]string{"Path": path}))
}
