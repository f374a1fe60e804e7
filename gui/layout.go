package gui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"connectpoint/assets"
	"connectpoint/data"
)

// Small pieces the screens share: layouts, text styles, field rows.

// minWidth is a layout that gives its objects at least a width.
type minWidth float32

func (w minWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s.Max(fyne.NewSize(float32(w), 0))
}

func (w minWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// column makes obj at least w wide (in Fyne units, which follow the scale).
func column(w float32, obj fyne.CanvasObject) *fyne.Container {
	return container.New(minWidth(w), obj)
}

// card centres a form of width w in the window, scrolling when the window
// is too small.
func card(w float32, objs ...fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVScroll(container.NewCenter(column(w, container.NewVBox(objs...))))
}

// columns lays out a row: each object takes its column's width (or its
// minimum, if wider), the last takes what is left; all are centred
// vertically.
type columns []float32

func (c columns) width(i int, o fyne.CanvasObject) float32 {
	w := o.MinSize().Width
	if i < len(c) && c[i] > w {
		w = c[i]
	}
	return w
}

func (c columns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	pad := theme.Padding()
	for i, o := range objs {
		s.Width += c.width(i, o) + pad
		if h := o.MinSize().Height; h > s.Height {
			s.Height = h
		}
	}
	return s
}

func (c columns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	x, pad := float32(0), theme.Padding()
	for i, o := range objs {
		w := c.width(i, o)
		if i == len(objs)-1 && size.Width-x > w {
			w = size.Width - x
		}
		h := o.MinSize().Height
		o.Move(fyne.NewPos(x, (size.Height-h)/2))
		o.Resize(fyne.NewSize(w, h))
		x += w + pad
	}
}

// logo is the app icon, for the screens before a session.
func logo() fyne.CanvasObject {
	img := canvas.NewImageFromResource(assets.Icon)
	img.FillMode = canvas.ImageFillContain
	img.SetMinSize(fyne.NewSize(72, 72))
	return container.NewHBox(img)
}

// heading is the title of a screen.
func heading(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.SizeName = theme.SizeNameHeadingText
	l.TextStyle.Bold = true
	return l
}

// subheading names a part of a screen.
func subheading(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.SizeName = theme.SizeNameSubHeadingText
	l.TextStyle.Bold = true
	return l
}

// sentence is a wrapped paragraph of plain text.
func sentence(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// problem is the text beside a field or a form that says what is wrong:
// in words, coloured, and empty (hidden) while nothing is.
func problem() *widget.Label {
	l := widget.NewLabel("")
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.DangerImportance
	l.Hide()
	return l
}

// notice is the text that says a step went through: in words, coloured,
// and hidden while there is nothing to say (set it with say).
func notice() *widget.Label {
	l := problem()
	l.Importance = widget.SuccessImportance
	return l
}

// say shows text in a problem label, or hides it when text is "".
func say(l *widget.Label, text string) {
	l.SetText(text)
	if text == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// field is a form row: the label above the entry and the problem below it.
type field struct {
	label   *widget.Label
	entry   *entry
	problem *widget.Label
	box     *fyne.Container
}

func newField(label string, e *entry) *field {
	f := &field{label: widget.NewLabel(label), entry: e, problem: problem()}
	f.label.TextStyle.Bold = true
	f.box = container.NewVBox(f.label, e, f.problem)
	return f
}

// setProblem says what is wrong with the field, or clears it.
func (f *field) setProblem(text string) { say(f.problem, text) }

// errorText is the sentence a person reads for err; anything without a
// code is logged with its detail and shown without it.
func (a *App) errorText(err error) string {
	if data.ErrorCode(err) == data.EINTERNAL {
		a.log.Error("internal error", "err", err)
	}
	return capitalize(data.ErrorMessage(err))
}

// capitalize starts a sentence with a capital letter.
func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// joinDot writes the parts that are not empty as "a · b · c".
func joinDot(parts ...string) string {
	out := parts[:0:0]
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " · ")
}
