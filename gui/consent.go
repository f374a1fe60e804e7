package gui

import (
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

// The case screen's consent section: each consent with its state (in
// force, expired, revoked on … by …), recording a new one, revoking the one
// in force, and the accounting of disclosures.

// endedText says why nothing more may be shared: "The person revoked
// their consent on 11/25/2026."
func endedText(k *data.Consent) string {
	if day := k.RevokedDay(); day != "" {
		return lang.L("The person revoked their consent on {{.Date}}.", map[string]string{"Date": dateText(day)})
	}
	return lang.L("The person's consent expired on {{.Date}}.", map[string]string{"Date": dateText(k.ExpiresOn)})
}

// showBarred puts the banner above the case while nothing may be shared.
func (s *caseScreen) showBarred() {
	bar := data.ConsentBars(s.consents, s.app.now())
	if bar == nil {
		say(s.barred, "")
		return
	}
	say(s.barred, lang.L("NO FURTHER DISCLOSURE.")+" "+endedText(bar)+" "+
		lang.L("Do not share anything about this person with coaches or treatment providers: calls and placements are refused."))
}

// consentEndedStep is the next step of an open case whose consent ended:
// a new consent, if the person agrees.
func (s *caseScreen) consentEndedStep(bar *data.Consent) (title, facts, button, note string, action func()) {
	title = lang.L("Consent revoked: nothing more may be shared")
	if bar.RevokedDay() == "" {
		title = lang.L("Consent expired: nothing more may be shared")
	}
	note = lang.L("Calls to coaches and facilities and the placement are refused until the person signs a new consent.")
	if s.sess.Can(data.ActConsent) {
		return title, endedText(bar), lang.L("Record a new consent"), note, s.onRecordConsent
	}
	return title, endedText(bar), "", note, nil
}

// showConsent lists the case's consents, newest first, with what each
// allows now, and the actions on them.
func (s *caseScreen) showConsent() {
	s.consent.RemoveAll()
	now := s.app.now()
	s.consent.Add(subheading(lang.L("Consent to share")))
	if len(s.consents) == 0 {
		l := sentence(lang.L("No consent on file: nothing may be shared with treatment providers until the person signs."))
		l.Importance = widget.WarningImportance
		s.consent.Add(l)
	}
	for i := range s.consents {
		s.consent.Add(s.consentLine(&s.consents[i], now))
	}
	var buttons []fyne.CanvasObject
	if data.InForce(s.consents, now) == nil && len(s.consents) > 0 {
		l := sentence(lang.L("No consent in force: nothing more may be shared."))
		l.Importance = widget.DangerImportance
		s.consent.Add(l)
	}
	if data.InForce(s.consents, now) == nil && s.sess.Can(data.ActConsent) {
		buttons = append(buttons, widget.NewButtonWithIcon(lang.L("Record consent"), theme.DocumentCreateIcon(), s.onRecordConsent))
	}
	if s.sess.Can(data.ActPlacementView) && s.mine() {
		buttons = append(buttons, widget.NewButtonWithIcon(lang.L("Accounting of disclosures"), theme.ListIcon(), func() { s.app.openDisclosures(s.id) }))
	}
	if len(buttons) > 0 {
		s.consent.Add(container.NewHBox(buttons...))
	}
}

// consentLine is one consent: its state in words, and Revoke while it is
// in force.
func (s *caseScreen) consentLine(k *data.Consent, now time.Time) fyne.CanvasObject {
	signed := timeText(k.SignedAt, now)
	var text string
	imp := widget.MediumImportance
	switch k.State(now) {
	case data.ConsentGranted:
		until := dateText(k.ExpiresOn)
		if k.ExpiresOn == "" {
			until = k.ExpiryEvent
		}
		text = lang.L("Active: signed {{.When}} by {{.Signer}}, until {{.Until}}.", map[string]string{"When": signed, "Signer": k.SignedBy, "Until": until})
	case data.ConsentExpired:
		text = lang.L("Expired on {{.Date}} (signed {{.When}}).", map[string]string{"Date": dateText(k.ExpiresOn), "When": signed})
		imp = widget.WarningImportance
	default:
		who := k.RevokerName
		if who == "" {
			who = lang.L("someone")
		}
		text = lang.L("Revoked on {{.Date}}, recorded by {{.Who}} {{.At}} (signed {{.When}}).",
			map[string]string{"Date": dateText(k.RevokedDay()), "Who": who, "At": timeText(k.RevokedAt, now), "When": signed})
		imp = widget.DangerImportance
	}
	l := sentence(text)
	l.Importance = imp
	box := container.NewVBox(l)
	if k.RevokeNote != "" {
		note := sentence(lang.L("Note: {{.Text}}", map[string]string{"Text": k.RevokeNote}))
		note.TextStyle.Italic = true
		box.Add(note)
	}
	if k.State(now) == data.ConsentGranted && s.sess.Can(data.ActConsent) {
		id := k.ID
		revoke := widget.NewButtonWithIcon(lang.L("Revoke consent"), theme.CancelIcon(), func() { s.onRevoke(id) })
		box.Add(container.NewHBox(revoke))
	}
	return box
}

// onRecordConsent asks for the consent in a dialog, with the program's
// wording filled in.
func (s *caseScreen) onRecordConsent() {
	a := s.app
	var d *dialog.CustomDialog
	keys := &formKeys{}
	agency := ""
	if ag, err := s.sess.Agency(a.ctx()); err == nil {
		agency = ag.Name
	}
	f := newConsentForm(a, keys, agency, a.now())
	p := &s.rec.Person
	f.setSigner(strings.TrimSpace(p.First + " " + p.Last))
	f.person = func() (string, string) { return strings.TrimSpace(p.First + " " + p.Last), p.DOB }
	f.details.Show()
	f.edit.Hide()
	prob := problem()
	save := func() {
		if !f.signed.Checked {
			say(prob, lang.L("Tick that the person signed, once they have."))
			return
		}
		c, ok := f.consent(s.id, a.now())
		if !ok {
			return
		}
		if _, err := s.sess.AddConsent(a.ctx(), c); err != nil {
			say(prob, a.errorText(err))
			return
		}
		d.Hide()
		s.onShow()
	}
	keys.submit, keys.cancel = save, func() { d.Hide() }
	saveBtn := primary(lang.L("Save consent"), theme.ConfirmIcon(), save)
	cancel := widget.NewButton(lang.L("Cancel"), func() { d.Hide() })
	body := container.NewVBox(f.view, prob, container.NewHBox(layout.NewSpacer(), cancel, saveBtn))
	d = dialog.NewCustomWithoutButtons(lang.L("Consent to share (42 CFR Part 2)"), column(760, body), a.win)
	d.Show()
}

// revokeForm asks when the person revoked a consent and how; confirming
// it records the revocation.
type revokeForm struct {
	on      *field
	note    *entry
	problem *widget.Label
	confirm *widget.Button
	dialog  *dialog.CustomDialog
}

// onRevoke asks to confirm the revocation of consent id, with the day the
// person revoked it (today unless changed) and an optional note.
func (s *caseScreen) onRevoke(id string) {
	a := s.app
	keys := &formKeys{}
	f := &revokeForm{problem: problem()}
	s.revoke = f
	f.on = newField(lang.L("The person revoked it on"), keys.wire(a.newEntry()))
	f.on.entry.SetText(a.now().Local().Format("01/02/2006"))
	f.note = a.newEntry()
	f.note.keys = keys
	f.note.onEscape = func() { f.dialog.Hide() }
	f.note.MultiLine = true
	f.note.Wrapping = fyne.TextWrapWord
	f.note.SetMinRowsVisible(2)
	f.note.SetPlaceHolder(lang.L("optional: how they said it, e.g. told the coach by phone"))
	save := func() { s.onConfirmRevoke(id, f) }
	keys.submit, keys.cancel = save, func() { f.dialog.Hide() }
	f.confirm = widget.NewButtonWithIcon(lang.L("Revoke consent"), theme.CancelIcon(), save)
	f.confirm.Importance = widget.DangerImportance
	cancel := widget.NewButton(lang.L("Cancel"), func() { f.dialog.Hide() })
	name := s.line.Display
	warn := sentence(lang.L("From now on nothing more about {{.Name}} may be shared with coaches or treatment providers: ConnectPoint will refuse calls to coaches and facilities and the placement. What was shared before stays on record.",
		map[string]string{"Name": name}))
	warn.TextStyle.Bold = true
	body := container.NewVBox(warn, column(220, f.on.box), labelled(lang.L("Note"), f.note, nil), f.problem,
		container.NewHBox(layout.NewSpacer(), cancel, f.confirm))
	f.dialog = dialog.NewCustomWithoutButtons(lang.L("Revoke consent"), column(560, body), a.win)
	f.dialog.Show()
	a.win.Canvas().Focus(f.on.entry)
}

// onConfirmRevoke records the revocation; data checks the date.
func (s *caseScreen) onConfirmRevoke(id string, f *revokeForm) {
	a := s.app
	f.on.setProblem("")
	say(f.problem, "")
	err := s.sess.RevokeConsent(a.ctx(), id, data.Revocation{On: f.on.entry.Text, Note: f.note.Text})
	if err != nil {
		if strings.HasPrefix(data.ErrorMessage(err), "revoked on") {
			f.on.setProblem(a.errorText(err))
		} else {
			say(f.problem, a.errorText(err))
		}
		return
	}
	f.dialog.Hide()
	s.revoke = nil
	s.onShow()
}
