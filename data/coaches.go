package data

import (
	"context"
	"sort"
	"strings"
	"time"
)

// AddCoach puts a coach on the roster and returns the new coach's ID.
func (sess *Session) AddCoach(ctx context.Context, c Coach) (string, error) {
	if err := sess.require(ctx, ActRosterEdit, EntCoach, ""); err != nil {
		return "", err
	}
	c.ID = NewID()
	c.Name = strings.TrimSpace(c.Name)
	c.Active = true
	if c.Agency == "" {
		c.Agency = sess.User.Agency
	}
	if c.Phone != "" {
		ph, err := NormalizePhone(c.Phone)
		if err != nil {
			return "", err
		}
		c.Phone = ph
	}
	for i, l := range c.Languages {
		c.Languages[i] = strings.ToLower(strings.TrimSpace(l))
	}
	sort.Strings(c.Languages)
	if err := c.Validate(); err != nil {
		return "", err
	}
	err := sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		if err := w.create(EntCoach, c.ID, toFields(&c)); err != nil {
			return err
		}
		return sess.audit(w, "coach.add", EntCoach, c.ID, "")
	})
	if err != nil {
		return "", err
	}
	return c.ID, nil
}

// Coaches returns the roster, active coaches first, by name.
func (sess *Session) Coaches(ctx context.Context) ([]Coach, error) {
	if err := sess.require(ctx, ActRosterView, EntCoach, ""); err != nil {
		return nil, err
	}
	e, _ := Entity(EntCoach)
	ms, err := loadFields(ctx, sess.s.db, sess.key, e, "")
	if err != nil {
		return nil, err
	}
	out := make([]Coach, len(ms))
	for i, m := range ms {
		fromFields(m, &out[i])
		out[i].ID = m["id"]
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Active != out[j].Active {
			return out[i].Active
		}
		return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name)
	})
	return out, nil
}

// AddShift puts a coach on call from start to end.
func (sess *Session) AddShift(ctx context.Context, sh Shift) (string, error) {
	if err := sess.require(ctx, ActRosterEdit, EntShift, ""); err != nil {
		return "", err
	}
	sh.ID = NewID()
	if err := sh.Validate(); err != nil {
		return "", err
	}
	err := sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		return w.create(EntShift, sh.ID, toFields(&sh))
	})
	return sh.ID, err
}

// OnCall returns the IDs of the coaches whose shift covers t.
func (sess *Session) OnCall(ctx context.Context, t time.Time) (map[string]bool, error) {
	if err := sess.require(ctx, ActRosterView, EntShift, ""); err != nil {
		return nil, err
	}
	ts := FormatTime(t)
	rows, err := sess.s.db.QueryContext(ctx, `SELECT DISTINCT coach FROM shifts WHERE deleted = 0 AND starts_at <= ? AND ends_at > ?`, ts, ts)
	if err != nil {
		return nil, storeErr(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}
