package data

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// CaseRecord is a case with the person it is about: what `case show`
// prints and the case screen shows.
type CaseRecord struct {
	Case   Case
	Person Person
	// Hidden lists the fields the session's role may not see (an officer
	// does not see where a person was placed).
	Hidden []string
}

// caseFieldAction says which permission each case or person field needs to
// change, beyond seeing the case at all.
var caseFieldAction = map[string]Action{
	"coach": ActDispatch,
	"level": ActAssess, "asam_edition": ActAssess, "moud": ActAssess, "needs": ActAssess,
	"assessed_at": ActAssess, "assessed_by": ActAssess,
	"facility": ActPlace, "placed_at": ActPlace, "transport": ActPlace, "placed_by": ActPlace,
	"checkin_plan": ActPlace,
}

// placementFields are hidden from roles without ActPlacementView.
var placementFields = []string{"facility", "transport", "placed_by", "level", "asam_edition", "moud", "needs", "assessed_by"}

// caseFields and personFields are the names `case set` accepts, as
// `case show --json` prints them.
var (
	caseFields   = FieldNames(&Case{})
	personFields = FieldNames(&Person{})
)

// CaseFieldNames lists every field `case set` accepts.
func CaseFieldNames() []string {
	var out []string
	for _, f := range append(append([]string{}, personFields...), caseFields...) {
		if !fixedCaseFields[f] {
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}

// fixedCaseFields are set at intake and never changed.
var fixedCaseFields = map[string]bool{"person": true, "intake_by": true}

// NewCase is an intake: the person and the first facts of the case.
type NewCase struct {
	Person Person
	Case   Case
}

// CreateCase records an intake and returns the new case's ID. The clock
// starts at Case.OpenedAt, or now.
func (sess *Session) CreateCase(ctx context.Context, in NewCase) (string, error) {
	if err := sess.require(ctx, ActCaseCreate, EntCase, ""); err != nil {
		return "", err
	}
	now := sess.s.clock.Now()
	p, c := in.Person, in.Case
	p.ID, c.ID = NewID(), NewID()
	c.Person = p.ID
	if c.Agency == "" {
		c.Agency = sess.User.Agency
	}
	if c.OpenedAt.IsZero() {
		c.OpenedAt = now
	}
	if c.Status == "" {
		c.Status = StatusOpen
	}
	if c.Channel == "" {
		c.Channel = "walk-in"
	}
	c.IntakeBy = sess.User.ID
	if p.Phone != "" {
		ph, err := NormalizePhone(p.Phone)
		if err != nil {
			return "", err
		}
		p.Phone = ph
	}
	if err := p.Validate(now); err != nil {
		return "", err
	}
	if err := c.Validate(); err != nil {
		return "", err
	}
	err := sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		if err := w.create(EntPerson, p.ID, toFields(&p)); err != nil {
			return err
		}
		if err := w.create(EntCase, c.ID, toFields(&c)); err != nil {
			return err
		}
		return sess.audit(w, "case.create", EntCase, c.ID, "")
	})
	if err != nil {
		return "", err
	}
	return c.ID, nil
}

