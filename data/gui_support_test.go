package data_test

import (
	"slices"
	"testing"
	"time"

	"connectpoint/data"
)

func TestUpdateCoach(t *testing.T) {
	p := newProgram(t)
	coord := p.sessions[data.RoleCoordinator]
	id, err := coord.AddCoach(ctx, data.Coach{Name: "Tom Becker", Phone: "630-555-0142", Languages: []string{"en"}})
	if err != nil {
		t.Fatal(err)
	}
	find := func(s *data.Session) data.Coach {
		t.Helper()
		cs, err := s.Coaches(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cs {
			if c.ID == id {
				return c
			}
		}
		t.Fatalf("coach %s not on the roster", id)
		return data.Coach{}
	}
	c := find(coord)
	c.Phone = "6305550199"
	c.Languages = []string{"ES", "en", "es"}
	c.LivedExperience = true
	c.Certification = "CRSS"
	if err := coord.UpdateCoach(ctx, c); err != nil {
		t.Fatal(err)
	}
	got := find(p.sessions[data.RoleOfficer])
	if got.Phone != "(630) 555-0199" || !slices.Equal(got.Languages, []string{"en", "es"}) || !got.LivedExperience || got.Certification != "CRSS" || !got.Active {
		t.Errorf("after update: %+v", got)
	}

	t.Run("Deactivate", func(t *testing.T) {
		got.Active = false
		if err := coord.UpdateCoach(ctx, got); err != nil {
			t.Fatal(err)
		}
		if find(coord).Active {
			t.Error("still active")
		}
	})
	t.Run("ErrForbidden", func(t *testing.T) {
		err := p.sessions[data.RoleOfficer].UpdateCoach(ctx, got)
		if data.ErrorCode(err) != data.EFORBIDDEN {
			t.Errorf("officer edits the roster: %v", err)
		}
	})
	t.Run("ErrBadPhone", func(t *testing.T) {
		bad := got
		bad.Phone = "555"
		if err := coord.UpdateCoach(ctx, bad); data.ErrorCode(err) != data.EINVALID {
			t.Errorf("bad phone: %v", err)
		}
	})
	t.Run("ErrLoginNotACoach", func(t *testing.T) {
		bad := got
		bad.UserID = p.sessions[data.RoleOfficer].User.ID
		if err := coord.UpdateCoach(ctx, bad); data.ErrorCode(err) != data.EINVALID {
			t.Errorf("linked to an officer's login: %v", err)
		}
	})
}

func TestCoachLogins(t *testing.T) {
	p := newProgram(t)
	us, err := p.sessions[data.RoleCoordinator].CoachLogins(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(us) != 1 || us[0].Username != "coach" {
		t.Errorf("coach logins: %+v", us)
	}
	if _, err := p.sessions[data.RoleOfficer].CoachLogins(ctx); data.ErrorCode(err) != data.EFORBIDDEN {
		t.Errorf("officer lists logins: %v", err)
	}
}

func TestShifts(t *testing.T) {
	p := newProgram(t)
	coord := p.sessions[data.RoleCoordinator]
	now := p.clock.Now()
	day := func(h int) time.Time { return now.Truncate(24 * time.Hour).Add(time.Duration(h) * time.Hour) }
	a, err := coord.AddShift(ctx, data.Shift{Coach: p.coachID, StartsAt: day(18), EndsAt: day(26)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := coord.AddShift(ctx, data.Shift{Coach: p.coachID, StartsAt: day(50), EndsAt: day(58)}); err != nil {
		t.Fatal(err)
	}
	got, err := p.sessions[data.RoleOfficer].Shifts(ctx, day(0), day(24))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].ID != a {
		t.Fatalf("shifts today: %+v", got)
	}
	if err := p.sessions[data.RoleOfficer].RemoveShift(ctx, a); data.ErrorCode(err) != data.EFORBIDDEN {
		t.Errorf("officer removes a shift: %v", err)
	}
	if err := coord.RemoveShift(ctx, a); err != nil {
		t.Fatal(err)
	}
	on, err := coord.OnCall(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	if on[p.coachID] {
		t.Error("still on call after the shift was removed")
	}
}

func TestRecordPrint(t *testing.T) {
	p := newProgram(t)
	id := p.newCase(t, "Daniel", "Reyes")
	officer := p.sessions[data.RoleOfficer]
	for _, c := range []string{"", id} {
		if err := officer.RecordPrint(ctx, c, "consent form"); err != nil {
			t.Fatal(err)
		}
	}
	evs, err := p.sessions[data.RoleAdmin].AuditEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range evs {
		if e.Action == "print" && e.Detail == "consent form" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d prints audited, want 2", n)
	}
}

func TestCaseLine(t *testing.T) {
	p := newProgram(t)
	id := p.newCase(t, "Daniel", "Reyes")
	officer := p.sessions[data.RoleOfficer]
	if _, err := officer.LogDispatch(ctx, data.DispatchAttempt{CaseID: id, Coach: p.coachID, Response: "accepted"}); err != nil {
		t.Fatal(err)
	}
	if err := p.sessions[data.RoleCoach].Assess(ctx, id, data.Assessment{Level: "3.5"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		role  data.Role
		level string
	}{{data.RoleOfficer, ""}, {data.RoleCoach, "3.5"}} {
		t.Run(string(c.role), func(t *testing.T) {
			l, err := p.sessions[c.role].CaseLine(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if l.Display != "Daniel R." || l.WaitingFor != "bed" || l.Level != c.level || l.Coach != p.coachID {
				t.Errorf("line %+v", l)
			}
		})
	}
	other := p.newCase(t, "Maria", "Santos")
	if _, err := p.sessions[data.RoleCoach].CaseLine(ctx, other); data.ErrorCode(err) != data.EFORBIDDEN {
		t.Errorf("coach reads a case not theirs: %v", err)
	}
}

// The case list keeps the people's names between refreshes (personNames);
// a renamed person shows at the next one.
func TestCaseListShowsRenamedPerson(t *testing.T) {
	p := newProgram(t)
	id := p.newCase(t, "Daniel", "Reyes")
	coord := p.sessions[data.RoleCoordinator]
	name := func() string {
		t.Helper()
		list, err := coord.ListCases(ctx, data.CaseFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range list {
			if c.ID == id {
				return c.Display
			}
		}
		t.Fatalf("case %s not listed", id)
		return ""
	}
	if got := name(); got != "Daniel R." {
		t.Fatalf("listed as %q", got)
	}
	if err := p.sessions[data.RoleOfficer].SetCaseFields(ctx, id, map[string]string{"first": "Dan", "last": "Rivera"}); err != nil {
		t.Fatal(err)
	}
	if got := name(); got != "Dan R." {
		t.Errorf("after the rename listed as %q, want Dan R.", got)
	}
}
