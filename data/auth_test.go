package data_test

import (
	"testing"

	"connectpoint/data"
)

// permissionTable is DESIGN §5 written out by hand, so that a change to
// the permissions in data shows up here as a failing cell.
// Columns: officer, coach, coordinator, admin.
var permissionTable = map[data.Action][4]bool{
	data.ActCaseCreate:    {true, false, true, true},
	data.ActCaseList:      {true, true, true, true},
	data.ActCaseView:      {true, true, true, true},
	data.ActCaseEdit:      {true, true, true, true},
	data.ActDispatch:      {true, true, true, true},
	data.ActAssess:        {false, true, true, true},
	data.ActPlace:         {false, true, true, true},
	data.ActPlacementView: {false, true, true, true},
	data.ActCheckIn:       {false, true, true, true},
	data.ActNoteAdd:       {true, true, true, true},
	data.ActNoteView:      {false, true, true, true},
	data.ActConsent:       {true, true, true, true},
	data.ActRosterView:    {true, true, true, true},
	data.ActRosterEdit:    {false, false, true, true},
	data.ActDirectoryView: {true, true, true, true},
	data.ActDirectoryEdit: {false, false, true, true},
	data.ActSlotReport:    {true, true, true, true},
	data.ActReports:       {false, false, true, true},
	data.ActExport:        {false, false, true, true},
	data.ActConflicts:     {false, false, true, true},
	data.ActAuditView:     {false, false, true, true},
	data.ActUsers:         {false, false, false, true},
	data.ActDevices:       {false, false, false, true},
	data.ActSync:          {false, false, false, true},
}

var roleColumns = []data.Role{data.RoleOfficer, data.RoleCoach, data.RoleCoordinator, data.RoleAdmin}

func TestPermissionTable(t *testing.T) {
	if len(permissionTable) != len(data.Actions) {
		t.Fatalf("the table has %d actions, data has %d: add the new ones here", len(permissionTable), len(data.Actions))
	}
	for _, a := range data.Actions {
		want, ok := permissionTable[a]
		if !ok {
			t.Errorf("action %s missing from the table", a)
			continue
		}
		for i, r := range roleColumns {
			if got := r.Can(a); got != want[i] {
				t.Errorf("%s may %s: %v, want %v", r, a, got, want[i])
			}
		}
	}
}

