package sync

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"connectpoint/data"
)

// Taking a snapshot: a new device restores one as its store (Join); a
// device whose chain of some other device stops before the oldest segment
// still on the target (compaction removed the rest, or the device was
// restored from an old backup) reads what it lacks from one (catchUp).

// segmentsByDevice parses the segments among entries (a listing of the
// network's folder), each device's in sequence order.
func segmentsByDevice(prefix string, entries []Entry) map[string][]segRef {
	by := map[string][]segRef{}
	for _, e := range entries {
		dev, first, last, ok := parseSegmentName(strings.TrimPrefix(e.Name, prefix))
		if !ok {
			continue // not ours: a desktop.ini, a cloud client's conflict copy...
		}
		by[dev] = append(by[dev], segRef{name: e.Name, first: first, last: last})
	}
	for _, refs := range by {
		sortRefs(refs)
	}
	return by
}

func sortRefs(refs []segRef) {
	sort.Slice(refs, func(i, j int) bool { return refs[i].first < refs[j].first })
}

// takeable leaves out what a revoked device wrote after its revocation:
// those segments are never applied, by decision rather than by accident.
func takeable(l *DeviceList, dev string, refs []segRef) []segRef {
	e, ok := l.Device(dev)
	if !ok || !e.Revoked {
		return refs
	}
	var out []segRef
	for _, r := range refs {
		if r.last <= e.RevokedAfter {
			out = append(out, r)
		}
	}
	return out
}

func startsAt(refs []segRef, first int64) bool {
	for _, r := range refs {
		if r.first == first {
			return true
		}
	}
	return false
}

// continues reports whether a chain at seq can be pulled on from refs:
// a segment starts right after it, or none goes past it.
func continues(refs []segRef, seq int64) bool {
	past := false
	for _, r := range refs {
		if r.first == seq+1 {
			return true
		}
		past = past || r.last > seq
	}
	return !past
}

// chooseSnapshot returns the newest snapshot after which every chain of
// byDevice can be pulled on, from positions pos (device → sequence number;
// a device not in it is at 0); when none can, the newest that verifies.
// It reads manifests newest first, at most a few. A snapshot that fails to
// verify is passed over for an older one; if none verifies, the first
// failure is returned. No snapshot at all is ("", nil, nil).
func (r *snapReader) chooseSnapshot(ctx context.Context, names []string, pos map[string]int64, byDevice map[string][]segRef, skip string) (string, *snapManifest, error) {
	var firstErr error
	var fallback string
	var fallbackM *snapManifest
	for i, name := range names {
		if i == 4 {
			break
		}
		m, err := r.manifest(ctx, name)
		if IsOffline(err) || ctx.Err() != nil {
			return "", nil, err
		}
		if err != nil {
			if firstErr == nil {
				firstErr = err
			}
			continue
		}
		ok := true
		for dev, refs := range byDevice {
			if dev == skip {
				continue
			}
			at := pos[dev]
			if c, has := m.chain(dev); has && c.seq > at {
				at = c.seq
			}
			ok = ok && continues(takeable(r.devices, dev, refs), at)
		}
		if ok {
			return name, m, nil
		}
		if fallbackM == nil {
			fallback, fallbackM = name, m
		}
	}
	if fallbackM != nil {
		return fallback, fallbackM, nil
	}
	return "", nil, firstErr
}

// restoreSnapshot makes the store of a new device in dir from the best
// snapshot on the target, or returns a nil store when the network has
// none. dir must be empty (or not exist).
func (r *snapReader) restoreSnapshot(ctx context.Context, dir, device string, opt data.Options) (*data.Store, string, *snapManifest, error) {
	entries, err := r.target.List(ctx, r.prefix)
	if err != nil {
		return nil, "", nil, err
	}
	name, m, err := r.chooseSnapshot(ctx, r.snapshots(entries), nil, segmentsByDevice(r.prefix, entries), device)
	if err != nil || m == nil {
		return nil, "", nil, err
	}
	removeTemps(dir, 0) // a join that was interrupted
	if err := checkEmptyDir(dir); err != nil {
		return nil, "", nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, "", nil, fmt.Errorf("join: %w", err)
	}
	path, err := r.fetchTo(ctx, name, m, dir)
	if err != nil {
		return nil, "", nil, err
	}
	s, err := data.CreateFromImage(ctx, dir, path, device, opt)
	if err != nil {
		os.Remove(path)
		return nil, "", nil, err
	}
	return s, name, m, nil
}

// checkEmptyDir fails as data.Create would on a folder it cannot use, so
// that nothing is fetched for a join that cannot happen.
func checkEmptyDir(dir string) error {
	if data.Exists(dir) {
		return data.Errorf(data.ECONFLICT, "%s already holds a ConnectPoint program", dir)
	}
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return data.Errorf(data.EINVALID, "%s is not empty and is not a ConnectPoint data folder: choose an empty folder", dir)
	}
	return nil
}

