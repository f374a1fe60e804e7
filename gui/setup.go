package gui

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
)

// setupScreen is the first run: a welcome with one button, then the form
// that sets up a new program (the agency and its first administrator).
// Nothing typed is lost on an error, or on going back to the welcome.
type setupScreen struct {
	app  *App
	view *fyne.Container // the welcome or the form

	welcome fyne.CanvasObject
	form    fyne.CanvasObject

	agency, zip, username, name, password, again *field

	problem *widget.Label // what went wrong that is not one field's fault
	submit  *widget.Button

	start, explore *widget.Button
	demoProblem    *widget.Label // why the demo could not be set up
}

func newSetupScreen(a *App) *setupScreen {
	s := &setupScreen{app: a, demoProblem: problem()}
	s.start = widget.NewButton(lang.L("Set up a new program"), s.onStart)
	s.start.Importance = widget.HighImportance
	s.explore = widget.NewButtonWithIcon(lang.L("Explore with demo data"), theme.SearchIcon(), s.onExplore)
	s.welcome = card(520,
		logo(),
		heading(lang.L("Welcome to ConnectPoint")),
		sentence(lang.L("No program is set up on this computer yet. Setting one up takes two minutes: the name of your agency and the first administrator, who then adds everyone else.")),
		layout.NewSpacer(),
		s.start,
		widget.NewSeparator(),
		sentence(lang.L("Not ready yet? Try ConnectPoint first on a made-up program around Naperville, Illinois: people waiting at every step, coaches on call, the Illinois treatment directory. It is kept apart from your real data, starts fresh each time, and is deleted when you leave it.")),
		s.explore,
		s.demoProblem,
	)

	s.agency = newField(lang.L("Agency name"), a.newEntry())
	s.agency.entry.SetPlaceHolder(lang.L("for example, Naperville Police Department"))
	s.zip = newField(lang.L("Station ZIP (optional)"), a.newEntry())
	s.zip.entry.SetPlaceHolder("60540")
	s.username = newField(lang.L("Administrator's user name"), a.newEntry())
	s.username.entry.SetPlaceHolder(lang.L("for example, jortiz"))
	s.name = newField(lang.L("Administrator's full name"), a.newEntry())
	s.password = newField(lang.L("Password"), a.newPasswordEntry())
	s.password.entry.SetPlaceHolder(lang.L("at least 8 characters"))
	s.again = newField(lang.L("Password again"), a.newPasswordEntry())
	for _, f := range s.fields() {
		f.entry.OnSubmitted = func(string) { s.onSubmit() }
		f.entry.onEscape = s.onBack
	}
	s.problem = problem()
	s.submit = widget.NewButton(lang.L("Set up the program"), s.onSubmit)
	s.submit.Importance = widget.HighImportance
	back := widget.NewButton(lang.L("Back"), s.onBack)
	s.form = card(760,
		heading(lang.L("Set up a new program")),
		container.NewBorder(nil, nil, nil, column(220, s.zip.box), s.agency.box),
		subheading(lang.L("First administrator")),
		sentence(lang.L("The administrator adds the other users and manages this computer.")),
		container.NewGridWithColumns(2, s.username.box, s.name.box),
		container.NewGridWithColumns(2, s.password.box, s.again.box),
		s.problem,
		container.NewHBox(back, layout.NewSpacer(), s.submit),
	)
	s.view = container.NewStack(s.welcome)
	return s
}

func (s *setupScreen) fields() []*field {
	return []*field{s.agency, s.zip, s.username, s.name, s.password, s.again}
}

func (s *setupScreen) showPart(obj fyne.CanvasObject) {
	s.view.Objects = []fyne.CanvasObject{obj}
	s.view.Refresh()
}

func (s *setupScreen) onStart() {
	s.showPart(s.form)
	s.app.win.Canvas().Focus(s.agency.entry)
}

// onExplore sets up the demo program and opens its login.
func (s *setupScreen) onExplore() {
	if s.explore.Disabled() {
		return
	}
	say(s.demoProblem, "")
	s.start.Disable()
	s.explore.Disable()
	s.explore.SetText(lang.L("Setting up the demo…"))
	s.app.startDemo(func(err error) {
		s.start.Enable()
		s.explore.Enable()
		s.explore.SetText(lang.L("Explore with demo data"))
		if err != nil {
			say(s.demoProblem, s.app.errorText(err))
		}
	})
}

