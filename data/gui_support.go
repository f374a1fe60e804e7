package data

import (
	"context"
	"sort"
	"strings"
	"time"
)

// What the window's workflow screens need beyond the command line: editing
// the roster (a coach's details, deactivating, shifts), the logins a coach
// record may be linked to, and an audit entry for a printed form.

// UpdateCoach writes every field of c to the coach c.ID names: a
// coordinator corrects a phone, adds a language or deactivates a coach
// (Active false; the coach stays on record, off the on-call list).
func (sess *Session) UpdateCoach(ctx context.Context, c Coach) error {
	if err := sess.require(ctx, ActRosterEdit, EntCoach, c.ID); err != nil {
		return err
	}
	var old Coach
	if _, err := loadOne(ctx, sess.s.db, sess.key, EntCoach, c.ID, &old); err != nil {
		return err
	}
	c.Name = strings.TrimSpace(c.Name)
	c.Agency = old.Agency
	if c.Phone != "" {
		ph, err := NormalizePhone(c.Phone)
		if err != nil {
			return err
		}
		c.Phone = ph
	}
	langs := make([]string, 0, len(c.Languages))
	for _, l := range c.Languages {
		if l = strings.ToLower(strings.TrimSpace(l)); l != "" && !contains(langs, l) {
			langs = append(langs, l)
		}
	}
	sort.Strings(langs)
	c.Languages = langs
	if err := c.Validate(); err != nil {
		return err
	}
	if c.UserID != "" {
		if err := sess.checkCoachLogin(ctx, c.UserID); err != nil {
			return err
		}
	}
	fields := toFields(&c)
	delete(fields, "agency")
	changed := map[string]string{}
	was := toFields(&old)
	for k, v := range fields {
		if was[k] != v {
			changed[k] = v
		}
	}
	if len(changed) == 0 {
		return nil
	}
	return sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		if err := writeRecord(w, EntCoach, c.ID, changed); err != nil {
			return err
		}
		return sess.audit(w, "coach.edit", EntCoach, c.ID, strings.Join(sortedKeys(changed), ","))
	})
}

// checkCoachLogin checks that id is an active user with the coach role.
func (sess *Session) checkCoachLogin(ctx context.Context, id string) error {
	var u User
	if _, err := loadOne(ctx, sess.s.db, sess.key, EntUser, id, &u); err != nil {
		return err
	}
	if u.Role != RoleCoach {
		return Errorf(EINVALID, "login %s: only a user with the coach role can be linked to a coach", u.Username)
	}
	return nil
}

// CoachLogins lists the active users with the coach role, by user name: the
// logins a coordinator may link a coach on the roster to, so that the coach
// sees the cases assigned to them.
func (sess *Session) CoachLogins(ctx context.Context) ([]User, error) {
	if err := sess.require(ctx, ActRosterEdit, EntUser, ""); err != nil {
		return nil, err
	}
	e, _ := Entity(EntUser)
	ms, err := loadFields(ctx, sess.s.db, sess.key, e, "role = ? AND active = 'true'", string(RoleCoach))
	if err != nil {
		return nil, err
	}
	out := make([]User, len(ms))
	for i, m := range ms {
		fromFields(m, &out[i])
		out[i].ID = m["id"]
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Username < out[j].Username })
	return out, nil
}

// Shifts returns the shifts that overlap from–to, by start time.
func (sess *Session) Shifts(ctx context.Context, from, to time.Time) ([]Shift, error) {
	if err := sess.require(ctx, ActRosterView, EntShift, ""); err != nil {
		return nil, err
	}
	e, _ := Entity(EntShift)
	ms, err := loadFields(ctx, sess.s.db, nil, e, "starts_at < ? AND ends_at > ?", FormatTime(to), FormatTime(from))
	if err != nil {
		return nil, err
	}
	out := make([]Shift, len(ms))
	for i, m := range ms {
		fromFields(m, &out[i])
		out[i].ID = m["id"]
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].StartsAt.Before(out[j].StartsAt) })
	return out, nil
}

// RemoveShift takes a shift off the roster.
func (sess *Session) RemoveShift(ctx context.Context, id string) error {
	if err := sess.require(ctx, ActRosterEdit, EntShift, id); err != nil {
		return err
	}
	var sh Shift
	if _, err := loadOne(ctx, sess.s.db, nil, EntShift, id, &sh); err != nil {
		return err
	}
	return sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		if err := w.remove(EntShift, id); err != nil {
			return err
		}
		return sess.audit(w, "shift.remove", EntShift, id, "")
	})
}

// RecordPrint puts a printout on the audit trail (DESIGN §5: every print
// is audited): what names the form ("consent form"), caseID the case it
// is for, "" before the case exists.
func (sess *Session) RecordPrint(ctx context.Context, caseID, what string) error {
	if caseID != "" {
		if _, _, err := sess.caseAccess(ctx, ActCaseView, caseID); err != nil {
			return err
		}
	}
	return sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		return sess.audit(w, "print", EntCase, caseID, what)
	})
}

// CaseLine returns the list line of one case: what a list shows of it,
// its clock and what it waits for, without opening (or auditing) the
// full record. An officer's line has no level of care, as in ListCases.
func (sess *Session) CaseLine(ctx context.Context, id string) (*CaseSummary, error) {
	c, p, err := sess.caseAccess(ctx, ActCaseList, id)
	if err != nil {
		return nil, err
	}
	s := &CaseSummary{ID: c.ID, Person: c.Person, Short: ShortID(c.ID), Display: DisplayName(p.First, p.Last, p.Alias),
		Status: c.Status, Channel: c.Channel, Insurance: c.Insurance, Level: c.Level, Coach: c.Coach,
		OpenedAt: c.OpenedAt, PlacedAt: c.PlacedAt, ClosedAt: c.ClosedAt, Review: c.Review}
	now := sess.s.clock.Now()
	activity, err := sess.loadActivity(ctx, now, "case_id = ?", c.ID)
	if err != nil {
		return nil, err
	}
	s.setWaiting(c, activity[c.ID], now)
	if !sess.Can(ActPlacementView) {
		s.Level = ""
	}
	return s, nil
}
