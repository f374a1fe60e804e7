package sync_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"connectpoint/data"
	cpsync "connectpoint/sync"
)

// TestService drives sync the way Settings → Sync does: set a target on a
// device without a network, start, change the schedule while running,
// enrol a device that then joins, see it in the list, remove it.
func TestService(t *testing.T) {
	share := filepath.Join(t.TempDir(), "share")
	if err := os.Mkdir(share, 0o700); err != nil {
		t.Fatal(err)
	}
	clock := &data.FixedClock{T: start}
	store, err := data.Create(ctx, filepath.Join(t.TempDir(), "station"), storeOpts(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	admin, _, err := store.Initialize(ctx, data.Setup{Agency: "Naperville PD", AgencyZIP: "60540",
		AdminUsername: "admin", AdminName: "Ada Admin", AdminPassword: adminPassword})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.AddUser(ctx, data.User{Username: "officer", Role: data.RoleOfficer}, "officer-password"); err != nil {
		t.Fatal(err)
	}
	officer, err := store.Login(ctx, "officer", "officer-password")
	if err != nil {
		t.Fatal(err)
	}
	kdf := data.TestKDF
	sv := cpsync.NewService(cpsync.ServiceOptions{Logger: syncOpts.Logger, KDF: &kdf})

	n, err := sv.Network(ctx, admin)
	if err != nil || n.SetUp || n.Target != "" {
		t.Fatalf("before a target: %+v, %v", n, err)
	}
	if r, err := sv.Start(ctx, store, admin, nil); r != nil || err != nil {
		t.Fatalf("start without a target: %v, %v", r, err)
	}
	if err := sv.CheckTarget(ctx, "ftp://example.org/x"); data.ErrorCode(err) != data.EINVALID {
		t.Errorf("an ftp target: %v", err)
	}
	res, err := sv.SetTarget(ctx, admin, filepath.Join(t.TempDir(), "not-mounted"))
	if err != nil || !res.Made || !cpsync.IsOffline(res.Unreachable) {
		t.Fatalf("a folder that is not there: %+v, %v", res, err)
	}
	if res, err = sv.SetTarget(ctx, admin, share); err != nil || res.Made || res.Unreachable != nil {
		t.Fatalf("the share: %+v, %v", res, err)
	}

	r, err := sv.Start(ctx, store, admin, nil)
	if err != nil || r == nil {
		t.Fatalf("start: %v", err)
	}
	defer r.Stop(ctx)
	if r.Spec() != cpsync.DefaultSchedule {
		t.Errorf("spec %q, want the default", r.Spec())
	}
	if err := sv.SetSchedule(ctx, admin, "every now and then"); data.ErrorCode(err) != data.EINVALID {
		t.Errorf("a bad schedule: %v", err)
	}
	if err := sv.SetSchedule(ctx, admin, "*/15 * * * *"); err != nil {
		t.Fatal(err)
	}
	if got, _ := store.Setting(ctx, cpsync.SettingSchedule); r.Spec() != "*/15 * * * *" || got != "*/15 * * * *" {
		t.Errorf("schedule running %q, saved %q", r.Spec(), got)
	}

	if _, err := sv.Enroll(ctx, admin, "coach laptop", "short"); data.ErrorCode(err) != data.EINVALID {
		t.Errorf("a short passphrase: %v", err)
	}
	bundle, err := sv.Enroll(ctx, admin, "coach laptop", passphrase)
	if err != nil {
		t.Fatal(err)
	}
	laptop, lsy, _, err := cpsync.Join(ctx, filepath.Join(t.TempDir(), "laptop"), bundle, passphrase,
		cpsync.JoinOptions{Store: storeOpts(&data.FixedClock{T: start}), Sync: syncOpts})
	if err != nil {
		t.Fatal(err)
	}
	defer laptop.Close()
	if sess, err := laptop.Login(ctx, "admin", adminPassword); err != nil {
		t.Fatal(err)
	} else if _, err := sess.CreateCase(ctx, data.NewCase{Person: data.Person{First: "Daniel"}, Case: data.Case{Channel: "walk-in"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := lsy.Round(ctx); err != nil {
		t.Fatal(err)
	}
	r.RunNow()
	n = waitNetwork(t, sv, admin, func(n cpsync.Network) bool { return len(n.Devices) == 2 && n.Devices[otherIndex(n)].LastOp > 0 })
	if !n.SetUp || !n.Admin || n.Target != share || n.Schedule != "*/15 * * * *" {
		t.Errorf("network %+v", n)
	}
	other := n.Devices[otherIndex(n)]
	if other.Name != "coach laptop" || other.ID != laptop.Device() || !other.Enrolled.Equal(start) || other.Admin || other.Revoked {
		t.Errorf("the laptop in the list: %+v", other)
	}

	t.Run("OthersRefused", func(t *testing.T) {
		before := refusals(t, admin)
		if _, err := sv.Network(ctx, officer); data.ErrorCode(err) != data.EFORBIDDEN {
			t.Errorf("officer reads the network: %v", err)
		}
		if _, err := sv.SetTarget(ctx, officer, share); data.ErrorCode(err) != data.EFORBIDDEN {
			t.Errorf("officer sets the target: %v", err)
		}
		if err := sv.SetSchedule(ctx, officer, "@hourly"); data.ErrorCode(err) != data.EFORBIDDEN {
			t.Errorf("officer sets the schedule: %v", err)
		}
		if _, err := sv.Enroll(ctx, officer, "mine", passphrase); data.ErrorCode(err) != data.EFORBIDDEN {
			t.Errorf("officer enrols: %v", err)
		}
		if err := sv.Revoke(ctx, officer, laptop.Device()); data.ErrorCode(err) != data.EFORBIDDEN {
			t.Errorf("officer removes a device: %v", err)
		}
		if got := refusals(t, admin) - before; got != 5 {
			t.Errorf("%d refusals audited, want 5", got)
		}
	})

	if err := sv.Revoke(ctx, admin, laptop.Device()); err != nil {
		t.Fatal(err)
	}
	n, err = sv.Network(ctx, admin)
	if err != nil || !n.Devices[otherIndex(n)].Revoked {
		t.Errorf("after removing: %+v, %v", n, err)
	}
	if err := sv.Revoke(ctx, admin, laptop.Device()); data.ErrorCode(err) != data.ECONFLICT {
		t.Errorf("removing it twice: %v", err)
	}
	evs, err := admin.AuditEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range evs {
		seen[e.Action] = true
	}
	for _, a := range []string{"sync.target", "sync.schedule", "device.enroll", "device.revoke"} {
		if !seen[a] {
			t.Errorf("no %s on the audit trail", a)
		}
	}
}

func otherIndex(n cpsync.Network) int {
	for i, d := range n.Devices {
		if d.ID != n.This {
			return i
		}
	}
	return 0
}

func waitNetwork(t *testing.T, sv *cpsync.Service, sess *data.Session, ok func(cpsync.Network) bool) cpsync.Network {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		n, err := sv.Network(ctx, sess)
		if err != nil {
			t.Fatal(err)
		}
		if ok(n) {
			return n
		}
		if time.Now().After(deadline) {
			t.Fatalf("network: %+v", n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func refusals(t *testing.T, admin *data.Session) int {
	t.Helper()
	evs, err := admin.AuditEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range evs {
		if e.Action == "refused" {
			n++
		}
	}
	return n
}