// writeRecord writes the text fields of a register record: registers with
// set, sets (comma-joined) with setElems. Empty values of a new record
// write nothing.
func writeRecord(w *writeTx, entity, row string, fields map[string]string) error {
	e, _ := Entity(entity)
	for _, name := range sortedKeys(fields) {
		f, ok := e.Field(name)
		if !ok {
			return fmt.Errorf("%s has no field %q", entity, name)
		}
		v := fields[name]
		var err error
		if f.Kind == Set {
			var elems []string
			if v != "" {
				elems = strings.Split(v, ",")
			}
			err = w.setElems(entity, row, name, elems)
		} else {
			err = w.set(entity, row, name, v)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// caseAccess loads a case for an action, enforcing the role and, for a
// coach, that the case is assigned to them.
func (sess *Session) caseAccess(ctx context.Context, a Action, id string) (*Case, *Person, error) {
	if err := sess.require(ctx, a, EntCase, id); err != nil {
		return nil, nil, err
	}
	var c Case
	m, err := loadOne(ctx, sess.s.db, sess.key, EntCase, id, &c)
	if err != nil {
		return nil, nil, err
	}
	c.ID, c.Review = m["id"], m["review"] == "true"
	if !sess.mayTouchCase(&c) {
		return nil, nil, sess.refuse(ctx, a, EntCase, id)
	}
	var p Person
	if _, err := loadOne(ctx, sess.s.db, sess.key, EntPerson, c.Person, &p); err != nil {
		return nil, nil, err
	}
	p.ID = c.Person
	return &c, &p, nil
}

// mayTouchCase applies the row rules: a coach works only on the cases
// assigned to them; officers and coordinators on their agency's.
func (sess *Session) mayTouchCase(c *Case) bool {
	switch sess.User.Role {
	case RoleAdmin:
		return true
	case RoleCoach:
		return sess.coach != "" && c.Coach == sess.coach
	default:
		return c.Agency == sess.User.Agency
	}
}

// Case returns a case and its person. Opening the full record is audited.
func (sess *Session) Case(ctx context.Context, id string) (*CaseRecord, error) {
	c, p, err := sess.caseAccess(ctx, ActCaseView, id)
	if err != nil {
		return nil, err
	}
	rec := &CaseRecord{Case: *c, Person: *p}
	if !sess.Can(ActPlacementView) {
		rec.Hidden = placementFields
		c := &rec.Case
		c.Facility, c.Transport, c.PlacedBy, c.Level, c.ASAMEdition, c.MOUD, c.Needs, c.AssessedBy = "", "", "", "", "", "", "", ""
		if !c.PlacedAt.IsZero() {
			// Why a placement's follow-up ended is about the treatment.
			rec.Hidden = append(slices.Clip(placementFields), "close_reason")
			c.CloseReason = ""
		}
	}
	err = sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		return sess.audit(w, "case.view", EntCase, id, "")
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// SetCaseFields changes fields of a case or of its person, by the names
// `case show --json` prints. Values are given as people type them (dates
// like 3/14/86, yes/no); everything is checked before anything is written.
func (sess *Session) SetCaseFields(ctx context.Context, id string, values map[string]string) error {
	if len(values) == 0 {
		return Errorf(EINVALID, "nothing to change")
	}
	need := ActCaseEdit
	for name := range values {
		if a, ok := caseFieldAction[name]; ok && !sess.Can(a) {
			need = a
		}
		if name == "status" && values[name] == StatusPlaced && !sess.Can(ActPlace) {
			need = ActPlace
		}
	}
	c, p, err := sess.caseAccess(ctx, need, id)
	if err != nil {
		return err
	}
	if st, ok := values["status"]; ok && c.Status == StatusPlaced && !strings.EqualFold(strings.TrimSpace(st), StatusPlaced) {
		// Ending a placement's follow-up is for those who follow it up.
		if err := sess.require(ctx, ActCheckIn, EntCase, c.ID); err != nil {
			return err
		}
	}
	if strings.TrimSpace(values["facility"]) != "" || values["status"] == StatusPlaced {
		// A placement is a referral: it tells the facility about the person.
		if err := sess.mayDisclose(ctx, c.ID, "a placement"); err != nil {
			return err
		}
	}
	now := sess.s.clock.Now()
	cf, pf := toFields(c), toFields(p)
	changedCase, changedPerson := map[string]string{}, map[string]string{}
	for _, name := range sortedKeys(values) {
		v, err := normalizeValue(name, values[name], now)
		if err != nil {
			return err
		}
		switch {
		case contains(caseFields, name):
			if fixedCaseFields[name] {
				return Errorf(EINVALID, "field %q cannot be changed", name)
			}
			cf[name], changedCase[name] = v, v
		case contains(personFields, name):
			pf[name], changedPerson[name] = v, v
		default:
			return Errorf(EINVALID, "unknown field %q: use one of %s", name, strings.Join(CaseFieldNames(), ", "))
		}
	}
	var nc Case
	var np Person
	fromFields(cf, &nc)
	fromFields(pf, &np)
	if err := np.Validate(now); err != nil {
		return err
	}
	if err := nc.Validate(); err != nil {
		return err
	}
	return sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		if err := writeRecord(w, EntCase, c.ID, changedCase); err != nil {
			return err
		}
		if err := writeRecord(w, EntPerson, p.ID, changedPerson); err != nil {
			return err
		}
		return sess.audit(w, "case.edit", EntCase, c.ID, strings.Join(append(sortedKeys(changedCase), sortedKeys(changedPerson)...), ","))
	})
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// boolFields are the yes/no fields of a case.
var boolFields = map[string]bool{"pregnant": true, "veteran": true, "mental_health": true,
	"withdrawal_risk": true, "housing_need": true, "warrant": true, "dv_charge": true,
	"danger": true, "medical_emergency": true}

// timeFields are instants.
var timeFields = map[string]bool{"opened_at": true, "assessed_at": true, "placed_at": true, "closed_at": true}

// normalizers check fields whose text has a form of its own.
var normalizers = map[string]func(string) (string, error){
	"checkin_plan": func(v string) (string, error) {
		days, err := ParsePlan(v)
		if err != nil {
			return "", err
		}
		return FormatPlan(days), nil
	},
}

// normalizeValue turns what a person typed into the stored text of field
// name, or says what is wrong with it.
func normalizeValue(name, v string, now time.Time) (string, error) {
	v = strings.TrimSpace(v)
	switch {
	case v == "" && boolFields[name]:
		return "", Errorf(EINVALID, "%s: use yes or no", name)
	case v == "":
		return "", nil
	case name == "dob":
		d, err := ParseDate(v, now)
		if err != nil {
			return "", Errorf(EINVALID, "date of birth: use a date like 03/14/1986")
		}
		return d, nil
	case name == "phone":
		return NormalizePhone(v)
	case boolFields[name]:
		switch strings.ToLower(v) {
		case "yes", "y", "true", "1":
			return "true", nil
		case "no", "n", "false", "0":
			return "", nil
		}
		return "", Errorf(EINVALID, "%s %q: use yes or no", name, v)
	case timeFields[name]:
		if strings.EqualFold(v, "now") {
			return FormatTime(now), nil
		}
		t, err := ParseTime(v)
		if err != nil {
			return "", Errorf(EINVALID, "%s %q: use a time like 2026-11-27T19:02:00Z, or now", name, v)
		}
		return FormatTime(t), nil
	case name == "substances":
		var out []string
		for _, s := range strings.Split(v, ",") {
			if s = strings.ToLower(strings.TrimSpace(s)); s != "" && !contains(out, s) {
				out = append(out, s)
			}
		}
		sort.Strings(out)
		return strings.Join(out, ","), nil
	case normalizers[name] != nil:
		return normalizers[name](v)
	case name == "level":
		return strings.ToUpper(v), nil
	case name == "channel", name == "insurance", name == "status", name == "gender", name == "moud", name == "eligible", name == "transport":
		return strings.ToLower(v), nil
	}
	return v, nil
}

// AddNote appends a sealed note to a case.
func (sess *Session) AddNote(ctx context.Context, caseID, text string) (string, error) {
	c, _, err := sess.caseAccess(ctx, ActNoteAdd, caseID)
	if err != nil {
		return "", err
	}
	n := Note{ID: NewID(), CaseID: c.ID, At: sess.s.clock.Now(), Text: strings.TrimSpace(text), Author: sess.User.ID}
	if err := n.Validate(); err != nil {
		return "", err
	}
	err = sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		if err := w.appendRecord(EntNote, n.ID, toFields(&n)); err != nil {
			return err
		}
		return sess.audit(w, "note.add", EntCase, c.ID, "")
	})
	return n.ID, err
}

// Notes returns a case's notes, oldest first.
func (sess *Session) Notes(ctx context.Context, caseID string) ([]Note, error) {
	c, _, err := sess.caseAccess(ctx, ActNoteView, caseID)
	if err != nil {
		return nil, err
	}
	e, _ := Entity(EntNote)
	ms, err := loadFields(ctx, sess.s.db, sess.key, e, "case_id = ?", c.ID)
	if err != nil {
		return nil, err
	}
	out := make([]Note, len(ms))
	for i, m := range ms {
		fromFields(m, &out[i])
		out[i].ID = m["id"]
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, nil
}

// Age returns how long a case has been open at now, in whole minutes.
func (c *Case) Age(now time.Time) time.Duration {
	end := now
	if !c.PlacedAt.IsZero() {
		end = c.PlacedAt
	} else if !c.ClosedAt.IsZero() {
		end = c.ClosedAt
	}
	return end.Sub(c.OpenedAt).Truncate(time.Minute)
}

// FormatAge writes a duration as the clock people read: 1:47.
func FormatAge(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	h := int(d / time.Hour)
	m := int(d % time.Hour / time.Minute)
	return strconv.Itoa(h) + ":" + fmt.Sprintf("%02d", m)
}

// ResolveCaseID accepts a whole case ID or the six characters lists show.
func (sess *Session) ResolveCaseID(ctx context.Context, ref string) (string, error) {
	return sess.s.resolveID(ctx, "cases", "case", ref)
}

// resolveID finds the record of table whose ID is ref or ends with the six
// characters ref gives.
func (s *Store) resolveID(ctx context.Context, table, what, ref string) (string, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return "", Errorf(EINVALID, "%s ID: required", what)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM `+table+` WHERE deleted = 0 AND (id = ? OR (length(?) = 6 AND upper(substr(id, -6)) = upper(?))) LIMIT 2`, ref, ref, ref)
	if err != nil {
		return "", storeErr(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return "", err
		}
		ids = append(ids, id)
	}
	switch len(ids) {
	case 0:
		return "", Errorf(ENOTFOUND, "no %s %s", what, ref)
	case 1:
		return ids[0], nil
	}
	return "", Errorf(EINVALID, "%s %s: more than one %s ends so; give the whole ID", what, ref, what)
}
