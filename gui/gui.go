// Package gui is ConnectPoint's window: setting up a program, logging in,
// locking after idle minutes, and the sections of the work (dashboard,
// cases, coaches...).
//
// One file per screen; each screen is a small struct that holds its widgets
// and its handlers, named onXxx. The package uses data and nothing else of
// ConnectPoint. Every string a person reads goes through lang, English in
// assets/translations/en.json. Goroutines touch widgets only through fyne.Do.
package gui

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"

	"connectpoint/assets"
	"connectpoint/data"
)

// Title is the window's title. It never names a person.
const Title = "ConnectPoint"

// tickEvery is how often the idle lock is checked and the case clocks move.
const tickEvery = 10 * time.Second

// App is the ConnectPoint window on one data folder.
type App struct {
	fa    fyne.App
	win   fyne.Window
	dir   string
	opt   data.Options
	clock data.Clock
	log   *slog.Logger

	store *data.Store
	sess  *data.Session // nil until someone logs in

	// background runs slow work (password hashing) away from the UI
	// thread; the work hands its result back through fyne.Do. Tests run it
	// in place.
	background func(func())

	idle *idleLock
	root *fyne.Container // the current screen, or the session under the lock screen

	// session is what the idle lock hides and gives back intact: the main
	// shell, or the recovery key before it.
	session fyne.CanvasObject
	shell   *shell
	lock    *loginScreen // the lock screen while locked, else nil
	refocus fyne.Focusable
	hidden  []fyne.CanvasObject // pop-ups and dialogs the lock took down

	// The screens before a session, kept for the tests to drive.
	setup    *setupScreen
	login    *loginScreen
	recovery *recoveryScreen

	reminders *reminders // check-ins due, for the logged-in user (reminders.go)

	demo *demoProgram // the demo program, while the window is on it (demo.go)

	version string // as `connectpoint version` prints it; "" in tests (about.go)

	syncStarter SyncStarter // from main; nil when the build has no sync
	sync        SyncHandle  // the running sync of this session (syncstatus.go)
	syncView    *syncStatus
	// syncSettings does what Settings → Sync asks; nil when the build has
	// no sync.
	syncSettings SyncSettings

	// placeChosen records a placement when someone presses "Place here" in
	// Find a bed; the station workflow sets it. Nil: not in this build.
	placeChosen func(caseID, facilityID string)
	facCache    facilityCache // the facility directory in memory

	stop     chan struct{}
	stopOnce sync.Once
}

var translationsOnce sync.Once

// Run opens the window on the data folder dir and blocks until it closes.
func Run(a fyne.App, dir string, opt data.Options) {
	New(a, dir, opt).ShowAndRun()
}

// New makes the window on the data folder dir: the first-run setup when no
// program is set up there, else the login.
func New(fa fyne.App, dir string, opt data.Options) *App {
	a := newApp(fa, dir, opt)
	a.start()
	go a.tickLoop(tickEvery)
	return a
}

// ShowAndRun shows the window and runs the application until it closes.
func (a *App) ShowAndRun() { a.win.ShowAndRun() }

// Window returns the application's window.
func (a *App) Window() fyne.Window { return a.win }

// newApp builds the window without opening the store or starting the
// clock, so tests can set the App up first.
func newApp(fa fyne.App, dir string, opt data.Options) *App {
	translationsOnce.Do(func() {
		if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
			slog.Error("load translations", "err", err)
		}
	})
	a := &App{fa: fa, dir: dir, opt: opt, clock: opt.Clock, log: opt.Logger,
		background: func(f func()) { go f() }, stop: make(chan struct{})}
	if a.clock == nil {
		a.clock = data.SystemClock{}
	}
	a.placeChosen = a.placeCase
	if a.log == nil {
		a.log = slog.Default()
	}
	a.idle = newIdleLock(a.clock, defaultIdleMinutes*time.Minute)
	fa.SetIcon(assets.Icon)
	a.win = fa.NewWindow(Title)
	a.win.SetIcon(assets.Icon)
	a.win.Resize(fyne.NewSize(1100, 720))
	a.root = container.NewStack()
	a.win.SetContent(newActivityRoot(a.root, a.idle.touch))
	if dc, ok := a.win.Canvas().(desktop.Canvas); ok {
		// Keys reach the canvas only when no widget has the focus; typing
		// in a field is counted by entry (see idle.go).
		dc.SetOnKeyDown(func(*fyne.KeyEvent) { a.idle.touch() })
	}
	for _, sc := range a.shortcuts() {
		a.win.Canvas().AddShortcut(sc.shortcut, func(fyne.Shortcut) { sc.run() })
	}
	a.win.Canvas().SetOnTypedKey(func(k *fyne.KeyEvent) {
		if k.Name == fyne.KeyEscape {
			a.onEscape()
		}
	})
	a.win.SetOnClosed(a.close)
	return a
}