// TestPermissionsEnforced calls, for every role, the data method behind
// each action that has one, and checks that it is allowed or refused with
// EFORBIDDEN as the table says, and that refusals are audited.
func TestPermissionsEnforced(t *testing.T) {
	p := newProgram(t)
	admin := p.sessions[data.RoleAdmin]
	// A case assigned to the coach, so that the coach's row rule lets
	// their role decide.
	newCase := func(t *testing.T) string {
		id := p.newCase(t, "Daniel", "Reyes")
		if err := admin.SetCaseFields(ctx, id, map[string]string{"coach": p.coachID}); err != nil {
			t.Fatal(err)
		}
		return id
	}
	calls := map[data.Action]func(s *data.Session, caseID string) error{
		data.ActCaseCreate: func(s *data.Session, _ string) error {
			_, err := s.CreateCase(ctx, data.NewCase{Person: data.Person{First: "X"}, Case: data.Case{Channel: "phone"}})
			return err
		},
		data.ActCaseList: func(s *data.Session, _ string) error { _, err := s.ListCases(ctx, data.CaseFilter{}); return err },
		data.ActCaseView: func(s *data.Session, id string) error { _, err := s.Case(ctx, id); return err },
		data.ActCaseEdit: func(s *data.Session, id string) error {
			return s.SetCaseFields(ctx, id, map[string]string{"phone": "630 555 0199"})
		},
		data.ActDispatch: func(s *data.Session, id string) error {
			return s.SetCaseFields(ctx, id, map[string]string{"coach": p.coachID + ""})
		},
		data.ActAssess: func(s *data.Session, id string) error {
			return s.SetCaseFields(ctx, id, map[string]string{"level": "3.5", "moud": "buprenorphine"})
		},
		data.ActPlace: func(s *data.Session, id string) error {
			return s.SetCaseFields(ctx, id, map[string]string{"facility": "f-1", "status": "placed", "placed_at": "now"})
		},
		data.ActNoteAdd:    func(s *data.Session, id string) error { _, err := s.AddNote(ctx, id, "called"); return err },
		data.ActNoteView:   func(s *data.Session, id string) error { _, err := s.Notes(ctx, id); return err },
		data.ActRosterView: func(s *data.Session, _ string) error { _, err := s.Coaches(ctx); return err },
		data.ActRosterEdit: func(s *data.Session, _ string) error {
			_, err := s.AddCoach(ctx, data.Coach{Name: "Tom B."})
			return err
		},
		data.ActExport:    func(s *data.Session, _ string) error { _, err := s.Export(ctx); return err },
		data.ActConflicts: func(s *data.Session, _ string) error { _, err := s.Conflicts(ctx); return err },
		data.ActAuditView: func(s *data.Session, _ string) error { _, err := s.AuditEvents(ctx); return err },
		// Devices and sync settings are kept by the syncer, which asks data.
		data.ActDevices: func(s *data.Session, _ string) error { return s.Authorize(ctx, data.ActDevices) },
		data.ActSync:    func(s *data.Session, _ string) error { return s.Authorize(ctx, data.ActSync) },
		data.ActUsers: func(s *data.Session, _ string) error {
			_, err := s.AddUser(ctx, data.User{Username: "u" + data.ShortID(data.NewID()), Role: data.RoleOfficer}, "a-long-password")
			return err
		},
	}
	refusals := func() int {
		evs, err := admin.AuditEvents(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range evs {
			if e.Action == "refused" {
				n++
			}
		}
		return n
	}
	for _, a := range data.Actions {
		call, ok := calls[a]
		if !ok {
			continue // no data method yet; TestPermissionTable covers the rule
		}
		for i, r := range roleColumns {
			t.Run(string(r)+"/"+string(a), func(t *testing.T) {
				id := newCase(t)
				before := refusals()
				err := call(p.sessions[r], id)
				allowed := permissionTable[a][i]
				switch {
				case allowed && err != nil:
					t.Fatalf("allowed, but: %v", err)
				case !allowed && data.ErrorCode(err) != data.EFORBIDDEN:
					t.Fatalf("want EFORBIDDEN, got %v", err)
				case !allowed && refusals() != before+1:
					t.Fatal("the refusal was not audited")
				}
			})
		}
	}
}

func TestOfficerDoesNotSeeWhere(t *testing.T) {
	p := newProgram(t)
	id := p.newCase(t, "Daniel", "Reyes")
	coord := p.sessions[data.RoleCoordinator]
	if err := coord.SetCaseFields(ctx, id, map[string]string{"level": "3.5", "facility": "f-gateway", "status": "placed", "placed_at": "now"}); err != nil {
		t.Fatal(err)
	}
	rec, err := p.sessions[data.RoleOfficer].Case(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Case.Status != data.StatusPlaced {
		t.Errorf("officer sees status %q, want placed", rec.Case.Status)
	}
	if rec.Case.Facility != "" || rec.Case.Level != "" {
		t.Errorf("officer sees facility %q, level %q", rec.Case.Facility, rec.Case.Level)
	}
	if full, _ := coord.Case(ctx, id); full.Case.Facility != "f-gateway" {
		t.Errorf("coordinator sees facility %q", full.Case.Facility)
	}
}

func TestCoachSeesOnlyAssignedCases(t *testing.T) {
	p := newProgram(t)
	mine := p.newCase(t, "Daniel", "Reyes")
	other := p.newCase(t, "Maria", "Santos")
	if err := p.sessions[data.RoleAdmin].SetCaseFields(ctx, mine, map[string]string{"coach": p.coachID}); err != nil {
		t.Fatal(err)
	}
	coach := p.sessions[data.RoleCoach]
	list, err := coach.ListCases(ctx, data.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != mine {
		t.Fatalf("coach lists %d cases, want only theirs", len(list))
	}
	if _, err := coach.Case(ctx, other); data.ErrorCode(err) != data.EFORBIDDEN {
		t.Fatalf("coach opening another's case: %v, want EFORBIDDEN", err)
	}
}
