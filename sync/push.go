package sync

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"connectpoint/data"
)

// push publishes every operation of this device after the last pushed
// one. Before that it finishes a segment a crash interrupted and puts back own segments that have gone missing between
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
	if err := sy.cleanOwn(ctx, own); err != nil {
		return 0, err
	}
	if err := sy.repair(ctx, own, pushed); err != nil {
		return 0, err
	}
	// Everything not yet published goes out now, in segments of at most
	// MaxOps: a device that was offline for a week, or a program that was
	// just set up, must not need a round per segment to catch up.
	total := 0
	for {
		ops, err := sy.store.Ops(ctx, sy.store.Device(), pushed.seq, sy.opt.MaxOps)
		if err != nil || len(ops) == 0 {
			return total, err
		}
		rng := fmt.Sprintf("%d-%d", ops[0].Seq, ops[len(ops)-1].Seq)
		if err := sy.store.SetSetting(ctx, setPending, rng); err != nil {
			return total, err
		}
		if pushed, err = sy.putSegment(ctx, pushed, ops); err != nil {
			return total, err
		}
		if err := sy.store.SetSetting(ctx, setPending, ""); err != nil {
			return total, err
		}
		total += len(ops)
		if len(ops) < sy.opt.MaxOps {
			return total, nil
		}
	}
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
	b, hash, err := EncodeSegment(sy.keys.network, sy.keys.epoch, sy.keys.netKey(), sy.keys.priv, prev.hash, ops)
	if err != nil {
		return prev, err
	}
	first, last := ops[0].Seq, ops[len(ops)-1].Seq
	rel := segmentName(sy.store.Device(), first, last)
	name := sy.prefix + rel
	err = sy.target.Put(ctx, name, b)
	if isExist(err) {
		there, gerr := sy.target.Get(ctx, name)
		if gerr != nil {
			return prev, gerr
		}
		seg, derr := sy.verifier().DecodeSegment(rel, there, prev.hash)
		if derr == nil && seg.Hash == hash {
			return position{seq: last, hash: hash}, nil // our own earlier write
		}
		// Only this device writes in its folder, so a file there that is
		// not its own (damaged, or another device's segment replayed under
		// this name) is rubbish: replace it.
		sy.log.Warn("sync: replacing a file in this device's folder that is not its segment", "file", name, "reason", fmt.Sprint(derr))
		if err := sy.target.Delete(ctx, name); err != nil {
			return prev, err
		}
		err = sy.target.Put(ctx, name, b)
	}
	if err != nil {
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

// cleanOwn removes files from this device's folder that overlap another
// file there and are not this device's segments (a damaged copy, another
// device's segment replayed under this device's name). Only this device
// writes there, so such a file is rubbish that readers would trip over. An
// overlap in the listing is the sign; only then are files read.
func (sy *Syncer) cleanOwn(ctx context.Context, own []segRef) error {
	for i := 1; i < len(own); i++ {
		if own[i].first > own[i-1].last {
			continue
		}
		for _, r := range own[i-1 : i+1] {
			b, err := sy.target.Get(ctx, r.name)
			if err != nil {
				if errors.Is(err, ErrNotFound) {
					continue
				}
				return err
			}
			prev, err := sy.chainAt(ctx, r.first-1)
			if err != nil {
				return err
			}
			if _, err := sy.verifier().DecodeSegment(strings.TrimPrefix(r.name, sy.prefix), b, prev.hash); err != nil {
				sy.log.Warn("sync: removing a file from this device's folder that is not its segment", "file", r.name, "reason", err.Error())
				if err := sy.target.Delete(ctx, r.name); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
