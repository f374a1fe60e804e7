package sync_test

import (
	"errors"
	"slices"
	"testing"

	"connectpoint/data"
	cpsync "connectpoint/sync"
)

func TestRevoke(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 3)
	a, b, c := devs[0], devs[1], devs[2]
	before := c.newCase("Daniel", "Reyes") // c's work before it is lost: kept
	converge(t, devs)

	// c is lost; it had pushed one more segment the administrator had not
	// applied when revoking it.
	after := c.newCase("Marisol", "Quintanilla")
	c.mustRound()
	if err := b.sy.Revoke(ctx, c.store.Device()); data.ErrorCode(err) != data.EFORBIDDEN {
		t.Fatalf("revoke from a device that is not an administrator's: %v", err)
	}
	if err := a.sy.Revoke(ctx, c.store.Device()); err != nil {
		t.Fatal(err)
	}
	if _, cur := a.sy.KeyEpochs(); cur != 2 {
		t.Fatalf("after revoking, a seals with epoch %d, want 2", cur)
	}
	// b learns of the revocation and the new key in its next round, and
	// does not take c's segment written after what a had applied.
	if _, err := b.round(); err != nil {
		t.Fatalf("a revoked device's late segment is skipped, not an error: %v", err)
	}
	if !b.hasCase(before) || b.hasCase(after) {
		t.Fatal("want c's operations before the revocation and none after")
	}
	if held, cur := b.sy.KeyEpochs(); cur != 2 || !slices.Contains(held, 1) {
		t.Fatalf("b holds epochs %v, seals with %d; want 1 and 2, sealing with 2", held, cur)
	}
	// c itself stops.
	if _, err := c.round(); !errors.Is(err, cpsync.ErrRevoked) {
		t.Fatalf("round on the revoked device: %v", err)
	}
	if _, cur := c.sy.KeyEpochs(); cur != 1 {
		t.Fatal("the revoked device got the new network key")
	}
	// A device enrolled afterwards reads old and new segments alike.
	b.newCase("Thaddeus", "Okonkwo")
	b.mustRound()
	d := a.enroll("dev3")
	if _, cur := d.sy.KeyEpochs(); cur != 2 {
		t.Fatalf("new device seals with epoch %d", cur)
	}
	// Everyone but c converges, without c's late operations.
	for pass := 0; pass < 2; pass++ {
		for _, x := range []*device{a, b, d} {
			x.mustRound()
		}
	}
	if d.hasCase(after) || !d.hasCase(before) {
		t.Fatal("new device: want c's operations before the revocation only")
	}
	want := a.export()
	for _, x := range []*device{b, d} {
		if got := x.export(); string(got) != string(want) {
			t.Fatalf("%s differs after the revocation:\n%s", x.name, firstDiff(want, got))
		}
	}
}
