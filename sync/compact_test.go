package sync_test

import (
	"bytes"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"connectpoint/data"
	cpsync "connectpoint/sync"
)

// segInfo is a segment on a memory target, read from its name.
type segInfo struct {
	name, device string
	last         int64
}

func listSegments(t testing.TB, m *cpsync.MemoryTarget) []segInfo {
	t.Helper()
	var out []segInfo
	for _, n := range m.Names() {
		i := strings.Index(n, "/log/")
		if i < 0 {
			continue
		}
		dev, file, _ := strings.Cut(n[i+len("/log/"):], "/")
		_, last, _ := strings.Cut(strings.TrimSuffix(file, ".seg"), "-")
		l, err := strconv.ParseInt(last, 10, 64)
		if err != nil {
			t.Fatalf("segment name %s", n)
		}
		out = append(out, segInfo{name: n, device: dev, last: l})
	}
	return out
}

func snapshotsOn(m *cpsync.MemoryTarget) (manifests, parts []string) {
	for _, n := range m.Names() {
		switch {
		case strings.Contains(n, "/snap/") && strings.HasSuffix(n, ".snap"):
			manifests = append(manifests, n)
		case strings.Contains(n, "/snap/") && strings.HasSuffix(n, ".part"):
			parts = append(parts, n)
		}
	}
	return manifests, parts
}

// checkCompacted checks that exactly the segments of before that every
// device of active has applied are gone from m.
func checkCompacted(t *testing.T, m *cpsync.MemoryTarget, before []segInfo, active []*device) (deleted, kept int) {
	t.Helper()
	now := map[string]bool{}
	for _, s := range listSegments(t, m) {
		now[s.name] = true
	}
	for _, s := range before {
		everywhere := true
		for _, d := range active {
			n, err := d.store.LastSeq(ctx, s.device)
			if err != nil {
				t.Fatal(err)
			}
			everywhere = everywhere && n >= s.last
		}
		switch {
		case everywhere && now[s.name]:
			t.Errorf("%s was applied everywhere and is still there", s.name)
		case !everywhere && !now[s.name]:
			t.Errorf("%s was deleted before every active device applied it", s.name)
		case everywhere:
			deleted++
		default:
			kept++
		}
	}
	return deleted, kept
}

// settle runs rounds until no device has anything to push or pull.
func settle(t *testing.T, devs []*device) {
	t.Helper()
	for pass := 0; pass < 3; pass++ {
		for _, d := range devs {
			d.mustRound()
		}
	}
}

func TestCompactWaitsForEveryActiveDevice(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 3)
	a, b, c := devs[0], devs[1], devs[2]
	for i := 0; i < 3; i++ {
		for _, d := range devs {
			d.newCase("Daniel", "Reyes")
			d.mustRound()
		}
	}
	settle(t, devs)
	// c goes quiet; a and b go on.
	for i := 0; i < 2; i++ {
		a.newCase("Marisol", "Quintanilla")
		a.mustRound()
		b.newCase("Thaddeus", "Okonkwo")
		b.mustRound()
	}
	a.mustRound()
	before := listSegments(t, m)
	if _, err := b.sy.Compact(ctx); err == nil {
		t.Fatal("a device that is not an administrator's compacted")
	}
	cr, err := a.sy.Compact(ctx)
	if err != nil {
		t.Fatal(err)
	}
	deleted, kept := checkCompacted(t, m, before, devs)
	if deleted == 0 || kept == 0 || cr.Deleted != deleted || cr.Snapshot == "" {
		t.Fatalf("compaction %+v: %d deleted, %d kept; want both, with the lagging device's segments kept", cr, deleted, kept)
	}
	// The lagging device comes back and takes what was kept for it; then
	// the rest can go.
	settle(t, devs)
	before = listSegments(t, m)
	if _, err := a.sy.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	if deleted, _ := checkCompacted(t, m, before, devs); deleted == 0 {
		t.Fatal("nothing deleted once every device had caught up")
	}
	// A new device joins from the snapshot and what is left, and every
	// export is the same.
	d := a.enroll("dev3")
	c.mustRound()
	converge(t, append(devs, d))
}

func TestCompactIgnoresRevokedDevice(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 3)
	a, b, c := devs[0], devs[1], devs[2]
	c.newCase("Daniel", "Reyes")
	settle(t, devs)
	// c is lost with a segment a never applied; a and b go on.
	c.newCase("Marisol", "Quintanilla")
	c.mustRound()
	if err := a.sy.Revoke(ctx, c.store.Device()); err != nil {
		t.Fatal(err)
	}
	a.newCase("Thaddeus", "Okonkwo")
	settle(t, devs[:2])
	before := listSegments(t, m)
	cr, err := a.sy.Compact(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cr.Waiting) != 0 {
		t.Fatalf("compaction waits for %v", cr.Waiting)
	}
	var applied []segInfo // all but c's late segment, which no one applies
	for _, s := range before {
		if s.device != c.store.Device() || s.last <= a.applied(c) {
			applied = append(applied, s)
		}
	}
	if len(applied) == len(before) {
		t.Fatal("c's late segment is not on the target")
	}
	checkCompacted(t, m, applied, devs[:2])
	if segs := listSegments(t, m); len(segs) != 0 {
		t.Fatalf("left %v; want every segment gone: a and b applied all, and c's late one is never applied", segs)
	}
	d := a.enroll("dev3")
	converge(t, []*device{a, b, d})
}

