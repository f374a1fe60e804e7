package data

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
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
	if n > 0 {
		s.commits.Add(1)
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

// applyBatch applies ops with bulk statements. It returns how many were
// new.
func (m *merger) applyBatch(ops []*Op) (int, error) {
	for _, op := range ops {
		if err := op.Validate(); err != nil {
			return 0, Errorf(EINVALID, "%v", err)
		}
	}
	fresh, err := m.unknownOps(ops)
	if err != nil {
		return 0, err
	}
	// By device and sequence number: a segment's operations are one run,
	// which writeBatch names instead of binding each (seqRuns).
	sort.Slice(fresh, func(i, j int) bool {
		if fresh[i].Device != fresh[j].Device {
			return fresh[i].Device < fresh[j].Device
		}
		return fresh[i].Seq < fresh[j].Seq
	})
	for start := 0; start < len(fresh); start += applyBatchSize {
		b := newOpBatch()
		for _, op := range fresh[start:min(start+applyBatchSize, len(fresh))] {
			if err := b.add(op); err != nil {
				return 0, fmt.Errorf("apply operation %s: %w", op.ID(), err)
			}
		}
		if err := m.writeBatch(b); err != nil {
			return 0, fmt.Errorf("apply operations: %w", err)
		}
	}
	return len(fresh), nil
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
		err := m.each(`SELECT seq FROM ops WHERE device = ? AND seq BETWEEN ? AND ?`, []any{dev, sp.lo, sp.hi},
			func(rows *sql.Rows) error {
				var seq int64
				if err := rows.Scan(&seq); err != nil {
					return err
				}
				seen[OpID{dev, seq}] = true
				return nil
			})
		if err != nil {
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
	ops      []deviceOps // the operations, by device and author
	runs     seqRuns     // their names, for their heads and set members
	supers   bulkRows    // device, seq named in a prev: superseded
	headDel  bulkRows    // entity, row, field, device, seq: heads that stop being heads
	elemDel  bulkRows    // device, seq: adds a remove saw
	touched  map[string]*touchedRows
	appended map[string]*bulkRows // append-only records by entity
	prevs    map[OpID]bool        // every operation a prev in the batch names
}

// deviceOps are the rows of insertOpsSQL for a run of operations of one
// device and author.
type deviceOps struct {
	dev, user string
	rows      bulkRows
}

func newOpBatch() *opBatch {
	return &opBatch{runs: newSeqRuns(), supers: bulkRows{cols: 2}, headDel: bulkRows{cols: 5}, elemDel: bulkRows{cols: 2}}
}

// touchedRows are the rows of one entity a batch changes, each with the
// mask of the fields it changes (fieldBit) and the batch's operations on
// it.
type touchedRows struct {
	ids   []string
	masks []uint64
	ops   [][]*Op
	index map[string]int
}

func (b *opBatch) touch(e *EntityDef, op *Op) {
	row, field := op.Row, op.Field
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
		t.ops = append(t.ops, nil)
	}
	t.masks[i] |= fieldBit(e, field)
	t.ops[i] = append(t.ops[i], op)
}

// add takes in a new, valid operation.
func (b *opBatch) add(op *Op) error {
	e, _ := Entity(op.Entity)
	if n := len(b.ops); n == 0 || b.ops[n-1].dev != op.Device || b.ops[n-1].user != op.User {
		b.ops = append(b.ops, deviceOps{dev: op.Device, user: op.User, rows: bulkRows{cols: 7}})
	}
	b.ops[len(b.ops)-1].rows.addOp(op, encodePrev(op.Prev))
	b.runs.add(op.Device, op.Seq)
	if len(op.Prev) > 0 && b.prevs == nil {
		b.prevs = map[OpID]bool{}
	}
	for _, p := range op.Prev {
		b.prevs[p] = true
	}
	switch {
	case e.Append:
		return b.addAppend(e, op)
	case op.Field == FieldTombstone || mustField(e, op.Field).Kind == Register:
		for _, p := range op.Prev {
			b.supers.add(p.Device, p.Seq)
			b.headDel.add(op.Entity, op.Row, op.Field, p.Device, p.Seq)
		}
		// op itself becomes a head unless superseded: writeBatch reads
		// it back out of ops.
	case op.Value[0] == '+':
		// A new member: writeBatch reads it back out of ops.
	default:
		for _, p := range op.Prev {
			b.supers.add(p.Device, p.Seq)
			b.elemDel.add(p.Device, p.Seq)
		}
	}
	b.touch(e, op)
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
		b.appended = map[string]*bulkRows{}
	}
	rows := b.appended[e.Name]
	if rows == nil {
		rows = &bulkRows{cols: 1 + len(e.Fields)}
		b.appended[e.Name] = rows
	}
	rows.add(op.Row)
	for _, f := range e.Fields {
		v, ok := rec[f.Name]
		switch {
		case !ok:
			rows.add(nil)
		case f.Sealed:
			raw, err := base64.StdEncoding.DecodeString(v)
			if err != nil {
				return fmt.Errorf("%s.%s: %w", e.Name, f.Name, err)
			}
			rows.add(raw)
		default:
			rows.add(v)
		}
	}
	return nil
}

// writeBatch runs the bulk statements for b, in the order that makes the
// result independent of the order within the batch: everything a prev
// names is superseded before any new operation becomes a head or a set
// member, so one that arrives with its successor is history at once.
func (m *merger) writeBatch(b *opBatch) error {
	for _, d := range b.ops {
		if err := m.bulkExec(insertOpsSQL, &d.rows, d.dev, d.user); err != nil {
			return err
		}
	}
	b.runs.flush()
	for _, st := range []struct {
		query string
		rows  *bulkRows
	}{
		{`INSERT OR IGNORE INTO superseded(device, seq) {rows}`, &b.supers},
		{`DELETE FROM heads WHERE (entity, row_id, field, device, seq) IN ({rows})`, &b.headDel},
		{headsFromOpsSQL, &b.runs.bulkRows},
		// A set member is named by its add alone (merger.applySet); the
		// add's own row in ops says where the member is.
		{`DELETE FROM set_elems WHERE (entity, row_id, field, device, seq) IN (
			SELECT o.entity, o.row_id, o.field, o.device, o.seq FROM ({rows}) AS j
			JOIN ops o ON o.device = j.column1 AND o.seq = j.column2)`, &b.elemDel},
		{elemsFromOpsSQL, &b.runs.bulkRows},
	} {
		if err := m.bulkExec(st.query, st.rows); err != nil {
			return err
		}
	}
	for _, name := range sortedKeys(b.touched) {
		if err := m.writeTouched(b, name); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	for _, name := range sortedKeys(b.appended) {
		if err := m.bulkExec(entitySQLs[name].appendRows, b.appended[name]); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}
