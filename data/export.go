package data

import (
	"context"
	"encoding/json"
	"sort"
	"strings"
)

// Export returns the whole logical state as canonical JSON: every synced
// record with its fields in the clear, sets as sorted arrays, conflicts
// with all their values; no device-local state, no secrets, and not the
// audit trail (which grows with every read, this one included). Two devices
// that hold the same operations export the same bytes. The export itself is
// audited.
func (sess *Session) Export(ctx context.Context) ([]byte, error) {
	if err := sess.require(ctx, ActExport, "", ""); err != nil {
		return nil, err
	}
	tx, err := sess.s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, storeErr(err)
	}
	defer tx.Rollback()
	out := map[string]any{"format": "connectpoint-export", "version": 1}
	for _, e := range Entities() {
		if e.Name == EntAudit {
			continue
		}
		ms, err := loadFields(ctx, tx, sess.key, e, "")
		if err != nil {
			return nil, err
		}
		recs := make([]map[string]any, 0, len(ms))
		for _, m := range ms {
			rec := map[string]any{"id": m["id"]}
			if m["review"] == "true" {
				rec["review"] = true
			}
			for _, f := range e.Fields {
				v := m[f.Name]
				switch {
				case f.Secret || v == "":
				case f.Kind == Set:
					rec[f.Name] = strings.Split(v, ",")
				default:
					rec[f.Name] = v
				}
			}
			recs = append(recs, rec)
		}
		out[e.Table] = recs
	}
	conflicts, err := conflicts(ctx, tx, sess.key)
	if err != nil {
		return nil, err
	}
	cs := make([]map[string]any, len(conflicts))
	for i, c := range conflicts {
		vals := make([]map[string]any, len(c.Values))
		for j, v := range c.Values {
			vals[j] = map[string]any{"op": v.Op.String(), "hlc": v.HLC.String(), "user": v.User, "value": v.Value}
		}
		cs[i] = map[string]any{"entity": c.Entity, "row": c.Row, "field": c.Field, "values": vals}
	}
	out["conflicts"] = cs
	tx.Rollback()
	b, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return nil, err
	}
	err = sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		return sess.audit(w, "export", "", "", "json")
	})
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Conflicts lists the fields that are in conflict, with what each record
// is about and who wrote each value, for the person who must choose. Each
// conflict of a sealed field is an audit event: its values are shown open.
func (sess *Session) Conflicts(ctx context.Context) ([]Conflict, error) {
	if err := sess.require(ctx, ActConflicts, "", ""); err != nil {
		return nil, err
	}
	cs, err := conflicts(ctx, sess.s.db, sess.key)
	if err != nil {
		return nil, err
	}
	if err := sess.describeConflicts(ctx, cs); err != nil {
		return nil, err
	}
	return cs, nil
}

// conflicts reads every register with more than one head, in a stable
// order, values newest first. Secret values are not shown.
func conflicts(ctx context.Context, q queryer, key []byte) ([]Conflict, error) {
	rows, err := q.QueryContext(ctx, `SELECT h.entity, h.row_id, h.field, h.device, h.seq, o.hlc, o.user_id, o.value
		FROM heads h JOIN ops o ON o.device = h.device AND o.seq = h.seq
		WHERE (h.entity, h.row_id, h.field) IN (
			SELECT entity, row_id, field FROM heads GROUP BY entity, row_id, field HAVING COUNT(*) > 1)
		ORDER BY h.entity, h.row_id, h.field, o.hlc DESC, h.device DESC`)
	if err != nil {
		return nil, storeErr(err)
	}
	defer rows.Close()
	var out []Conflict
	for rows.Next() {
		var c Conflict
		var v ConflictValue
		var val []byte
		if err := rows.Scan(&c.Entity, &c.Row, &c.Field, &v.Op.Device, &v.Op.Seq, &v.HLC, &v.User, &val); err != nil {
			return nil, err
		}
		e, _ := Entity(c.Entity)
		f, _ := e.Field(c.Field)
		switch {
		case f.Secret:
			v.Value = "(secret)"
		case f.Sealed && len(val) > 0:
			plain, err := Unseal(key, val, sealAD(c.Entity, c.Field, c.Row))
			if err != nil {
				v.Value = "(cannot be opened)"
			} else {
				v.Value = string(plain)
			}
		default:
			v.Value = string(val)
		}
		if n := len(out); n > 0 && out[n-1].Entity == c.Entity && out[n-1].Row == c.Row && out[n-1].Field == c.Field {
			out[n-1].Values = append(out[n-1].Values, v)
			continue
		}
		c.Values = []ConflictValue{v}
		out = append(out, c)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Entity != b.Entity {
			return a.Entity < b.Entity
		}
		if a.Row != b.Row {
			return a.Row < b.Row
		}
		return a.Field < b.Field
	})
	return out, rows.Err()
}