// catchUp takes from a snapshot what this device cannot pull from
// segments any more. It costs nothing in a round where every chain goes on
// from the listing and the newest snapshot is one this device has already
// looked at; otherwise it reads the newest manifests, and fetches one
// snapshot only when a chain of it goes past where this device stands.
// Each chain taken is checked from this device's own position (its chain
// hash) before anything of it is applied.
func (sy *Syncer) catchUp(ctx context.Context, entries []Entry, byDevice map[string][]segRef) (int, error) {
	me := sy.store.Device()
	r := sy.snapReader()
	names := r.snapshots(entries)
	if len(names) == 0 {
		return 0, nil
	}
	seen, err := sy.store.Setting(ctx, setSnapSeen)
	if err != nil {
		return 0, err
	}
	pos := map[string]int64{}
	gap := false
	for dev, refs := range byDevice {
		if dev == me {
			continue
		}
		cur, err := sy.cursor(ctx, dev)
		if err != nil {
			return 0, err
		}
		pos[dev] = cur.seq
		gap = gap || !continues(takeable(sy.devices, dev, refs), cur.seq)
	}
	if !gap && names[0] == seen {
		return 0, nil
	}
	name, m, err := r.chooseSnapshot(ctx, names, pos, byDevice, me)
	if err != nil && !gap && !IsOffline(err) && ctx.Err() == nil {
		// Every chain goes on from segments: a snapshot this device cannot
		// read (written by a newer version, say) is no problem of this
		// round's. It is looked at again when it is needed.
		sy.log.Warn("sync: snapshot not readable here", "err", err)
		return 0, sy.store.SetSetting(ctx, setSnapSeen, names[0])
	}
	if err != nil || m == nil {
		return 0, err
	}
	var behind []snapChain
	for _, c := range m.Chains {
		if c.Device == me {
			continue
		}
		cur, err := sy.cursor(ctx, c.Device)
		if err != nil {
			return 0, err
		}
		// Where a segment goes on from this device's position, pulling
		// is cheaper than the whole snapshot.
		if c.Seq > cur.seq && !startsAt(takeable(sy.devices, c.Device, byDevice[c.Device]), cur.seq+1) {
			behind = append(behind, c)
		}
	}
	n := 0
	if len(behind) > 0 {
		if n, err = sy.applySnapshot(ctx, name, m, behind); err != nil {
			return n, err
		}
	}
	return n, sy.store.SetSetting(ctx, setSnapSeen, names[0])
}

// applySnapshot fetches the snapshot and applies from it, for each chain
// of chains, the operations after this device's cursor.
func (sy *Syncer) applySnapshot(ctx context.Context, name string, m *snapManifest, chains []snapChain) (int, error) {
	r := sy.snapReader()
	sy.log.Info("sync: taking operations from a snapshot", "snapshot", name, "devices", len(chains))
	removeTemps(sy.store.Dir(), 24*time.Hour)
	path, err := r.fetchTo(ctx, name, m, sy.store.Dir())
	if err != nil {
		return 0, err
	}
	defer os.Remove(path)
	img, err := data.OpenImage(ctx, path)
	if err != nil {
		return 0, &SegmentError{Name: name, Reason: "the image does not open: " + data.ErrorMessage(err), Err: err}
	}
	defer img.Close()
	applied := 0
	for _, c := range chains {
		to, _ := m.chain(c.Device)
		cur, err := sy.cursor(ctx, c.Device)
		if err != nil {
			return applied, err
		}
		n, err := sy.applyChain(ctx, name, img, c.Device, cur, to)
		applied += n
		if err != nil {
			return applied, err
		}
	}
	return applied, nil
}

// applyChain applies dev's operations after cur up to to from the image:
// first the whole stretch is read and checked against both ends of the
// chain, then it is applied in segment-sized transactions, and the cursor
// moves to to.
func (sy *Syncer) applyChain(ctx context.Context, name string, img *data.Image, dev string, cur, to position) (int, error) {
	const batch = 5000
	fail := func(format string, args ...any) (int, error) {
		return 0, &SegmentError{Name: name, Reason: fmt.Sprintf(format, args...)}
	}
	h, seq := cur.hash, cur.seq
	for seq < to.seq {
		ops, err := img.Ops(ctx, dev, seq, int(min(batch, to.seq-seq)))
		if err != nil {
			return 0, err
		}
		if len(ops) == 0 {
			return fail("holds operations of device %s only up to %d, not %d", dev, seq, to.seq)
		}
		for _, op := range ops {
			if err := op.Validate(); err != nil {
				return fail("%v", err)
			}
		}
		h = chainOps(h, ops)
		seq = ops[len(ops)-1].Seq
	}
	if h != to.hash {
		return fail("the operations of device %s do not follow from what this device holds (chain hash mismatch)", dev)
	}
	applied := 0
	for seq = cur.seq; seq < to.seq; {
		ops, err := img.Ops(ctx, dev, seq, int(min(batch, to.seq-seq)))
		if err != nil {
			return applied, err
		}
		n, err := sy.store.ApplyRemote(ctx, ops)
		if err != nil {
			return applied, &SegmentError{Name: name, Reason: "could not be applied: " + data.ErrorMessage(err), Err: err}
		}
		applied += n
		seq = ops[len(ops)-1].Seq
	}
	return applied, sy.setCursor(ctx, dev, to)
}
