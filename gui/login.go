package gui

import (
	"errors"
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// loginScreen asks for a user name and password. As the lock screen it
// asks only the password of the user who is logged in, and gives their
// work back as it was.
type loginScreen struct {
	app  *App
	user *data.User // the locked session's user; nil for a fresh login
	view fyne.CanvasObject

	username *entry
	password *entry
	problem  *widget.Label
	submit   *widget.Button
}

func newLoginScreen(a *App, locked *data.User) *loginScreen {
	s := &loginScreen{app: a, user: locked, username: a.newEntry(), password: a.newPasswordEntry(), problem: problem()}
	s.username.OnSubmitted = func(string) { s.onSubmit() }
	s.password.OnSubmitted = func(string) { s.onSubmit() }

	title, button := lang.L("Log in"), lang.L("Log in")
	if locked != nil {
		title, button = lang.L("Locked — enter your password"), lang.L("Unlock")
		s.username.SetText(locked.Username)
	}
	s.submit = widget.NewButton(button, s.onSubmit)
	s.submit.Importance = widget.HighImportance

	objs := []fyne.CanvasObject{logo(), heading(title)}
	if locked == nil {
		if a.inDemo() {
			objs = append(objs, a.demoLogins(s))
		} else {
			objs = append(objs, sentence(lang.L("ConnectPoint keeps confidential records. Log in with your own user name.")))
		}
		objs = append(objs, newField(lang.L("User name"), s.username).box)
	} else {
		who := widget.NewLabel(lang.L("{{.Name}} ({{.User}}) is logged in. The window locked because it was not used, or someone locked it.",
			map[string]string{"Name": displayName(locked), "User": locked.Username}))
		who.Wrapping = fyne.TextWrapWord
		objs = append(objs, who)
		if a.inDemo() {
			objs = append(objs, a.demoPassword())
		}
	}
	objs = append(objs, newField(lang.L("Password"), s.password).box, s.problem)
	buttons := container.NewHBox(layout.NewSpacer(), s.submit)
	if locked != nil {
		other := widget.NewButton(lang.L("Log in as someone else"), s.onSwitchUser)
		buttons = container.NewHBox(other, layout.NewSpacer(), s.submit)
	}
	objs = append(objs, buttons)
	s.view = card(440, objs...)
	return s
}

// displayName is how the window names a user: their full name, else their
// user name.
func displayName(u *data.User) string {
	if u.Name != "" {
		return u.Name
	}
	return u.Username
}

// onSubmit checks the password away from the UI thread (it is slow on
// purpose) and logs in, or unlocks.
func (s *loginScreen) onSubmit() {
	if s.submit.Disabled() {
		return
	}
	user, pw := s.username.Text, s.password.Text
	if user == "" {
		say(s.problem, lang.L("Type your user name."))
		s.app.win.Canvas().Focus(s.username)
		return
	}
	if pw == "" {
		say(s.problem, lang.L("Type your password."))
		s.app.win.Canvas().Focus(s.password)
		return
	}
	say(s.problem, "")
	s.submit.Disable()
	a := s.app
	a.background(func() {
		sess, err := a.store.Login(a.ctx(), user, pw)
		fyne.Do(func() {
			s.submit.Enable()
			s.onResult(sess, err)
		})
	})
}

func (s *loginScreen) onResult(sess *data.Session, err error) {
	a := s.app
	if err == nil && s.user != nil && sess.User.ID != s.user.ID {
		err = data.ErrWrongLogin
	}
	if err != nil {
		text := a.errorText(err)
		if errors.Is(err, data.ErrWrongLogin) {
			text = lang.L("Wrong user name or password")
			if s.user != nil {
				text = lang.L("Wrong password")
			}
		}
		say(s.problem, text)
		s.password.SetText("")
		a.win.Canvas().Focus(s.password)
		return
	}
	if s.user != nil {
		a.unlock()
		return
	}
	a.beginSession(sess, "")
}

// onSwitchUser ends the locked session: its unsaved typing is dropped,
// since it belongs to someone else.
func (s *loginScreen) onSwitchUser() { s.app.endSession() }
