package sync_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	stdsync "sync"
	"testing"
	"time"

	"connectpoint/data"
	cpsync "connectpoint/sync"
)

// putLog is a target that remembers how often each name was written, so
// that a test can check that no segment name is ever written twice.
type putLog struct {
	cpsync.Target
	mu   stdsync.Mutex
	puts map[string]int
}

func (p *putLog) Put(ctx context.Context, name string, b []byte) error {
	err := p.Target.Put(ctx, name, b)
	if err == nil {
		p.mu.Lock()
		p.puts[name]++
		p.mu.Unlock()
	}
	return err
}

func (p *putLog) checkNoSegmentTwice(t *testing.T) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for name, n := range p.puts {
		if strings.Contains(name, "/log/") && n > 1 {
			t.Errorf("segment %s was written %d times", name, n)
		}
	}
}

// backup copies d's data folder with the store closed, and reopens it.
func (d *device) backup(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "backup")
	d.reopen(d.sess.DataKey(), func() { copyDir(t, d.dir, dir) })
	d.login()
	return dir
}

// restoreFrom puts a backup in place of d's data folder, as README's
// "Restore" says, and opens it without logging in (a login is a write):
// login completes it.
func (d *device) restoreFrom(t *testing.T, backup string) {
	t.Helper()
	d.reopen(d.sess.DataKey(), func() {
		if err := os.RemoveAll(d.dir); err != nil {
			t.Fatal(err)
		}
		copyDir(t, backup, d.dir)
	})
	d.sess = nil
}

func (d *device) login() {
	d.t.Helper()
	var err error
	if d.sess, err = d.store.Login(ctx, "admin", adminPassword); err != nil {
		d.t.Fatal(err)
	}
}

func noteTexts(t *testing.T, d *device, caseID string) []string {
	t.Helper()
	notes, err := d.sess.Notes(ctx, caseID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range notes {
		out = append(out, n.Text)
	}
	sort.Strings(out)
	return out
}

// restoreScenario: a and b sync; a is backed up; a changes a case, adds a
// note and a case, and syncs; b pulls; a is restored from the backup.
// writeFirst says whether a writes before its first round after the
// restore (else it syncs first, then writes).
func restoreScenario(t *testing.T, writeFirst bool) {
	target := &putLog{Target: cpsync.NewMemoryTarget(), puts: map[string]int{}}
	devs := newNetwork(t, target, 2)
	a, b := devs[0], devs[1]
	caseX := a.newCase("Daniel", "Reyes")
	coach, err := a.sess.AddCoach(ctx, data.Coach{Name: "Evangeline Szymanski", Phone: "630-555-0177"})
	if err != nil {
		t.Fatal(err)
	}
	shift, err := a.sess.AddShift(ctx, data.Shift{Coach: coach, StartsAt: start.Add(time.Hour), EndsAt: start.Add(9 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	converge(t, devs)

	backup := a.backup(t)

	a.clock.T = a.clock.T.Add(time.Hour)
	if err := a.sess.SetCaseFields(ctx, caseX, map[string]string{"level": "3.7"}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.sess.AddNote(ctx, caseX, "written before the restore"); err != nil {
		t.Fatal(err)
	}
	caseY := a.newCase("Maria", "Lopez")
	a.mustRound()
	b.mustRound()
	if !b.hasCase(caseY) {
		t.Fatal("b did not pull a's work before the restore")
	}

	a.clock.T = a.clock.T.Add(24 * time.Hour)
	a.restoreFrom(t, backup)
	if a.hasCaseNoSession(caseY) {
		t.Fatal("the backup already holds what was written after it")
	}

	var caseZ string
	after := func() {
		a.login()
		if err := a.sess.SetCaseFields(ctx, caseX, map[string]string{"level": "2.1"}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.sess.AddNote(ctx, caseX, "written after the restore"); err != nil {
			t.Fatal(err)
		}
		if err := a.sess.RemoveShift(ctx, shift); err != nil {
			t.Fatal(err)
		}
		caseZ = a.newCase("Ana", "Kowalski")
	}
	var res cpsync.Result
	if writeFirst {
		after()
		res = a.mustRound()
		if res.TakenBack == 0 || res.Renumbered == 0 {
			t.Errorf("first round after the restore: %+v, want own changes taken back and local ones renumbered", res)
		}
	} else {
		res = a.mustRound()
		if res.TakenBack == 0 || res.Renumbered != 0 {
			t.Errorf("first round after the restore: %+v, want own changes taken back, none renumbered", res)
		}
		after()
	}
	if !strings.Contains(res.Notice, "restored from an older backup") || !strings.Contains(res.Notice, "took back") {
		t.Errorf("the round does not say what happened: %q", res.Notice)
	}
	if res.Pending != 0 {
		t.Errorf("first round after the restore left %d operations unpublished", res.Pending)
	}
	converge(t, devs)
	target.checkNoSegmentTwice(t)
	// b holds every operation a wrote, under a's names.
	a.mustRound()
	b.mustRound()
	if got, want := b.applied(a), a.applied(a); got != want {
		t.Fatalf("b holds a's operations up to %d, a up to %d", got, want)
	}

	for _, d := range devs {
		if !d.hasCase(caseY) || !d.hasCase(caseZ) {
			t.Fatalf("%s lacks a case written before or after the restore", d.name)
		}
		got := noteTexts(t, d, caseX)
		want := []string{"written after the restore", "written before the restore"}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("%s's notes: %q, want %q", d.name, got, want)
		}
		shifts, err := d.sess.Shifts(ctx, start, start.Add(24*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(shifts) != 0 {
			t.Fatalf("%s still has the shift removed after the restore: %+v", d.name, shifts)
		}
		cs, err := d.sess.Conflicts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if writeFirst {
			// The level set after the restore did not see the one set
			// before it (taken back only later): both are kept.
			if len(cs) != 1 || cs[0].Row != caseX || cs[0].Field != "level" || len(cs[0].Values) != 2 {
				t.Fatalf("%s's conflicts: %+v, want the level of the case, set before and after the restore", d.name, cs)
			}
		} else {
			// Taken back first, the earlier level was seen and replaced.
			if len(cs) != 0 {
				t.Fatalf("%s's conflicts: %+v, want none", d.name, cs)
			}
			rec, err := d.sess.Case(ctx, caseX)
			if err != nil {
				t.Fatal(err)
			}
			if rec.Case.Level != "2.1" {
				t.Fatalf("%s's level: %q, want 2.1", d.name, rec.Case.Level)
			}
		}
	}
}

// hasCaseNoSession reports whether d's database holds the case, before
// anyone has logged in.
func (d *device) hasCaseNoSession(id string) bool {
	d.t.Helper()
	ops, err := d.store.Ops(ctx, d.store.Device(), 0, 0)
	if err != nil {
		d.t.Fatal(err)
	}
	for _, op := range ops {
		if op.Entity == data.EntCase && op.Row == id {
			return true
		}
	}
	return false
}

func TestRestoredDeviceSyncsThenWrites(t *testing.T) { restoreScenario(t, false) }

func TestRestoredDeviceWritesBeforeSyncing(t *testing.T) { restoreScenario(t, true) }
