package data

import "sort"

// Kind says how a field merges when devices edit it apart (DESIGN §3).
type Kind int

const (
	// Register is a single value: a multi-value register whose concurrent
	// writes are all kept as heads and shown as a conflict.
	Register Kind = iota
	// Set is a collection of strings with add and remove operations; an add
	// survives a remove that did not see it.
	Set
)

// FieldDef describes one field of an entity.
type FieldDef struct {
	Name string
	Kind Kind
	// Sealed fields hold personal data: they are encrypted under the data
	// key before they reach the operation log or the table.
	Sealed bool
	// Secret fields (password verifiers, wrapped keys) sync but are never
	// exported or shown.
	Secret bool
	// Wins, when set, is the value that is shown while the field is in
	// conflict, whatever its age: a revoked consent stays revoked until a
	// person resolves the conflict.
	Wins string
}

// EntityDef describes one kind of record and the table that holds its
// current state.
type EntityDef struct {
	Name  string
	Table string
	// Append-only records are written once, whole, and merge by union.
	Append bool
	Fields []FieldDef
}

// Field returns the definition of the named field.
func (e *EntityDef) Field(name string) (FieldDef, bool) {
	for _, f := range e.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return FieldDef{}, false
}

// fieldIndex returns the index of the named field in e.Fields, -1 when e
// has none.
func (e *EntityDef) fieldIndex(name string) int {
	for i, f := range e.Fields {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// FieldTombstone is the register that deletes a record. Its value lists the
// heads of the record's fields that the deleter saw; an edit it did not see
// brings the record back for review.
const FieldTombstone = "_deleted"

func reg(names ...string) []FieldDef {
	fs := make([]FieldDef, len(names))
	for i, n := range names {
		fs[i] = FieldDef{Name: n}
	}
	return fs
}

func sealed(names ...string) []FieldDef {
	fs := reg(names...)
	for i := range fs {
		fs[i].Sealed = true
	}
	return fs
}

func cat(parts ...[]FieldDef) []FieldDef {
	var out []FieldDef
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// Entity names, as they appear in operations.
const (
	EntAgency       = "agency"
	EntDevice       = "device"
	EntUser         = "user"
	EntPerson       = "person"
	EntCase         = "case"
	EntCoach        = "coach"
	EntShift        = "shift"
	EntConsent      = "consent"
	EntFacility     = "facility"
	EntDispatch     = "dispatch_attempt"
	EntNote         = "note"
	EntFacilityCall = "facility_call"
	EntAvailability = "availability_report"
	EntCheckIn      = "check_in"
	EntAudit        = "audit_event"
)

// entities is the schema of everything that syncs. The tables in
// migrations/ must have a column for each field (TestSchemaMatchesTables).
var entities = []*EntityDef{
	{Name: EntAgency, Table: "agencies", Fields: cat(
		reg("name", "zip", "network"),
		[]FieldDef{{Name: "recovery_key", Secret: true}},
	)},
	{Name: EntDevice, Table: "devices", Fields: reg("name", "agency", "public_key", "enrolled_at", "revoked_at")},
	{Name: EntUser, Table: "users", Fields: cat(
		reg("username", "role", "agency", "active"),
		sealed("name"),
		[]FieldDef{{Name: "password", Secret: true}, {Name: "wrapped_key", Secret: true}},
	)},
	{Name: EntPerson, Table: "persons", Fields: cat(
		sealed("first", "last", "alias", "dob", "phone", "address"),
		reg("gender", "language", "zip"),
	)},
	{Name: EntCase, Table: "cases", Fields: cat(
		reg("person", "agency", "channel", "status", "opened_at", "intake_by",
			"insurance", "payer",
			"pregnant", "veteran", "mental_health", "withdrawal_risk", "housing_need",
			"warrant", "dv_charge", "danger", "medical_emergency", "eligible",
			"coach", "level", "asam_edition", "moud", "assessed_at", "assessed_by",
			"facility", "placed_at", "transport", "placed_by", "checkin_plan",
			"closed_at", "close_reason"),
		[]FieldDef{{Name: "substances", Kind: Set}},
		sealed("needs"),
	)},
	{Name: EntCoach, Table: "coaches", Fields: cat(
		sealed("name", "phone"),
		reg("gender", "lived_experience", "certification", "active", "user_id", "agency"),
		[]FieldDef{{Name: "languages", Kind: Set}},
	)},
	{Name: EntShift, Table: "shifts", Fields: reg("coach", "starts_at", "ends_at")},
	{Name: EntConsent, Table: "consents", Fields: cat(
		reg("case_id", "discloser", "recipient", "purpose", "information",
			"expires_on", "expiry_event", "signed_at", "revoked_at", "revoked_on", "revoked_by"),
		sealed("signed_by", "revoke_note"),
		[]FieldDef{{Name: "status", Wins: ConsentRevoked}},
	)},
	{Name: EntFacility, Table: "facilities", Fields: cat(
		reg("name", "name2", "street", "street2", "city", "state", "zip",
			"phone", "intake_phone", "website", "lat", "lon", "type", "frid", "verified_at"),
		[]FieldDef{{Name: "services", Kind: Set}},
	)},
	{Name: EntDispatch, Table: "dispatch_attempts", Append: true, Fields: reg(
		"case_id", "coach", "contacted_at", "method", "response", "eta_minutes", "arrived_at", "amends", "author")},
	{Name: EntNote, Table: "notes", Append: true, Fields: cat(
		reg("case_id", "at", "amends", "author"), sealed("text"))},
	{Name: EntFacilityCall, Table: "facility_calls", Append: true, Fields: cat(
		reg("case_id", "facility", "at", "result", "held_until", "author"), sealed("note"))},
	// Slot reports describe a facility, not a person, and are shared with
	// neighbouring programs, so their note is not sealed.
	{Name: EntAvailability, Table: "availability_reports", Append: true, Fields: reg(
		"facility", "open", "note", "at", "agency", "author")},
	{Name: EntCheckIn, Table: "check_ins", Append: true, Fields: cat(
		reg("case_id", "due_on", "at", "reached", "attempts", "method", "situation",
			"medication", "overdose", "naloxone", "housing", "work", "barc10", "next_due", "amends", "author"),
		sealed("notes"))},
	{Name: EntAudit, Table: "audit_events", Append: true, Fields: reg(
		"at", "user_id", "device", "action", "entity", "row_id", "detail")},
}

var entityByName = func() map[string]*EntityDef {
	m := make(map[string]*EntityDef, len(entities))
	for _, e := range entities {
		m[e.Name] = e
	}
	return m
}()

// Entity returns the definition of the named entity.
func Entity(name string) (*EntityDef, bool) {
	e, ok := entityByName[name]
	return e, ok
}

// Entities returns every entity definition, sorted by name.
func Entities() []*EntityDef {
	out := append([]*EntityDef(nil), entities...)
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}
