package main

import (
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
