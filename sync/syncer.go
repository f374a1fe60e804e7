package sync

import (
	"context"
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	stdsync "sync"
	"time"

	"connectpoint/data"
)

// Options tune a Syncer. The zero value is what the application uses.
type Options struct {
	// MaxOps is the most operations one pushed segment holds (default
	// 5000, at most MaxSegmentOps); a round pushes as many as it takes.
	MaxOps int
	// CompactEvery is how often an administrator's device looks, in a
	// round, for segments to compact (default a day; negative: never).
	CompactEvery time.Duration
	// CompactMin is the fewest segments worth compacting (default 100):
	// each compaction writes a snapshot of the whole state.
	CompactMin int
	Logger     *slog.Logger
}

// Syncer runs rounds for one device: its store, the program's data key
// (which unlocks the sync keys) and a target.
type Syncer struct {
	store   *data.Store
	target  Target
	dataKey []byte
	keys    *keys
	devices *DeviceList
	prefix  string // the network's folder on the target, with a slash
	opt     Options
	log     *slog.Logger

	mu      stdsync.Mutex // one round at a time
	cursors map[string]position
	// conflicts is the count the last round found; -1 before the first.
	// Counting scans every field's heads (a third of a second on a
	// state-size program), and only a round that moved operations can
	// change it: a local write is pushed by the next round.
	conflicts int
}

// Result is what a round did.
type Result struct {
	Pushed    int // own operations published
	Pulled    int // other devices' operations applied that were new here
	Conflicts int // fields in conflict after the round
	Pending   int // own operations still to publish
	Compacted int // segments deleted by compaction (administrators' devices)
	// TakenBack and Renumbered are set by the first round after this
	// device was restored from an older backup: its own operations that
	// it had published after the backup was made, taken back from the
	// target, and the operations written here since the restore, which
	// were renumbered past them before they were published.
	TakenBack  int
	Renumbered int
	// Notice says in words anything out of the ordinary the round did
	// (a restore from an older backup), for the sync status; "" when
	// there is nothing to say.
	Notice string
}

// ErrNotSetUp is returned by New on a device that has no sync keys yet:
// it must make a network (InitNetwork) or join one (Join).
var ErrNotSetUp = errors.New("sync is not set up on this device: make a network with init, or join one with an enrolment file")

// RoundError lists what went wrong in a round that otherwise went on: a
// segment that failed verification stops only its own device's chain, and
// everything else is applied.
type RoundError struct {
	Problems []error
}

func (e *RoundError) Error() string {
	msgs := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		msgs[i] = p.Error()
	}
	return strings.Join(msgs, "; ")
}

// Unwrap gives errors.As access to each problem (a *SegmentError, say).
func (e *RoundError) Unwrap() []error { return e.Problems }

// New returns the syncer of a device that has joined or made a network.
func New(ctx context.Context, store *data.Store, dataKey []byte, target Target, opt Options) (*Syncer, error) {
	k, err := loadKeys(ctx, store, dataKey)
	if err != nil {
		return nil, err
	}
	if k == nil {
		return nil, ErrNotSetUp
	}
	return newSyncer(ctx, store, dataKey, target, k, opt)
}

func newSyncer(ctx context.Context, store *data.Store, dataKey []byte, target Target, k *keys, opt Options) (*Syncer, error) {
	if opt.MaxOps <= 0 {
		opt.MaxOps = 5000
	}
	if opt.MaxOps > MaxSegmentOps {
		opt.MaxOps = MaxSegmentOps
	}
	if opt.CompactEvery == 0 {
		opt.CompactEvery = 24 * time.Hour
	}
	if opt.CompactMin <= 0 {
		opt.CompactMin = 100
	}
	sy := &Syncer{store: store, target: target, dataKey: dataKey, keys: k, prefix: k.network + "/",
		opt: opt, log: opt.Logger, cursors: map[string]position{}, conflicts: -1}
	if sy.log == nil {
		sy.log = slog.Default()
	}
	b, err := store.Setting(ctx, setDevices)
	if err != nil {
		return nil, err
	}
	if b == "" {
		return nil, fmt.Errorf("sync: this device has keys but no device list: %w", ErrNotSetUp)
	}
	// The list was verified when it was adopted; check it again, since the
	// settings table is not sealed, against itself (its admin signature).
	l, err := verifyList("(stored)", []byte(b), k.network, nil)
	if err != nil {
		return nil, err
	}
	sy.devices = l
	return sy, nil
}

