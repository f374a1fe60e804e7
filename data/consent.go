package data

import (
	"context"
	"sort"
	"strings"
	"time"
)

// ConsentNotice is the notice 42 CFR §2.32 requires on every disclosure.
const ConsentNotice = "42 CFR part 2 prohibits unauthorized disclosure of these records."

// AddConsent records a §2.31 consent for a case, granted now unless
// SignedAt says otherwise.
func (sess *Session) AddConsent(ctx context.Context, c Consent) (string, error) {
	cs, _, err := sess.caseAccess(ctx, ActConsent, c.CaseID)
	if err != nil {
		return "", err
	}
	c.ID = NewID()
	c.Status = ConsentGranted
	c.RevokedAt, c.RevokedOn, c.RevokedBy, c.RevokeNote = time.Time{}, "", "", ""
	if c.SignedAt.IsZero() {
		c.SignedAt = sess.s.clock.Now()
	}
	c.SignedBy = strings.TrimSpace(c.SignedBy)
	if err := c.Validate(); err != nil {
		return "", err
	}
	err = sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		if err := w.create(EntConsent, c.ID, toFields(&c)); err != nil {
			return err
		}
		return sess.audit(w, "consent.grant", EntCase, cs.ID, c.ID)
	})
	return c.ID, err
}

// Revocation is a person's revocation of a consent, as staff record it.
type Revocation struct {
	On   string // the day the person revoked, as typed (3/14/26, 2026-03-14); "" is today
	Note string // optional: how they said it (sealed)
}

// RevokeConsent records that the person revoked a consent. Whoever may
// record a consent for the case may record its revocation: a person may
// revoke by telling any of the program's staff. From then on nothing more
// about the person may be disclosed under it (see mayDisclose). A revoke
// that meets a concurrent grant from another device wins until someone
// resolves the conflict.
func (sess *Session) RevokeConsent(ctx context.Context, id string, r Revocation) error {
	var c Consent
	if _, err := loadOne(ctx, sess.s.db, sess.key, EntConsent, id, &c); err != nil {
		return err
	}
	if _, _, err := sess.caseAccess(ctx, ActConsent, c.CaseID); err != nil {
		return err
	}
	now := sess.s.clock.Now()
	if c.Status == ConsentRevoked {
		return Errorf(EINVALID, "this consent was already revoked on %s", usDate(c.revokedDay()))
	}
	on := dayOf(now).Format(DateLayout)
	if strings.TrimSpace(r.On) != "" {
		d, err := ParseDate(r.On, now)
		if err != nil {
			return Errorf(EINVALID, "revoked on: use a date like %s", dayOf(now).Format("01/02/2006"))
		}
		on = d
	}
	switch {
	case on > dayOf(now).Format(DateLayout):
		return Errorf(EINVALID, "revoked on: %s is in the future", usDate(on))
	case on < dayOf(c.SignedAt).Format(DateLayout):
		return Errorf(EINVALID, "revoked on: %s is before the consent was signed (%s)", usDate(on), usDate(dayOf(c.SignedAt).Format(DateLayout)))
	}
	note := strings.TrimSpace(r.Note)
	if len(note) > 2000 {
		return Errorf(EINVALID, "note: at most 2,000 characters")
	}
	return sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		for _, f := range []struct{ name, value string }{
			{"status", ConsentRevoked}, {"revoked_at", FormatTime(now)}, {"revoked_on", on},
			{"revoked_by", sess.User.ID}, {"revoke_note", note},
		} {
			if f.value == "" {
				continue
			}
			if err := w.set(EntConsent, id, f.name, f.value); err != nil {
				return err
			}
		}
		return sess.audit(w, "consent.revoke", EntCase, c.CaseID, id)
	})
}

// Consents returns a case's consents, newest first.
func (sess *Session) Consents(ctx context.Context, caseID string) ([]Consent, error) {
	if _, _, err := sess.caseAccess(ctx, ActCaseView, caseID); err != nil {
		return nil, err
	}
	out, err := sess.consentsOf(ctx, caseID, sess.key)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].RevokedBy != "" {
			users, err := sess.userNames(ctx)
			if err != nil {
				return nil, err
			}
			for j := range out {
				out[j].RevokerName = users[out[j].RevokedBy]
			}
			break
		}
	}
	return out, nil
}