func TestCompactKeepsOfflineDeviceWorking(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 3)
	a, b, c := devs[0], devs[1], devs[2]
	for _, d := range devs {
		d.newCase("Daniel", "Reyes")
	}
	settle(t, devs)
	// b goes offline for long and works there.
	away := b.newCase("Lucinda", "Abernathy")
	if _, err := b.sess.AddNote(ctx, away, "seen at the ED"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		a.newCase("Marisol", "Quintanilla")
		c.newCase("Thaddeus", "Okonkwo")
		settle(t, []*device{a, c})
	}
	if _, err := a.sy.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	for _, s := range listSegments(t, m) {
		if s.device == b.store.Device() {
			t.Fatalf("b's segment %s is still there; every device had applied it", s.name)
		}
	}
	// b comes back: its next segment follows one that is gone, and it
	// pulls what was kept for it.
	res := b.mustRound()
	if res.Pushed == 0 || res.Pulled == 0 {
		t.Fatalf("b's first round back: %+v", res)
	}
	converge(t, devs)
	if !a.hasCase(away) {
		t.Fatal("b's offline work did not arrive")
	}
	d := a.enroll("dev3")
	converge(t, append(devs, d))
}

// TestCatchUpFromSnapshot: a laptop restored from an old backup stands
// before the oldest segment left on the target; its next round takes what
// it lacks from the snapshot instead of failing.
func TestCatchUpFromSnapshot(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 3)
	a, b, c := devs[0], devs[1], devs[2]
	settle(t, devs)
	key := b.sess.DataKey()
	backup := filepath.Join(t.TempDir(), "backup")
	b.reopen(key, func() { copyDir(t, b.dir, backup) })
	// b only syncs from now on (no writes, so the backup stays a true
	// picture of its own chain), while a and c work.
	var ids []string
	for i := 0; i < 3; i++ {
		ids = append(ids, a.newCase("Marisol", "Quintanilla"), c.newCase("Thaddeus", "Okonkwo"))
		settle(t, []*device{a, c})
		b.mustRound()
	}
	settle(t, devs[:1])
	if _, err := a.sy.Compact(ctx); err != nil {
		t.Fatal(err)
	}
	a.newCase("Bernadette", "Kowalczyk")
	a.mustRound()
	b.reopen(key, func() {
		if err := os.RemoveAll(b.dir); err != nil {
			t.Fatal(err)
		}
		copyDir(t, backup, b.dir)
	})
	res, err := b.round()
	if err != nil {
		t.Fatalf("round on the restored device: %v", err)
	}
	if res.Pulled == 0 {
		t.Fatalf("restored device pulled nothing: %+v", res)
	}
	var err2 error
	if b.sess, err2 = b.store.Login(ctx, "admin", adminPassword); err2 != nil {
		t.Fatal(err2)
	}
	for _, id := range ids {
		if !b.hasCase(id) {
			t.Fatalf("case %s missing on the restored device", id)
		}
	}
	converge(t, devs)
}

// TestSnapshotNotTakenWhenSegmentsGoOn: a device behind a new snapshot
// whose segments are all still there pulls them, and does not fetch the
// snapshot (one look at its manifest).
func TestSnapshotNotTakenWhenSegmentsGoOn(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 2)
	a, b := devs[0], devs[1]
	settle(t, devs)
	for i := 0; i < 3; i++ {
		a.newCase("Daniel", "Reyes")
		a.mustRound()
	}
	if _, err := a.sy.WriteSnapshot(ctx); err != nil {
		t.Fatal(err)
	}
	before := m.Calls()["get"]
	res := b.mustRound()
	if gets := m.Calls()["get"] - before; gets != 3+1 {
		t.Fatalf("%d reads; want a's 3 segments and the snapshot's manifest", gets)
	}
	if res.Pulled == 0 {
		t.Fatal("nothing pulled")
	}
	// And the next idle round does not look again.
	before = m.Calls()["get"]
	b.mustRound()
	if gets := m.Calls()["get"] - before; gets != 0 {
		t.Fatalf("idle round read %d files", gets)
	}
}

