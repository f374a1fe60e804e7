package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTwoDevicesSyncThroughAFolder sets up a station PC with a shared
// folder, enrols a coach's laptop, and checks that what each writes offline
// reaches the other, and that the folder holds no name.
func TestTwoDevicesSyncThroughAFolder(t *testing.T) {
	share := filepath.Join(t.TempDir(), "share")
	os.MkdirAll(share, 0o700)
	station := newCP(t)
	out := station.must("init", "--agency", "Naperville PD", "--admin", "admin", "--target", share)
	if !strings.Contains(out, "Sync target set") {
		t.Fatalf("init --target said:\n%s", out)
	}
	id := strings.TrimSpace(station.must("case", "new", "--first", "Zbigniewski", "--last", "Quaranta"))
	if out := station.must("sync"); !strings.HasPrefix(out, "pushed ") {
		t.Fatalf("sync said %q", out)
	}
	bundle := filepath.Join(t.TempDir(), "laptop.cpenroll")
	station.env["CONNECTPOINT_ENROLL_PASSPHRASE"] = "a long passphrase"
	station.must("enroll", "--out", bundle, "--device-name", "coach laptop")

	laptop := newCP(t)
	laptop.env["CONNECTPOINT_ENROLL_PASSPHRASE"] = "a long passphrase"
	if out := laptop.must("join", bundle); !strings.Contains(out, "now a device") {
		t.Fatalf("join said %q", out)
	}
	if out := laptop.must("case", "list"); !strings.Contains(out, "Zbigniewski Q.") {
		t.Fatalf("the laptop does not have the case:\n%s", out)
	}
	// Offline edits on both sides, then a sync each way.
	laptop.must("case", "note", id, "met him at the ED")
	station.must("case", "set", id, "phone=630-555-0101")
	laptop.must("sync")
	station.must("sync")
	laptop.must("sync")
	a, b := station.must("export", "--json"), laptop.must("export", "--json")
	if a != b {
		t.Fatal("the two devices export different states after syncing")
	}
	if !strings.Contains(a, "met him at the ED") || !strings.Contains(a, "(630) 555-0101") {
		t.Fatal("an edit was lost")
	}
	if out := station.must("sync", "status"); !strings.Contains(out, "operations waiting to be published: ") || !strings.Contains(out, "conflicts waiting: 0") {
		t.Errorf("status: %s", out)
	}
	// Nothing on the share names anyone.
	filepath.Walk(share, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		b, _ := os.ReadFile(p)
		for _, secret := range []string{"Zbigniewski", "Quaranta", "met him", "555-0101"} {
			if strings.Contains(string(b), secret) {
				t.Errorf("%s contains %q", p, secret)
			}
		}
		return nil
	})
	// A wrong passphrase is one clear message.
	other := newCP(t)
	other.env["CONNECTPOINT_ENROLL_PASSPHRASE"] = "not the passphrase"
	if code, _, errs := other.run("join", bundle); code != 1 || !strings.Contains(strings.ToLower(errs), "passphrase") {
		t.Errorf("wrong passphrase: exit %d %q", code, errs)
	}
}

// TestDeviceListAndRevoke: the administrator lists the devices and removes
// a lost laptop; the laptop's next sync says it was removed; who may not
// remove a device is told so.
func TestDeviceListAndRevoke(t *testing.T) {
	share := filepath.Join(t.TempDir(), "share")
	os.MkdirAll(share, 0o700)
	station := newCP(t)
	station.must("init", "--agency", "Naperville PD", "--admin", "admin", "--target", share)
	station.env["CONNECTPOINT_NEW_PASSWORD"] = "coordinator-password"
	station.must("user", "add", "coord", "--role", "coordinator")
	bundle := filepath.Join(t.TempDir(), "laptop.cpenroll")
	station.env["CONNECTPOINT_ENROLL_PASSPHRASE"] = "a long passphrase"
	station.must("enroll", "--out", bundle, "--device-name", "coach laptop")
	laptop := newCP(t)
	laptop.env["CONNECTPOINT_ENROLL_PASSPHRASE"] = "a long passphrase"
	laptop.must("join", bundle)
	id := strings.TrimSpace(laptop.must("case", "new", "--first", "Zbigniewski", "--last", "Quaranta"))
	laptop.must("sync")

	var devs []struct {
		ID, Short, Name string
		Admin, Revoked  bool
		ThisDevice      bool `json:"this_device"`
	}
	if err := json.Unmarshal([]byte(station.must("device", "list", "--json")), &devs); err != nil || len(devs) != 2 {
		t.Fatalf("device list --json: %v %+v", err, devs)
	}
	var lap string
	for _, d := range devs {
		if d.Name == "coach laptop" {
			lap = d.Short
			if d.Admin || d.Revoked || d.ThisDevice {
				t.Fatalf("laptop: %+v", d)
			}
		} else if !d.Admin || !d.ThisDevice {
			t.Fatalf("station: %+v", d)
		}
	}
	if out := station.must("device", "list"); !strings.Contains(out, lap+"  coach laptop") || !strings.Contains(out, "(this device)") {
		t.Fatalf("device list:\n%s", out)
	}

	// Who may not.
	if code, _, errs := laptop.run("device", "revoke", lap); code != 1 || !strings.Contains(errs, "administrator's device") {
		t.Fatalf("revoke from the laptop: exit %d %q", code, errs)
	}
	station.env["CONNECTPOINT_USER"], station.env["CONNECTPOINT_PASSWORD"] = "coord", "coordinator-password"
	if code, _, errs := station.run("device", "revoke", lap); code != 1 || !strings.Contains(errs, "only an administrator") {
		t.Fatalf("revoke by a coordinator: exit %d %q", code, errs)
	}
	station.env["CONNECTPOINT_USER"], station.env["CONNECTPOINT_PASSWORD"] = "admin", "admin-password"
	if code, _, errs := station.run("device", "revoke", "ZZZZZZ"); code != 1 || !strings.Contains(errs, "no device ZZZZZZ") {
		t.Fatalf("revoke of no device: exit %d %q", code, errs)
	}
	if code, _, _ := station.run("device", "revoke"); code != 2 {
		t.Fatalf("revoke without an ID: exit %d, want 2", code)
	}

	// The laptop is lost: the station syncs what it had sent, and removes it.
	out := station.must("device", "revoke", lap)
	if !strings.Contains(out, "is removed from the network") {
		t.Fatalf("revoke said %q", out)
	}
	if out := station.must("case", "list"); !strings.Contains(out, "Zbigniewski Q.") {
		t.Fatalf("the laptop's work before it was lost is not kept:\n%s", out)
	}
	if out := station.must("device", "list"); !strings.Contains(out, "removed") {
		t.Fatalf("device list after revoke:\n%s", out)
	}
	if code, _, errs := station.run("device", "revoke", lap); code != 1 || !strings.Contains(errs, "already removed") {
		t.Fatalf("second revoke: exit %d %q", code, errs)
	}
	laptop.must("case", "note", id, "written after it was lost")
	if code, _, errs := laptop.run("sync"); code != 1 || !strings.Contains(errs, "removed from the network") || strings.Contains(errs, "Internal error") {
		t.Fatalf("sync on the removed laptop: exit %d %q", code, errs)
	}
}
