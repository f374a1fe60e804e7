package data

import (
	"context"
	"fmt"
	"math/rand"
	"testing"
)

// renamed returns ops with device's operations above after delta higher,
// as a device would have written them had it numbered them so from the
// start: the prev and the tombstone covers of its operations follow.
func renamed(ops []*Op, device string, after, delta int64) []*Op {
	shift := func(id OpID) OpID {
		if id.Device == device && id.Seq > after {
			id.Seq += delta
		}
		return id
	}
	out := make([]*Op, len(ops))
	for i, op := range ops {
		c := *op
		c.Prev = append([]OpID(nil), op.Prev...)
		if c.Device == device && c.Seq > after {
			c.Seq += delta
			for j, p := range c.Prev {
				c.Prev[j] = shift(p)
			}
			if c.Field == FieldTombstone {
				c.Value = renameCover(c.Value, shift)
			}
		}
		out[i] = &c
	}
	return out
}

// localAfter returns the highest sequence number of device's operations
// that another device's operation names (in a prev or a tombstone): the
// ones above it never left device.
func localAfter(ops []*Op, device string) int64 {
	var after int64
	for _, op := range ops {
		if op.Device == device {
			continue
		}
		names := op.Prev
		if op.Field == FieldTombstone {
			renameCover(op.Value, func(id OpID) OpID { names = append(names, id); return id })
		}
		for _, p := range names {
			if p.Device == device {
				after = max(after, p.Seq)
			}
		}
	}
	return after
}

// RenumberOwn must leave exactly the state that the same operations,
// numbered that way from the start, leave; and the numbers it frees must
// take other operations.
func TestRenumberMatchesRenumberedFromScratch(t *testing.T) {
	ctx := context.Background()
	tried := 0
	for seed := int64(1); seed <= 40 && tried < 8; seed++ {
		rng := rand.New(rand.NewSource(seed))
		ops := randomOps(rng, 80+rng.Intn(120))
		after := localAfter(ops, "A")
		var last int64
		for _, op := range ops {
			if op.Device == "A" {
				last = max(last, op.Seq)
			}
		}
		if last-after < 3 {
			continue
		}
		tried++
		t.Run(fmt.Sprintf("Seed%d", seed), func(t *testing.T) {
			delta := int64(1 + rng.Intn(12))
			got, _ := newTestStore(t)
			if _, err := got.ApplyRemote(ctx, shuffled(rng, ops)); err != nil {
				t.Fatal(err)
			}
			if err := got.renumber(ctx, "A", after, delta); err != nil {
				t.Fatal(err)
			}
			want, _ := newTestStore(t)
			applyOneByOne(t, want, rng, shuffled(rng, renamed(ops, "A", after, delta)))
			if g, w := dumpAll(t, got), dumpAll(t, want); g != w {
				t.Fatalf("renumbered differs from numbered so from the start: %s", firstDiff(g, w))
			}
			// The freed numbers take what the device had published
			// (edits of records the local operations touch too).
			a := &opMaker{device: "A", seq: after}
			for _, op := range ops {
				a.hlc = max(a.hlc, op.HLC)
			}
			var published []*Op
			for i := int64(0); i < delta; i++ {
				f := simRegisters[rng.Intn(len(simRegisters))]
				published = append(published, a.op(f.entity, f.rows[rng.Intn(len(f.rows))], f.field, f.values[rng.Intn(len(f.values))]))
			}
			if _, err := got.ApplyRemote(ctx, published); err != nil {
				t.Fatal(err)
			}
			applyOneByOne(t, want, rng, published)
			if g, w := dumpAll(t, got), dumpAll(t, want); g != w {
				t.Fatalf("after taking the published operations: %s", firstDiff(g, w))
			}
			if n, err := got.LastSeq(ctx, "A"); err != nil || n != last+delta {
				t.Fatalf("last sequence number of A: %d %v, want %d", n, err, last+delta)
			}
		})
	}
	if tried < 3 {
		t.Fatalf("only %d random histories had local operations to renumber", tried)
	}
}

func TestRenumberOwnNothingAfter(t *testing.T) {
	s, _ := newTestStore(t)
	before := dumpAll(t, s)
	if err := s.RenumberOwn(context.Background(), 1<<40, 5); err != nil {
		t.Fatal(err)
	}
	if err := s.RenumberOwn(context.Background(), 0, -1); err == nil {
		t.Fatal("renumbering backwards was allowed")
	}
	if got := dumpAll(t, s); got != before {
		t.Fatalf("renumbering nothing changed the state: %s", firstDiff(got, before))
	}
}