// InitNetwork makes this device the first of a new network: a network key,
// this device's signing key, and a device list naming it an administrator.
// It needs an administrator's session. The list is published now if the
// target can be reached, else by the first round that reaches it.
func InitNetwork(ctx context.Context, sess *data.Session, target Target, deviceName string, opt Options) (*Syncer, error) {
	if !sess.Can(data.ActSync) {
		return nil, data.Errorf(data.EFORBIDDEN, "only an administrator can set up sync")
	}
	store := sess.Store()
	if k, err := loadKeys(ctx, store, sess.DataKey()); err != nil || k != nil {
		if err == nil {
			err = data.Errorf(data.ECONFLICT, "sync is already set up on this device (network %s)", k.network)
		}
		return nil, err
	}
	agency, err := sess.Agency(ctx)
	if err != nil {
		return nil, err
	}
	netKey, err := data.NewKey()
	if err != nil {
		return nil, err
	}
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return nil, err
	}
	box, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	k := &keys{network: agency.Network, netKeys: map[uint32][]byte{1: netKey}, epoch: 1, priv: priv, box: box}
	if deviceName == "" {
		deviceName = "first device"
	}
	at := store.Now().UTC().Format(time.RFC3339)
	list := &DeviceList{Network: k.network, Version: 1, Signer: store.Device(), At: at,
		Devices: []DeviceEntry{{ID: store.Device(), Name: deviceName, PublicKey: pub, BoxKey: box.PublicKey().Bytes(), Admin: true, Enrolled: at}}}
	b, err := signList(list, priv)
	if err != nil {
		return nil, err
	}
	if err := store.SetSetting(ctx, setDevices, string(b)); err != nil {
		return nil, err
	}
	if err := saveKeys(ctx, store, sess.DataKey(), k); err != nil {
		return nil, err
	}
	sy, err := newSyncer(ctx, store, sess.DataKey(), target, k, opt)
	if err != nil {
		return nil, err
	}
	if err := sy.publishDevices(ctx); err != nil && !IsOffline(err) {
		return nil, err
	}
	return sy, nil
}

// Network returns the network ID.
func (sy *Syncer) Network() string { return sy.keys.network }

// Devices returns the device list this device trusts.
func (sy *Syncer) Devices() DeviceList { return *sy.devices }

// Target returns the target the syncer uses.
func (sy *Syncer) Target() Target { return sy.target }

func (sy *Syncer) verifier() *SegmentVerifier {
	return &SegmentVerifier{Network: sy.keys.network, NetKey: sy.keys.netKeyOf, PublicKey: sy.devices.PublicKey}
}

func isExist(err error) bool { return errors.Is(err, ErrExist) }

// segRef is a segment seen in a listing.
type segRef struct {
	name        string // full name on the target
	first, last int64
}

