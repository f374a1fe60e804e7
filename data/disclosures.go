package data

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
)

// The accounting of disclosures (DESIGN §5): for one person, every time
// something about them left the program's records for someone else — to
// whom, what, when, by whom, and under which consent. It is built from
// what the program already records:
//
//   - calls to coaches that a coach answered (accepted or declined): the
//     coach heard about the person; calls nobody answered told nothing;
//   - calls to facilities about the person, except those nobody answered;
//   - the placement: the referral to the facility;
//   - exports of the whole program (`export --json`) made while the
//     person's case existed: the file holds their record.
//
// Printouts made for the person (the consent form to sign, this
// accounting) go to the person and are not disclosures.

// Disclosure is one disclosure about a person.
type Disclosure struct {
	At    time.Time
	To    string // "Ana Pérez (recovery coach)", "Gateway Foundation, Aurora (treatment facility)"
	What  string // "call asking the coach to come: accepted"
	By    string // the user who made it, by name
	Under string // "consent signed 11/27/2026", "no consent on record", or that it came after a revocation
	// AfterEnd is set when the disclosure was made after the consent was
	// revoked or had expired: a device that had not yet heard of the
	// revocation, or a record entered with a past time.
	AfterEnd bool
}

// DisclosureAccount is the accounting of disclosures of one case.
type DisclosureAccount struct {
	CaseID, Short string
	Person        string // full name, else alias
	DOB           string // YYYY-MM-DD
	Agency        string
	Consents      []Consent    // newest first, with RevokerName filled
	Disclosures   []Disclosure // oldest first
	MadeAt        time.Time
	MadeBy        string
}

// Disclosures returns the accounting of disclosures of a case. It names
// the facilities, so it needs the right to see where a person went: a
// coach for their own cases, a coordinator, an administrator. Opening it is
// audited.
func (sess *Session) Disclosures(ctx context.Context, caseID string) (*DisclosureAccount, error) {
	acc, err := sess.disclosures(ctx, caseID)
	if err != nil {
		return nil, err
	}
	err = sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		return sess.audit(w, "disclosures.view", EntCase, caseID, "")
	})
	if err != nil {
		return nil, err
	}
	return acc, nil
}

func (sess *Session) disclosures(ctx context.Context, caseID string) (*DisclosureAccount, error) {
	c, p, err := sess.caseAccess(ctx, ActPlacementView, caseID)
	if err != nil {
		return nil, err
	}
	users, err := sess.userNames(ctx)
	if err != nil {
		return nil, err
	}
	consents, err := sess.consentsOf(ctx, caseID, sess.key)
	if err != nil {
		return nil, err
	}
	for i := range consents {
		consents[i].RevokerName = users[consents[i].RevokedBy]
	}
	person := strings.TrimSpace(p.First + " " + p.Last)
	if person == "" {
		person = p.Alias
	}
	acc := &DisclosureAccount{CaseID: c.ID, Short: ShortID(c.ID), Person: person, DOB: p.DOB, Consents: consents,
		MadeAt: sess.s.clock.Now(), MadeBy: users[sess.User.ID]}
	if ag, err := sess.Agency(ctx); err == nil {
		acc.Agency = ag.Name
	}
	add := func(at time.Time, to, what, by string) {
		under, after := underConsent(consents, at)
		acc.Disclosures = append(acc.Disclosures, Disclosure{At: at, To: to, What: what, By: users[by], Under: under, AfterEnd: after})
	}
	if err := sess.coachDisclosures(ctx, caseID, add); err != nil {
		return nil, err
	}
	if err := sess.facilityDisclosures(ctx, c, add); err != nil {
		return nil, err
	}
	if err := sess.exportDisclosures(ctx, c.OpenedAt, add); err != nil {
		return nil, err
	}
	sort.SliceStable(acc.Disclosures, func(i, j int) bool { return acc.Disclosures[i].At.Before(acc.Disclosures[j].At) })
	return acc, nil
}

type addDisclosure func(at time.Time, to, what, by string)

