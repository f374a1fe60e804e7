package sync_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"connectpoint/data"
	cpsync "connectpoint/sync"
)

// segments returns the names of d's segments on a memory target, in order.
func (d *device) segments(m *cpsync.MemoryTarget) []string {
	var out []string
	for _, n := range m.Names() {
		if strings.HasPrefix(n, d.sy.Network()+"/log/"+d.store.Device()+"/") {
			out = append(out, n)
		}
	}
	return out
}

// applied returns the highest sequence number of from's operations that d holds.
func (d *device) applied(from *device) int64 {
	d.t.Helper()
	n, err := d.store.LastSeq(ctx, from.store.Device())
	if err != nil {
		d.t.Fatal(err)
	}
	return n
}

// hasCase reports whether d holds the case.
func (d *device) hasCase(id string) bool {
	_, err := d.sess.Case(ctx, id)
	if err != nil && data.ErrorCode(err) != data.ENOTFOUND {
		d.t.Fatal(err)
	}
	return err == nil
}

// wantRefused checks that a round reports a segment error naming file and
// saying why.
func wantRefused(t *testing.T, err error, file, why string) {
	t.Helper()
	var se *cpsync.SegmentError
	if !errors.As(err, &se) {
		t.Fatalf("round error %v: want a segment error naming %s", err, file)
	}
	if se.Name != file || !strings.Contains(err.Error(), file) || !strings.Contains(err.Error(), why) {
		t.Fatalf("round error %q: want it to name %s and say %q", err, file, why)
	}
}

// damagedRead runs the shape every damaged-segment test shares: a and c
// edit, a's new segment reads damaged on b, b applies c's and none of a's,
// then the damage goes and the next round converges.
func damagedRead(t *testing.T, damage func(m *cpsync.MemoryTarget, name string) (heal func()), why string) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 3)
	a, b, c := devs[0], devs[1], devs[2]
	converge(t, devs)
	before := b.applied(a)
	caseA := a.newCase("Daniel", "Reyes")
	caseC := c.newCase("Maria", "Lopez")
	a.mustRound()
	c.mustRound()
	segs := a.segments(m)
	bad := segs[len(segs)-1]
	heal := damage(m, bad)
	_, err := b.round()
	wantRefused(t, err, bad, why)
	if b.hasCase(caseA) || b.applied(a) != before {
		t.Fatalf("part of the refused segment was applied: ops of a up to %d, before %d", b.applied(a), before)
	}
	if !b.hasCase(caseC) {
		t.Fatal("the other device's good segment was not applied")
	}
	heal()
	converge(t, devs)
	if !b.hasCase(caseA) {
		t.Fatal("the next good round did not bring the case")
	}
}

func TestTruncatedSegment(t *testing.T) {
	damagedRead(t, func(m *cpsync.MemoryTarget, name string) func() {
		m.TruncateOnRead(name, 100)
		return func() { m.OnRead(nil) }
	}, "truncated")
}

func TestFlippedByte(t *testing.T) {
	damagedRead(t, func(m *cpsync.MemoryTarget, name string) func() {
		m.FlipOnRead(name, 150)
		return func() { m.OnRead(nil) }
	}, "signature does not verify")
}

func TestDamagedOnTheTarget(t *testing.T) {
	// The file itself is damaged (a half-synced cloud drive); once the good
	// copy is back, the round converges.
	damagedRead(t, func(m *cpsync.MemoryTarget, name string) func() {
		orig, _ := m.Get(ctx, name)
		bad := append([]byte(nil), orig...)
		bad[len(bad)/2] ^= 0xff
		m.Replace(name, bad)
		return func() { m.Replace(name, orig) }
	}, "signature does not verify")
}

func TestDeletedSegment(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 2)
	a, b := devs[0], devs[1]
	converge(t, devs)
	x := a.newCase("Daniel", "Reyes")
	a.mustRound()
	y := a.newCase("Maria", "Lopez")
	a.mustRound()
	z := a.newCase("Ana", "Pérez")
	a.mustRound()
	segs := a.segments(m)
	lost, next := segs[len(segs)-2], segs[len(segs)-1]
	if err := m.Delete(ctx, lost); err != nil {
		t.Fatal(err)
	}
	_, err := b.round()
	wantRefused(t, err, next, "are missing before it")
	if !b.hasCase(x) || b.hasCase(y) || b.hasCase(z) {
		t.Fatal("want the segments before the gap applied and none after")
	}
	// The device that wrote the lost segment puts it back on its next round.
	a.mustRound()
	converge(t, devs)
	if !b.hasCase(y) || !b.hasCase(z) {
		t.Fatal("not converged after the lost segment was put back")
	}
}

