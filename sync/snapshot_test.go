package sync_test

import (
	"strings"
	"testing"

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
