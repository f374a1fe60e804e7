package data_test

import (
	"path/filepath"
	"testing"
	"time"

	"connectpoint/data"
)

// exchange gives each store the other's operations, as a sync round would.
func exchange(t *testing.T, a, b *data.Store) {
	t.Helper()
	for _, pair := range [][2]*data.Store{{a, b}, {b, a}} {
		ops, err := pair[0].Ops(ctx, pair[0].Device(), 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := pair[1].ApplyRemote(ctx, ops); err != nil {
			t.Fatal(err)
		}
	}
}

// TestConflictsInWords makes a real conflict between two devices, reads it
// as the Conflicts screen does, keeps one value and checks that the keeping
// travels to the other device.
func TestConflictsInWords(t *testing.T) {
	p := newProgram(t)
	id := p.newCase(t, "Daniel", "Reyes")
	other, err := data.Create(ctx, filepath.Join(t.TempDir(), "laptop"), opts(p.clock))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	exchange(t, p.store, other)
	coachThere, err := other.Login(ctx, "coach", "coach-password")
	if err != nil {
		t.Fatal(err)
	}
	coord := p.sessions[data.RoleCoordinator]
	if err := coord.SetCaseFields(ctx, id, map[string]string{"phone": "630 555 0188"}); err != nil {
		t.Fatal(err)
	}
	if err := p.sessions[data.RoleAdmin].SetCaseFields(ctx, id, map[string]string{"coach": p.coachID}); err != nil {
		t.Fatal(err)
	}
	exchange(t, p.store, other)
	// Both devices have the same number; each changes it before they sync.
	p.clock.Advance(time.Minute)
	if err := coachThere.SetCaseFields(ctx, id, map[string]string{"phone": "630 555 0123"}); err != nil {
		t.Fatal(err)
	}
	p.clock.Advance(time.Minute)
	if err := coord.SetCaseFields(ctx, id, map[string]string{"phone": "630 555 0177"}); err != nil {
		t.Fatal(err)
	}
	exchange(t, p.store, other)

	cs, err := coord.Conflicts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 {
		t.Fatalf("%d conflicts, want 1: %+v", len(cs), cs)
	}
	c := cs[0]
	if c.Entity != data.EntPerson || c.Field != "phone" || c.CaseID != id || c.Subject != "Daniel R." {
		t.Errorf("conflict about %s.%s, case %q, subject %q", c.Entity, c.Field, c.CaseID, c.Subject)
	}
	if len(c.Values) != 2 || c.Values[0].Value != "(630) 555-0177" || c.Values[0].Who != "coordinator" ||
		c.Values[1].Value != "(630) 555-0123" || c.Values[1].Who != "coach" {
		t.Errorf("values %+v, want the coordinator's newer number first, both opened", c.Values)
	}
	evs, err := p.sessions[data.RoleAdmin].AuditEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	viewed := false
	for _, e := range evs {
		viewed = viewed || (e.Action == "conflict.view" && e.RowID == c.Row && e.Detail == "phone")
	}
	if !viewed {
		t.Error("showing a sealed conflict's values was not audited")
	}

	t.Run("RefusedToOthers", func(t *testing.T) {
		for _, r := range []data.Role{data.RoleOfficer, data.RoleCoach} {
			if _, err := p.sessions[r].Conflicts(ctx); data.ErrorCode(err) != data.EFORBIDDEN {
				t.Errorf("%s lists conflicts: %v", r, err)
			}
			if err := p.sessions[r].KeepValue(ctx, c.Entity, c.Row, c.Field, c.Values[1].Op); data.ErrorCode(err) != data.EFORBIDDEN {
				t.Errorf("%s keeps a value: %v", r, err)
			}
		}
	})

	if err := coord.KeepValue(ctx, c.Entity, c.Row, c.Field, c.Values[1].Op); err != nil {
		t.Fatal(err)
	}
	exchange(t, p.store, other)
	for _, s := range []*data.Store{p.store, other} {
		if n, err := s.ConflictCount(ctx); err != nil || n != 0 {
			t.Errorf("after keeping: %d conflicts (%v)", n, err)
		}
	}
	// The older value was kept: the newer one is not shown any more.
	rec, err := coachThere.Case(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Person.Phone != "(630) 555-0123" {
		t.Errorf("the laptop shows %q, want the kept number", rec.Person.Phone)
	}
}
