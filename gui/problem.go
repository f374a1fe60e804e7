package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// newProblemView says why the data folder cannot be used, and where it is,
// so that someone can fix it (or tell the administrator).
func newProblemView(a *App, err error) fyne.CanvasObject {
	why := sentence(a.errorText(err))
	why.Importance = widget.DangerImportance
	where := sentence(lang.L("Data folder: {{.Dir}}", map[string]string{"Dir": a.dir}))
	where.Selectable = true
	quit := widget.NewButton(lang.L("Close"), a.win.Close)
	return card(560,
		heading(lang.L("ConnectPoint cannot open its data")),
		why,
		where,
		sentence(lang.L("Nothing was changed. Close the window, fix the problem or call your administrator, then start ConnectPoint again.")),
		layout.NewSpacer(),
		quit,
	)
}
