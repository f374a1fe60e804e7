package gui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// recoveryScreen shows the new program's recovery key, once. Continue
// stays off until the person says they have stored it.
type recoveryScreen struct {
	app    *App
	key    string
	view   fyne.CanvasObject
	copied *widget.Label
	stored *widget.Check
	next   *widget.Button
}

// recoveryLines splits the printable key ("ABCD-EFGH-...") into lines of
// groups short enough to read aloud and copy by hand.
func recoveryLines(key string, groupsPerLine int) string {
	groups := strings.Split(key, "-")
	var lines []string
	for len(groups) > 0 {
		n := min(groupsPerLine, len(groups))
		lines = append(lines, strings.Join(groups[:n], "-"))
		groups = groups[n:]
	}
	return strings.Join(lines, "\n")
}

func newRecoveryScreen(a *App, key string) *recoveryScreen {
	s := &recoveryScreen{app: a, key: key}
	shown := widget.NewLabel(recoveryLines(key, 5))
	shown.TextStyle = fyne.TextStyle{Monospace: true}
	shown.SizeName = theme.SizeNameHeadingText
	shown.Selectable = true
	shown.Alignment = fyne.TextAlignCenter

	copyBtn := widget.NewButtonWithIcon(lang.L("Copy the key"), theme.ContentCopyIcon(), s.onCopy)
	s.copied = widget.NewLabel("")
	warn := sentence(lang.L("Write this key down and keep it locked away. It is shown only this once. Without it, a forgotten administrator password cannot be recovered."))
	warn.Importance = widget.WarningImportance
	warn.TextStyle.Bold = true
	s.stored = widget.NewCheck(lang.L("I have stored the recovery key"), s.onStored)
	s.next = widget.NewButton(lang.L("Continue"), s.onContinue)
	s.next.Importance = widget.HighImportance
	s.next.Disable()

	s.view = card(640,
		heading(lang.L("The program is set up. This is its recovery key.")),
		warn,
		widget.NewCard("", "", shown),
		container.NewHBox(copyBtn, s.copied),
		sentence(lang.L("Print it or write it on paper, and keep it where the program keeps its important papers. Do not keep it on this computer.")),
		layout.NewSpacer(),
		s.stored,
		container.NewHBox(layout.NewSpacer(), s.next),
	)
	return s
}

func (s *recoveryScreen) onCopy() {
	s.app.fa.Clipboard().SetContent(s.key)
	s.copied.SetText(lang.L("Copied to the clipboard."))
}

func (s *recoveryScreen) onStored(ok bool) {
	if ok {
		s.next.Enable()
	} else {
		s.next.Disable()
	}
}

func (s *recoveryScreen) onContinue() {
	if !s.stored.Checked {
		return
	}
	s.app.openShell()
}
