package sync

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"connectpoint/data"
)

// push publishes this device's operations after the last pushed one: at
// most one new segment per round. Before that it finishes a segment a crash
// interrupted and puts back own segments that have gone missing between
// others (deleted by hand, lost by a cloud drive).
func (sy *Syncer) push(ctx context.Context, own []segRef) (int, error) {
	pushed, err := sy.pushedPosition(ctx)
	if err != nil {
		return 0, err
	}
	// A segment being written when the device stopped: write the same range
	// again. If the first attempt did reach the target, Put says it exists
	// and the file there is checked and adopted.
	if pend, err := sy.store.Setting(ctx, setPending); err != nil {
		return 0, err
	} else if pend != "" {
		a, b, _ := strings.Cut(pend, "-")
		first, _ := strconv.ParseInt(a, 10, 64)
		last, _ := strconv.ParseInt(b, 10, 64)
		if first == pushed.seq+1 && last >= first {
			ops, err := sy.store.Ops(ctx, sy.store.Device(), pushed.seq, int(last-first+1))
			if err != nil {
				return 0, err
			}
			if pushed, err = sy.putSegment(ctx, pushed, ops); err != nil {
				return 0, err
			}
		}
		if err := sy.store.SetSetting(ctx, setPending, ""); err != nil {
			return 0, err
		}
	}
	if err := sy.repair(ctx, own, pushed); err != nil {
		return 0, err
	}
	ops, err := sy.store.Ops(ctx, sy.store.Device(), pushed.seq, sy.opt.MaxOps)
	if err != nil || len(ops) == 0 {
		return 0, err
	}
	rng := fmt.Sprintf("%d-%d", ops[0].Seq, ops[len(ops)-1].Seq)
	if err := sy.store.SetSetting(ctx, setPending, rng); err != nil {
		return 0, err
	}
	if _, err := sy.putSegment(ctx, pushed, ops); err != nil {
		return 0, err
	}
	return len(ops), sy.store.SetSetting(ctx, setPending, "")
}

// putSegment writes ops as the segment after prev and records it as pushed.
func (sy *Syncer) putSegment(ctx context.Context, prev position, ops []*data.Op) (position, error) {
	next, err := sy.writeSegment(ctx, prev, ops)
	if err != nil {
		return prev, err
	}
	return next, sy.store.SetSetting(ctx, setPushed, next.String())
}

// writeSegment encodes and puts one segment. When the name is taken, the
// file there must be this device's same operations (a write that succeeded
// before a crash): it is verified and kept.
func (sy *Syncer) writeSegment(ctx context.Context, prev position, ops []*data.Op) (position, error) {
	b, hash, err := EncodeSegment(sy.keys.network, sy.keys.netKey, sy.keys.priv, prev.hash, ops)
	if err != nil {
		return prev, err
	}
	first, last := ops[0].Seq, ops[len(ops)-1].Seq
	rel := segmentName(sy.store.Device(), first, last)
	err = sy.target.Put(ctx, sy.prefix+rel, b)
	if isExist(err) {
		there, gerr := sy.target.Get(ctx, sy.prefix+rel)
		if gerr != nil {
			return prev, gerr
		}
		seg, derr := sy.verifier().DecodeSegment(rel, there, prev.hash)
		if derr != nil {
			return prev, fmt.Errorf("this device's segment %s%s is already on the target and does not verify: %w", sy.prefix, rel, derr)
		}
		if seg.Hash != hash {
			return prev, fmt.Errorf("this device's segment %s%s is already on the target with other operations", sy.prefix, rel)
		}
	} else if err != nil {
		return prev, err
	}
	return position{seq: last, hash: hash}, nil
}

// repair puts back the operations of gaps between this device's listed
// segments. Only gaps between two listed segments count: a listing that
// lags hides the newest files, and compaction will remove the oldest.
func (sy *Syncer) repair(ctx context.Context, own []segRef, pushed position) error {
	for i := 1; i < len(own); i++ {
		from, to := own[i-1].last+1, own[i].first-1
		if from > to || to > pushed.seq {
			continue
		}
		sy.log.Warn("sync: publishing lost operations again", "first", from, "last", to)
		prev, err := sy.chainAt(ctx, from-1)
		if err != nil {
			return err
		}
		for from <= to {
			n := min(int(to-from+1), sy.opt.MaxOps)
			ops, err := sy.store.Ops(ctx, sy.store.Device(), from-1, n)
			if err != nil {
				return err
			}
			if len(ops) != n {
				return fmt.Errorf("operations %d-%d of this device are not in its database", from, to)
			}
			if prev, err = sy.writeSegment(ctx, prev, ops); err != nil {
				return err
			}
			from += int64(n)
		}
	}
	return nil
}

// chainAt computes this device's chain hash after seq from its own
// operations. It reads them all, which is fine for the rare repair.
func (sy *Syncer) chainAt(ctx context.Context, seq int64) (position, error) {
	var p position
	for p.seq < seq {
		ops, err := sy.store.Ops(ctx, sy.store.Device(), p.seq, int(min(seq-p.seq, 10000)))
		if err != nil {
			return p, err
		}
		if len(ops) == 0 {
			return p, fmt.Errorf("operation %d of this device is not in its database", p.seq+1)
		}
		p.hash = chainOps(p.hash, ops)
		p.seq = ops[len(ops)-1].Seq
	}
	return p, nil
}
