package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// KeepValue resolves a conflict: it writes the kept head's value again with
// every current head as prev, so the field has one head on every device
// that receives it. Keeping is itself an operation and syncs.
func (sess *Session) KeepValue(ctx context.Context, entity, row, field string, keep OpID) error {
	if err := sess.require(ctx, ActConflicts, entity, row); err != nil {
		return err
	}
	e, ok := Entity(entity)
	if !ok || e.Append {
		return Errorf(EINVALID, "no register %s.%s", entity, field)
	}
	return sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		hs, err := w.m.heads(entity, row, field)
		if err != nil {
			return err
		}
		var kept *head
		prev := make([]OpID, len(hs))
		for i := range hs {
			prev[i] = hs[i].id
			if hs[i].id == keep {
				kept = &hs[i]
			}
		}
		if kept == nil {
			return Errorf(ENOTFOUND, "%s is not a current value of %s.%s of %s", keep, entity, field, row)
		}
		value := kept.value
		if f, _ := e.Field(field); f.Sealed && len(value) > 0 {
			// Re-seal: the value is bound to its place, and a fresh nonce
			// keeps ciphertexts from repeating.
			plain, err := Unseal(sess.key, value, sealAD(entity, field, row))
			if err != nil {
				return fmt.Errorf("open kept value: %w", err)
			}
			if value, err = Seal(sess.key, plain, sealAD(entity, field, row)); err != nil {
				return err
			}
		}
		if _, err := w.m.apply(w.newOp(entity, row, field, value, prev)); err != nil {
			return err
		}
		return sess.audit(w, "conflict.resolve", entity, row, field)
	})
}

// Ops returns this store's operations of one device with sequence numbers
// above after, in sequence order, at most limit (0: all).
func (s *Store) Ops(ctx context.Context, device string, after int64, limit int) ([]*Op, error) {
	return queryOps(ctx, s.db, device, after, limit)
}

func queryOps(ctx context.Context, db queryer, device string, after int64, limit int) ([]*Op, error) {
	q := `SELECT device, seq, hlc, entity, row_id, field, value, prev, user_id FROM ops WHERE device = ? AND seq > ? ORDER BY seq`
	args := []any{device, after}
	if limit > 0 {
		q += " LIMIT ?"
		args = append(args, limit)
	}
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, storeErr(fmt.Errorf("read operations: %w", err))
	}
	defer rows.Close()
	var out []*Op
	for rows.Next() {
		op := &Op{}
		var prev string
		if err := rows.Scan(&op.Device, &op.Seq, &op.HLC, &op.Entity, &op.Row, &op.Field, &op.Value, &prev, &op.User); err != nil {
			return nil, err
		}
		if op.Prev, err = decodePrev(prev); err != nil {
			return nil, fmt.Errorf("operation %s: prev: %w", op.ID(), err)
		}
		out = append(out, op)
	}
	return out, rows.Err()
}

// OpDevices lists the devices this store holds operations of.
func (s *Store) OpDevices(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT device FROM ops ORDER BY device`)
	if err != nil {
		return nil, storeErr(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// describeConflicts fills in what each conflict is about and who wrote
// each value, and audits the conflicts whose values are sealed.
func (sess *Session) describeConflicts(ctx context.Context, cs []Conflict) error {
	if len(cs) == 0 {
		return nil
	}
	names, err := sess.userNames(ctx)
	if err != nil {
		return err
	}
	one := func(entity, id string) map[string]string {
		e, _ := Entity(entity)
		ms, err := loadFields(ctx, sess.s.db, sess.key, e, "id = ?", id)
		if err != nil || len(ms) == 0 {
			return map[string]string{}
		}
		return ms[0]
	}
	person := func(id string) string {
		p := one(EntPerson, id)
		return DisplayName(p["first"], p["last"], p["alias"])
	}
	var sealedRows []*Conflict
	for i := range cs {
		c := &cs[i]
		for j := range c.Values {
			v := &c.Values[j]
			v.Who = names[v.User] // "" for a user this device does not know
		}
		switch c.Entity {
		case EntCase:
			c.CaseID, c.Subject = c.Row, person(one(EntCase, c.Row)["person"])
		case EntPerson:
			c.Subject = person(c.Row)
			if err := sess.s.db.QueryRowContext(ctx, `SELECT id FROM cases WHERE person = ? AND deleted = 0
				ORDER BY opened_at DESC LIMIT 1`, c.Row).Scan(&c.CaseID); err != nil && !errors.Is(err, sql.ErrNoRows) {
				return storeErr(err)
			}
		case EntConsent:
			c.CaseID = one(EntConsent, c.Row)["case_id"]
			c.Subject = person(one(EntCase, c.CaseID)["person"])
		case EntFacility:
			c.Subject = one(EntFacility, c.Row)["name"]
		case EntCoach:
			c.Subject = one(EntCoach, c.Row)["name"]
		case EntShift:
			c.Subject = one(EntCoach, one(EntShift, c.Row)["coach"])["name"]
		case EntUser:
			c.Subject = names[c.Row]
		case EntAgency:
			c.Subject = one(EntAgency, c.Row)["name"]
		}
		e, _ := Entity(c.Entity)
		if f, _ := e.Field(c.Field); f.Sealed {
			sealedRows = append(sealedRows, c)
		}
	}
	if len(sealedRows) == 0 {
		return nil
	}
	return sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		for _, c := range sealedRows {
			if err := sess.audit(w, "conflict.view", c.Entity, c.Row, c.Field); err != nil {
				return err
			}
		}
		return nil
	})
}
