package data

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
)

// ApplyRemote applies operations from other devices in one transaction:
// all of them or, on any error, none. It returns how many were new.
//
// The state it leaves is the one merger.apply would leave applying them
// one by one (in any order: the merge does not depend on it), but it is
// computed set-wise, a batch at a time: a sync round brings thousands of
// operations, and six statements per operation cost five times what
// storing them does.
func (s *Store) ApplyRemote(ctx context.Context, ops []*Op) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, storeErr(fmt.Errorf("begin: %w", err))
	}
	defer tx.Rollback()
	m := newMerger(ctx, s, tx)
	defer m.close()
	n, err := m.applyBatch(ops)
	if err != nil {
		return 0, storeErr(err)
	}
	var newest HLC
	for _, op := range ops {
		newest = max(newest, op.HLC)
	}
	if newest > s.hlc.Last() {
		if err := saveHLC(ctx, m, newest); err != nil {
			return 0, storeErr(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, storeErr(fmt.Errorf("commit: %w", err))
	}
	s.hlc.Observe(newest)
	return n, nil
}

// applyEach applies ops one by one through merger.apply.
func (m *merger) applyEach(ops []*Op) (int, error) {
	n := 0
	for _, op := range ops {
		ok, err := m.apply(op)
		if err != nil {
			return 0, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// applyBatchSize is how many new operations go through one set of bulk
// statements (a variable for the tests).
var applyBatchSize = 5000

// applyBatch applies ops with bulk statements, or one by one when one of
// them carries a string that JSON cannot (see jsonSafe). It returns how
// many were new.
func (m *merger) applyBatch(ops []*Op) (int, error) {
	safe := true
	for _, op := range ops {
		if err := op.Validate(); err != nil {
			return 0, Errorf(EINVALID, "%v", err)
		}
		safe = safe && opJSONSafe(op)
	}
	if !safe {
		return m.applyEach(ops)
	}
	fresh, err := m.unknownOps(ops)
	if err != nil {
		return 0, err
	}
	for start := 0; start < len(fresh); start += applyBatchSize {
		var b opBatch
		for _, op := range fresh[start:min(start+applyBatchSize, len(fresh))] {
			if err := b.add(op); err != nil {
				return 0, fmt.Errorf("apply operation %s: %w", op.ID(), err)
			}
		}
		if err := m.writeBatch(&b); err != nil {
			return 0, fmt.Errorf("apply operations: %w", err)
		}
	}
	return len(fresh), nil
}

func opJSONSafe(op *Op) bool {
	if !jsonSafe(op.Device) || !jsonSafe(op.Row) || !jsonSafe(op.User) {
		return false
	}
	for _, p := range op.Prev {
		if !jsonSafe(p.Device) {
			return false
		}
	}
	return true
}

// unknownOps returns the operations of ops the store does not hold yet,
// each once, in their order. A segment is a run of one device's sequence
// numbers, so one range query per device finds those it holds.
func (m *merger) unknownOps(ops []*Op) ([]*Op, error) {
	type span struct{ lo, hi int64 }
	spans := map[string]span{}
	for _, op := range ops {
		sp, ok := spans[op.Device]
		if !ok {
			sp = span{op.Seq, op.Seq}
		}
		spans[op.Device] = span{min(sp.lo, op.Seq), max(sp.hi, op.Seq)}
	}
	seen := make(map[OpID]bool, len(ops))
	for dev, sp := range spans {
		rows, err := m.query(`SELECT seq FROM ops WHERE device = ? AND seq BETWEEN ? AND ?`, dev, sp.lo, sp.hi)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var seq int64
			if err := rows.Scan(&seq); err != nil {
				rows.Close()
				return nil, err
			}
			seen[OpID{dev, seq}] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	fresh := make([]*Op, 0, len(ops))
	for _, op := range ops {
		if id := op.ID(); !seen[id] {
			seen[id] = true
			fresh = append(fresh, op)
		}
	}
	return fresh, nil
}

// opBatch is what a batch of new operations changes, as rows for the bulk
// statements.
type opBatch struct {
	ops      jsonRows // the operations
	supers   jsonRows // [device, seq] named in a prev: superseded
	headDel  jsonRows // [entity, row, field, device, seq] heads that stop being heads
	headIns  jsonRows // [entity, row, field, device, seq] new register operations
	elemDel  jsonRows // [device, seq] adds a remove saw
	elemIns  jsonRows // [entity, row, field, elem hex, device, seq] new adds
	touched  map[string]*touchedRows
	appended map[string]*jsonRows // append-only records by entity
}

// touchedRows are the rows of one entity a batch changes, each with the
// mask of the fields it changes (fieldBit).
type touchedRows struct {
	ids   []string
	masks []uint64
	index map[string]int
}

func (b *opBatch) touch(e *EntityDef, row, field string) {
	if b.touched == nil {
		b.touched = map[string]*touchedRows{}
	}
	t := b.touched[e.Name]
	if t == nil {
		t = &touchedRows{index: map[string]int{}}
		b.touched[e.Name] = t
	}
	i, ok := t.index[row]
	if !ok {
		i = len(t.ids)
		t.index[row] = i
		t.ids = append(t.ids, row)
		t.masks = append(t.masks, 0)
	}
	t.masks[i] |= fieldBit(e, field)
}

// add takes in a new, valid operation.
func (b *opBatch) add(op *Op) error {
	e, _ := Entity(op.Entity)
	b.ops.opRow(op, encodePrev(op.Prev))
	switch {
	case e.Append:
		return b.addAppend(e, op)
	case op.Field == FieldTombstone || mustField(e, op.Field).Kind == Register:
		for _, p := range op.Prev {
			b.supers.row()
			b.supers.str(p.Device)
			b.supers.int(p.Seq)
			b.headDel.row()
			b.headDel.str(op.Entity)
			b.headDel.str(op.Row)
			b.headDel.str(op.Field)
			b.headDel.str(p.Device)
			b.headDel.int(p.Seq)
		}
		b.headIns.row()
		b.headIns.str(op.Entity)
		b.headIns.str(op.Row)
		b.headIns.str(op.Field)
		b.headIns.str(op.Device)
		b.headIns.int(op.Seq)
	case op.Value[0] == '+':
		b.elemIns.row()
		b.elemIns.str(op.Entity)
		b.elemIns.str(op.Row)
		b.elemIns.str(op.Field)
		b.elemIns.hex(op.Value[1:])
		b.elemIns.str(op.Device)
		b.elemIns.int(op.Seq)
	default:
		for _, p := range op.Prev {
			b.supers.row()
			b.supers.str(p.Device)
			b.supers.int(p.Seq)
			b.elemDel.row()
			b.elemDel.str(p.Device)
			b.elemDel.int(p.Seq)
		}
	}
	b.touch(e, op.Row, op.Field)
	return nil
}

func mustField(e *EntityDef, name string) FieldDef {
	f, _ := e.Field(name)
	return f
}

// addAppend takes in an append-only record: its fields in e.Fields order,
// absent ones null, sealed ones decoded from base64 (as merger.applyAppend).
func (b *opBatch) addAppend(e *EntityDef, op *Op) error {
	var rec map[string]string
	if err := json.Unmarshal(op.Value, &rec); err != nil {
		return err
	}
	if b.appended == nil {
		b.appended = map[string]*jsonRows{}
	}
	rows := b.appended[e.Name]
	if rows == nil {
		rows = &jsonRows{}
		b.appended[e.Name] = rows
	}
	rows.row()
	rows.str(op.Row)
	for _, f := range e.Fields {
		v, ok := rec[f.Name]
		switch {
		case !ok:
			rows.null()
		case f.Sealed:
			raw, err := base64.StdEncoding.DecodeString(v)
			if err != nil {
				return fmt.Errorf("%s.%s: %w", e.Name, f.Name, err)
			}
			rows.hex(raw)
		default:
			rows.hexString(v)
		}
	}
	return nil
}

// writeBatch runs the bulk statements for b, in the order that makes the
// result independent of the order within the batch: everything a prev
// names is superseded before any new operation becomes a head or a set
// member, so one that arrives with its successor is history at once.
func (m *merger) writeBatch(b *opBatch) error {
	for _, st := range []struct {
		query string
		rows  *jsonRows
	}{
		{insertOpsSQL, &b.ops},
		{`INSERT OR IGNORE INTO superseded(device, seq) SELECT value->>0, value->>1 FROM json_each(?)`, &b.supers},
		{`DELETE FROM heads WHERE (entity, row_id, field, device, seq) IN (
			SELECT value->>0, value->>1, value->>2, value->>3, value->>4 FROM json_each(?))`, &b.headDel},
		{`INSERT INTO heads(entity, row_id, field, device, seq)
			SELECT value->>0, value->>1, value->>2, value->>3, value->>4 FROM json_each(?) AS j
			WHERE NOT EXISTS (SELECT 1 FROM superseded WHERE device = j.value->>3 AND seq = j.value->>4)`, &b.headIns},
		// A set member is named by its add alone (merger.applySet); the
		// add's own row in ops says where the member is.
		{`DELETE FROM set_elems WHERE (entity, row_id, field, device, seq) IN (
			SELECT o.entity, o.row_id, o.field, o.device, o.seq FROM json_each(?) AS j
			JOIN ops o ON o.device = j.value->>0 AND o.seq = j.value->>1)`, &b.elemDel},
		{`INSERT OR IGNORE INTO set_elems(entity, row_id, field, elem, device, seq)
			SELECT value->>0, value->>1, value->>2, CAST(unhex(value->>3) AS TEXT), value->>4, value->>5 FROM json_each(?) AS j
			WHERE NOT EXISTS (SELECT 1 FROM superseded WHERE device = j.value->>4 AND seq = j.value->>5)`, &b.elemIns},
	} {
		if st.rows.rows == 0 {
			continue
		}
		if _, err := m.exec(st.query, st.rows.text()); err != nil {
			return err
		}
	}
	for _, name := range sortedKeys(b.touched) {
		t := b.touched[name]
		var rows jsonRows
		for i, id := range t.ids {
			rows.row()
			rows.str(id)
			rows.int(int64(t.masks[i]))
		}
		q := entitySQLs[name]
		for _, query := range []string{q.updateRows, q.newRows, q.deleted} {
			if _, err := m.exec(query, rows.text()); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
	}
	for _, name := range sortedKeys(b.appended) {
		if _, err := m.exec(entitySQLs[name].appendRows, b.appended[name].text()); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}
