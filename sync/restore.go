package sync

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"

	"connectpoint/data"
)

// A device restored from an old backup has a database older than what it
// published: its pushed position and its log stop where the backup was
// taken, and the sequence numbers after that already name operations on
// the target. Writing on would give new operations those names, which
// the other devices hold under them already: the chain would break and
// work would be lost. So before pushing, a round whose listing shows this
// device's own segments past its pushed position takes them back:
//
//   - it reads and verifies them from the pushed position on, as it would
//     another device's (they are signed by this device's own key);
//   - operations it holds identical under the same numbers (a segment
//     written just before a crash, or before the backup's copy was made)
//     are simply its own;
//   - the operations written here since the restore, which have those
//     numbers too, move past the newest published one (data.RenumberOwn);
//   - the published ones are applied like any other device's (a field both
//     changed becomes a conflict), and the pushed position moves to the
//     newest own segment on the target, so that the renumbered operations
//     go out next, as usual.

// takenBack is what taking back own operations did.
type takenBack struct {
	taken      int // own operations published before and applied here again
	renumbered int // operations written here since, renumbered past them
}

func (t takenBack) String() string {
	s := fmt.Sprintf("this computer was restored from an older backup: took back %d of its own changes from the sync target", t.taken)
	if t.renumbered > 0 {
		s += fmt.Sprintf("; %d changes made since the restore were renumbered and sent after them", t.renumbered)
	}
	return s + "; nothing was lost"
}

// takeBackOwn takes back this device's published operations past its
// pushed position (see above). It costs nothing when the listing shows
// none. An error means they could not be read: nothing must be pushed
// then, or its names would collide with theirs.
func (sy *Syncer) takeBackOwn(ctx context.Context, own []segRef) (takenBack, error) {
	var tb takenBack
	pushed, err := sy.pushedPosition(ctx)
	if err != nil {
		return tb, err
	}
	beyond := false
	for _, r := range own {
		beyond = beyond || r.last > pushed.seq
	}
	if !beyond {
		return tb, nil
	}
	me := sy.store.Device()
	published, top, err := sy.readOwn(ctx, own, pushed)
	if err != nil {
		return tb, err
	}
	if len(published) == 0 {
		return tb, nil
	}
	local, err := sy.store.Ops(ctx, me, pushed.seq, len(published))
	if err != nil {
		return tb, err
	}
	same := 0
	for same < len(local) && same < len(published) && sameOp(local[same], published[same]) {
		same++
	}
	last := top.seq
	if same < len(published) {
		base := pushed.seq + int64(same)
		// Operations of this device's own under names the target gives
		// others: they never left, so they move.
		if same < len(local) && local[same].Seq <= last {
			if err := sy.store.RenumberOwn(ctx, base, last-base); err != nil {
				return tb, err
			}
		}
		n, err := sy.store.ApplyRemote(ctx, published[same:])
		if err != nil {
			return tb, &SegmentError{Name: sy.prefix + segmentName(me, published[same].Seq, last),
				Reason: "this device's own operations could not be taken back: " + data.ErrorMessage(err), Err: err}
		}
		tb.taken = n
		mine, err := sy.store.LastSeq(ctx, me)
		if err != nil {
			return tb, err
		}
		tb.renumbered = int(max(0, mine-last))
	}
	if err := sy.store.SetSetting(ctx, setPushed, top.String()); err != nil {
		return tb, err
	}
	if err := sy.store.SetSetting(ctx, setPending, ""); err != nil {
		return tb, err
	}
	if tb.taken > 0 {
		sy.log.Warn("sync: "+tb.String(), "taken", tb.taken, "renumbered", tb.renumbered, "through", last)
	} else {
		sy.log.Info("sync: this device's segment written before a stop is its own", "through", last)
	}
	return tb, nil
}

// readOwn reads and verifies this device's own segments after from, in
// chain order, and returns their operations and the position after the
// last. A file in this device's folder that it did not sign under that
// name (a copy of another device's segment, say) is rubbish, as push
// treats it, and is not taken for published work; one it did sign but
// that cannot be read, or a gap before one, stops the round's push.
func (sy *Syncer) readOwn(ctx context.Context, own []segRef, from position) ([]*data.Op, position, error) {
	v := sy.verifier()
	cur := from
	var ops []*data.Op
	for {
		var cands, beyond []segRef
		for _, r := range own {
			if r.first == cur.seq+1 {
				cands = append(cands, r)
			} else if r.last > cur.seq {
				beyond = append(beyond, r)
			}
		}
		var seg *Segment
		var refused error
		for _, r := range cands {
			b, err := sy.target.Get(ctx, r.name)
			if errors.Is(err, ErrNotFound) {
				continue
			} else if err != nil {
				return nil, cur, err
			}
			seg, err = v.DecodeSegment(strings.TrimPrefix(r.name, sy.prefix), b, cur.hash)
			if err == nil {
				break
			}
			if sy.signedOwn(r, b) {
				refused = err
			}
		}
		if seg == nil && refused == nil {
			for _, r := range beyond {
				b, err := sy.target.Get(ctx, r.name)
				if errors.Is(err, ErrNotFound) {
					continue
				} else if err != nil {
					return nil, cur, err
				}
				if sy.signedOwn(r, b) {
					refused = fmt.Errorf("its operations %d-%d are missing before %s (compacted or deleted)", cur.seq+1, r.first-1, r.name)
					break
				}
			}
		}
		if refused != nil {
			return nil, cur, fmt.Errorf("this computer was restored from an older backup, and its own published operations cannot be read back, so it publishes nothing until they can (no change is lost): %w", refused)
		}
		if seg == nil {
			return ops, cur, nil
		}
		ops = append(ops, seg.Ops...)
		cur = position{seq: seg.Header.Last, hash: seg.Hash}
	}
}

// signedOwn reports whether b, listed as r, is a segment this device
// signed under that name: its own work, whatever else is wrong with it.
func (sy *Syncer) signedOwn(r segRef, b []byte) bool {
	me := sy.store.Device()
	pub, ok := sy.devices.PublicKey(me, r.last)
	if !ok {
		return false
	}
	p, damage := splitSegment(b)
	if damage != "" {
		return false
	}
	h, err := parseHeader(p.header)
	if err != nil || h.Device != me || h.First != r.first || h.Last != r.last {
		return false
	}
	return ed25519.Verify(pub, p.signed, p.sig)
}

// sameOp reports whether two operations of this device are the same one.
func sameOp(a, b *data.Op) bool {
	return a.Seq == b.Seq && bytes.Equal(encodeOps([]*data.Op{a}), encodeOps([]*data.Op{b}))
}
