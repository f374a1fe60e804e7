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

// RevokeConsent revokes a consent. A revoke that meets a concurrent grant
// from another device wins until someone resolves the conflict.
func (sess *Session) RevokeConsent(ctx context.Context, id string) error {
	var c Consent
	if _, err := loadOne(ctx, sess.s.db, sess.key, EntConsent, id, &c); err != nil {
		return err
	}
	if _, _, err := sess.caseAccess(ctx, ActConsent, c.CaseID); err != nil {
		return err
	}
	return sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		if err := w.set(EntConsent, id, "status", ConsentRevoked); err != nil {
			return err
		}
		if err := w.set(EntConsent, id, "revoked_at", FormatTime(sess.s.clock.Now())); err != nil {
			return err
		}
		return sess.audit(w, "consent.revoke", EntCase, c.CaseID, id)
	})
}

// Consents returns a case's consents, newest first.
func (sess *Session) Consents(ctx context.Context, caseID string) ([]Consent, error) {
	if _, _, err := sess.caseAccess(ctx, ActCaseView, caseID); err != nil {
		return nil, err
	}
	e, _ := Entity(EntConsent)
	ms, err := loadFields(ctx, sess.s.db, sess.key, e, "case_id = ?", caseID)
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
			return "expired"
		}
	}
	return ConsentGranted
}
