package data

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// RenumberOwn gives this device's operations with sequence numbers above
// after the numbers delta higher, in one transaction, everywhere an
// operation's name is stored: the log itself, the prev of this device's
// operations, the names a tombstone lists (in the operation and in its
// record's row), heads, set members and what is superseded.
//
// It is for a device restored from an old backup: the operations it wrote
// since the restore are numbered as if what it had published after the
// backup did not exist. Those names are taken on the sync target by other
// operations, so before the published ones are taken back and the local
// ones are published, the local ones move past them. They have never left
// this device, so nothing elsewhere names them.
func (s *Store) RenumberOwn(ctx context.Context, after, delta int64) error {
	return s.renumber(ctx, s.device, after, delta)
}

func (s *Store) renumber(ctx context.Context, device string, after, delta int64) error {
	if delta == 0 {
		return nil
	}
	if delta < 0 || after < 0 {
		return Errorf(EINVALID, "renumber operations of %s after %d by %d: only forward", device, after, delta)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return storeErr(fmt.Errorf("begin: %w", err))
	}
	defer tx.Rollback()
	m := newMerger(ctx, s, tx)
	defer m.close()
	if err := m.renumber(device, after, delta); err != nil {
		return storeErr(fmt.Errorf("renumber operations of %s after %d: %w", device, after, err))
	}
	if err := tx.Commit(); err != nil {
		return storeErr(fmt.Errorf("commit: %w", err))
	}
	return nil
}

func (m *merger) renumber(device string, after, delta int64) error {
	shift := func(id OpID) OpID {
		if id.Device == device && id.Seq > after {
			id.Seq += delta
		}
		return id
	}
	ops, err := queryOps(m.ctx, m.tx, device, after, 0)
	if err != nil {
		return err
	}
	if len(ops) == 0 {
		return nil
	}
	type rowKey struct{ entity, row string }
	touched := map[rowKey]bool{}
	for _, op := range ops {
		touched[rowKey{op.Entity, op.Row}] = true
		op.Seq += delta
		for i, p := range op.Prev {
			op.Prev[i] = shift(p)
		}
		if op.Field == FieldTombstone && len(op.Value) > 0 {
			op.Value = renameCover(op.Value, shift)
		}
	}
	// The log: the old rows go and come back under their new names, which
	// are all above every name left, so no two ever collide.
	if _, err := m.tx.ExecContext(m.ctx, `DELETE FROM ops WHERE device = ? AND seq > ?`, device, after); err != nil {
		return err
	}
	for _, op := range ops {
		if _, err := m.tx.ExecContext(m.ctx, `INSERT INTO ops(device, seq, hlc, entity, row_id, field, value, prev, user_id)
			VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			op.Device, op.Seq, int64(op.HLC), op.Entity, op.Row, op.Field, op.Value, encodePrev(op.Prev), op.User); err != nil {
			return fmt.Errorf("operation %s: %w", op.ID(), err)
		}
	}
	// Heads and set members name the operations themselves: through
	// negative numbers, so that a row never meets one not yet moved.
	for _, table := range []string{"heads", "set_elems"} {
		if _, err := m.tx.ExecContext(m.ctx, fmt.Sprintf(`UPDATE %s SET seq = -(seq + ?) WHERE device = ? AND seq > ?`, table), delta, device, after); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
		if _, err := m.tx.ExecContext(m.ctx, fmt.Sprintf(`UPDATE %s SET seq = -seq WHERE device = ? AND seq < 0`, table), device); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	// Superseded is every name some operation's prev holds: for the names
	// that moved it is worked out again from the prevs, so that it stays
	// exactly that whoever named them.
	if _, err := m.tx.ExecContext(m.ctx, `DELETE FROM superseded WHERE device = ? AND seq > ?`, device, after); err != nil {
		return err
	}
	rows, err := m.tx.QueryContext(m.ctx, `SELECT prev FROM ops WHERE instr(prev, ?) > 0`, `"`+device+`/`)
	if err != nil {
		return err
	}
	var names []OpID
	for rows.Next() {
		var prev string
		if err := rows.Scan(&prev); err != nil {
			rows.Close()
			return err
		}
		ids, err := decodePrev(prev)
		if err != nil {
			rows.Close()
			return err
		}
		for _, id := range ids {
			if id.Device == device && id.Seq > after {
				names = append(names, id)
			}
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range names {
		if _, err := m.tx.ExecContext(m.ctx, `INSERT OR IGNORE INTO superseded(device, seq) VALUES(?, ?)`, id.Device, id.Seq); err != nil {
			return err
		}
	}
	// A record's row holds its tombstone's value, which may list names
	// that moved; whether the tombstone covers the record follows from it.
	keys := make([]rowKey, 0, len(touched))
	for k := range touched {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].entity != keys[j].entity {
			return keys[i].entity < keys[j].entity
		}
		return keys[i].row < keys[j].row
	})
	for _, k := range keys {
		e, _ := Entity(k.entity)
		if e == nil || e.Append {
			continue
		}
		if _, err := m.tx.ExecContext(m.ctx, fmt.Sprintf(`UPDATE %s SET tombstone = COALESCE(CAST((
			SELECT o.value FROM heads h JOIN ops o ON o.device = h.device AND o.seq = h.seq
			WHERE h.entity = ?1 AND h.row_id = ?2 AND h.field = ?3
			ORDER BY o.hlc DESC, h.device DESC LIMIT 1) AS TEXT), '') WHERE id = ?2`, e.Table),
			e.Name, k.row, FieldTombstone); err != nil {
			return fmt.Errorf("%s %s: %w", e.Name, k.row, err)
		}
		if err := m.updateDeleted(e, k.row, true); err != nil {
			return fmt.Errorf("%s %s: %w", e.Name, k.row, err)
		}
	}
	return nil
}

// renameCover renames the operations a tombstone's value lists (a JSON
// array of names, in name order as remove writes it). A value that is not
// such a list is left as it is.
func renameCover(v []byte, rename func(OpID) OpID) []byte {
	var names []string
	if err := json.Unmarshal(v, &names); err != nil {
		return v
	}
	ids := make([]OpID, len(names))
	changed := false
	for i, n := range names {
		id, err := ParseOpID(n)
		if err != nil {
			return v
		}
		ids[i] = rename(id)
		changed = changed || ids[i] != id
	}
	if !changed {
		return v
	}
	sort.Slice(ids, func(i, j int) bool { return strings.Compare(ids[i].String(), ids[j].String()) < 0 })
	out, err := json.Marshal(ids)
	if err != nil {
		return v
	}
	return out
}
