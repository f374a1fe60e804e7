package data

import (
	"context"
	"testing"
)

// TestSchemaMatchesTables checks that every field of every entity has a
// column in its table, so that the merge never writes to a column that a
// migration forgot.
func TestSchemaMatchesTables(t *testing.T) {
	s, _ := newTestStore(t)
	for _, e := range Entities() {
		rows, err := s.db.QueryContext(context.Background(), "SELECT name FROM pragma_table_info(?)", e.Table)
		if err != nil {
			t.Fatal(err)
		}
		cols := map[string]bool{}
		for rows.Next() {
			var n string
			rows.Scan(&n)
			cols[n] = true
		}
		rows.Close()
		if len(cols) == 0 {
			t.Errorf("entity %s: no table %s", e.Name, e.Table)
			continue
		}
		want := []string{"id"}
		if !e.Append {
			want = append(want, "tombstone", "deleted", "review")
		}
		for _, f := range e.Fields {
			want = append(want, f.Name)
		}
		for _, c := range want {
			if !cols[c] {
				t.Errorf("table %s has no column %s", e.Table, c)
			}
		}
	}
}

// TestDomainTypesMatchSchema checks that the cp tags of each domain type
// name fields of its entity.
func TestDomainTypesMatchSchema(t *testing.T) {
	types := map[string]any{
		EntAgency: &Agency{}, EntDevice: &Device{}, EntUser: &User{}, EntPerson: &Person{}, EntCase: &Case{},
		EntCoach: &Coach{}, EntShift: &Shift{}, EntConsent: &Consent{}, EntFacility: &Facility{},
		EntDispatch: &DispatchAttempt{}, EntNote: &Note{}, EntFacilityCall: &FacilityCall{},
		EntAvailability: &AvailabilityReport{}, EntCheckIn: &CheckIn{}, EntAudit: &AuditEvent{},
	}
	for name, v := range types {
		e, ok := Entity(name)
		if !ok {
			t.Errorf("no entity %s", name)
			continue
		}
		for _, f := range FieldNames(v) {
			if _, ok := e.Field(f); !ok {
				t.Errorf("%T field %q is not a field of entity %s", v, f, name)
			}
		}
	}
	if len(types) != len(Entities()) {
		t.Errorf("%d domain types for %d entities", len(types), len(Entities()))
	}
}

func TestBARC10(t *testing.T) {
	tests := []struct {
		in   string
		sum  int
		fail bool
	}{
		{"6,6,6,6,6,6,6,6,6,6", 60, false},
		{"1, 2, 3, 4, 5, 6, 1, 2, 3, 4", 31, false},
		{"1,2,3", 0, true},
		{"0,2,3,4,5,6,1,2,3,4", 0, true},
		{"7,2,3,4,5,6,1,2,3,4", 0, true},
		{"a,2,3,4,5,6,1,2,3,4", 0, true},
	}
	for _, tt := range tests {
		sum, err := BARC10Score(tt.in)
		if (err != nil) != tt.fail || sum != tt.sum {
			t.Errorf("BARC10Score(%q) = %d, %v", tt.in, sum, err)
		}
	}
}