// start opens the store and shows the first screen.
func (a *App) start() {
	ctx := context.Background()
	if !data.Exists(a.dir) {
		a.showWelcome()
		return
	}
	st, err := data.Open(ctx, a.dir, a.opt)
	if err != nil {
		a.showProblem(err)
		return
	}
	a.store = st
	has, err := st.HasUsers(ctx)
	switch {
	case err != nil:
		a.showProblem(err)
	case has:
		a.showLogin()
	default:
		a.showWelcome()
	}
}

// close stops the clock and closes the store when the window closes.
func (a *App) close() {
	a.stopOnce.Do(func() {
		a.stopReminders()
		a.stopSync()
		close(a.stop)
		if a.demo != nil {
			a.closeDemo()
		}
		if a.store != nil {
			if err := a.store.Close(); err != nil {
				a.log.Error("close store", "err", err)
			}
		}
	})
}

// show makes obj the whole window.
func (a *App) show(obj fyne.CanvasObject) {
	a.win.Canvas().Unfocus()
	a.root.Objects = []fyne.CanvasObject{obj}
	a.root.Refresh()
}

func (a *App) showWelcome() {
	a.setup = newSetupScreen(a)
	a.show(a.setup.view)
}

func (a *App) showLogin() {
	a.login = newLoginScreen(a, nil)
	a.show(a.login.view)
	a.win.Canvas().Focus(a.login.username)
}

// showProblem says why the window cannot go on (a data folder that cannot
// be opened): nothing else can be done here.
func (a *App) showProblem(err error) {
	a.show(newProblemView(a, err))
}

// beginSession starts the work of a logged-in user: the recovery key first
// when the program was just set up, then the shell.
func (a *App) beginSession(sess *data.Session, recoveryKey string) {
	a.sess, a.setup, a.login = sess, nil, nil
	a.idle.setLimit(a.idleLimit())
	a.idle.touch()
	if recoveryKey != "" {
		a.recovery = newRecoveryScreen(a, recoveryKey)
		a.session = a.recovery.view
		a.show(a.recovery.view)
		return
	}
	a.openShell()
}

// openShell shows the main layout for the session's user.
func (a *App) openShell() {
	a.recovery = nil
	a.shell = newShell(a, a.sess)
	a.session = a.shell.view
	a.show(a.shell.view)
	a.shell.select0()
	a.startReminders()
	a.startSync()
}

// endSession forgets the user and everything their screens held, and asks
// for a login.
func (a *App) endSession() {
	a.stopReminders()
	a.stopSync()
	a.sess, a.shell, a.recovery, a.session, a.lock, a.refocus, a.hidden = nil, nil, nil, nil, nil, nil, nil
	a.showLogin()
}

// lockNow hides the session behind the lock screen. The session's widgets
// stay alive, typed text and all, and come back as they were on unlock.
func (a *App) lockNow() {
	if a.sess == nil || a.lock != nil || a.session == nil {
		return
	}
	c := a.win.Canvas()
	a.refocus = c.Focused()
	c.Unfocus()
	a.session.Hide()
	// A pop-up would sit over the lock screen and take its clicks: it is
	// taken down, and put back on unlock.
	a.hidden = append([]fyne.CanvasObject(nil), c.Overlays().List()...)
	for _, o := range a.hidden {
		c.Overlays().Remove(o)
	}
	a.lock = newLoginScreen(a, &a.sess.User)
	a.root.Objects = []fyne.CanvasObject{a.session, a.lock.view}
	a.root.Refresh()
	c.Focus(a.lock.password)
}

// unlock gives the session back after the password was checked.
func (a *App) unlock() {
	if a.lock == nil {
		return
	}
	a.lock = nil
	a.root.Objects = []fyne.CanvasObject{a.session}
	a.session.Show()
	a.root.Refresh()
	for _, o := range a.hidden {
		a.win.Canvas().Overlays().Add(o)
	}
	a.hidden = nil
	a.idle.touch()
	if a.refocus != nil {
		a.win.Canvas().Focus(a.refocus)
		a.refocus = nil
	}
}

// locked reports whether the lock screen is up.
func (a *App) locked() bool { return a.lock != nil }

// tick locks the window when it has been idle too long and moves the clocks.
func (a *App) tick() {
	if a.sess == nil || a.locked() {
		return
	}
	if a.idle.expired() {
		a.lockNow()
		return
	}
	if a.shell != nil {
		a.shell.onTick()
	}
}

func (a *App) tickLoop(every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-a.stop:
			return
		case <-t.C:
			fyne.Do(a.tick)
		}
	}
}

// now is the time the clocks show.
func (a *App) now() time.Time { return a.clock.Now() }

// ctx is the context of a call made for a person at the window.
func (a *App) ctx() context.Context { return context.Background() }
