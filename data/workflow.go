package data

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The steps of DESIGN §1 after intake: coach dispatch, assessment, calls to
// facilities, placement. Each step is checked against the role here, and
// every step is on record with who and when.

// LogDispatch records a call to a coach for a case. An accepted call makes
// the coach the case's coach; an arrival amends the accepted call.
func (sess *Session) LogDispatch(ctx context.Context, d DispatchAttempt) (string, error) {
	c, _, err := sess.caseAccess(ctx, ActDispatch, d.CaseID)
	if err != nil {
		return "", err
	}
	if d.Response != "arrived" {
		if err := sess.mayDisclose(ctx, c.ID, "a call to a coach"); err != nil {
			return "", err
		}
	}
	now := sess.s.clock.Now()
	d.ID, d.Author = NewID(), sess.User.ID
	if d.ContactedAt.IsZero() {
		d.ContactedAt = now
	}
	if d.Response == "arrived" && d.ArrivedAt.IsZero() {
		d.ArrivedAt = now
	}
	if d.Method == "" {
		d.Method = "phone"
	}
	if err := d.Validate(); err != nil {
		return "", err
	}
	var coach Coach
	if _, err := loadOne(ctx, sess.s.db, sess.key, EntCoach, d.Coach, &coach); err != nil {
		return "", err
	}
	err = sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		if err := w.appendRecord(EntDispatch, d.ID, toFields(&d)); err != nil {
			return err
		}
		if (d.Response == "accepted" || d.Response == "arrived") && c.Coach != d.Coach {
			if err := w.set(EntCase, c.ID, "coach", d.Coach); err != nil {
				return err
			}
		}
		return sess.audit(w, "case.dispatch", EntCase, c.ID, d.Response)
	})
	if err != nil {
		return "", err
	}
	return d.ID, nil
}

// Dispatches returns the calls to coaches for a case, oldest first.
func (sess *Session) Dispatches(ctx context.Context, caseID string) ([]DispatchAttempt, error) {
	if _, _, err := sess.caseAccess(ctx, ActCaseList, caseID); err != nil {
		return nil, err
	}
	var out []DispatchAttempt
	err := loadAppend(ctx, sess, EntDispatch, "case_id = ?", []any{caseID}, func(m map[string]string) {
		var d DispatchAttempt
		fromFields(m, &d)
		d.ID = m["id"]
		out = append(out, d)
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].ContactedAt.Before(out[j].ContactedAt) })
	return out, err
}

func loadAppend(ctx context.Context, sess *Session, entity, where string, args []any, fn func(map[string]string)) error {
	e, _ := Entity(entity)
	ms, err := loadFields(ctx, sess.s.db, sess.key, e, where, args...)
	if err != nil {
		return err
	}
	for _, m := range ms {
		fn(m)
	}
	return nil
}

// Assessment is what a coach records after meeting the person.
type Assessment struct {
	Level   string // ASAM level of care
	Edition string // ASAM criteria edition: "3" or "4"
	MOUD    string // medication the person is interested in
	Needs   string // free text, sealed
}

// Assess records the assessment of a case.
func (sess *Session) Assess(ctx context.Context, caseID string, a Assessment) error {
	if a.Level == "" {
		return Errorf(EINVALID, "level of care: required")
	}
	if a.Edition == "" {
		a.Edition = "3"
	}
	return sess.SetCaseFields(ctx, caseID, map[string]string{
		"level": a.Level, "asam_edition": a.Edition, "moud": a.MOUD, "needs": a.Needs,
		"assessed_at": "now", "assessed_by": sess.User.ID,
	})
}

// LogFacilityCall records a call to a facility about a case.
func (sess *Session) LogFacilityCall(ctx context.Context, fc FacilityCall) (string, error) {
	c, _, err := sess.caseAccess(ctx, ActPlace, fc.CaseID)
	if err != nil {
		return "", err
	}
	if err := sess.mayDisclose(ctx, c.ID, "a call to a facility"); err != nil {
		return "", err
	}
	fc.ID, fc.Author = NewID(), sess.User.ID
	if fc.At.IsZero() {
		fc.At = sess.s.clock.Now()
	}
	if err := fc.Validate(); err != nil {
		return "", err
	}
	if _, err := sess.FacilityByID(ctx, fc.Facility); err != nil {
		return "", err
	}
	err = sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		if err := w.appendRecord(EntFacilityCall, fc.ID, toFields(&fc)); err != nil {
			return err
		}
		return sess.audit(w, "case.facility_call", EntCase, c.ID, fc.Result)
	})
	return fc.ID, err
}

// FacilityCalls returns the calls to facilities for a case, oldest first.
func (sess *Session) FacilityCalls(ctx context.Context, caseID string) ([]FacilityCall, error) {
	if _, _, err := sess.caseAccess(ctx, ActPlacementView, caseID); err != nil {
		return nil, err
	}
	var out []FacilityCall
	err := loadAppend(ctx, sess, EntFacilityCall, "case_id = ?", []any{caseID}, func(m map[string]string) {
		var f FacilityCall
		fromFields(m, &f)
		f.ID = m["id"]
		out = append(out, f)
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, err
}

// DefaultCheckInPlan is when check-ins fall due, in days after placement.
var DefaultCheckInPlan = []int{1, 3, 7, 14, 30, 60, 90, 180, 365}

// FormatPlan writes a check-in plan as "1,3,7".
func FormatPlan(days []int) string {
	s := make([]string, len(days))
	for i, d := range days {
		s[i] = strconv.Itoa(d)
	}
	return strings.Join(s, ",")
}

// ParsePlan reads a check-in plan, checking each day.
func ParsePlan(s string) ([]int, error) {
	var out []int
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		d, err := strconv.Atoi(p)
		if err != nil || d < 1 || d > 3650 {
			return nil, Errorf(EINVALID, "check-in plan: %q is not a number of days from 1 to 3650", p)
		}
		out = append(out, d)
	}
	sort.Ints(out)
	if len(out) == 0 {
		return nil, Errorf(EINVALID, "check-in plan: give days after placement, like 1,3,7,14,30")
	}
	return out, nil
}

// Placement is where and how a person went.
type Placement struct {
	Facility  string
	At        time.Time // zero: now
	Transport string
	Plan      []int // check-in days; nil: DefaultCheckInPlan
}

// Place records the placement of a case and fixes its check-in plan.
func (sess *Session) Place(ctx context.Context, caseID string, p Placement) error {
	if p.Facility == "" {
		return Errorf(EINVALID, "placement: which facility?")
	}
	if _, err := sess.FacilityByID(ctx, p.Facility); err != nil {
		return err
	}
	at := "now"
	if !p.At.IsZero() {
		at = FormatTime(p.At)
	}
	plan := p.Plan
	if plan == nil {
		plan = DefaultCheckInPlan
	}
	return sess.SetCaseFields(ctx, caseID, map[string]string{
		"facility": p.Facility, "placed_at": at, "transport": p.Transport, "placed_by": sess.User.ID,
		"status": StatusPlaced, "checkin_plan": FormatPlan(plan),
	})
}

// PlacedWithin is the program's target from first contact to placement.
const PlacedWithin = 2 * time.Hour