// Round pushes this device's unpublished operations (one segment), then
// pulls every other device's new segments in sequence order, verifying
// each and applying it in its own transaction, and publishes this device's
// cursor when it moved. A round with nothing to do costs one listing.
//
// An unreachable target ends the round with an error for which IsOffline
// holds. A segment that fails verification stops only its device's chain:
// the round goes on with the others and returns a *RoundError naming the
// file; nothing of the bad segment is applied. A target that refuses
// writes (read-only, full) is one problem of the RoundError, said once:
// the round still pulls, and publishes nothing.
func (sy *Syncer) Round(ctx context.Context) (Result, error) {
	sy.mu.Lock()
	defer sy.mu.Unlock()
	var res Result
	// One listing of the whole network folder: segments, and any newer
	// device list or network key, which are read before anything else.
	entries, err := sy.target.List(ctx, sy.prefix)
	if err != nil {
		return res, err
	}
	var problems []error
	if err := sy.refreshDevices(ctx, entries); err != nil {
		if IsOffline(err) {
			return res, err
		}
		problems = append(problems, err)
	}
	if d, ok := sy.devices.Device(sy.store.Device()); !ok || d.Revoked {
		return res, ErrRevoked
	}
	if err := sy.refreshKeys(ctx, entries); err != nil {
		if IsOffline(err) {
			return res, err
		}
		problems = append(problems, err)
	}
	byDevice := segmentsByDevice(sy.prefix, entries)
	// refused is a write the target refused (read-only, full): it is
	// reported once, the writes after it are not tried, and pulling goes on.
	var refused error
	write := func(what string, step func() error) error {
		if refused != nil {
			return nil
		}
		err := step()
		switch {
		case err == nil:
		case IsOffline(err) || ctx.Err() != nil:
			return err
		case isUnwritable(err):
			refused = err
			problems = append(problems, err)
		case what != "":
			problems = append(problems, fmt.Errorf("%s: %w", what, err))
		default:
			problems = append(problems, err)
		}
		return nil
	}
	if err := write("", func() error { return sy.publishDevices(ctx) }); err != nil {
		return res, err
	}
	me := sy.store.Device()
	// A device restored from an old backup first takes back what it had
	// published since: until it has, pushing would reuse names.
	tb, err := sy.takeBackOwn(ctx, byDevice[me])
	res.TakenBack, res.Renumbered = tb.taken, tb.renumbered
	if tb.taken > 0 {
		res.Notice = tb.String()
	}
	if err != nil {
		if IsOffline(err) || ctx.Err() != nil {
			return res, err
		}
		sy.log.Warn("sync: own operations not taken back", "err", err)
		problems = append(problems, err)
	} else if err := write("publish this device's operations", func() (err error) {
		res.Pushed, err = sy.push(ctx, byDevice[me])
		return err
	}); err != nil {
		return res, err
	}
	// Chains that stop before the oldest segment left (compacted) go on
	// from a snapshot first.
	n, err := sy.catchUp(ctx, entries, byDevice)
	res.Pulled += n
	if err != nil {
		if IsOffline(err) || ctx.Err() != nil {
			return res, err
		}
		sy.log.Warn("sync: snapshot refused", "err", err)
		problems = append(problems, err)
	}
	devs := make([]string, 0, len(byDevice))
	for d := range byDevice {
		if d != me {
			devs = append(devs, d)
		}
	}
	sort.Strings(devs)
	for _, d := range devs {
		n, err := sy.pull(ctx, d, takeable(sy.devices, d, byDevice[d]))
		res.Pulled += n
		if err != nil {
			if IsOffline(err) || ctx.Err() != nil {
				return res, err
			}
			sy.log.Warn("sync: segment refused", "device", d, "err", err)
			problems = append(problems, err)
		}
	}
	if res.Pulled > 0 || res.TakenBack > 0 {
		if err := sy.store.Checkpoint(ctx); err != nil {
			sy.log.Warn("sync: checkpoint", "err", err)
		}
	}
	if err := write("", func() error { return sy.publishCursor(ctx) }); err != nil {
		return res, err
	}
	if err := write("compact the log", func() error { return sy.compactInRound(ctx, entries, &res) }); err != nil {
		return res, err
	}
	if sy.conflicts < 0 || res.Pushed > 0 || res.Pulled > 0 || res.TakenBack > 0 {
		if sy.conflicts, err = sy.store.ConflictCount(ctx); err != nil {
			sy.conflicts = -1
			return res, err
		}
	}
	res.Conflicts = sy.conflicts
	if res.Pending, err = sy.Pending(ctx); err != nil {
		return res, err
	}
	if len(problems) > 0 {
		return res, &RoundError{Problems: problems}
	}
	return res, nil
}

// Pending returns how many of this device's operations are not published.
func (sy *Syncer) Pending(ctx context.Context) (int, error) {
	last, err := sy.store.LastSeq(ctx, sy.store.Device())
	if err != nil {
		return 0, err
	}
	p, err := sy.pushedPosition(ctx)
	if err != nil {
		return 0, err
	}
	return int(last - p.seq), nil
}

func (sy *Syncer) pushedPosition(ctx context.Context) (position, error) {
	v, err := sy.store.Setting(ctx, setPushed)
	if err != nil {
		return position{}, err
	}
	return parsePosition(v)
}

