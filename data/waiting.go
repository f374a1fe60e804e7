package data

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"
)

// What an open case waits for, as the case list and the dashboard say it.
// The case's own fields say which step it has reached; its records say
// more: a coach who accepted is on the way (and when they should arrive),
// a facility is holding a bed until a time, coaches were tried without
// success, or every consent was revoked or has expired and nothing more
// may be shared.

// What an open case can wait for (CaseSummary.WaitingFor). Placed and
// closed cases wait for nothing ("").
const (
	WaitReferral   = "referral elsewhere" // screened out: to be sent elsewhere
	WaitConsent    = "consent"            // every consent revoked or expired
	WaitCoach      = "coach"              // no coach has accepted (CaseSummary.Tried says how many calls failed)
	WaitCoachOnWay = "coach arriving"     // a coach accepted and has not arrived (CaseSummary.CoachETA)
	WaitAssessment = "assessment"         // the coach is there; no level of care yet
	WaitBed        = "bed"                // assessed; no facility yet
	WaitPlacement  = "placement"          // a bed is held (CaseSummary.HeldUntil) or a facility chosen
)

// caseActivity is what a case's records add to its fields.
type caseActivity struct {
	dispatches []DispatchAttempt // oldest first
	heldUntil  time.Time         // the latest bed held for the case, if it is still held
	consents   []Consent
}

// loadActivity reads the calls to coaches and facilities and the consents
// of the cases that cond selects (a condition on case_id), by case ID. Only
// fields in the clear are read: nothing is unsealed.
func (sess *Session) loadActivity(ctx context.Context, now time.Time, cond string, args ...any) (map[string]*caseActivity, error) {
	out := map[string]*caseActivity{}
	of := func(id string) *caseActivity {
		a := out[id]
		if a == nil {
			a = &caseActivity{}
			out[id] = a
		}
		return a
	}
	for _, q := range []struct {
		entity string
		read   func(m map[string]string)
	}{
		{EntDispatch, func(m map[string]string) {
			var d DispatchAttempt
			fromFields(m, &d)
			a := of(d.CaseID)
			a.dispatches = append(a.dispatches, d)
		}},
		{EntFacilityCall, func(m map[string]string) {
			var fc FacilityCall
			fromFields(m, &fc)
			if a := of(fc.CaseID); fc.Result == "bed_held" && fc.HeldUntil.After(now) && fc.HeldUntil.After(a.heldUntil) {
				a.heldUntil = fc.HeldUntil
			}
		}},
		{EntConsent, func(m map[string]string) {
			var c Consent
			fromFields(m, &c)
			a := of(c.CaseID)
			a.consents = append(a.consents, c)
		}},
	} {
		e, _ := Entity(q.entity)
		ms, err := loadFields(ctx, sess.s.db, nil, e, cond, args...)
		if err != nil {
			return nil, fmt.Errorf("read what cases wait for: %w", err)
		}
		for _, m := range ms {
			q.read(m)
		}
	}
	for _, a := range out {
		sort.SliceStable(a.dispatches, func(i, j int) bool { return a.dispatches[i].ContactedAt.Before(a.dispatches[j].ContactedAt) })
	}
	return out, nil
}

// openCases selects the records of open cases, for loadActivity.
const openCases = "case_id IN (SELECT id FROM cases WHERE status = 'open' AND deleted = 0)"

// setWaiting works out what an open case waits for, from its fields and
// its records (a may be nil: no records).
func (s *CaseSummary) setWaiting(c *Case, a *caseActivity, now time.Time) {
	s.WaitingFor, s.CoachETA, s.HeldUntil, s.Tried = "", time.Time{}, time.Time{}, 0
	if a == nil {
		a = &caseActivity{}
	}
	if c.Status != StatusOpen {
		return
	}
	for _, d := range a.dispatches {
		if d.Response == "declined" || d.Response == "no_answer" {
			s.Tried++
		}
	}
	// The case's coach's latest answer: "no answer" tells nothing new.
	answer := (*DispatchAttempt)(nil)
	for i := range a.dispatches {
		if d := &a.dispatches[i]; d.Coach == c.Coach && d.Response != "no_answer" {
			answer = d
		}
	}
	switch {
	case c.Eligible == "no":
		s.WaitingFor = WaitReferral
	case ConsentBars(a.consents, now) != nil:
		s.WaitingFor = WaitConsent
	case c.Coach == "" || answer != nil && answer.Response == "declined":
		s.WaitingFor = WaitCoach
	case c.Level == "" && answer != nil && answer.Response == "accepted":
		// An assessment shows the coach came, even if no one recorded it.
		s.WaitingFor = WaitCoachOnWay
		if answer.ETAMinutes > 0 {
			s.CoachETA = answer.ContactedAt.Add(time.Duration(answer.ETAMinutes) * time.Minute)
		}
	case c.Level == "":
		s.WaitingFor = WaitAssessment
	case c.Facility == "" && a.heldUntil.IsZero():
		s.WaitingFor = WaitBed
	default:
		s.WaitingFor = WaitPlacement
		s.HeldUntil = a.heldUntil
	}
}

// WaitingText says in English what the case waits for, with what is known
// about it: "coach arriving (ETA 14:20)", "coach (2 tried)", "placement
// (bed held until 15:00)". Times are in loc.
func (s *CaseSummary) WaitingText(loc *time.Location) string {
	switch {
	case s.WaitingFor == WaitCoachOnWay && !s.CoachETA.IsZero():
		return s.WaitingFor + " (ETA " + s.CoachETA.In(loc).Format("15:04") + ")"
	case s.WaitingFor == WaitCoach && s.Tried > 0:
		return s.WaitingFor + " (" + strconv.Itoa(s.Tried) + " tried)"
	case s.WaitingFor == WaitPlacement && !s.HeldUntil.IsZero():
		return s.WaitingFor + " (bed held until " + s.HeldUntil.In(loc).Format("15:04") + ")"
	}
	return s.WaitingFor
}
