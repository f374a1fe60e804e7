package gui

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
	"connectpoint/data/importer"
)

// facilityImport brings a directory file into the directory: pick the
// file, read it and compare it with the directory away from the window
// (a progress bar meanwhile), say what it would do, and only then apply it.
// A file that cannot be read changes nothing and says why in one sentence.
type facilityImport struct {
	app  *App
	sess *data.Session
	done func(text string) // called after an import was applied

	dlg      dialog.Dialog // the dialog on show
	step     *widget.Label
	stopped  bool // Stop was pressed: the result is dropped without a word
	path     string
	res      *importer.Result
	sum      *data.ImportSummary
	summary  *widget.Label
	details  *fyne.Container
	showBtn  *widget.Button
	applyBtn *widget.Button
	failed   *widget.Label // why the last file could not be imported
}

func newFacilityImport(a *App, sess *data.Session, done func(string)) *facilityImport {
	return &facilityImport{app: a, sess: sess, done: done}
}

// choose asks for the file.
func (im *facilityImport) choose() {
	fd := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			im.fail("", err)
			return
		}
		if r == nil {
			return // cancelled
		}
		path := r.URI().Path()
		r.Close()
		if err := im.app.store.SetSetting(im.app.ctx(), settingImportFolder, filepath.Dir(path)); err != nil {
			im.app.log.Error("save setting", "key", settingImportFolder, "err", err)
		}
		im.read(path)
	}, im.app.win)
	fd.SetFilter(storage.NewExtensionFileFilter([]string{".csv", ".json", ".zip", ".txt", ".CSV", ".JSON", ".ZIP"}))
	// The folder of the last import, where next month's file will be too.
	if folder, err := im.app.store.Setting(im.app.ctx(), settingImportFolder); err == nil && folder != "" {
		if l, err := storage.ListerForURI(storage.NewFileURI(folder)); err == nil {
			fd.SetLocation(l)
		}
	}
	fd.SetView(dialog.ListView) // whole file names
	fd.Resize(fyne.NewSize(820, 560))
	fd.Show()
}

// read reads the file and makes a dry run of the import.
func (im *facilityImport) read(path string) {
	im.path, im.res, im.sum = path, nil, nil
	ctx, stop := context.WithCancel(im.app.ctx())
	im.progress(lang.L("Reading {{.File}}…", map[string]string{"File": filepath.Base(path)}), stop)
	a := im.app
	a.background(func() {
		res, err := importer.ReadFile(ctx, path, importer.Auto, importer.Options{})
		var sum *data.ImportSummary
		if err == nil {
			fyne.Do(func() { im.step.SetText(lang.L("Comparing with the directory…")) })
			sum, err = im.sess.ImportFacilities(ctx, facilitiesOf(res), true)
		}
		stop()
		fyne.Do(func() { im.onDryRun(res, sum, err) })
	})
}

func facilitiesOf(res *importer.Result) []data.Facility {
	fs := make([]data.Facility, len(res.Facilities))
	for i := range res.Facilities {
		fs[i] = res.Facilities[i].Facility
	}
	return fs
}

// progress shows a progress bar with what is being done, and Stop.
func (im *facilityImport) progress(step string, stop context.CancelFunc) {
	im.closeDialog()
	im.step = widget.NewLabel(step)
	im.stopped = false
	stopBtn := widget.NewButton(lang.L("Stop"), func() {
		im.stopped = true
		stop()
	})
	bar := widget.NewProgressBarInfinite()
	im.dlg = dialog.NewCustomWithoutButtons(lang.L("Import a directory file"),
		column(420, container.NewVBox(im.step, bar, container.NewCenter(stopBtn))), im.app.win)
	im.dlg.Show()
}

func (im *facilityImport) closeDialog() {
	if im.dlg != nil {
		im.dlg.Hide()
		im.dlg = nil
	}
}

// onDryRun says what the import would do, with Import to apply it.
func (im *facilityImport) onDryRun(res *importer.Result, sum *data.ImportSummary, err error) {
	im.closeDialog()
	if im.stopped {
		return // nothing was changed, nothing to say
	}
	if err != nil {
		im.fail(im.path, err)
		return
	}
	im.res, im.sum = res, sum
	name := filepath.Base(im.path)
	head := sentence(lang.LocalizePlural("{{.File}}: {{.Format}}, {{.Count}} facilities.", len(res.Facilities),
		map[string]any{"File": name, "Format": formatName(res.Format), "Count": len(res.Facilities)}))
	head.TextStyle.Bold = true
	im.summary = sentence(lang.L("Would add {{.Added}}, change {{.Changed}}, leave {{.Same}} alone.",
		map[string]int{"Added": len(sum.Added), "Changed": len(sum.Changed), "Same": sum.Unchanged}))
	im.summary.SizeName = theme.SizeNameSubHeadingText

	skipped, repaired := res.Skipped(), len(res.Problems)-res.Skipped()
	var notes []string
	if skipped > 0 {
		notes = append(notes, lang.LocalizePlural("{{.Count}} rows skipped", skipped, map[string]int{"Count": skipped}))
	}
	if repaired > 0 {
		notes = append(notes, lang.LocalizePlural("{{.Count}} rows repaired on the way in", repaired, map[string]int{"Count": repaired}))
	}
	objs := []fyne.CanvasObject{head, im.summary}
	im.details = container.NewVBox()
	if len(notes) > 0 {
		im.showBtn = widget.NewButton(lang.L("Show them"), im.onShowDetails)
		objs = append(objs, container.NewBorder(nil, nil, nil, im.showBtn, sentence(strings.Join(notes, "; ")+".")))
		objs = append(objs, im.details)
	}
	if len(sum.Changed) > 0 {
		objs = append(objs, sentence(lang.L("Changed listings keep what a coordinator corrected by hand unless the file itself changes that field.")))
	}
	cancel := widget.NewButton(lang.L("Cancel"), im.closeDialog)
	im.applyBtn = widget.NewButton(lang.L("Import"), im.onApply)
	im.applyBtn.Importance = widget.HighImportance
	if len(sum.Added)+len(sum.Changed) == 0 {
		objs = append(objs, sentence(lang.L("Nothing to import: the directory already has everything in this file.")))
		im.applyBtn.Disable()
		cancel.SetText(lang.L("Close"))
	}
	objs = append(objs, container.NewHBox(layout.NewSpacer(), cancel, im.applyBtn))
	im.dlg = dialog.NewCustomWithoutButtons(lang.L("Import a directory file"), column(640, container.NewVBox(objs...)), im.app.win)
	im.dlg.Show()
	im.app.win.Canvas().Focus(im.applyBtn)
}

