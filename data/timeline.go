package data

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// TimelineEvent is one step of a case as the case screen lists it.
type TimelineEvent struct {
	At   time.Time
	Who  string // display name of who did it
	What string
}

// Timeline returns every step of a case with who and when, oldest first,
// limited to what the session's role may see: an officer sees that a
// person was placed, not where, and no notes.
func (sess *Session) Timeline(ctx context.Context, caseID string) ([]TimelineEvent, error) {
	rec, err := sess.Case(ctx, caseID)
	if err != nil {
		return nil, err
	}
	c := &rec.Case
	users, err := sess.userNames(ctx)
	if err != nil {
		return nil, err
	}
	coaches := map[string]string{}
	if list, err := sess.Coaches(ctx); err == nil {
		for _, co := range list {
			coaches[co.ID] = co.Name
		}
	}
	var ev []TimelineEvent
	add := func(at time.Time, who, what string) {
		if !at.IsZero() {
			ev = append(ev, TimelineEvent{At: at, Who: who, What: what})
		}
	}
	add(c.OpenedAt, users[c.IntakeBy], fmt.Sprintf("%s, intake", channelWords[c.Channel]))
	consents, err := sess.Consents(ctx, caseID)
	if err != nil {
		return nil, err
	}
	for _, k := range consents {
		what := "consent signed"
		if k.ExpiresOn != "" {
			what += " (expires " + usDate(k.ExpiresOn) + ")"
		}
		add(k.SignedAt, "", what)
		revoked := "consent revoked"
		if day := k.RevokedDay(); day != "" && day != dayOf(k.RevokedAt).Format(DateLayout) {
			revoked += " (the person revoked it on " + usDate(day) + ")"
		}
		add(k.RevokedAt, users[k.RevokedBy], revoked)
	}
	ds, err := sess.Dispatches(ctx, caseID)
	if err != nil {
		return nil, err
	}
	for _, d := range ds {
		name := coaches[d.Coach]
		switch d.Response {
		case "accepted":
			what := "called " + name + " — accepted"
			if d.ETAMinutes > 0 {
				what += fmt.Sprintf(", ETA %d min", d.ETAMinutes)
			}
			add(d.ContactedAt, users[d.Author], what)
		case "arrived":
			add(d.ArrivedAt, users[d.Author], name+" arrived")
		default:
			add(d.ContactedAt, users[d.Author], "called "+name+" — "+responseWords[d.Response])
		}
	}
	if sess.Can(ActPlacementView) {
		if c.Level != "" {
			what := "assessed: ASAM " + c.Level
			if c.MOUD != "" && c.MOUD != "none" {
				what += ", wants " + c.MOUD
			}
			add(c.AssessedAt, users[c.AssessedBy], what)
		}
		calls, err := sess.FacilityCalls(ctx, caseID)
		if err != nil {
			return nil, err
		}
		names := map[string]string{}
		for _, fc := range calls {
			if _, ok := names[fc.Facility]; !ok {
				if f, err := sess.FacilityByID(ctx, fc.Facility); err == nil {
					names[fc.Facility] = f.Name
				}
			}
			what := "called " + names[fc.Facility] + " — " + callWords[fc.Result]
			if fc.Result == "bed_held" {
				what += " until " + fc.HeldUntil.Local().Format("15:04")
			}
			add(fc.At, users[fc.Author], what)
		}
		if c.Facility != "" {
			name := c.Facility
			if f, err := sess.FacilityByID(ctx, c.Facility); err == nil {
				name = f.Name
			}
			add(c.PlacedAt, users[c.PlacedBy], "placed at "+name)
		}
	} else if !c.PlacedAt.IsZero() {
		add(c.PlacedAt, "", "placed")
	}
	if sess.Can(ActNoteView) {
		notes, err := sess.Notes(ctx, caseID)
		if err != nil {
			return nil, err
		}
		for _, n := range notes {
			add(n.At, users[n.Author], "note: "+n.Text)
		}
	}
	if sess.Can(ActCheckIn) && !c.PlacedAt.IsZero() { // also once follow-up ended
		cis, err := sess.CheckIns(ctx, caseID)
		if err != nil {
			return nil, err
		}
		for _, ci := range cis {
			what := "check-in: not reached"
			if ci.Reached {
				what = "check-in: " + situationWords[ci.Situation]
			}
			add(ci.At, users[ci.Author], what)
		}
	}
	if !c.PlacedAt.IsZero() && !sess.Can(ActPlacementView) {
		// Why follow-up ended (treatment completed, deceased...) is about
		// the treatment: an officer learns only that it did.
		add(c.ClosedAt, "", "closed: follow-up ended")
	} else {
		add(c.ClosedAt, "", "closed: "+c.CloseReason)
	}
	sort.SliceStable(ev, func(i, j int) bool { return ev[i].At.Before(ev[j].At) })
	return ev, nil
}

var (
	channelWords   = map[string]string{"walk-in": "walk-in", "phone": "phone call", "ed": "emergency department", "outreach": "outreach", "family": "family call"}
	responseWords  = map[string]string{"declined": "declined", "no_answer": "no answer", "accepted": "accepted", "arrived": "arrived"}
	callWords      = map[string]string{"bed_held": "bed held", "no_bed": "no bed", "not_eligible": "not eligible", "no_answer": "no answer", "call_back": "will call back"}
	situationWords = map[string]string{"in_treatment": "in treatment", "completed": "completed treatment",
		"recovery_support": "in recovery support", "relapsed": "relapsed", "reentered": "re-entered treatment",
		"lost_contact": "lost contact", "deceased": "deceased"}
)

// userNames maps user IDs to the names people read (full name, else user name).
func (sess *Session) userNames(ctx context.Context) (map[string]string, error) {
	e, _ := Entity(EntUser)
	ms, err := loadFields(ctx, sess.s.db, sess.key, e, "")
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(ms))
	for _, m := range ms {
		if m["name"] != "" {
			out[m["id"]] = m["name"]
		} else {
			out[m["id"]] = m["username"]
		}
	}
	return out, nil
}

// PossibleDuplicates returns the cases whose person has the same name and
// date of birth, or the same phone, as p: an intake warns before making a
// second case for the same person.
func (sess *Session) PossibleDuplicates(ctx context.Context, p Person) ([]CaseSummary, error) {
	if err := sess.require(ctx, ActCaseList, EntCase, ""); err != nil {
		return nil, err
	}
	phone, _ := NormalizePhone(p.Phone)
	e, _ := Entity(EntPerson)
	persons, err := loadFields(ctx, sess.s.db, sess.key, e, "")
	if err != nil {
		return nil, err
	}
	same := map[string]bool{}
	for _, m := range persons {
		nameDOB := p.DOB != "" && m["dob"] == p.DOB && normalizeKey(m["first"]) == normalizeKey(p.First) &&
			normalizeKey(m["last"]) == normalizeKey(p.Last)
		if nameDOB || (phone != "" && m["phone"] == phone) {
			same[m["id"]] = true
		}
	}
	if len(same) == 0 {
		return nil, nil
	}
	all, err := sess.ListCases(ctx, CaseFilter{})
	if err != nil {
		return nil, err
	}
	var out []CaseSummary
	for _, cs := range all {
		if same[cs.Person] {
			out = append(out, cs)
		}
	}
	return out, nil
}
