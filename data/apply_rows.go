package data

import (
	"database/sql"
	"fmt"
	"sort"
	"strings"
)

// writeTouched brings the rows of one entity that a batch touched up to
// date. A row the store has never seen, and that the batch does not
// tombstone, gets its values computed here from the batch's operations
// alone and inserted whole: nothing before the batch can bear on it (an
// operation naming one of its operations in a prev would be on the same
// row, which would then exist). That is what a new device joining or a
// long-offline one catching up mostly brings, and it spares SQLite a
// correlated subquery per field. Every other row is recomputed in SQL from
// the heads and set members (mergeRowSQL).
func (m *merger) writeTouched(b *opBatch, name string) error {
	e, _ := Entity(name)
	t := b.touched[name]
	existing, err := m.existingRows(e, t.ids)
	if err != nil {
		return err
	}
	inSQL := bulkRows{cols: 2}
	whole := bulkRows{cols: 1 + len(e.Fields)}
	for i, id := range t.ids {
		if existing[id] || t.masks[i]&fieldBit(e, FieldTombstone) != 0 {
			inSQL.add(id, int64(t.masks[i]))
			continue
		}
		whole.add(id)
		for _, f := range e.Fields {
			whole.add(b.fieldValue(e, f, t.ops[i]))
		}
	}
	q := entitySQLs[name]
	if err := m.bulkExec(q.insertRows, &whole); err != nil {
		return err
	}
	for _, query := range []string{q.updateRows, q.newRows, q.deleted} {
		if err := m.bulkExec(query, &inSQL); err != nil {
			return err
		}
	}
	return nil
}

// existingRows returns which of ids the entity's table already has.
func (m *merger) existingRows(e *EntityDef, ids []string) (map[string]bool, error) {
	have := map[string]bool{}
	per := bulkValues
	for start := 0; start < len(ids); start += per {
		chunk := ids[start:min(start+per, len(ids))]
		args := make([]any, len(chunk))
		for i, id := range chunk {
			args[i] = id
		}
		err := m.each(bulkSQL(fmt.Sprintf("SELECT id FROM %s WHERE id IN ({rows})", e.Table), 1, len(chunk)), args,
			func(rows *sql.Rows) error {
				var id string
				if err := rows.Scan(&id); err != nil {
					return err
				}
				have[id] = true
				return nil
			})
		if err != nil {
			return nil, err
		}
	}
	return have, nil
}

// fieldValue is the value field f of a new row takes from ops, the batch's
// operations on that row, as the merge computes it: for a register, the
// newest operation no other one superseded, a winning value first; for a
// set, its members that no remove saw, distinct and sorted. nil when ops
// do not touch the field.
func (b *opBatch) fieldValue(e *EntityDef, f FieldDef, ops []*Op) any {
	if f.Kind == Set {
		var elems []string
		touched := false
		for _, op := range ops {
			if op.Field != f.Name {
				continue
			}
			touched = true
			if op.Value[0] == '+' && !b.prevs[op.ID()] {
				elems = append(elems, string(op.Value[1:]))
			}
		}
		if !touched {
			return nil
		}
		sort.Strings(elems)
		return strings.Join(compactStrings(elems), ",")
	}
	var best *Op
	for _, op := range ops {
		if op.Field != f.Name || b.prevs[op.ID()] {
			continue
		}
		if best == nil || shownBefore(op, best, f.Wins) {
			best = op
		}
	}
	if best == nil {
		return nil
	}
	return rowValue(f, best.Value)
}

// shownBefore reports whether register head a is shown rather than head b:
// a winning value first, then the newest by (hlc, device).
func shownBefore(a, b *Op, wins string) bool {
	if wins != "" {
		aw := a.Value != nil && string(a.Value) == wins
		bw := b.Value != nil && string(b.Value) == wins
		if aw != bw {
			return aw
		}
	}
	if a.HLC != b.HLC {
		return a.HLC > b.HLC
	}
	return a.Device > b.Device
}

// compactStrings drops adjacent repeats from a sorted slice.
func compactStrings(xs []string) []string {
	out := xs[:0]
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}
