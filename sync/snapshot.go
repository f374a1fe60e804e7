package sync

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	stdsync "sync"
	"time"

	"github.com/pierrec/lz4/v4"

	"connectpoint/data"
)

// A snapshot lets a device start from the network's state instead of
// every segment since the network began, and is what makes compaction
// possible: once a snapshot holds a segment's operations, the segment can
// go. It is a state image of the writer's store (data.WriteImage: every
// operation and the merge state they produce, no device-local settings),
// with, for each device, the position in its chain the image holds up to.
//
//	snap/<total>-<writer>-<id>.snap     the manifest (JSON, signed like a
//	                                    device list): format, network,
//	                                    writer, key epoch, schema, chains,
//	                                    and each part's size and SHA-256
//	snap/<total>-<writer>-<id>/<n>.part the image in parts of 16 MiB, each
//	                                    compressed as an LZ4 block (stored
//	                                    as is when that does not shrink
//	                                    it), then sealed under the network
//	                                    key
//
// total is the number of operations the chains hold, zero-padded, so that
// names sort oldest first; id is random, so that two processes of one
// device (the window and the command line) writing a snapshot of the same
// state at once write two whole snapshots rather than one of mixed parts. The parts go first and the manifest last: a
// listing never shows a snapshot that is not whole. Parts keep memory
// bounded on both sides, and are fetched and opened two at a time. LZ4
// rather than flate: on a state-size database it shrinks the image to 22%
// against flate's 20%, and inflates it twelve times faster, which is most
// of what joining costs.
//
// Because a snapshot vouches for other devices' operations, only one signed
// by an administrator's device is taken. A new device restores the image
// as its store (Join); a device that has fallen behind a compacted log
// reads the operations it lacks from it, each chain checked from its own
// position (catchUp).

const (
	// SnapshotFormat is the snapshot format this build writes and the
	// newest it reads.
	SnapshotFormat = 1
	snapPartSize   = 16 << 20
	// maxSnapParts bounds a manifest (64 GiB of image).
	maxSnapParts = 4096
)

// errSnapshotBusy means the store moved while the image was taken (a
// local write not yet published, an apply whose cursor was not yet
// saved); the next round tries again.
var errSnapshotBusy = errors.New("the database changed while the snapshot was taken")

type snapManifest struct {
	Format  int           `json:"format"`
	Network string        `json:"network"`
	Writer  string        `json:"writer"`
	ID      string        `json:"id"` // random, in the name
	At      string        `json:"at"`
	Epoch   uint32        `json:"epoch"`
	Schema  int           `json:"schema"`
	Chains  []snapChain   `json:"chains"`
	Size    int64         `json:"size"` // of the image
	Parts   []snapPartRef `json:"parts"`
}

type snapChain struct {
	Device string `json:"device"`
	Seq    int64  `json:"seq"`
	Hash   string `json:"hash"` // hex chain hash after Seq
}

type snapPartRef struct {
	Raw    int64  `json:"raw"`  // image bytes in the part
	Size   int64  `json:"size"` // bytes of the part file
	SHA256 []byte `json:"sha256"`
	Stored bool   `json:"stored,omitempty"` // not compressed: LZ4 did not shrink it
}

// chain returns the position the snapshot holds of device's chain.
func (m *snapManifest) chain(device string) (position, bool) {
	for _, c := range m.Chains {
		if c.Device == device {
			p, err := parsePosition(fmt.Sprintf("%d %s", c.Seq, c.Hash))
			return p, err == nil
		}
	}
	return position{}, false
}

func (m *snapManifest) total() int64 {
	var n int64
	for _, c := range m.Chains {
		n += c.Seq
	}
	return n
}

func snapshotName(total int64, writer, id string) string {
	return fmt.Sprintf("snap/%020d-%s-%s.snap", total, writer, id)
}

func newSnapshotID() string {
	var b [4]byte
	rand.Read(b[:]) // never fails (crypto/rand since Go 1.24)
	return hex.EncodeToString(b[:])
}

// isSnapshotID reports whether id is what writeSnapshot makes: 8 hex
// digits (so that a name built from it is always a plain file name).
func isSnapshotID(id string) bool {
	if len(id) != 8 {
		return false
	}
	_, err := hex.DecodeString(id)
	return err == nil
}

// snapPartName names part i of the snapshot whose manifest is rel.
func snapPartName(rel string, i int) string {
	return fmt.Sprintf("%s/%06d.part", strings.TrimSuffix(rel, ".snap"), i)
}

