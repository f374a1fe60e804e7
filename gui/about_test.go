package gui

import (
	"testing"

	"connectpoint/data"
)

// About, the last section for every role, shows the version main passes in
// (what `connectpoint version` prints), the data folder, this device and
// the §2.32 notice.
func TestAboutShowsTheVersion(t *testing.T) {
	dir := t.TempDir()
	opt, _ := testOptions()
	program(t, dir, opt)
	a := loggedIn(t, dir, opt, "officer")
	for _, user := range []string{"coach", "coordinator", "admin", "officer"} {
		relogin(t, a, user)
		if ids := sectionIDs(a.shell); ids[len(ids)-1] != "about" {
			t.Errorf("%s: sections %v do not end with about", user, ids)
		}
	}
	a.SetVersion("v1.4.0-3-gabc1234")
	if !a.shell.open("about") {
		t.Fatal("no About section")
	}
	ab, ok := a.shell.sections[len(a.shell.sections)-1].screen.(*aboutScreen)
	if !ok {
		t.Fatal("About shows no about screen")
	}
	for _, c := range []struct{ what, got, want string }{
		{"version", ab.version.Text, "v1.4.0-3-gabc1234"},
		{"data folder", ab.folder.Text, dir},
		{"device", ab.device.Text, a.store.Device()},
		{"notice", ab.notice.Text, data.ConsentNotice},
	} {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q", c.what, c.got, c.want)
		}
	}
	if ab.device.Text == "" || !shows(a, "v1.4.0-3-gabc1234") {
		t.Error("the device ID or the version is not on screen")
	}

	a.SetVersion("")
	relogin(t, a, "coach")
	a.shell.open("about")
	if !shows(a, "not stamped (a development build)") {
		t.Error("a build without a version does not say so")
	}
}