// coachDisclosures lists the calls to coaches that a coach answered.
func (sess *Session) coachDisclosures(ctx context.Context, caseID string, add addDisclosure) error {
	names := map[string]string{}
	return loadAppend(ctx, sess, EntDispatch, "case_id = ?", []any{caseID}, func(m map[string]string) {
		var d DispatchAttempt
		fromFields(m, &d)
		if d.Response != "accepted" && d.Response != "declined" {
			return
		}
		name, ok := names[d.Coach]
		if !ok {
			var co Coach
			if _, err := loadOne(ctx, sess.s.db, sess.key, EntCoach, d.Coach, &co); err == nil {
				name = co.Name
			}
			names[d.Coach] = name
		}
		add(d.ContactedAt, name+" (recovery coach)", "call asking the coach to come: "+responseWords[d.Response], d.Author)
	})
}

// facilityDisclosures lists the calls to facilities that someone answered,
// and the placement.
func (sess *Session) facilityDisclosures(ctx context.Context, c *Case, add addDisclosure) error {
	names := map[string]string{}
	facility := func(id string) string {
		if n, ok := names[id]; ok {
			return n
		}
		var f Facility
		n := "facility " + ShortID(id)
		if _, err := loadOne(ctx, sess.s.db, nil, EntFacility, id, &f); err == nil {
			n = f.Name
			if f.City != "" {
				n += ", " + f.City
			}
		}
		names[id] = n + " (treatment facility)"
		return names[id]
	}
	var calls []FacilityCall
	err := loadAppend(ctx, sess, EntFacilityCall, "case_id = ?", []any{c.ID}, func(m map[string]string) {
		var fc FacilityCall
		fromFields(m, &fc)
		calls = append(calls, fc)
	})
	if err != nil {
		return err
	}
	for _, fc := range calls {
		if fc.Result == "no_answer" {
			continue
		}
		what := "call about a bed for the person: " + callWords[fc.Result]
		if fc.Result == "bed_held" && !fc.HeldUntil.IsZero() {
			what += " until " + fc.HeldUntil.Local().Format("01/02/2006 15:04")
		}
		add(fc.At, facility(fc.Facility), what, fc.Author)
	}
	if c.Facility != "" && !c.PlacedAt.IsZero() {
		what := "referral and placement"
		if c.Transport != "" {
			what += " (transport: " + c.Transport + ")"
		}
		add(c.PlacedAt, facility(c.Facility), what, c.PlacedBy)
	}
	return nil
}

// exportDisclosures lists the exports of the whole program made since the
// case was opened: each file holds the person's record.
func (sess *Session) exportDisclosures(ctx context.Context, since time.Time, add addDisclosure) error {
	rows, err := sess.s.db.QueryContext(ctx, `SELECT COALESCE(at, ''), COALESCE(user_id, '') FROM audit_events WHERE action = 'export'`)
	if err != nil {
		return storeErr(fmt.Errorf("read exports: %w", err))
	}
	defer rows.Close()
	for rows.Next() {
		var at, user string
		if err := rows.Scan(&at, &user); err != nil {
			return err
		}
		t, _ := ParseTime(at)
		if !t.Before(since) {
			add(t, "a file: export of the whole program", "every record of the program, this person's included", user)
		}
	}
	return rows.Err()
}

// underConsent says which consent a disclosure at t was made under, and
// whether it came after the person's consent had ended.
func underConsent(consents []Consent, t time.Time) (string, bool) {
	var revoked, expired *Consent
	for i := range consents {
		k := &consents[i]
		switch {
		case k.SignedAt.After(t):
		case k.Status == ConsentRevoked && !k.RevokedAt.After(t):
			revoked = k
		case k.ExpiresOn != "" && dayOf(t).Format(DateLayout) > k.ExpiresOn:
			expired = k
		default:
			return "consent signed " + usDate(dayOf(k.SignedAt).Format(DateLayout)), false
		}
	}
	switch {
	case revoked != nil:
		return "AFTER the consent was revoked (" + usDate(revoked.revokedDay()) + "; recorded " +
			revoked.RevokedAt.Local().Format("01/02/2006 15:04") + ")", true
	case expired != nil:
		return "AFTER the consent expired (" + usDate(expired.ExpiresOn) + ")", true
	}
	return "no consent on record at the time", false
}