func snapPartAD(network, rel string, i int) []byte {
	return fmt.Appendf(nil, "connectpoint snapshot part v1/%s/%s/%d", network, rel, i)
}

// isSnapshotName reports whether rel (relative to the network's folder)
// names a snapshot manifest.
func isSnapshotName(rel string) bool {
	r, ok := strings.CutPrefix(rel, "snap/")
	return ok && strings.HasSuffix(r, ".snap") && !strings.Contains(r, "/")
}

// WriteSnapshot publishes a snapshot of everything this device has
// applied. Only an administrator's device writes them. It fails, and may
// be tried again, when this device has operations it has not yet pushed.
func (sy *Syncer) WriteSnapshot(ctx context.Context) (string, error) {
	sy.mu.Lock()
	defer sy.mu.Unlock()
	name, _, err := sy.writeSnapshot(ctx)
	return name, err
}

func (sy *Syncer) writeSnapshot(ctx context.Context) (string, *snapManifest, error) {
	me := sy.store.Device()
	if d, ok := sy.devices.Device(me); !ok || !d.Admin {
		return "", nil, data.Errorf(data.EFORBIDDEN, "snapshots are written by an administrator's device")
	}
	removeTemps(sy.store.Dir(), 24*time.Hour)
	tmp, err := tempPath(sy.store.Dir(), ".snapshot-write-*.db")
	if err != nil {
		return "", nil, err
	}
	defer os.Remove(tmp)
	info, err := sy.store.WriteImage(ctx, tmp)
	if err != nil {
		return "", nil, err
	}
	m := &snapManifest{Format: SnapshotFormat, Network: sy.keys.network, Writer: me, ID: newSnapshotID(),
		At: sy.store.Now().UTC().Format(time.RFC3339), Epoch: sy.keys.epoch, Schema: info.Schema, Size: info.Size}
	for dev, last := range info.LastSeq {
		var p position
		if dev == me {
			p, err = sy.pushedPosition(ctx)
		} else {
			p, err = sy.cursor(ctx, dev)
		}
		if err != nil {
			return "", nil, err
		}
		// The image must hold each chain exactly up to its position, so
		// that a device restoring it and then pulling the segments after
		// the position gets every operation once and in order.
		if p.seq != last {
			if dev == me {
				return "", nil, fmt.Errorf("%w: push this device's operations first", errSnapshotBusy)
			}
			return "", nil, errSnapshotBusy
		}
		m.Chains = append(m.Chains, snapChain{Device: dev, Seq: p.seq, Hash: hex.EncodeToString(p.hash[:])})
	}
	if len(m.Chains) == 0 {
		return "", nil, fmt.Errorf("nothing to snapshot yet: run a round first")
	}
	sort.Slice(m.Chains, func(i, j int) bool { return m.Chains[i].Device < m.Chains[j].Device })
	rel := snapshotName(m.total(), me, m.ID)
	if m.Parts, err = sy.putParts(ctx, rel, tmp, info.Size); err != nil {
		return "", nil, err
	}
	body, err := json.Marshal(m)
	if err != nil {
		return "", nil, err
	}
	file, err := json.Marshal(signedList{List: body, Sig: signWith(sy.keys.priv, body)})
	if err != nil {
		return "", nil, err
	}
	if err := sy.target.Put(ctx, sy.prefix+rel, file); err != nil && !isExist(err) {
		return "", nil, fmt.Errorf("publish snapshot: %w", err)
	}
	if err := sy.store.SetSetting(ctx, setSnapSeen, sy.prefix+rel); err != nil {
		return "", nil, err
	}
	return sy.prefix + rel, m, nil
}