// onBack (or Esc) returns to the welcome; what was typed stays in the form.
func (s *setupScreen) onBack() { s.showPart(s.welcome) }

// check says beside each field what is wrong with it, and reports whether
// everything is right.
func (s *setupScreen) check() bool {
	ok := true
	set := func(f *field, text string) {
		f.setProblem(text)
		if text != "" {
			ok = false
		}
	}
	agency := strings.TrimSpace(s.agency.entry.Text)
	zip := strings.TrimSpace(s.zip.entry.Text)
	switch {
	case agency == "":
		set(s.agency, lang.L("Type the name of your police department or agency."))
	case (&data.Agency{Name: agency}).Validate() != nil:
		set(s.agency, lang.L("The agency name is too long: use at most 200 characters."))
	default:
		set(s.agency, "")
	}
	if zip != "" && (&data.Agency{Name: "x", ZIP: zip}).Validate() != nil {
		set(s.zip, lang.L("Use five digits, like 60540, or leave it empty."))
	} else {
		set(s.zip, "")
	}
	if (&data.User{Username: s.username.entry.Text, Role: data.RoleAdmin}).Validate() != nil {
		set(s.username, lang.L("Use 2 to 40 letters, digits, dots, dashes or underscores, with no spaces, like jortiz."))
	} else {
		set(s.username, "")
	}
	if strings.TrimSpace(s.name.entry.Text) == "" {
		set(s.name, lang.L("Type the administrator's first and last name."))
	} else {
		set(s.name, "")
	}
	pw := s.password.entry.Text
	if len([]rune(pw)) < data.MinPasswordLength {
		set(s.password, lang.L("Use at least 8 characters."))
	} else {
		set(s.password, "")
	}
	if s.again.entry.Text != pw {
		set(s.again, lang.L("The two passwords are not the same. Type the password again."))
	} else {
		set(s.again, "")
	}
	return ok
}

// onSubmit sets the program up: the store is created on first use, the
// administrator logged in, and the recovery key shown.
func (s *setupScreen) onSubmit() {
	say(s.problem, "")
	if !s.check() || s.submit.Disabled() {
		return
	}
	in := data.Setup{
		Agency:        strings.TrimSpace(s.agency.entry.Text),
		AgencyZIP:     strings.TrimSpace(s.zip.entry.Text),
		AdminUsername: s.username.entry.Text,
		AdminName:     strings.TrimSpace(s.name.entry.Text),
		AdminPassword: s.password.entry.Text,
	}
	a := s.app
	s.submit.Disable()
	s.submit.SetText(lang.L("Setting up…"))
	a.background(func() {
		ctx := a.ctx()
		st := a.store
		var err error
		if st == nil {
			st, err = data.Create(ctx, a.dir, a.opt)
		}
		var sess *data.Session
		var key string
		if err == nil {
			sess, key, err = st.Initialize(ctx, in)
		}
		if err == nil {
			// A demo left behind (the window closed while it was open) goes.
			if rerr := data.RemoveDemo(a.dir); rerr != nil {
				a.log.Error("remove a demo left behind", "err", rerr)
			}
		}
		fyne.Do(func() {
			if st != nil {
				a.store = st
			}
			s.submit.Enable()
			s.submit.SetText(lang.L("Set up the program"))
			if err != nil {
				s.onError(err)
				return
			}
			a.beginSession(sess, key)
		})
	})
}

// onError puts what data refused beside the field it concerns.
func (s *setupScreen) onError(err error) {
	text := s.app.errorText(err)
	msg := strings.ToLower(data.ErrorMessage(err))
	switch {
	case strings.HasPrefix(msg, "agency name"):
		s.agency.setProblem(text)
	case strings.HasPrefix(msg, "agency zip"):
		s.zip.setProblem(text)
	case strings.HasPrefix(msg, "user name"):
		s.username.setProblem(text)
	case strings.HasPrefix(msg, "password"):
		s.password.setProblem(text)
	default:
		say(s.problem, text)
	}
}
