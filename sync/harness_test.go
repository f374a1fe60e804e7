package sync_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"connectpoint/data"
	cpsync "connectpoint/sync"
)

const (
	adminPassword = "admin-password"
	passphrase    = "enrolment passphrase"
)

// device is one PC or laptop of a test network.
type device struct {
	t      testing.TB
	name   string
	dir    string
	clock  *data.FixedClock
	store  *data.Store
	sess   *data.Session
	sy     *cpsync.Syncer
	target cpsync.Target
}

func storeOpts(clock data.Clock) data.Options {
	kdf := data.TestKDF
	return data.Options{Clock: clock, KDF: &kdf}
}

// syncOpts keeps the syncer's warnings (expected in fault tests) quiet.
var syncOpts = cpsync.Options{Logger: slog.New(slog.DiscardHandler)}

var start = time.Date(2026, 11, 27, 19, 2, 0, 0, time.UTC)

// newNetwork makes a program on one device and joins n-1 more to it
// through target, each with its own store and clock.
func newNetwork(t testing.TB, target cpsync.Target, n int) []*device {
	t.Helper()
	first := &device{t: t, name: "dev0", dir: filepath.Join(t.TempDir(), "dev0"), clock: &data.FixedClock{T: start}, target: target}
	s, err := data.Create(ctx, first.dir, storeOpts(first.clock))
	if err != nil {
		t.Fatal(err)
	}
	first.store = s
	t.Cleanup(func() { first.store.Close() })
	if first.sess, _, err = s.Initialize(ctx, data.Setup{Agency: "Naperville PD", AgencyZIP: "60540",
		AdminUsername: "admin", AdminName: "Ada Admin", AdminPassword: adminPassword}); err != nil {
		t.Fatal(err)
	}
	if first.sy, err = cpsync.InitNetwork(ctx, first.sess, target, "station 1", syncOpts); err != nil {
		t.Fatal(err)
	}
	first.mustRound()
	devs := []*device{first}
	for i := 1; i < n; i++ {
		devs = append(devs, first.enroll(fmt.Sprintf("dev%d", i)))
	}
	return devs
}

// enroll makes a bundle on d and joins a new device with it.
func (d *device) enroll(name string) *device {
	t := d.t
	t.Helper()
	bundle, err := d.sy.Enroll(ctx, name, passphrase, data.TestKDF)
	if err != nil {
		t.Fatal(err)
	}
	nd := &device{t: t, name: name, dir: filepath.Join(t.TempDir(), name), clock: &data.FixedClock{T: d.clock.Now()}, target: d.target}
	nd.store, nd.sy, _, err = cpsync.Join(ctx, nd.dir, bundle, passphrase, cpsync.JoinOptions{Store: storeOpts(nd.clock), Target: d.target, Sync: syncOpts})
	if err != nil {
		t.Fatalf("join %s: %v", name, err)
	}
	t.Cleanup(func() { nd.store.Close() })
	if nd.sess, err = nd.store.Login(ctx, "admin", adminPassword); err != nil {
		t.Fatalf("log in on %s: %v", name, err)
	}
	return nd
}

// restart closes and reopens the store, as a laptop that was shut down.
func (d *device) restart() {
	t := d.t
	t.Helper()
	if err := d.store.Close(); err != nil {
		t.Fatal(err)
	}
	s, err := data.Open(ctx, d.dir, storeOpts(d.clock))
	if err != nil {
		t.Fatal(err)
	}
	d.store = s
	if d.sess, err = s.Login(ctx, "admin", adminPassword); err != nil {
		t.Fatal(err)
	}
	if d.sy, err = cpsync.New(ctx, s, d.sess.DataKey(), d.target, syncOpts); err != nil {
		t.Fatal(err)
	}
}

func (d *device) round() (cpsync.Result, error) { return d.sy.Round(ctx) }

func (d *device) mustRound() cpsync.Result {
	d.t.Helper()
	res, err := d.sy.Round(ctx)
	if err != nil {
		d.t.Fatalf("round on %s: %v", d.name, err)
	}
	return res
}

func (d *device) export() []byte {
	d.t.Helper()
	b, err := d.sess.Export(ctx)
	if err != nil {
		d.t.Fatal(err)
	}
	return b
}

// converge runs full rounds on every device, twice, and checks that every
// export is the same.
func converge(t testing.TB, devs []*device) []byte {
	t.Helper()
	for pass := 0; pass < 2; pass++ {
		for _, d := range devs {
			d.mustRound()
		}
	}
	want := devs[0].export()
	for _, d := range devs[1:] {
		if got := d.export(); !bytes.Equal(got, want) {
			t.Fatalf("%s's export differs from %s's:\n%s", d.name, devs[0].name, firstDiff(want, got))
		}
	}
	return want
}

func firstDiff(a, b []byte) string {
	la, lb := bytes.Split(a, []byte("\n")), bytes.Split(b, []byte("\n"))
	for i := 0; i < len(la) && i < len(lb); i++ {
		if !bytes.Equal(la[i], lb[i]) {
			return fmt.Sprintf("line %d:\n  %s\n  %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(la), len(lb))
}

func (d *device) newCase(first, last string) string {
	d.t.Helper()
	id, err := d.sess.CreateCase(ctx, data.NewCase{
		Person: data.Person{First: first, Last: last, DOB: "1986-03-14", Phone: "(630) 555-0101"},
		Case:   data.Case{Channel: "walk-in", Insurance: "none", Substances: []string{"heroin"}},
	})
	if err != nil {
		d.t.Fatal(err)
	}
	return id
}

func testKDF() data.KDFParams { return data.TestKDF }
