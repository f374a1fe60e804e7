package gui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

func TestLogin(t *testing.T) {
	opt, _ := testOptions()
	dir := t.TempDir()
	program(t, dir, opt)
	a := newTestApp(t, dir, opt)
	s := a.login
	if s == nil {
		t.Fatal("a set-up program should open on the login")
	}
	if a.win.Canvas().Focused() != s.username {
		t.Error("the cursor should start in the user name")
	}
	test.AssertRendersToMarkup(t, "login.xml", a.win.Canvas())

	t.Run("WrongPassword", func(t *testing.T) {
		test.Type(s.username, "admin")
		test.Type(s.password, "wrong horse")
		test.Tap(s.submit)
		if a.sess != nil {
			t.Fatal("logged in with a wrong password")
		}
		if !s.problem.Visible() || s.problem.Text != "Wrong user name or password" {
			t.Errorf("problem = %q", s.problem.Text)
		}
		if s.username.Text != "admin" {
			t.Errorf("user name = %q, want it kept", s.username.Text)
		}
		if s.password.Text != "" || a.win.Canvas().Focused() != s.password {
			t.Error("the password should be cleared, with the cursor in it")
		}
		test.AssertRendersToMarkup(t, "login_wrong.xml", a.win.Canvas())
	})

	t.Run("UnknownUser", func(t *testing.T) {
		s.username.SetText("nobody")
		test.Type(s.password, testPassword)
		test.Tap(s.submit)
		if a.sess != nil || s.problem.Text != "Wrong user name or password" {
			t.Errorf("unknown user: session %v, problem %q", a.sess != nil, s.problem.Text)
		}
	})

	t.Run("EnterLogsIn", func(t *testing.T) {
		s.username.SetText("admin")
		test.Type(s.password, testPassword)
		s.password.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		if a.sess == nil || a.shell == nil {
			t.Fatalf("not logged in: %q", s.problem.Text)
		}
		if current(a.shell) != "dashboard" {
			t.Errorf("opened on %q, want the dashboard", current(a.shell))
		}
		if a.sess.User.Username != "admin" {
			t.Errorf("logged in as %q", a.sess.User.Username)
		}
	})
}

func TestNavigationFollowsTheRole(t *testing.T) {
	opt, _ := testOptions()
	dir := t.TempDir()
	program(t, dir, opt)
	all := []string{"dashboard", "cases", "coaches", "facilities", "checkins", "reports", "conflicts", "settings"}
	for _, c := range []struct {
		user    string
		without []string // sections the role may not use
	}{
		{"officer", []string{"checkins", "reports", "conflicts", "settings"}},
		{"coach", []string{"reports", "conflicts", "settings"}},
		{"coordinator", []string{"settings"}},
		{"admin", nil},
	} {
		t.Run(c.user, func(t *testing.T) {
			a := loggedIn(t, dir, opt, c.user)
			got := sectionIDs(a.shell)
			var want []string
			for _, id := range all {
				if a.sess.Can(sectionAction[id]) {
					want = append(want, id)
				}
			}
			want = append(want, "about") // for everyone
			if !slices.Equal(got, want) {
				t.Errorf("sections %v, want %v (what the role may do)", got, want)
			}
			for _, id := range c.without {
				if slices.Contains(got, id) {
					t.Errorf("a %s sees %s", c.user, id)
				}
			}
			// Every section opens, and says something.
			for i := range a.shell.sections {
				a.shell.nav.Select(i)
				if current(a.shell) != a.shell.sections[i].id {
					t.Errorf("section %s did not open", a.shell.sections[i].id)
				}
			}
		})
	}
}