// putParts compresses, seals and puts the image at path in parts.
func (sy *Syncer) putParts(ctx context.Context, rel, path string, size int64) ([]snapPartRef, error) {
	n := int((size + snapPartSize - 1) / snapPartSize)
	if n > maxSnapParts {
		return nil, fmt.Errorf("snapshot: the database is too large (%d bytes)", size)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	parts := make([]snapPartRef, n)
	err = inParallel(ctx, n, func(i int) error {
		raw := make([]byte, min(snapPartSize, size-int64(i)*snapPartSize))
		if _, err := f.ReadAt(raw, int64(i)*snapPartSize); err != nil {
			return fmt.Errorf("snapshot: read image: %w", err)
		}
		z := make([]byte, lz4.CompressBlockBound(len(raw)))
		var c lz4.Compressor
		zn, err := c.CompressBlock(raw, z)
		if err != nil {
			return fmt.Errorf("snapshot: compress: %w", err)
		}
		stored := zn == 0 || zn >= len(raw)
		if stored {
			z = raw
		} else {
			z = z[:zn]
		}
		sealed, err := data.Seal(sy.keys.netKey(), z, snapPartAD(sy.keys.network, rel, i))
		if err != nil {
			return err
		}
		if err := sy.target.Put(ctx, sy.prefix+snapPartName(rel, i), sealed); err != nil {
			return fmt.Errorf("publish snapshot: %w", err)
		}
		sum := sha256.Sum256(sealed)
		parts[i] = snapPartRef{Raw: int64(len(raw)), Size: int64(len(sealed)), SHA256: sum[:], Stored: stored}
		return nil
	})
	return parts, err
}

// inParallel runs fn for 0..n-1, two at a time (or as many as there are
// processors, up to four), and returns the first error; after an error no
// more are started.
func inParallel(ctx context.Context, n int, fn func(i int) error) error {
	workers := max(1, min(runtime.GOMAXPROCS(0), 4, n))
	next := make(chan int)
	var (
		wg       stdsync.WaitGroup
		mu       stdsync.Mutex
		firstErr error
	)
	failed := func() bool { mu.Lock(); defer mu.Unlock(); return firstErr != nil }
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(i); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	for i := 0; i < n && !failed() && ctx.Err() == nil; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	return firstErr
}

// removeTemps removes the temporary images an interrupted snapshot left
// in dir (a crash, a power cut) that are older than age: with age 0, all
// of them. The age spares an image another process of this device (the
// command line beside the window) is writing now.
func removeTemps(dir string, age time.Duration) {
	names, _ := filepath.Glob(filepath.Join(dir, ".snapshot-*.db"))
	for _, n := range names {
		if fi, err := os.Stat(n); err == nil && time.Since(fi.ModTime()) >= age {
			os.Remove(n)
		}
	}
}

// tempPath returns a name for a new file in dir that does not exist yet.
func tempPath(dir, pattern string) (string, error) {
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return "", fmt.Errorf("snapshot: temporary file: %w", err)
	}
	name := f.Name()
	f.Close()
	return name, os.Remove(name)
}

// snapReader finds, verifies and fetches snapshots. It needs no store, so
// that Join can restore one before the new device has a store.
type snapReader struct {
	target  Target
	prefix  string
	network string
	devices *DeviceList
	netKey  func(epoch uint32) ([]byte, bool)
}

func (sy *Syncer) snapReader() *snapReader {
	return &snapReader{target: sy.target, prefix: sy.prefix, network: sy.keys.network, devices: sy.devices, netKey: sy.keys.netKeyOf}
}

// snapshots returns the snapshot manifests among entries, newest first.
func (r *snapReader) snapshots(entries []Entry) []string {
	var out []string
	for _, e := range entries {
		if isSnapshotName(strings.TrimPrefix(e.Name, r.prefix)) {
			out = append(out, e.Name)
		}
	}
	sort.Sort(sort.Reverse(sort.StringSlice(out)))
	return out
}