// consentsOf reads a case's consents, newest first, without checking
// permissions; with a nil key the sealed fields stay empty.
func (sess *Session) consentsOf(ctx context.Context, caseID string, key []byte) ([]Consent, error) {
	e, _ := Entity(EntConsent)
	ms, err := loadFields(ctx, sess.s.db, key, e, "case_id = ?", caseID)
	if err != nil {
		return nil, err
	}
	out := make([]Consent, len(ms))
	for i, m := range ms {
		fromFields(m, &out[i])
		out[i].ID = m["id"]
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].SignedAt.After(out[j].SignedAt) })
	return out, nil
}

// State says whether a consent is in force at now: "granted", "revoked"
// or "expired".
func (c *Consent) State(now time.Time) string {
	if c.Status == ConsentRevoked {
		return ConsentRevoked
	}
	if c.ExpiresOn != "" {
		if d, err := time.Parse(DateLayout, c.ExpiresOn); err == nil && dayOf(now).After(d) {
			return ConsentExpired
		}
	}
	return ConsentGranted
}

// ConsentExpired is the State of a consent past its expiry date.
const ConsentExpired = "expired"

// revokedDay is the day the person revoked (YYYY-MM-DD): as recorded, else
// the day it was recorded (a revocation from before revoked_on existed).
func (c *Consent) revokedDay() string {
	if c.RevokedOn != "" {
		return c.RevokedOn
	}
	if c.RevokedAt.IsZero() {
		return ""
	}
	return dayOf(c.RevokedAt).Format(DateLayout)
}

// RevokedDay is the day the person revoked the consent (YYYY-MM-DD), ""
// when it is not revoked.
func (c *Consent) RevokedDay() string {
	if c.Status != ConsentRevoked {
		return ""
	}
	return c.revokedDay()
}

// InForce returns the consent in force at now, nil if none is.
func InForce(consents []Consent, now time.Time) *Consent {
	for i := range consents {
		if consents[i].State(now) == ConsentGranted {
			return &consents[i]
		}
	}
	return nil
}

// ConsentBars returns the consent whose end stops disclosures at now: when
// a case has consents and none is in force, the one that ended last. A case
// without any consent on record is not barred: its consent may be on paper,
// and the case screen asks for one.
func ConsentBars(consents []Consent, now time.Time) *Consent {
	if len(consents) == 0 || InForce(consents, now) != nil {
		return nil
	}
	var last *Consent
	for i := range consents {
		if last == nil || consents[i].endDay() > last.endDay() {
			last = &consents[i]
		}
	}
	return last
}

// endDay is the day a consent that is not in force ended: revoked or expired.
func (c *Consent) endDay() string {
	if c.Status == ConsentRevoked {
		return c.revokedDay()
	}
	return c.ExpiresOn
}

// mayDisclose refuses a disclosure about a case (what says which: "a call
// to a facility") once every consent on record for it was revoked or has
// expired. The refusal is an audit event.
func (sess *Session) mayDisclose(ctx context.Context, caseID, what string) error {
	consents, err := sess.consentsOf(ctx, caseID, nil)
	if err != nil {
		return err
	}
	now := sess.s.clock.Now()
	bar := ConsentBars(consents, now)
	if bar == nil {
		return nil
	}
	state := bar.State(now)
	sess.s.auditSystem(ctx, sess.User.ID, "refused", EntCase, caseID, "disclosure after consent "+state+": "+what)
	if state == ConsentRevoked {
		return Errorf(EFORBIDDEN, "the person revoked their consent on %s: nothing more about them may be shared, so %s is refused. Record a new consent first if they agree again",
			usDate(bar.revokedDay()), what)
	}
	return Errorf(EFORBIDDEN, "the person's consent expired on %s: nothing more about them may be shared, so %s is refused. Record a new consent first if they agree again",
		usDate(bar.ExpiresOn), what)
}

// usDate writes a YYYY-MM-DD date as people at the station read it: 11/27/2026.
func usDate(d string) string {
	t, err := time.Parse(DateLayout, d)
	if err != nil {
		return d
	}
	return t.Format("01/02/2006")
}
