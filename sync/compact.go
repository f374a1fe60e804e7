package sync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Compaction keeps the target from growing without end and rounds from
// listing ever more files. A segment is deleted only when every active
// device has applied it (its published cursor says so: a device that has
// published none holds everything back, a revoked device holds nothing
// back) and a snapshot holds it, so that a new device can still join.
//
// Who and when: an administrator's device (only its snapshots are
// trusted), in a round, at most once per Options.CompactEvery (a day),
// and only when at least Options.CompactMin segments can go. Two
// administrators' devices compacting at once do no harm: each deletes only
// what its own new snapshot holds and every device has applied, deleting a
// file twice is not an error, and an old snapshot is deleted only when the
// new one holds everything it holds (the one just before is kept a while
// for a device that may be reading it).
//
// What a revoked device wrote after its revocation is never applied
// anywhere; compaction deletes it too.

// CompactResult is what a compaction did.
type CompactResult struct {
	Snapshot string   // the snapshot the deleted segments are in; "" when none was needed
	Deleted  int      // segments deleted
	Waiting  []string // active devices holding compaction back: they have published no cursor
}

// Compact deletes every segment that all active devices have applied,
// after writing a snapshot that holds them. Only an administrator's device
// compacts. Rounds call it on their own (see Options.CompactEvery).
func (sy *Syncer) Compact(ctx context.Context) (CompactResult, error) {
	sy.mu.Lock()
	defer sy.mu.Unlock()
	entries, err := sy.target.List(ctx, sy.prefix)
	if err != nil {
		return CompactResult{}, err
	}
	return sy.compact(ctx, entries, 1)
}

// compactDue reports whether a round should look for segments to compact:
// on an administrator's device, once per CompactEvery, counted from the
// first round that asks.
func (sy *Syncer) compactDue(ctx context.Context) (bool, error) {
	if sy.opt.CompactEvery < 0 {
		return false, nil
	}
	if d, ok := sy.devices.Device(sy.store.Device()); !ok || !d.Admin {
		return false, nil
	}
	v, err := sy.store.Setting(ctx, setCompactAt)
	if err != nil {
		return false, err
	}
	last, perr := time.Parse(time.RFC3339, v)
	if v == "" || perr != nil {
		return false, sy.compactChecked(ctx)
	}
	return sy.store.Now().Sub(last) >= sy.opt.CompactEvery, nil
}

// compactInRound compacts when it is due. A snapshot that could not be
// taken because this device had just written is tried again next round;
// anything else waits for the next CompactEvery.
func (sy *Syncer) compactInRound(ctx context.Context, entries []Entry, res *Result) error {
	due, err := sy.compactDue(ctx)
	if err != nil || !due {
		return err
	}
	cr, err := sy.compact(ctx, entries, sy.opt.CompactMin)
	res.Compacted = cr.Deleted
	if errors.Is(err, errSnapshotBusy) {
		return nil
	}
	if IsOffline(err) {
		return err
	}
	if cerr := sy.compactChecked(ctx); err == nil {
		err = cerr
	}
	return err
}

func (sy *Syncer) compactChecked(ctx context.Context) error {
	return sy.store.SetSetting(ctx, setCompactAt, sy.store.Now().UTC().Format(time.RFC3339))
}