func TestCompactInRounds(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 2)
	a, b := devs[0], devs[1]
	opt := cpsync.Options{Logger: slog.New(slog.DiscardHandler), CompactMin: 3}
	for _, d := range devs {
		var err error
		if d.sy, err = cpsync.New(ctx, d.store, d.sess.DataKey(), m, opt); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 4; i++ {
		a.newCase("Daniel", "Reyes")
		b.newCase("Marisol", "Quintanilla")
		settle(t, devs)
	}
	if res := a.mustRound(); res.Compacted != 0 {
		t.Fatal("compacted before a day had passed since the first round")
	}
	for _, d := range devs {
		d.clock.Set(start.Add(25 * time.Hour))
	}
	if res := b.mustRound(); res.Compacted != 0 {
		t.Fatal("a device that is not an administrator's compacted")
	}
	if res := a.mustRound(); res.Compacted == 0 {
		t.Fatal("no compaction a day later")
	}
	before := m.Calls()
	if res := a.mustRound(); res.Compacted != 0 {
		t.Fatal("compacted twice in a day")
	}
	after := m.Calls()
	if after["get"] != before["get"] || after["list"]-before["list"] != 1 {
		t.Fatalf("the round after compaction was not idle: %v -> %v", before, after)
	}
	converge(t, devs)
}

func TestCompactPrunesSnapshots(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 2)
	a, b := devs[0], devs[1]
	var written []string
	for i := 0; i < 3; i++ {
		a.newCase("Daniel", "Reyes")
		b.newCase("Marisol", "Quintanilla")
		settle(t, devs)
		cr, err := a.sy.Compact(ctx)
		if err != nil {
			t.Fatal(err)
		}
		written = append(written, cr.Snapshot)
	}
	manifests, parts := snapshotsOn(m)
	if strings.Join(manifests, " ") != written[1]+" "+written[2] {
		t.Fatalf("snapshots left %v; want the newest and the one before (%v)", manifests, written[1:])
	}
	for _, p := range parts {
		if strings.HasPrefix(p, strings.TrimSuffix(written[0], ".snap")+"/") {
			t.Fatalf("part %s of the pruned snapshot is still there", p)
		}
	}
	// Compacting again with nothing new writes no new snapshot.
	cr, err := a.sy.Compact(ctx)
	if err != nil || cr.Deleted != 0 {
		t.Fatalf("idle compaction: %+v %v", cr, err)
	}
	if m2, _ := snapshotsOn(m); len(m2) != 2 {
		t.Fatalf("snapshots after an idle compaction: %v", m2)
	}
}

// reopen closes d's store, runs between (with the store closed), and opens
// it again without logging in (a login is a write).
func (d *device) reopen(key []byte, between func()) {
	t := d.t
	t.Helper()
	if err := d.store.Close(); err != nil {
		t.Fatal(err)
	}
	between()
	s, err := data.Open(ctx, d.dir, storeOpts(d.clock))
	if err != nil {
		t.Fatal(err)
	}
	d.store = s
	if d.sy, err = cpsync.New(ctx, s, key, d.target, syncOpts); err != nil {
		t.Fatal(err)
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o700); err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		src, err := os.Open(filepath.Join(from, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		io.Copy(&buf, src)
		src.Close()
		if err := os.WriteFile(filepath.Join(to, e.Name()), buf.Bytes(), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestConcurrentCompaction: the window and the command line of one
// administrator's device compact at the same moment. Each writes a whole
// snapshot of its own, deletions of the same segment twice do no harm, and
// a device joining afterwards converges.
func TestConcurrentCompaction(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 2)
	a := devs[0]
	for i := 0; i < 3; i++ {
		for _, d := range devs {
			d.newCase("Daniel", "Reyes")
		}
		settle(t, devs)
	}
	second, err := cpsync.New(ctx, a.store, a.sess.DataKey(), m, syncOpts)
	if err != nil {
		t.Fatal(err)
	}
	errs := make(chan error, 2)
	for _, sy := range []*cpsync.Syncer{a.sy, second} {
		go func() {
			_, err := sy.Compact(ctx)
			errs <- err
		}()
	}
	for i := 0; i < 2; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if segs := listSegments(t, m); len(segs) != 0 {
		t.Fatalf("left %d segments every device had applied", len(segs))
	}
	d := a.enroll("dev2")
	converge(t, append(devs, d))
}

// TestCompactSweepsAbandonedParts: parts of a snapshot this device began
// and never finished (it stopped while writing) go once a newer
// snapshot has been kept for a while.
func TestCompactSweepsAbandonedParts(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 2)
	a := devs[0]
	abandoned := a.sy.Network() + "/snap/00000000000000000001-" + a.store.Device() + "-deadbeef/000000.part"
	m.Replace(abandoned, []byte("half a part"))
	for i := 0; i < 3; i++ {
		a.newCase("Daniel", "Reyes")
		settle(t, devs)
		if _, err := a.sy.Compact(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Get(ctx, abandoned); (err == nil) != (i < 1) {
			t.Fatalf("after compaction %d: abandoned part read %v", i+1, err)
		}
	}
}