// manifest reads and verifies the manifest name: signed by an
// administrator's device, of this network, in a format and schema this
// build reads, with a sealing key this device holds.
func (r *snapReader) manifest(ctx context.Context, name string) (*snapManifest, error) {
	fail := func(newer bool, format string, args ...any) (*snapManifest, error) {
		return nil, &SegmentError{Name: name, Reason: fmt.Sprintf(format, args...), Newer: newer}
	}
	b, err := r.target.Get(ctx, name)
	if errors.Is(err, ErrNotFound) {
		return fail(false, "listed but gone when read (compacted meanwhile?): try again")
	} else if err != nil {
		return nil, err
	}
	var sl signedList
	var m snapManifest
	if err := json.Unmarshal(b, &sl); err != nil {
		return fail(false, "damaged: %v", err)
	}
	if err := json.Unmarshal(sl.List, &m); err != nil {
		return fail(false, "damaged: %v", err)
	}
	w, ok := r.devices.Device(m.Writer)
	switch {
	case !ok || !w.Admin || w.Revoked:
		return fail(false, "written by %s, which is not an administrator's device", m.Writer)
	case !verifyWith(w.PublicKey, sl.List, sl.Sig):
		return fail(false, "the signature does not verify: the file was changed, damaged or forged")
	case m.Format > SnapshotFormat:
		return fail(true, "snapshot format %d; this one reads up to %d", m.Format, SnapshotFormat)
	case m.Schema > data.SchemaVersion():
		return fail(true, "database schema %d; this one knows up to %d", m.Schema, data.SchemaVersion())
	case m.Format < 1:
		return fail(false, "unknown snapshot format %d", m.Format)
	case m.Network != r.network:
		return fail(false, "belongs to network %s, not this one (%s)", m.Network, r.network)
	case strings.TrimPrefix(name, r.prefix) != snapshotName(m.total(), m.Writer, m.ID) || !isSnapshotID(m.ID):
		return fail(false, "holds %d operations of writer %s, which its name does not say", m.total(), m.Writer)
	case len(m.Parts) == 0 || len(m.Parts) > maxSnapParts:
		return fail(false, "damaged: %d parts", len(m.Parts))
	}
	if _, ok := r.netKey(m.Epoch); !ok {
		return fail(false, "sealed under network key %d, which this device does not have", m.Epoch)
	}
	var sum int64
	for _, p := range m.Parts {
		if p.Raw <= 0 || p.Raw > snapPartSize || len(p.SHA256) != sha256.Size {
			return fail(false, "damaged: a part's size or hash")
		}
		sum += p.Raw
	}
	seen := map[string]bool{}
	for _, c := range m.Chains {
		if _, ok := m.chain(c.Device); !ok || c.Seq < 1 || seen[c.Device] {
			return fail(false, "damaged: chain of device %s", c.Device)
		}
		seen[c.Device] = true
	}
	if sum != m.Size {
		return fail(false, "damaged: parts of %d bytes for an image of %d", sum, m.Size)
	}
	return &m, nil
}

// fetch writes the image of the snapshot name (manifest m) to path, a new
// file: each part is read, checked against its hash, opened and inflated.
// On any failure path is removed.
func (r *snapReader) fetch(ctx context.Context, name string, m *snapManifest, path string) (err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(path)
		}
	}()
	key, _ := r.netKey(m.Epoch)
	rel := strings.TrimPrefix(name, r.prefix)
	offsets := make([]int64, len(m.Parts))
	for i := 1; i < len(m.Parts); i++ {
		offsets[i] = offsets[i-1] + m.Parts[i-1].Raw
	}
	err = inParallel(ctx, len(m.Parts), func(i int) error {
		part := r.prefix + snapPartName(rel, i)
		fail := func(format string, args ...any) error {
			return &SegmentError{Name: part, Reason: fmt.Sprintf(format, args...)}
		}
		b, err := r.target.Get(ctx, part)
		if errors.Is(err, ErrNotFound) {
			return fail("missing (compacted meanwhile?): try again")
		} else if err != nil {
			return err
		}
		p := m.Parts[i]
		if sum := sha256.Sum256(b); int64(len(b)) != p.Size || !bytes.Equal(sum[:], p.SHA256) {
			return fail("does not match the snapshot's manifest (%d bytes): damaged or replaced", len(b))
		}
		z, err := data.Unseal(key, b, snapPartAD(r.network, rel, i))
		if err != nil {
			return fail("does not open under the network key: %v", err)
		}
		raw := z
		if !p.Stored {
			raw = make([]byte, p.Raw)
			n, err := lz4.UncompressBlock(z, raw)
			if err != nil || int64(n) != p.Raw {
				return fail("damaged compressed body")
			}
		} else if int64(len(raw)) != p.Raw {
			return fail("damaged: %d bytes, the manifest says %d", len(raw), p.Raw)
		}
		if _, err := f.WriteAt(raw, offsets[i]); err != nil {
			return fmt.Errorf("snapshot: write %s: %w", path, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return f.Sync()
}

// fetchTo fetches the snapshot into a new temporary file in dir and
// returns its path.
func (r *snapReader) fetchTo(ctx context.Context, name string, m *snapManifest, dir string) (string, error) {
	path, err := tempPath(dir, ".snapshot-read-*.db")
	if err != nil {
		return "", err
	}
	if err := r.fetch(ctx, name, m, path); err != nil {
		return "", err
	}
	return filepath.Clean(path), nil
}