func TestReplayedUnderAnotherDevice(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 3)
	a, b, c := devs[0], devs[1], devs[2]
	converge(t, devs)
	a.newCase("Daniel", "Reyes")
	a.mustRound()
	segs := a.segments(m)
	good, _ := m.Get(ctx, segs[len(segs)-1])
	// Someone copies a's segment into c's folder, under c's next numbers.
	next := b.applied(c) + 1
	fake := c.sy.Network() + "/log/" + c.store.Device() + "/" + pad(next) + "-" + pad(next+3) + ".seg"
	m.Replace(fake, good)
	before := b.applied(c)
	_, err := b.round()
	wantRefused(t, err, fake, "replayed under another device's name")
	if b.applied(c) != before {
		t.Fatal("the replayed segment was applied")
	}
	// c's own next round replaces the rubbish in its folder with its real
	// segment, and everyone converges.
	var ids []string
	for i := 0; i < 4; i++ {
		ids = append(ids, c.newCase("Ana", "Pérez"))
	}
	c.mustRound() // publishes c's real segment from the same number
	// b takes c's real chain past the rubbish, and still reports it.
	_, err = b.round()
	wantRefused(t, err, fake, "replayed under another device's name")
	for _, id := range ids {
		if !b.hasCase(id) {
			t.Fatal("c's real segment was not applied next to the rubbish")
		}
	}
	c.mustRound() // sees the overlap in its folder and removes the rubbish
	converge(t, devs)
}

func pad(n int64) string {
	s := strings.Repeat("0", 20) + itoa(n)
	return s[len(s)-20:]
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}

// lostAck is a target whose Put writes the file and then reports failure,
// as a connection that drops before the answer arrives, or a crash between
// the rename and recording that the segment is out.
type lostAck struct {
	cpsync.Target
	drop int
}

func (l *lostAck) Put(ctx context.Context, name string, b []byte) error {
	if err := l.Target.Put(ctx, name, b); err != nil {
		return err
	}
	if l.drop > 0 {
		l.drop--
		return errors.New("connection reset (simulated)")
	}
	return nil
}

func TestCrashAroundTheWrite(t *testing.T) {
	dir := t.TempDir()
	folder, err := cpsync.OpenTarget(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	la := &lostAck{Target: folder}
	devs := newNetwork(t, la, 2)
	a, b := devs[0], devs[1]
	converge(t, devs)

	// Crash between write and rename: a temporary file is left in a's
	// folder and the segment is not there.
	aDir := filepath.Join(dir, a.sy.Network(), "log", a.store.Device())
	if err := os.WriteFile(filepath.Join(aDir, ".tmp-123456"), []byte("CPSG half a segm"), 0o600); err != nil {
		t.Fatal(err)
	}
	x := a.newCase("Daniel", "Reyes")
	// The write goes through but a never learns it did.
	la.drop = 1
	if _, err := a.round(); err == nil {
		t.Fatal("a lost acknowledgement was not reported")
	}
	// Next round: a finds its own segment there, checks it and goes on.
	res := a.mustRound()
	if res.Pending != 0 {
		t.Fatalf("pending after recovery: %+v", res)
	}
	converge(t, devs)
	if !b.hasCase(x) {
		t.Fatal("case did not arrive")
	}
	if _, err := os.Stat(filepath.Join(aDir, ".tmp-123456")); err != nil {
		t.Fatalf("the leftover temp file should be left alone (and ignored): %v", err)
	}
}

func TestLaggingListing(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 2)
	a, b := devs[0], devs[1]
	converge(t, devs)
	x := a.newCase("Daniel", "Reyes")
	a.mustRound()
	y := a.newCase("Maria", "Lopez")
	a.mustRound()
	m.LagListings(2) // the newest files (a's cursor, its last segment) are not listed yet
	if _, err := b.round(); err != nil {
		t.Fatalf("a lagging listing is not an error: %v", err)
	}
	if !b.hasCase(x) || b.hasCase(y) {
		t.Fatal("want what the listing shows, and nothing else")
	}
	m.LagListings(0)
	converge(t, devs)
	if !b.hasCase(y) {
		t.Fatal("not converged once the listing caught up")
	}
}

func TestClockBehind(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 2)
	a, b := devs[0], devs[1]
	b.clock.Set(start.Add(-3 * time.Hour)) // b's clock is three hours slow
	id := a.newCase("Daniel", "Reyes")
	converge(t, devs)
	// b saw a's value before writing: b's edit is newer, whatever b's clock says.
	if err := a.sess.SetCaseFields(ctx, id, map[string]string{"level": "3.7"}); err != nil {
		t.Fatal(err)
	}
	converge(t, devs)
	if err := b.sess.SetCaseFields(ctx, id, map[string]string{"level": "2.1"}); err != nil {
		t.Fatal(err)
	}
	converge(t, devs)
	for _, d := range devs {
		rec, err := d.sess.Case(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if rec.Case.Level != "2.1" {
			t.Fatalf("%s shows level %q, want the later edit 2.1", d.name, rec.Case.Level)
		}
		if cs, _ := d.sess.Conflicts(ctx); len(cs) != 0 {
			t.Fatalf("%s: edits that saw each other made a conflict: %+v", d.name, cs)
		}
	}
	// Edits that did not see each other conflict, with both values kept.
	a.sess.SetCaseFields(ctx, id, map[string]string{"level": "3.5"})
	b.sess.SetCaseFields(ctx, id, map[string]string{"level": "1"})
	converge(t, devs)
	cs, _ := a.sess.Conflicts(ctx)
	if len(cs) != 1 || len(cs[0].Values) != 2 {
		t.Fatalf("concurrent edits: %+v", cs)
	}
}
