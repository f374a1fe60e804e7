package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// disclosuresScreen answers "who was told about this person?": the
// accounting of disclosures of one case — each time something about the
// person went to a coach, a facility or an export file, when, by whom and
// under which consent — to print for the person or save. Data builds it
// and audits every opening, printout and file.
type disclosuresScreen struct {
	app  *App
	sess *data.Session
	id   string
	view fyne.CanvasObject

	acc      *data.DisclosureAccount
	who      *widget.Label
	consents *fyne.Container
	list     *fyne.Container
	notice   *widget.Label
	problem  *widget.Label
}

// openDisclosures opens the accounting of disclosures of a case.
func (a *App) openDisclosures(id string) {
	a.shell.showPage("disclosures:"+id, func() screen { return newDisclosuresScreen(a, a.sess, id) })
}

func newDisclosuresScreen(a *App, sess *data.Session, id string) *disclosuresScreen {
	s := &disclosuresScreen{app: a, sess: sess, id: id, who: widget.NewLabel(""), consents: container.NewVBox(),
		list: container.NewVBox(), notice: sentence(""), problem: problem()}
	s.who.TextStyle.Bold = true
	s.notice.Hide()
	back := widget.NewButtonWithIcon(lang.L("Back"), theme.NavigateBackIcon(), func() { a.shell.back() })
	print := primary(lang.L("Print for the person"), theme.DocumentPrintIcon(), s.onPrint)
	save := widget.NewButtonWithIcon(lang.L("Save CSV…"), theme.DocumentSaveIcon(), s.onSaveCSV)
	top := container.NewVBox(
		container.NewHBox(back, heading(lang.L("Accounting of disclosures")), layout.NewSpacer(), s.who),
		sentence(lang.L("Everyone who was told about this person through the program: coaches who answered a call, facilities called about a bed, the placement, and exports of the program's records. Printouts and files carry the 42 CFR Part 2 notice.")),
		widget.NewSeparator())
	bottom := container.NewVBox(widget.NewSeparator(), s.notice, s.problem, container.NewHBox(layout.NewSpacer(), save, print))
	body := container.NewVBox(subheading(lang.L("Consents")), s.consents, subheading(lang.L("Disclosures")), s.list)
	s.view = container.NewBorder(top, bottom, nil, nil, container.NewVScroll(body))
	return s
}

func (s *disclosuresScreen) content() fyne.CanvasObject { return s.view }

func (s *disclosuresScreen) onTick() {}

// onShow reads the accounting again (audited).
func (s *disclosuresScreen) onShow() {
	a := s.app
	acc, err := s.sess.Disclosures(a.ctx(), s.id)
	if err != nil {
		say(s.problem, a.errorText(err))
		return
	}
	say(s.problem, "")
	s.acc = acc
	now := a.now()
	s.who.SetText(lang.L("{{.Name}} · case {{.Short}}", map[string]string{"Name": acc.Person, "Short": acc.Short}))
	s.consents.RemoveAll()
	if len(acc.Consents) == 0 {
		s.consents.Add(sentence(lang.L("No consent on record.")))
	}
	for i := range acc.Consents {
		s.consents.Add(sentence(data.ConsentSummary(&acc.Consents[i], now)))
	}
	s.list.RemoveAll()
	if len(acc.Disclosures) == 0 {
		s.list.Add(sentence(lang.L("Nothing about this person has been disclosed: no coach answered a call about them, no facility was called, and no export was made since the case was opened.")))
	}
	pad := 2 * theme.InnerPadding()
	timeW := fyne.MeasureText("12/31/2026 23:59", theme.TextSize(), fyne.TextStyle{Bold: true}).Width + pad
	for _, d := range acc.Disclosures {
		at := widget.NewLabel(d.At.Local().Format("01/02/2006 15:04"))
		at.TextStyle.Bold = true
		to := widget.NewLabel(d.To)
		to.TextStyle.Bold = true
		to.Wrapping = fyne.TextWrapWord
		detail := sentence(joinDot(d.What, lang.L("by {{.Name}}", map[string]string{"Name": d.By}), d.Under))
		if d.AfterEnd {
			detail.Importance = widget.DangerImportance
		}
		s.list.Add(container.NewBorder(nil, nil, container.NewVBox(column(timeW, at)), nil, container.NewVBox(to, detail)))
	}
	s.view.Refresh()
}

// onPrint opens the accounting as a PDF to print and hand to the person.
func (s *disclosuresScreen) onPrint() {
	a := s.app
	b, err := s.sess.ExportDisclosures(a.ctx(), s.id, data.ReportPDF)
	if err == nil {
		var path string
		path, err = a.openPrintout("accounting-of-disclosures", b)
		if err == nil {
			say(s.notice, lang.L("The accounting opened in your PDF viewer ({{.Path}}). Print it there.", map[string]string{"Path": path}))
		}
	}
	if err != nil {
		say(s.problem, a.errorText(err))
	}
}

// onSaveCSV asks where to save the accounting as a spreadsheet file.
func (s *disclosuresScreen) onSaveCSV() {
	a := s.app
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil {
			say(s.problem, a.errorText(err))
			return
		}
		if w == nil {
			return // cancelled
		}
		b, err := s.sess.ExportDisclosures(a.ctx(), s.id, data.ReportCSV)
		if err == nil {
			_, err = w.Write(b)
		}
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			say(s.problem, a.errorText(err))
			return
		}
		say(s.problem, "")
		say(s.notice, lang.L("Saved: {{.Name}}", map[string]string{"Name": w.URI().Name()}))
	}, a.win)
	d.SetFileName("accounting-of-disclosures-" + data.ShortID(s.id) + ".csv")
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv"}))
	d.Show()
}
