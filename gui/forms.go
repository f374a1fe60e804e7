package gui

import (
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The pieces of the workflow's forms, made for the keyboard: every question
// is one Tab stop, Enter submits the form from anywhere in it, Esc leaves.

// formKeys are what Enter and Esc do in a form, and the form's scroll,
// which follows the focus as Tab moves it.
type formKeys struct {
	submit func()
	cancel func()
	scroll *container.Scroll
}

// wire makes Enter in e submit the form and Esc leave it.
func (k *formKeys) wire(e *entry) *entry {
	e.OnSubmitted = func(string) { k.submit() }
	e.onEscape = k.cancel
	e.keys = k
	return e
}

// reveal scrolls the form so that o, which just got the focus, is in view.
func (k *formKeys) reveal(o fyne.CanvasObject) {
	if k == nil || k.scroll == nil || !k.scroll.Visible() {
		return
	}
	d := fyne.CurrentApp().Driver()
	y := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(k.scroll).Y
	h, view, pad := o.Size().Height, k.scroll.Size().Height, 2*theme.Padding()
	off := k.scroll.Offset
	switch {
	case y < 0:
		off.Y += y - pad
	case y+h > view:
		off.Y += y + h - view + pad
	default:
		return
	}
	k.scroll.ScrollToOffset(off)
}

// key runs what Enter or Esc mean, reporting whether it was one of them.
func (k *formKeys) key(ev *fyne.KeyEvent) bool {
	if k == nil {
		return false
	}
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if k.submit != nil {
			k.submit()
		}
		return true
	case fyne.KeyEscape:
		if k.cancel != nil {
			k.cancel()
		}
		return true
	}
	return false
}

// check is a check box that also submits on Enter and leaves on Esc.
type check struct {
	widget.Check
	app  *App
	keys *formKeys
}

func (a *App) newCheck(label string, keys *formKeys) *check {
	c := &check{app: a, keys: keys}
	c.Text = label
	c.ExtendBaseWidget(c)
	return c
}

func (c *check) TypedKey(ev *fyne.KeyEvent) {
	c.app.idle.touch()
	if !c.keys.key(ev) {
		c.Check.TypedKey(ev)
	}
}

func (c *check) FocusGained() {
	c.Check.FocusGained()
	c.keys.reveal(c)
}

func (c *check) TypedRune(r rune) {
	c.app.idle.touch()
	c.Check.TypedRune(r)
}

// checked lists the values of the ticked boxes, in order.
func checked(boxes []*check, values []string) []string {
	var out []string
	for i, b := range boxes {
		if b.Checked {
			out = append(out, values[i])
		}
	}
	return out
}

// choice is a question with one answer among a few: the options side by
// side (or one per line), the chosen one shown with a tick and in bold as
// well as in colour. It is a single Tab stop: Left/Right or Up/Down move,
// a letter jumps to the next option that starts with it, Space or a click
// picks, Enter submits the form, Esc leaves it.
type choice struct {
	widget.BaseWidget
	app      *App
	values   []string
	labels   []string
	selected int  // -1: no answer yet
	vertical bool // one option per line
	oneRow   bool // all options on one line, never wrapped
	focused  bool
	keys     *formKeys

	// OnChanged is called with the chosen value after each change.
	OnChanged func(value string)

	segs []*choiceSeg
}

var (
	_ fyne.Focusable = (*choice)(nil)
	_ fyne.Tappable  = (*choiceSeg)(nil)
)

func (a *App) newChoice(values, labels []string, keys *formKeys) *choice {
	c := &choice{app: a, values: values, labels: labels, selected: -1, keys: keys}
	for i := range labels {
		c.segs = append(c.segs, newChoiceSeg(c, i))
	}
	c.ExtendBaseWidget(c)
	return c
}

// Value returns the chosen value, "" when none is.
func (c *choice) Value() string {
	if c.selected < 0 {
		return ""
	}
	return c.values[c.selected]
}