// cursor returns how far this device has applied dev's chain.
func (sy *Syncer) cursor(ctx context.Context, dev string) (position, error) {
	if p, ok := sy.cursors[dev]; ok {
		return p, nil
	}
	v, err := sy.store.Setting(ctx, setCursorPrefix+dev)
	if err != nil {
		return position{}, err
	}
	p, err := parsePosition(v)
	if err != nil {
		return p, err
	}
	sy.cursors[dev] = p
	return p, nil
}

func (sy *Syncer) setCursor(ctx context.Context, dev string, p position) error {
	if err := sy.store.SetSetting(ctx, setCursorPrefix+dev, p.String()); err != nil {
		return err
	}
	sy.cursors[dev] = p
	return nil
}

// pull applies dev's segments after the cursor, in order, each verified and
// applied in one transaction before the cursor moves past it. A crash
// between the two only means the segment is applied again, which changes
// nothing.
func (sy *Syncer) pull(ctx context.Context, dev string, refs []segRef) (int, error) {
	cur, err := sy.cursor(ctx, dev)
	if err != nil {
		return 0, err
	}
	v := sy.verifier()
	pulled := 0
	// refused is the first file refused on the way; it is reported, but a
	// good segment with the same numbers (the device's own, next to a
	// damaged or replayed file in its folder) still takes the chain on.
	var refused error
	for {
		var cands []segRef
		var after *segRef
		for i, r := range refs {
			if r.first == cur.seq+1 {
				cands = append(cands, r)
			} else if r.last > cur.seq && after == nil {
				after = &refs[i]
			}
		}
		if len(cands) == 0 {
			if after != nil && refused == nil {
				refused = &SegmentError{Name: after.name, Reason: fmt.Sprintf(
					"operations %d-%d of device %s are missing before it (a segment was deleted or has not arrived yet)", cur.seq+1, after.first-1, dev)}
			}
			return pulled, refused
		}
		var seg *Segment
		for _, r := range cands {
			b, err := sy.target.Get(ctx, r.name)
			if errors.Is(err, ErrNotFound) {
				err = &SegmentError{Name: r.name, Reason: "listed but gone when read", Err: err}
			} else if err != nil {
				return pulled, err
			} else {
				seg, err = v.DecodeSegment(strings.TrimPrefix(r.name, sy.prefix), b, cur.hash)
				if se := (*SegmentError)(nil); errors.As(err, &se) {
					se.Name = r.name
				}
			}
			if err == nil {
				break
			}
			if refused == nil {
				refused = err
			}
		}
		if seg == nil {
			return pulled, refused
		}
		n, err := sy.store.ApplyRemote(ctx, seg.Ops)
		if err != nil {
			return pulled, &SegmentError{Name: sy.prefix + segmentName(dev, seg.Header.First, seg.Header.Last),
				Reason: "could not be applied: " + data.ErrorMessage(err), Err: err}
		}
		pulled += n
		cur = position{seq: seg.Header.Last, hash: seg.Hash}
		if err := sy.setCursor(ctx, dev, cur); err != nil {
			return pulled, err
		}
	}
}

// cursorFile is what a device publishes under cursors/<device>: how far it
// has applied each device's chain, so that segments every active device
// has applied can one day be compacted into a snapshot.
type cursorFile struct {
	Device  string           `json:"device"`
	Applied map[string]int64 `json:"applied"`
}

func (sy *Syncer) publishCursor(ctx context.Context) error {
	me := sy.store.Device()
	pushed, err := sy.pushedPosition(ctx)
	if err != nil {
		return err
	}
	cf := cursorFile{Device: me, Applied: map[string]int64{me: pushed.seq}}
	for d, p := range sy.cursors {
		if p.seq > 0 {
			cf.Applied[d] = p.seq
		}
	}
	b, _ := json.Marshal(cf)
	last, err := sy.store.Setting(ctx, setCursorPushed)
	if err != nil || last == string(b) {
		return err
	}
	// The name is fixed and files are create-only, so the old cursor goes
	// first. A crash between leaves no cursor, which only delays compaction.
	name := sy.prefix + "cursors/" + me
	if err := sy.target.Delete(ctx, name); err != nil {
		return err
	}
	if err := sy.target.Put(ctx, name, b); err != nil && !isExist(err) {
		return err
	}
	return sy.store.SetSetting(ctx, setCursorPushed, string(b))
}
