package sync_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"connectpoint/data"
	cpsync "connectpoint/sync"
)

func TestJoinFromSnapshot(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 2)
	a, b := devs[0], devs[1]
	var ids []string
	for i := 0; i < 5; i++ {
		ids = append(ids, a.newCase("Daniel", "Reyes"))
		a.mustRound()
		ids = append(ids, b.newCase("Marisol", "Quintanilla"))
		b.mustRound()
	}
	a.mustRound()
	name, err := a.sy.WriteSnapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.sy.WriteSnapshot(ctx); err == nil {
		t.Fatal("a device that is not an administrator's wrote a snapshot")
	}
	// Work after the snapshot travels as segments.
	ids = append(ids, b.newCase("Thaddeus", "Okonkwo"))
	b.mustRound()
	before := m.Calls()["get"]
	c := a.enroll("dev2")
	gets := m.Calls()["get"] - before
	// The snapshot (its manifest and its one part), the segments after it
	// (b's last, a's enrolment audit), and no more: not the dozen segments
	// before it.
	if gets > 4 {
		t.Fatalf("joining read %d files; want the snapshot %s and the tail only", gets, name)
	}
	for _, id := range ids {
		if !c.hasCase(id) {
			t.Fatalf("case %s missing after joining from the snapshot", id)
		}
	}
	converge(t, append(devs, c))
}

func TestDamagedSnapshotRefused(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 1)
	a := devs[0]
	a.newCase("Daniel", "Reyes")
	a.mustRound()
	name, err := a.sy.WriteSnapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m.FlipOnRead(name, 200)
	bundle, err := a.sy.Enroll(ctx, "dev1", passphrase, testKDF())
	if err != nil {
		t.Fatal(err)
	}
	s, _, _, err := cpsync.Join(ctx, t.TempDir()+"/dev1", bundle, passphrase, cpsync.JoinOptions{Store: storeOpts(nil), Target: m, Sync: syncOpts})
	if s != nil {
		s.Close()
	}
	if err == nil || !strings.Contains(err.Error(), name) {
		t.Fatalf("join with a damaged snapshot: %v, want an error naming %s", err, name)
	}
}

// TestSnapshotRefusals: a snapshot a device cannot take is refused by
// name with the reason, and the join makes no store.
func TestSnapshotRefusals(t *testing.T) {
	for _, tc := range []struct {
		name    string
		byOther bool // signed by a device that is not an administrator's
		change  func(m map[string]any)
		want    string
	}{
		{"NewerFormat", false, func(m map[string]any) { m["format"] = cpsync.SnapshotFormat + 1 }, "written by a newer version of ConnectPoint"},
		{"NewerSchema", false, func(m map[string]any) { m["schema"] = data.SchemaVersion() + 1 }, "written by a newer version of ConnectPoint"},
		{"OtherNetwork", false, func(m map[string]any) { m["network"] = "0193a1b2-0000-7000-8000-000000000000" }, "belongs to network"},
		{"NotAnAdministrator", true, nil, "not an administrator's device"},
		{"PartDamaged", false, nil, "does not match the snapshot's manifest"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := cpsync.NewMemoryTarget()
			devs := newNetwork(t, m, 2)
			a, b := devs[0], devs[1]
			a.newCase("Daniel", "Reyes")
			settle(t, devs)
			name, err := a.sy.WriteSnapshot(ctx)
			if err != nil {
				t.Fatal(err)
			}
			signer := a.sy
			if tc.byOther {
				signer = b.sy
				tc.change = func(m map[string]any) { m["writer"] = b.store.Device() }
			}
			if tc.change == nil { // the manifest is good; one of its parts is not
				m.FlipOnRead(strings.TrimSuffix(name, ".snap")+"/000000.part", 100)
			} else if err := a.sy.ResignSnapshot(ctx, name, signer, tc.change); err != nil {
				t.Fatal(err)
			}
			bundle, err := a.sy.Enroll(ctx, "dev2", passphrase, testKDF())
			if err != nil {
				t.Fatal(err)
			}
			dir := filepath.Join(t.TempDir(), "dev2")
			s, _, _, err := cpsync.Join(ctx, dir, bundle, passphrase, cpsync.JoinOptions{Store: storeOpts(nil), Target: m, Sync: syncOpts})
			if s != nil {
				s.Close()
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "snap/") {
				t.Fatalf("join: %v; want it to name the snapshot and say %q", err, tc.want)
			}
			if data.Exists(dir) {
				t.Fatal("a refused snapshot left a store behind")
			}
		})
	}
}

// TestJoinAfterInterruptedJoin: a join stopped while it fetched the
// snapshot (a power cut) leaves its temporary image behind; joining
// again into the same folder works.
func TestJoinAfterInterruptedJoin(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	a := newNetwork(t, m, 1)[0]
	id := a.newCase("Daniel", "Reyes")
	a.mustRound()
	if _, err := a.sy.WriteSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	bundle, err := a.sy.Enroll(ctx, "dev1", passphrase, testKDF())
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "dev1")
	os.MkdirAll(dir, 0o700)
	os.WriteFile(filepath.Join(dir, ".snapshot-read-123456.db"), []byte("SQLite format 3\x00half an image"), 0o600)
	s, _, _, err := cpsync.Join(ctx, dir, bundle, passphrase, cpsync.JoinOptions{Store: storeOpts(nil), Target: m, Sync: syncOpts})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sess, err := s.Login(ctx, "admin", adminPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sess.Case(ctx, id); err != nil {
		t.Fatalf("case after joining again: %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".snapshot-*")); len(left) != 0 {
		t.Fatalf("left behind: %v", left)
	}
}

// TestUnreadableSnapshotNotNeeded: a device that can pull everything from
// segments is not troubled by a snapshot it cannot read (written by a
// newer version): it looks once and goes on.
func TestUnreadableSnapshotNotNeeded(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 2)
	a, b := devs[0], devs[1]
	settle(t, devs)
	id := a.newCase("Daniel", "Reyes")
	a.mustRound()
	name, err := a.sy.WriteSnapshot(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.sy.ResignSnapshot(ctx, name, a.sy, func(m map[string]any) { m["format"] = cpsync.SnapshotFormat + 1 }); err != nil {
		t.Fatal(err)
	}
	if _, err := b.round(); err != nil {
		t.Fatalf("round next to an unreadable snapshot it does not need: %v", err)
	}
	if !b.hasCase(id) {
		t.Fatal("case not pulled")
	}
	before := m.Calls()["get"]
	b.mustRound()
	if gets := m.Calls()["get"] - before; gets != 0 {
		t.Fatalf("the next round read %d files", gets)
	}
}