// Label returns the chosen option's label, "" when none is.
func (c *choice) Label() string {
	if c.selected < 0 {
		return ""
	}
	return c.labels[c.selected]
}

// SetValue chooses the option with value v ("" or an unknown value: none).
func (c *choice) SetValue(v string) {
	c.pick(indexOf(c.values, v))
}

func (c *choice) pick(i int) {
	if i == c.selected {
		return
	}
	c.selected = i
	for _, s := range c.segs {
		s.Refresh()
	}
	if c.OnChanged != nil {
		c.OnChanged(c.Value())
	}
}

func (c *choice) CreateRenderer() fyne.WidgetRenderer {
	objs := make([]fyne.CanvasObject, len(c.segs))
	for i, s := range c.segs {
		objs[i] = s
	}
	var box *fyne.Container
	switch {
	case c.vertical:
		box = container.NewVBox(objs...)
	case c.oneRow:
		box = container.NewHBox(objs...)
	default:
		box = container.New(layout.NewRowWrapLayout(), objs...)
	}
	border := canvas.NewRectangle(nil)
	border.StrokeWidth = 2
	border.CornerRadius = theme.InputRadiusSize()
	r := &choiceRenderer{c: c, border: border}
	r.base = widget.NewSimpleRenderer(container.NewStack(border, container.NewPadded(box)))
	r.Refresh()
	return r
}

type choiceRenderer struct {
	base   fyne.WidgetRenderer
	c      *choice
	border *canvas.Rectangle
}

func (r *choiceRenderer) Destroy()                     { r.base.Destroy() }
func (r *choiceRenderer) Layout(s fyne.Size)           { r.base.Layout(s) }
func (r *choiceRenderer) MinSize() fyne.Size           { return r.base.MinSize() }
func (r *choiceRenderer) Objects() []fyne.CanvasObject { return r.base.Objects() }
func (r *choiceRenderer) Refresh() {
	if r.c.focused {
		r.border.StrokeColor = theme.Color(theme.ColorNameFocus)
	} else {
		r.border.StrokeColor = theme.Color(theme.ColorNameInputBorder)
	}
	r.border.Refresh()
	for _, s := range r.c.segs {
		s.Refresh()
	}
}

func (c *choice) FocusGained() {
	c.focused = true
	c.Refresh()
	c.keys.reveal(c)
}

func (c *choice) FocusLost() {
	c.focused = false
	c.Refresh()
}

func (c *choice) TypedKey(ev *fyne.KeyEvent) {
	c.app.idle.touch()
	if c.keys.key(ev) {
		return
	}
	n := len(c.values)
	switch ev.Name {
	case fyne.KeyRight, fyne.KeyDown:
		c.pick((c.selected + 1) % n)
	case fyne.KeyLeft, fyne.KeyUp:
		if c.selected <= 0 {
			c.pick(n - 1)
		} else {
			c.pick(c.selected - 1)
		}
	case fyne.KeySpace:
		if c.selected < 0 {
			c.pick(0)
		}
	}
}

// TypedRune jumps to the next option whose label starts with r.
func (c *choice) TypedRune(r rune) {
	c.app.idle.touch()
	if r == ' ' {
		if c.selected < 0 {
			c.pick(0)
		}
		return
	}
	r = unicode.ToLower(r)
	n := len(c.labels)
	for k := 1; k <= n; k++ {
		i := (c.selected + k + n) % n
		if c.selected < 0 {
			i = k - 1
		}
		for _, first := range strings.ToLower(c.labels[i]) {
			if first == r {
				c.pick(i)
				return
			}
			break
		}
	}
}

// choiceSeg is one option of a choice.
type choiceSeg struct {
	widget.BaseWidget
	c       *choice
	i       int
	hovered bool
}

func newChoiceSeg(c *choice, i int) *choiceSeg {
	s := &choiceSeg{c: c, i: i}
	s.ExtendBaseWidget(s)
	return s
}

