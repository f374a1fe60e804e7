package gui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"connectpoint/data"
)

func TestSetupFirstRun(t *testing.T) {
	opt, _ := testOptions()
	dir := filepath.Join(t.TempDir(), "ConnectPoint")
	a := newTestApp(t, dir, opt)
	if a.setup == nil {
		t.Fatal("a new data folder should open on the welcome")
	}
	test.AssertRendersToMarkup(t, "welcome.xml", a.win.Canvas())

	test.Tap(button(t, a, "Set up a new program"))
	s := a.setup
	if a.win.Canvas().Focused() != s.agency.entry {
		t.Error("the cursor should start in the agency name")
	}

	// First try: a user name with a space, a short password, a different
	// second one, no full name.
	test.Type(s.agency.entry, "Naperville PD")
	test.Type(s.zip.entry, "605")
	test.Type(s.username.entry, "j ortiz")
	test.Type(s.password.entry, "short")
	test.Type(s.again.entry, "shorter")
	test.Tap(s.submit)

	for _, c := range []struct {
		name string
		f    *field
		want string // "" for no problem
	}{
		{"Agency", s.agency, ""},
		{"ZIP", s.zip, "five digits"},
		{"UserName", s.username, "no spaces"},
		{"FullName", s.name, "first and last name"},
		{"Password", s.password, "at least 8 characters"},
		{"PasswordAgain", s.again, "not the same"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := s.f(c.f)
			if c.want == "" && got != "" || !strings.Contains(got, c.want) {
				t.Errorf("problem beside the field = %q, want one saying %q", got, c.want)
			}
		})
	}
	if data.Exists(dir) {
		t.Error("nothing should be created while the form has errors")
	}
	test.AssertRendersToMarkup(t, "setup_errors.xml", a.win.Canvas())

	// What was typed is all still there.
	for f, want := range map[*field]string{s.agency: "Naperville PD", s.zip: "605", s.username: "j ortiz", s.password: "short", s.again: "shorter"} {
		if f.entry.Text != want {
			t.Errorf("%s: typed %q, now %q", f.label.Text, want, f.entry.Text)
		}
	}

	// Back (here Esc) to the welcome and forward again keeps the typing.
	s.zip.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if !shows(a, "Welcome to ConnectPoint") {
		t.Fatal("Esc should go back to the welcome")
	}
	test.Tap(button(t, a, "Set up a new program"))
	if s.agency.entry.Text != "Naperville PD" {
		t.Errorf("agency after Back = %q", s.agency.entry.Text)
	}

	s.zip.entry.SetText("60540")
	s.username.entry.SetText("jortiz")
	test.Type(s.name.entry, "Jane Ortiz")
	s.password.entry.SetText("correct horse")
	s.again.entry.SetText("correct horse")
	test.Tap(s.submit)

	if !data.Exists(dir) || a.sess == nil {
		t.Fatalf("the program is not set up; problems: %q %q", s.problem.Text, s.username.problem.Text)
	}
	if !shows(a, "It is shown only this once") {
		t.Error("the recovery key warning is not shown")
	}
	key := button(t, a, "Continue")
	if !key.Disabled() {
		t.Error("Continue must wait until the key is stored")
	}
	r := a.recovery
	if r == nil {
		t.Fatal("no recovery screen")
	}
	if !shows(a, strings.SplitN(r.key, "-", 2)[0]) {
		t.Error("the recovery key is not on screen")
	}
	test.Tap(r.stored)
	if key.Disabled() {
		t.Fatal("Continue should be on once the key is stored")
	}
	test.Tap(r.stored)
	if !key.Disabled() {
		t.Fatal("Continue should be off again when the box is unticked")
	}
	test.Tap(r.stored)
	test.Tap(key)

	if a.shell == nil || current(a.shell) != "dashboard" {
		t.Fatal("Continue should open the dashboard")
	}
	if !shows(a, "Naperville PD") || !shows(a, "Jane Ortiz") {
		t.Error("the header should name the agency and the administrator")
	}
}

// f is the problem said beside a field, "" when hidden.
func (s *setupScreen) f(f *field) string {
	if !f.problem.Visible() {
		return ""
	}
	return f.problem.Text
}

func TestSetupRefusesAFolderThatIsNotEmpty(t *testing.T) {
	opt, _ := testOptions()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("not ConnectPoint's"), 0o600); err != nil {
		t.Fatal(err)
	}
	a := newTestApp(t, dir, opt)
	test.Tap(button(t, a, "Set up a new program"))
	s := a.setup
	s.agency.entry.SetText("Naperville PD")
	s.username.entry.SetText("jortiz")
	s.name.entry.SetText("Jane Ortiz")
	s.password.entry.SetText("correct horse")
	s.again.entry.SetText("correct horse")
	test.Tap(s.submit)
	if a.sess != nil {
		t.Fatal("set up in a folder holding other files")
	}
	if !s.problem.Visible() || !strings.Contains(s.problem.Text, "not empty") {
		t.Errorf("problem = %q, want it to say the folder is not empty", s.problem.Text)
	}
	if s.agency.entry.Text != "Naperville PD" || s.password.entry.Text != "correct horse" {
		t.Error("the typing was lost")
	}
}