// onShowDetails lists the skipped rows first, then the repaired ones, each
// with its line and reason.
func (im *facilityImport) onShowDetails() {
	ps := slices.Clone(im.res.Problems)
	slices.SortStableFunc(ps, func(x, y importer.Problem) int { return boolRank(y.Skipped) - boolRank(x.Skipped) })
	lines := widget.NewList(
		func() int { return len(ps) },
		func() fyne.CanvasObject { l := widget.NewLabel(""); l.Truncation = fyne.TextTruncateEllipsis; return l },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(problemLine(ps[i])) },
	)
	im.details.Objects = []fyne.CanvasObject{container.New(minHeight(240), lines)}
	im.details.Refresh()
	im.showBtn.Hide()
}

// problemLine is a row the importer skipped or repaired, as people read it.
func problemLine(p importer.Problem) string {
	where := lang.L("Line {{.Line}}", map[string]int{"Line": p.Line})
	if p.Line == 0 {
		where = lang.L("The whole file")
	}
	if p.File != "" {
		where = p.File + " · " + where
	}
	what := lang.L("repaired")
	if p.Skipped {
		what = lang.L("skipped")
	}
	reason := p.Reason
	if p.Field != "" {
		reason = p.Field + ": " + reason
	}
	return fmt.Sprintf("%s · %s · %s", where, what, reason)
}

// onApply imports for real.
func (im *facilityImport) onApply() {
	res := im.res
	if res == nil {
		return
	}
	ctx, stop := context.WithCancel(im.app.ctx())
	im.progress(lang.L("Importing {{.File}}…", map[string]string{"File": filepath.Base(im.path)}), stop)
	a := im.app
	a.background(func() {
		sum, err := im.sess.ImportFacilities(ctx, facilitiesOf(res), false)
		stop()
		fyne.Do(func() { im.onApplied(sum, err) })
	})
}

func (im *facilityImport) onApplied(sum *data.ImportSummary, err error) {
	im.closeDialog()
	if err != nil {
		if im.stopped {
			im.done(lang.L("The import was stopped. Nothing was changed."))
			return
		}
		im.fail(im.path, err)
		return
	}
	im.res = nil
	im.done(lang.L("Imported {{.File}}: {{.Added}} added, {{.Changed}} changed, {{.Same}} left alone.",
		map[string]any{"File": filepath.Base(im.path), "Added": len(sum.Added), "Changed": len(sum.Changed), "Same": sum.Unchanged}))
}

// fail says in one sentence why the file cannot be imported, and that
// nothing was changed.
func (im *facilityImport) fail(path string, err error) {
	im.closeDialog()
	msg := im.app.errorText(err)
	if path != "" {
		msg = strings.TrimPrefix(msg, capitalize(path)+": ")
		msg = strings.TrimPrefix(msg, path+": ")
		msg = capitalize(msg)
	}
	title := widget.NewLabel(lang.L("This file cannot be imported"))
	title.TextStyle.Bold = true
	im.failed = sentence(msg)
	im.failed.Importance = widget.DangerImportance
	objs := []fyne.CanvasObject{title}
	if path != "" {
		objs = append(objs, sentence(filepath.Base(path)))
	}
	objs = append(objs, im.failed, sentence(lang.L("Nothing was changed.")))
	im.dlg = dialog.NewCustom(lang.L("Import a directory file"), lang.L("Close"), column(520, container.NewVBox(objs...)), im.app.win)
	im.dlg.Show()
}

// formatName names a directory file's format.
func formatName(f importer.Format) string {
	switch f {
	case importer.FindTreatment:
		return lang.L("a FindTreatment.gov export")
	case importer.SAMHSA2017:
		return lang.L("the 2017 SAMHSA directory")
	case importer.HSDS:
		return lang.L("an Open Referral (HSDS) package")
	case importer.CSV:
		return lang.L("a CSV file")
	}
	return string(f)
}

// minHeight gives its object at least a height (a list in a dialog).
type minHeight float32

func (h minHeight) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s.Max(fyne.NewSize(0, float32(h)))
}

func (h minHeight) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}
