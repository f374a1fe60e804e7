package gui

import (
	"crypto/rand"
	"image/color"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
	"connectpoint/data/importer"
)

// The demo program: "Explore with demo data" on the first-run screen sets
// up the same made-up program as `connectpoint demo`, in the data folder's
// demo folder (data.DemoDir), so that the real program's database never
// holds a made-up person and the real program can still be set up. The
// demo starts fresh each time and is deleted when the person leaves it or
// closes the window. While it is open, a band across the top of the window
// says so on every screen, with the way back to the first-run screen.

// demoProgram is the demo the window has open.
type demoProgram struct {
	password string      // every demo user's
	real     *data.Store // the real data folder's store, if one was open (set up, without users)
	banner   *canvas.Text
}

// inDemo reports whether the window is on the demo program.
func (a *App) inDemo() bool { return a.demo != nil }

// startDemo sets up a fresh demo program away from the UI thread, then
// shows its login; done gets what went wrong, if anything.
func (a *App) startDemo(done func(error)) {
	pw := "demo-" + strings.ToLower(rand.Text()[:6])
	a.background(func() {
		st, err := a.makeDemo(pw)
		fyne.Do(func() {
			if err != nil {
				done(err)
				return
			}
			a.demo = &demoProgram{password: pw, real: a.store}
			a.store = st
			a.showDemoFrame(true)
			a.showLogin()
			done(nil)
		})
	})
}

// makeDemo replaces any demo left in the data folder by a new one.
func (a *App) makeDemo(password string) (*data.Store, error) {
	ctx := a.ctx()
	if err := data.RemoveDemo(a.dir); err != nil {
		return nil, err
	}
	facilities, err := importer.DemoDirectory(ctx)
	if err != nil {
		return nil, err
	}
	st, err := data.Create(ctx, data.DemoDir(a.dir), a.opt)
	if err != nil {
		return nil, err
	}
	if err := st.SetUpDemo(ctx, password, facilities); err != nil {
		st.Close()
		if rerr := data.RemoveDemo(a.dir); rerr != nil {
			a.log.Error("remove a half-made demo", "err", rerr)
		}
		return nil, err
	}
	return st, nil
}

// onLeaveDemo asks before the demo is thrown away.
func (a *App) onLeaveDemo() {
	dialog.ShowConfirm(lang.L("Leave the demo?"),
		lang.L("The demo program and everything done in it are deleted. You go back to the first screen, where you can set up your real program."),
		func(ok bool) {
			if ok {
				a.leaveDemo()
			}
		}, a.win)
}

// leaveDemo ends the demo session, deletes the demo and shows the
// first-run screen again.
func (a *App) leaveDemo() {
	if a.demo == nil {
		return
	}
	a.stopReminders()
	a.stopSync()
	a.sess, a.shell, a.recovery, a.session, a.lock, a.refocus, a.hidden = nil, nil, nil, nil, nil, nil, nil
	for _, o := range a.win.Canvas().Overlays().List() {
		a.win.Canvas().Overlays().Remove(o)
	}
	a.closeDemo()
	a.directoryChanged()
	a.showDemoFrame(false)
	a.showWelcome()
}

// closeDemo closes and deletes the demo program, giving the window back
// the real data folder's store.
func (a *App) closeDemo() {
	if err := a.store.Close(); err != nil {
		a.log.Error("close the demo program", "err", err)
	}
	a.store, a.demo = a.demo.real, nil
	if err := data.RemoveDemo(a.dir); err != nil {
		a.log.Error("remove the demo program", "err", err)
	}
}

// showDemoFrame puts the demo band across the top of the window, or takes
// it away.
func (a *App) showDemoFrame(on bool) {
	if !on {
		a.win.SetTitle(Title)
		a.root.Move(fyne.NewPos(0, 0)) // the band had pushed it down; the root's renderer only resizes
		a.win.SetContent(newActivityRoot(a.root, a.idle.touch))
		return
	}
	a.win.SetTitle(Title + " — " + lang.L("DEMO"))
	text := canvas.NewText(lang.L("DEMO — not for real people. Everyone here is made up."), color.Black)
	text.TextStyle.Bold = true
	text.TextSize = theme.TextSubHeadingSize()
	a.demo.banner = text
	leave := widget.NewButtonWithIcon(lang.L("Leave the demo"), theme.LogoutIcon(), a.onLeaveDemo)
	band := container.NewStack(canvas.NewRectangle(theme.Color(theme.ColorNameWarning)),
		container.NewHBox(container.NewPadded(text), layout.NewSpacer(), container.NewPadded(leave)))
	a.win.SetContent(newActivityRoot(container.NewBorder(band, nil, nil, nil, a.root), a.idle.touch))
}

// demoLogins is the demo's part of the login screen: its users, each a
// button that logs in as them, and their password, which is no secret.
func (a *App) demoLogins(s *loginScreen) fyne.CanvasObject {
	roles := []struct {
		user, what string
	}{
		{"officer", lang.L("front desk: intake, coaches")},
		{"coach", lang.L("assessment, beds, check-ins")},
		{"coordinator", lang.L("everything, reports")},
		{"admin", lang.L("users and this computer")},
	}
	rows := container.NewVBox()
	for _, r := range roles {
		user := r.user
		b := widget.NewButton(lang.L("Log in as {{.User}}", map[string]string{"User": user}), func() {
			s.username.SetText(user)
			s.password.SetText(a.demo.password)
			s.onSubmit()
		})
		rows.Add(container.NewBorder(nil, nil, column(190, b), nil, widget.NewLabel(r.what)))
	}
	pw := widget.NewLabel(lang.L("Password for all of them: {{.Password}}", map[string]string{"Password": a.demo.password}))
	pw.TextStyle.Bold = true
	pw.Selectable = true
	return container.NewVBox(
		sentence(lang.L("This is the demo program. Try it as each of its users:")),
		rows, pw, widget.NewSeparator())
}

// demoPassword reminds the lock screen of the demo's password.
func (a *App) demoPassword() fyne.CanvasObject {
	return sentence(lang.L("Demo password: {{.Password}}", map[string]string{"Password": a.demo.password}))
}