func (s *choiceSeg) Tapped(*fyne.PointEvent) {
	s.c.app.idle.touch()
	if cv := fyne.CurrentApp().Driver().CanvasForObject(s.c); cv != nil {
		cv.Focus(s.c)
	}
	s.c.pick(s.i)
}

func (s *choiceSeg) MouseIn(*desktop.MouseEvent)    { s.hovered = true; s.Refresh() }
func (s *choiceSeg) MouseMoved(*desktop.MouseEvent) {}
func (s *choiceSeg) MouseOut()                      { s.hovered = false; s.Refresh() }

func (s *choiceSeg) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(nil)
	bg.CornerRadius = theme.InputRadiusSize()
	text := canvas.NewText(s.c.labels[s.i], nil)
	tick := widget.NewIcon(theme.NewColoredResource(theme.ConfirmIcon(), theme.ColorNameForegroundOnPrimary))
	r := &segRenderer{s: s, bg: bg, text: text, tick: tick}
	r.Refresh()
	return r
}

type segRenderer struct {
	s    *choiceSeg
	bg   *canvas.Rectangle
	text *canvas.Text
	tick *widget.Icon
}

func (r *segRenderer) iconSize() float32 { return theme.IconInlineSize() }

func (r *segRenderer) MinSize() fyne.Size {
	p := theme.InnerPadding()
	t := fyne.MeasureText(r.text.Text, theme.TextSize(), fyne.TextStyle{Bold: true})
	return fyne.NewSize(t.Width+r.iconSize()+theme.Padding()+2*p, max(t.Height, r.iconSize())+p)
}

func (r *segRenderer) Layout(size fyne.Size) {
	p := theme.InnerPadding()
	r.bg.Resize(size)
	is := r.iconSize()
	r.tick.Move(fyne.NewPos(p, (size.Height-is)/2))
	r.tick.Resize(fyne.NewSquareSize(is))
	t := r.text.MinSize()
	x := p + is + theme.Padding()
	if r.s.c.selected != r.s.i && !r.s.c.vertical {
		x = (size.Width - t.Width) / 2 // no tick: the word in the middle
	}
	r.text.Move(fyne.NewPos(x, (size.Height-t.Height)/2))
	r.text.Resize(t)
}

func (r *segRenderer) Refresh() {
	on := r.s.c.selected == r.s.i
	r.text.TextSize = theme.TextSize()
	r.text.TextStyle.Bold = on
	switch {
	case on:
		r.bg.FillColor = theme.Color(theme.ColorNamePrimary)
		r.text.Color = theme.Color(theme.ColorNameForegroundOnPrimary)
		r.tick.Show()
	case r.s.hovered:
		r.bg.FillColor = theme.Color(theme.ColorNameHover)
		r.text.Color = theme.Color(theme.ColorNameForeground)
		r.tick.Hide()
	default:
		r.bg.FillColor = theme.Color(theme.ColorNameButton)
		r.text.Color = theme.Color(theme.ColorNameForeground)
		r.tick.Hide()
	}
	r.bg.Refresh()
	r.text.Refresh()
	r.Layout(r.s.Size())
}

func (r *segRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.bg, r.tick, r.text}
}

func (r *segRenderer) Destroy() {}

func indexOf(list []string, v string) int {
	for i, x := range list {
		if x == v {
			return i
		}
	}
	return -1
}

// labelled puts a bold label above obj, and a problem line below it.
func labelled(label string, obj fyne.CanvasObject, prob *widget.Label) *fyne.Container {
	l := widget.NewLabel(label)
	l.TextStyle.Bold = true
	if prob == nil {
		return container.NewVBox(l, obj)
	}
	return container.NewVBox(l, obj, prob)
}

// primary is the one button of a screen that takes the next step.
func primary(text string, icon fyne.Resource, tapped func()) *widget.Button {
	b := widget.NewButtonWithIcon(text, icon, tapped)
	b.Importance = widget.HighImportance
	return b
}