// compact deletes what every active device has applied when that is at
// least minSegs segments (and what revoked devices wrote after their
// revocation, whatever its amount), from the listing entries.
func (sy *Syncer) compact(ctx context.Context, entries []Entry, minSegs int) (CompactResult, error) {
	var res CompactResult
	if d, ok := sy.devices.Device(sy.store.Device()); !ok || !d.Admin {
		return res, fmt.Errorf("only an administrator's device compacts the log")
	}
	byDevice := segmentsByDevice(sy.prefix, entries)
	bound, waiting, err := sy.appliedEverywhere(ctx, byDevice)
	if err != nil {
		return res, err
	}
	res.Waiting = waiting
	var applied, garbage []segRef
	for dev, refs := range byDevice {
		e, known := sy.devices.Device(dev)
		for _, r := range refs {
			switch {
			case !known:
				// Not a device of this network: not compaction's to judge.
			case e.Revoked && r.last > e.RevokedAfter:
				garbage = append(garbage, r)
			case r.last <= bound[dev]:
				applied = append(applied, r)
			}
		}
	}
	if len(applied) >= max(minSegs, 1) {
		name, m, err := sy.snapshotForCompaction(ctx, entries)
		if err != nil {
			return res, err
		}
		res.Snapshot = name
		for _, r := range applied {
			dev, _, _, _ := parseSegmentName(strings.TrimPrefix(r.name, sy.prefix))
			if c, ok := m.chain(dev); !ok || r.last > c.seq {
				continue // cannot happen: this device's own state is in the bound
			}
			if err := sy.target.Delete(ctx, r.name); err != nil {
				return res, err
			}
			res.Deleted++
		}
		if err := sy.pruneSnapshots(ctx, entries, name, m); err != nil {
			return res, err
		}
	}
	for _, r := range garbage {
		if err := sy.target.Delete(ctx, r.name); err != nil {
			return res, err
		}
		res.Deleted++
	}
	if res.Deleted > 0 {
		sy.log.Info("sync: log compacted", "segments", res.Deleted, "snapshot", res.Snapshot)
	}
	return res, nil
}

// appliedEverywhere returns, for each device with segments, the sequence
// number every active device has applied up to, and the active devices
// that have published no cursor (for which it is 0 everywhere).
func (sy *Syncer) appliedEverywhere(ctx context.Context, byDevice map[string][]segRef) (map[string]int64, []string, error) {
	me := sy.store.Device()
	bound := map[string]int64{}
	for dev := range byDevice {
		bound[dev] = -1
	}
	lower := func(applied map[string]int64) {
		for dev, b := range bound {
			if a := applied[dev]; b < 0 || a < b {
				bound[dev] = a
			}
		}
	}
	var waiting []string
	for _, x := range sy.devices.Devices {
		if x.Revoked {
			continue
		}
		if x.ID == me {
			own, err := sy.ownApplied(ctx, byDevice)
			if err != nil {
				return nil, nil, err
			}
			lower(own)
			continue
		}
		applied, err := sy.readCursor(ctx, x.ID)
		if IsOffline(err) || ctx.Err() != nil {
			return nil, nil, err
		}
		if err != nil {
			sy.log.Warn("sync: a device's cursor holds compaction back", "device", x.ID, "err", err)
			waiting = append(waiting, x.ID)
			applied = nil
		}
		lower(applied)
	}
	return bound, waiting, nil
}

// ownApplied is this device's cursor as it stands, not as published.
func (sy *Syncer) ownApplied(ctx context.Context, byDevice map[string][]segRef) (map[string]int64, error) {
	out := map[string]int64{}
	for dev := range byDevice {
		var p position
		var err error
		if dev == sy.store.Device() {
			p, err = sy.pushedPosition(ctx)
		} else {
			p, err = sy.cursor(ctx, dev)
		}
		if err != nil {
			return nil, err
		}
		out[dev] = p.seq
	}
	return out, nil
}

// readCursor reads what device published under cursors/.
func (sy *Syncer) readCursor(ctx context.Context, device string) (map[string]int64, error) {
	b, err := sy.target.Get(ctx, sy.prefix+"cursors/"+device)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return nil, fmt.Errorf("device %s has published no cursor yet", device)
		}
		return nil, err
	}
	var cf cursorFile
	if err := json.Unmarshal(b, &cf); err != nil || cf.Device != device {
		return nil, fmt.Errorf("the cursor of device %s is damaged", device)
	}
	return cf.Applied, nil
}

// snapshotForCompaction returns this device's snapshot of its state now:
// the one it already published if nothing has changed since (the same
// name), else a new one.
func (sy *Syncer) snapshotForCompaction(ctx context.Context, entries []Entry) (string, *snapManifest, error) {
	me := sy.store.Device()
	for _, name := range sy.snapReader().snapshots(entries) {
		if !strings.Contains(name, "-"+me+"-") {
			continue
		}
		m, err := sy.snapReader().manifest(ctx, name)
		if err != nil || m.Writer != me {
			break
		}
		if ok, err := sy.holdsState(ctx, m); err != nil || ok {
			return name, m, err
		}
		break
	}
	return sy.writeSnapshot(ctx)
}

