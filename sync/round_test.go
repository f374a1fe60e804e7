package sync_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"connectpoint/data"
	cpsync "connectpoint/sync"
)

func TestRoundCarriesACase(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 3)
	a, b := devs[0], devs[1]
	id := a.newCase("Daniel", "Reyes")
	if _, err := a.sess.AddNote(ctx, id, "Called his sister; she will drive him."); err != nil {
		t.Fatal(err)
	}
	res := a.mustRound()
	if res.Pushed == 0 || res.Pending != 0 {
		t.Fatalf("push: %+v", res)
	}
	res = b.mustRound()
	if res.Pulled == 0 {
		t.Fatalf("pull: %+v", res)
	}
	rec, err := b.sess.Case(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Person.First != "Daniel" {
		t.Fatalf("case on the other device: %+v", rec.Person)
	}
	notes, err := b.sess.Notes(ctx, id)
	if err != nil || len(notes) != 1 {
		t.Fatalf("notes: %v %v", notes, err)
	}
	converge(t, devs)
}

func TestIdleRoundCostsOneListing(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 2)
	devs[0].newCase("Daniel", "Reyes")
	converge(t, devs)
	// Export audits itself (an operation): push it, then the next round is idle.
	devs[1].mustRound()
	before := m.Calls()
	res := devs[1].mustRound()
	after := m.Calls()
	if res.Pushed != 0 || res.Pulled != 0 {
		t.Fatalf("idle round did something: %+v", res)
	}
	for _, k := range []string{"list", "get", "put", "delete"} {
		want := 0
		if k == "list" {
			want = 1
		}
		if after[k]-before[k] != want {
			t.Fatalf("idle round: %d %s calls, want %d (%v -> %v)", after[k]-before[k], k, want, before, after)
		}
	}
}

func TestConcurrentEditsConflict(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 2)
	a, b := devs[0], devs[1]
	id := a.newCase("Daniel", "Reyes")
	converge(t, devs)
	if err := a.sess.SetCaseFields(ctx, id, map[string]string{"level": "3.7"}); err != nil {
		t.Fatal(err)
	}
	if err := b.sess.SetCaseFields(ctx, id, map[string]string{"level": "2.1"}); err != nil {
		t.Fatal(err)
	}
	converge(t, devs)
	cs, err := a.sess.Conflicts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || cs[0].Field != "level" || len(cs[0].Values) != 2 {
		t.Fatalf("conflicts: %+v", cs)
	}
	if res := a.mustRound(); res.Conflicts != 1 {
		t.Fatalf("round reports %d conflicts, want 1", res.Conflicts)
	}
	// An edit that saw the other is no conflict.
	if err := b.sess.KeepValue(ctx, data.EntCase, id, "level", cs[0].Values[0].Op); err != nil {
		t.Fatal(err)
	}
	converge(t, devs)
	if cs, _ := a.sess.Conflicts(ctx); len(cs) != 0 {
		t.Fatalf("resolved conflict still there: %+v", cs)
	}
}

func TestOfflineTarget(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 2)
	devs[0].newCase("Daniel", "Reyes")
	m.FailNext(1, nil)
	_, err := devs[0].round()
	if !cpsync.IsOffline(err) {
		t.Fatalf("round against an unreachable target: %v, want offline", err)
	}
	if !strings.Contains(err.Error(), "not reachable") {
		t.Fatalf("offline message: %v", err)
	}
	converge(t, devs)
}

// TestFolderHoldsNoNames syncs real work through a folder and then reads
// every file in it, temporary ones included: no person's name, phone or
// note may be there in the clear.
func TestFolderHoldsNoNames(t *testing.T) {
	dir := t.TempDir()
	tg, err := cpsync.OpenTarget(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	devs := newNetwork(t, tg, 3)
	for i, d := range devs {
		for _, nm := range personNames {
			id := d.newCase(nm[0], nm[1])
			if _, err := d.sess.AddNote(ctx, id, "Spoke with "+nm[0]+"'s sister about a ride"); err != nil {
				t.Fatal(err)
			}
			if err := d.sess.SetCaseFields(ctx, id, map[string]string{"phone": "(630) 555-01" + string(rune('0'+i)) + "9"}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := d.sess.AddCoach(ctx, data.Coach{Name: "Evangeline Szymanski", Phone: "630-555-0177"}); err != nil {
			t.Fatal(err)
		}
	}
	converge(t, devs)
	files := 0
	err = filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		files++
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		for _, nm := range personNames {
			for _, s := range []string{nm[0], nm[1], "Spoke with", "(630) 555", "630-555"} {
				if bytes.Contains(b, []byte(s)) {
					t.Errorf("%s holds %q in the clear", p, s)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 {
		t.Fatalf("only %d files in the sync folder", files)
	}
}

// TestRoundOverS3 runs rounds through an S3-protocol server on loopback,
// over real HTTP.
func TestRoundOverS3(t *testing.T) {
	tg, err := cpsync.OpenTarget(ctx, fakeS3(t))
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	devs := newNetwork(t, tg, 3)
	id := devs[1].newCase("Daniel", "Reyes")
	if _, err := devs[2].sess.AddNote(ctx, devs[2].newCase("Marisol", "Quintanilla"), "Bed at noon"); err != nil {
		t.Fatal(err)
	}
	converge(t, devs)
	if !devs[0].hasCase(id) {
		t.Fatal("case did not travel through the object store")
	}
	if err := devs[0].sy.Revoke(ctx, devs[2].store.Device()); err != nil {
		t.Fatal(err)
	}
	converge(t, devs[:2])
	assertNoNames(t, tg)
}

// A device with more than one segment's worth of operations (a program
// just set up, a laptop back after a week) publishes them all in one round.
func TestRoundPushesEveryPendingSegment(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 2)
	a, b := devs[0], devs[1]
	var last string
	for i := 0; i < 400; i++ {
		last = a.newCase("Daniel", "Reyes")
	}
	res := a.mustRound()
	if res.Pushed <= 5000 || res.Pending != 0 {
		t.Fatalf("one round should push more than one 5000-operation segment and leave nothing: %+v", res)
	}
	b.mustRound()
	if _, err := b.sess.Case(ctx, last); err != nil {
		t.Fatalf("the last case did not arrive in one round: %v", err)
	}
}
