package gui

import (
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"connectpoint/data"
	cpsync "connectpoint/sync"
)

// syncPaneOf opens Settings → Sync.
func syncPaneOf(t *testing.T, a *App) *syncPane {
	t.Helper()
	if !a.shell.open("settings") {
		t.Fatal("no Settings")
	}
	for _, sec := range a.shell.sections {
		if s, ok := sec.screen.(*settingsScreen); ok {
			s.tabs.SelectIndex(1)
			return s.sync
		}
	}
	t.Fatal("no Settings screen")
	return nil
}

// TestSyncSettings sets up sync from the window on a program that has
// none: a target (refused with a reason, then saved), the schedule, an
// enrolment file, and the removal of the enrolled device.
func TestSyncSettings(t *testing.T) {
	opt, _ := testOptions()
	dir := filepath.Join(t.TempDir(), "data")
	program(t, dir, opt)
	a := loggedIn(t, dir, opt, "admin")
	sv := cpsync.NewService(cpsync.ServiceOptions{Logger: slog.New(slog.DiscardHandler), KDF: opt.KDF, DeviceName: "Front desk PC"})
	a.SetSyncSettings(sv)
	p := syncPaneOf(t, a)
	if !shows(a, "This computer does not sync yet") || p.devicesBox.Visible() {
		t.Fatal("a computer without a target should say so, and show no devices")
	}
	if p.schedule.entry.Text != "@every 5m" {
		t.Errorf("the schedule shows %q, want the default", p.schedule.entry.Text)
	}
	test.AssertRendersToMarkup(t, "settings_sync_empty.xml", a.win.Canvas())

	// The target: refused with the reason beside it, then saved.
	test.Type(p.target.entry, "ftp://files.example.org/cp")
	test.Tap(p.saveTarget)
	if !p.target.problem.Visible() || !strings.Contains(p.target.problem.Text, `unknown kind "ftp"`) {
		t.Errorf("an ftp target: %q", p.target.problem.Text)
	}
	share := filepath.Join(t.TempDir(), "share")
	if err := os.Mkdir(share, 0o700); err != nil {
		t.Fatal(err)
	}
	p.target.entry.SetText(share)
	test.Tap(p.saveTarget)
	if p.target.problem.Visible() || p.targetSaved.Text != "Saved. This computer is the first of the program's sync network: enrol the others below." {
		t.Fatalf("saving the share: %q / %q", p.target.problem.Text, p.targetSaved.Text)
	}
	if !shows(a, "This computer syncs with the program's other computers") || !p.devicesBox.Visible() || !shows(a, "Front desk PC") {
		t.Error("after the target, the network and this computer should show")
	}

	// The schedule: checked by the scheduler's parser, then saved.
	p.schedule.entry.SetText("every now and then")
	test.Tap(button(t, a, "Save how often"))
	if !p.schedule.problem.Visible() || !strings.HasPrefix(p.schedule.problem.Text, "Not a schedule") {
		t.Errorf("a bad schedule: %q", p.schedule.problem.Text)
	}
	p.schedule.entry.SetText("@every 10m")
	test.Tap(button(t, a, "Save how often"))
	if got, _ := a.store.Setting(t.Context(), cpsync.SettingSchedule); got != "@every 10m" || p.scheduleOK.Text != "Saved: @every 10m. It applies now." {
		t.Errorf("schedule saved %q, said %q", got, p.scheduleOK.Text)
	}

	// Enrolment: the form says what is missing, then the file is written.
	p.pass.entry.SetText("short")
	p.onEnrol()
	if p.deviceName.problem.Text != "Give the device a name." || p.pass.problem.Text != "Use 8 characters or more." {
		t.Errorf("an empty name and a short passphrase: %q, %q", p.deviceName.problem.Text, p.pass.problem.Text)
	}
	test.Type(p.deviceName.entry, "Ana's laptop")
	p.pass.entry.SetText("a long passphrase")
	p.again.entry.SetText("a long passphrase!")
	p.onEnrol()
	if p.again.problem.Text != "The two passphrases differ." {
		t.Errorf("two different passphrases: %q", p.again.problem.Text)
	}
	p.again.entry.SetText("a long passphrase")
	if !p.checkEnrol() {
		t.Fatal("a good form refused")
	}
	file := filepath.Join(t.TempDir(), "connectpoint-"+fileSlug("Ana's laptop")+".cpenroll")
	w, err := storage.Writer(storage.NewFileURI(file))
	if err != nil {
		t.Fatal(err)
	}
	p.enrolTo(w)
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	e, err := cpsync.OpenEnrolment(b, "a long passphrase")
	if err != nil || e.DeviceName != "Ana's laptop" || e.Target != share {
		t.Fatalf("the enrolment file: %+v, %v", e, err)
	}
	if !strings.Contains(p.enrolDone.Text, "is saved as connectpoint-ana-s-laptop.cpenroll") || !strings.Contains(p.enrolDone.Text, "tell its user the passphrase separately") {
		t.Errorf("after enrolling: %q", p.enrolDone.Text)
	}
	if p.pass.entry.Text != "" || p.again.entry.Text != "" {
		t.Error("the passphrase stays on screen")
	}
	if !shows(a, "Ana's laptop") || !shows(a, "nothing received from it yet") || p.remove[e.DeviceID] == nil {
		t.Fatal("the new device is not listed with a Remove button")
	}
	assertMarkup(t, "settings_sync.xml", a, map[string]string{share: "/srv/share/connectpoint"})

	// Removal asks first and says what it does.
	test.Tap(p.remove[e.DeviceID])
	if p.confirm == nil || !overlayShows(a, "will not be able to read anything written after now") {
		t.Fatal("removing a device should ask first, saying what it does")
	}
	test.Tap(overlayButton(t, a, "Remove the device"))
	if !strings.Contains(p.enrolDone.Text, "is removed, and the network has a new key") || p.remove[e.DeviceID] != nil || !shows(a, "removed: it cannot read what is written since") {
		t.Errorf("after removing: %q", p.enrolDone.Text)
	}
	n, err := sv.Network(t.Context(), a.sess)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range n.Devices {
		if d.ID == e.DeviceID && !d.Revoked {
			t.Error("the device is still in the network")
		}
	}
}

// TestSyncSettingsAreForAdministrators: others have no Settings at all,
// and sync refuses them.
func TestSyncSettingsAreForAdministrators(t *testing.T) {
	opt, _ := testOptions()
	dir := t.TempDir()
	program(t, dir, opt)
	sv := cpsync.NewService(cpsync.ServiceOptions{Logger: slog.New(slog.DiscardHandler), KDF: opt.KDF})
	for _, user := range []string{"officer", "coach", "coordinator"} {
		t.Run(user, func(t *testing.T) {
			a := loggedIn(t, dir, opt, user)
			if a.shell.open("settings") {
				t.Error("Settings offered")
			}
			if _, err := sv.SetTarget(t.Context(), a.sess, t.TempDir()); data.ErrorCode(err) != data.EFORBIDDEN {
				t.Errorf("setting the target: %v", err)
			}
			if _, err := sv.Network(t.Context(), a.sess); data.ErrorCode(err) != data.EFORBIDDEN {
				t.Errorf("reading the devices: %v", err)
			}
		})
	}
}
