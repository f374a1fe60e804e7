package gui

import (
	"strconv"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// The idle lock (DESIGN §5): a station PC is shared, so after some minutes
// without a key or the mouse the window hides the work behind the login.
//
// Fyne has no hook that sees every input event, so activity is gathered
// from three places:
//
//   - the mouse: the window's root is desktop.Cursorable. On every pointer
//     move the desktop driver asks each object under the pointer, root
//     first, which cursor it wants; the root's answer is the default
//     cursor (its children's answers override it) and the question is
//     counted as activity. Hover-only roots would not do: the driver sends
//     hover events to the top-most Hoverable only.
//   - keys while no widget has the focus: desktop.Canvas.SetOnKeyDown.
//   - keys while a field has the focus (the canvas does not see those):
//     every text field of this package is an entry, which counts them.
//
// If a future Fyne stopped asking the root for its cursor, the window
// would lock sooner, never later.

// defaultIdleMinutes is the lock delay when the device has no setting.
const defaultIdleMinutes = 5

// idleSetting is the device-local setting of the lock delay, in minutes.
const idleSetting = "idle_lock_minutes"

// The bounds of the lock delay, in minutes.
const (
	minIdleMinutes = 1
	maxIdleMinutes = 120
)

// idleLock knows when the window was last used. The driver may report
// activity from its own thread, hence the mutex.
type idleLock struct {
	clock data.Clock

	mu    sync.Mutex
	last  time.Time
	limit time.Duration
}

func newIdleLock(c data.Clock, limit time.Duration) *idleLock {
	return &idleLock{clock: c, last: c.Now(), limit: limit}
}

// touch records activity now.
func (l *idleLock) touch() {
	now := l.clock.Now()
	l.mu.Lock()
	l.last = now
	l.mu.Unlock()
}

// setLimit changes how long the window may stay idle.
func (l *idleLock) setLimit(d time.Duration) {
	l.mu.Lock()
	l.limit = d
	l.mu.Unlock()
}

// expired reports whether the window has been idle for the limit or more.
func (l *idleLock) expired() bool {
	now := l.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	return now.Sub(l.last) >= l.limit
}

// idleLimit reads the device's lock delay, the default when unset or
// unreadable.
func (a *App) idleLimit() time.Duration {
	if a.store == nil {
		return defaultIdleMinutes * time.Minute
	}
	v, err := a.store.Setting(a.ctx(), idleSetting)
	if err != nil {
		a.log.Error("read idle lock setting", "err", err)
	}
	n, ok := parseIdleMinutes(v)
	if !ok {
		n = defaultIdleMinutes
	}
	return time.Duration(n) * time.Minute
}

// parseIdleMinutes reads a lock delay as typed or stored.
func parseIdleMinutes(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || n < minIdleMinutes || n > maxIdleMinutes {
		return 0, false
	}
	return n, true
}

// activityRoot wraps the window's content and counts pointer moves over
// it as activity (see the top of this file).
type activityRoot struct {
	widget.BaseWidget
	content fyne.CanvasObject
	touch   func()
}

var _ desktop.Cursorable = (*activityRoot)(nil)

func newActivityRoot(content fyne.CanvasObject, touch func()) *activityRoot {
	r := &activityRoot{content: content, touch: touch}
	r.ExtendBaseWidget(r)
	return r
}

func (r *activityRoot) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(r.content)
}

// Cursor is asked on every pointer move over the window.
func (r *activityRoot) Cursor() desktop.Cursor {
	r.touch()
	return desktop.DefaultCursor
}

// entry is the text field of every screen: a widget.Entry that counts
// typing as activity, passes the window's shortcuts (Ctrl+F) on, which a
// focused widget.Entry would swallow, and lets Esc cancel its form.
type entry struct {
	widget.Entry
	app *App

	onEscape func()    // Esc in this field, when the form can be cancelled
	keys     *formKeys // the form the field is in, if any
}

func (e *entry) FocusGained() {
	e.Entry.FocusGained()
	e.keys.reveal(e)
}

func (a *App) newEntry() *entry {
	e := &entry{app: a}
	e.ExtendBaseWidget(e)
	return e
}

func (a *App) newPasswordEntry() *entry {
	e := a.newEntry()
	e.Password = true
	return e
}

func (e *entry) TypedRune(r rune) {
	e.app.idle.touch()
	e.Entry.TypedRune(r)
}

func (e *entry) TypedKey(k *fyne.KeyEvent) {
	e.app.idle.touch()
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}

func (e *entry) TypedShortcut(s fyne.Shortcut) {
	e.app.idle.touch()
	if e.app.runShortcut(s) {
		return
	}
	e.Entry.TypedShortcut(s)
}

// appShortcut is a key combination the whole window answers.
type appShortcut struct {
	shortcut fyne.Shortcut
	run      func()
}

func (a *App) shortcuts() []appShortcut {
	return []appShortcut{
		{&desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault}, a.onFind},
		{&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault}, a.onNewIntake},
	}
}

// runShortcut runs the window's shortcut s, if it is one.
func (a *App) runShortcut(s fyne.Shortcut) bool {
	for _, sc := range a.shortcuts() {
		if sc.shortcut.ShortcutName() == s.ShortcutName() {
			sc.run()
			return true
		}
	}
	return false
}

// onFind (Ctrl+F) goes to the case list and puts the cursor in its search.
func (a *App) onFind() {
	a.idle.touch()
	if a.shell == nil || a.locked() || a.session != a.shell.view {
		return
	}
	a.shell.focusCaseSearch()
}