// holdsState reports whether snapshot m holds exactly this device's
// positions now.
func (sy *Syncer) holdsState(ctx context.Context, m *snapManifest) (bool, error) {
	devs, err := sy.store.OpDevices(ctx)
	if err != nil || len(devs) != len(m.Chains) {
		return false, err
	}
	for _, dev := range devs {
		var p position
		if dev == sy.store.Device() {
			p, err = sy.pushedPosition(ctx)
		} else {
			p, err = sy.cursor(ctx, dev)
		}
		if err != nil {
			return false, err
		}
		if c, ok := m.chain(dev); !ok || c != p {
			return false, nil
		}
	}
	return true, nil
}

// pruneSnapshots deletes the snapshots among entries that the new one
// (name, m) holds everything of, but the newest of them, which a device
// may be reading now. Parts go before the manifest, so a listing never
// shows a manifest without its parts for longer than an interrupted
// prune, which the next one finishes.
func (sy *Syncer) pruneSnapshots(ctx context.Context, entries []Entry, name string, m *snapManifest) error {
	r := sy.snapReader()
	grace := ""
	for _, old := range r.snapshots(entries) {
		if old >= name {
			continue
		}
		om, err := r.manifest(ctx, old)
		if IsOffline(err) {
			return err
		}
		if err != nil || !dominates(m, om) {
			continue // not ours to judge, or holds something the new one does not
		}
		if grace == "" {
			grace = old
			continue
		}
		partPrefix := strings.TrimSuffix(old, ".snap") + "/"
		for _, e := range entries {
			if strings.HasPrefix(e.Name, partPrefix) {
				if err := sy.target.Delete(ctx, e.Name); err != nil {
					return err
				}
			}
		}
		if err := sy.target.Delete(ctx, old); err != nil {
			return err
		}
	}
	if grace == "" {
		return nil
	}
	return sy.sweepOwnParts(ctx, entries, grace)
}

// sweepOwnParts deletes parts this device wrote for a snapshot whose
// manifest never followed (the device stopped while writing it), when
// that snapshot held fewer operations than before, a complete snapshot of
// this device's that is kept. This device's state only grows, so a write
// of it that started after before was complete holds at least as many;
// one that holds fewer started before, a compaction interval ago, and is
// not still being written by another process of this device.
func (sy *Syncer) sweepOwnParts(ctx context.Context, entries []Entry, before string) error {
	limit, ok := snapTotal(strings.TrimPrefix(before, sy.prefix))
	if !ok {
		return nil
	}
	manifests := map[string]bool{}
	for _, e := range entries {
		manifests[e.Name] = true
	}
	for _, e := range entries {
		rel := strings.TrimPrefix(e.Name, sy.prefix)
		dir, file, ok := strings.Cut(strings.TrimPrefix(rel, "snap/"), "/")
		if !ok || !strings.HasPrefix(rel, "snap/") || !strings.HasSuffix(file, ".part") || !strings.Contains(dir, "-"+sy.store.Device()+"-") {
			continue
		}
		total, ok := snapTotal("snap/" + dir)
		if !ok || total >= limit || manifests[sy.prefix+"snap/"+dir+".snap"] {
			continue
		}
		if err := sy.target.Delete(ctx, e.Name); err != nil {
			return err
		}
	}
	return nil
}

// snapTotal reads the number of operations from a snapshot's name.
func snapTotal(rel string) (int64, bool) {
	r, ok := strings.CutPrefix(rel, "snap/")
	if !ok || len(r) < 21 || r[20] != '-' {
		return 0, false
	}
	n, err := strconv.ParseInt(r[:20], 10, 64)
	return n, err == nil
}

// dominates reports whether snapshot a holds every operation b holds.
func dominates(a, b *snapManifest) bool {
	for _, c := range b.Chains {
		p, ok := a.chain(c.Device)
		if !ok || p.seq < c.Seq {
			return false
		}
	}
	return true
}
