package data

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// writeTx is one local transaction: every change becomes an operation of
// this device, applied through the merger like any other.
type writeTx struct {
	ctx  context.Context
	s    *Store
	tx   *sql.Tx
	m    *merger
	user string // who writes, by user ID
	key  []byte // the data key, for sealed fields; nil before login
	seq  int64  // the last sequence number used by this device
	ops  int    // operations written
}

// write runs fn in a transaction as user (with the data key for sealed
// fields) and commits it; on any error nothing is kept.
func (s *Store) write(ctx context.Context, user string, key []byte, fn func(w *writeTx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return storeErr(fmt.Errorf("begin: %w", err))
	}
	defer tx.Rollback()
	w := &writeTx{ctx: ctx, s: s, tx: tx, m: newMerger(ctx, s, tx), user: user, key: key}
	defer w.m.close()
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM ops WHERE device = ?`, s.device).Scan(&w.seq); err != nil {
		return storeErr(fmt.Errorf("read sequence: %w", err))
	}
	if err := fn(w); err != nil {
		return storeErr(err)
	}
	if w.ops > 0 {
		if err := saveHLC(ctx, w.m, s.hlc.Last()); err != nil {
			return storeErr(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return storeErr(fmt.Errorf("commit: %w", err))
	}
	s.commits.Add(1)
	return nil
}

// newOp makes an operation of this device with the next sequence number
// and a fresh clock value.
func (w *writeTx) newOp(entity, row, field string, value []byte, prev []OpID) *Op {
	w.seq++
	w.ops++
	return &Op{HLC: w.s.hlc.Next(), Device: w.s.device, Seq: w.seq, Entity: entity,
		Row: row, Field: field, Value: value, Prev: prev, User: w.user}
}

func (w *writeTx) seal(e *EntityDef, f FieldDef, row string, plain string) ([]byte, error) {
	if w.key == nil {
		return nil, fmt.Errorf("seal %s.%s: no data key (not logged in)", e.Name, f.Name)
	}
	return Seal(w.key, []byte(plain), sealAD(e.Name, f.Name, row))
}

// sealAD binds a sealed value to its place, so that ciphertext copied into
// another record or field does not open.
func sealAD(entity, field, row string) []byte {
	return appendSealAD(nil, entity, field, row)
}

// appendSealAD appends sealAD(entity, field, row) to b.
func appendSealAD(b []byte, entity, field, row string) []byte {
	b = append(append(append(append(b, entity...), '.'), field...), '/')
	return append(b, row...)
}

// set writes one register field. Writing the value it already has is a
// no-op; writing over a conflict resolves it (the new operation's prev is
// every head the writer saw).
func (w *writeTx) set(entity, row, field, value string) error {
	e, ok := Entity(entity)
	if !ok || e.Append {
		return fmt.Errorf("set %s.%s: not a register entity", entity, field)
	}
	f, ok := e.Field(field)
	if !ok || f.Kind != Register {
		return fmt.Errorf("set %s.%s: no such register", entity, field)
	}
	hs, err := w.m.heads(entity, row, field)
	if err != nil {
		return err
	}
	if len(hs) == 1 {
		cur := hs[0].value
		if f.Sealed && len(cur) > 0 {
			if plain, err := Unseal(w.key, cur, sealAD(entity, field, row)); err == nil {
				cur = plain
			}
		}
		if bytes.Equal(cur, []byte(value)) {
			return nil
		}
	} else if len(hs) == 0 && value == "" {
		return nil
	}
	var v []byte
	switch {
	case f.Sealed && value != "":
		if v, err = w.seal(e, f, row, value); err != nil {
			return err
		}
	case value != "":
		v = []byte(value)
	}
	prev := make([]OpID, len(hs))
	for i, h := range hs {
		prev[i] = h.id
	}
	_, err = w.m.apply(w.newOp(entity, row, field, v, prev))
	return err
}

// create writes the fields of a record this transaction has just made up
// an ID for (see createAll).
func (w *writeTx) create(entity, row string, fields map[string]string) error {
	return w.createAll(entity, []newRecord{{row, fields}})
}

// newRecord is a record a transaction has just made up an ID for, by field
// name. Empty values are not written.
type newRecord struct {
	row    string
	fields map[string]string
}

// createAll writes records this transaction has just made up IDs for.
// Nothing can precede their operations, so there is nothing to look up or
// merge: the operations, their heads, the set members and the rows go in
// with bulk statements, which is what makes imports fast.
func (w *writeTx) createAll(entity string, recs []newRecord) error {
	e, ok := Entity(entity)
	if !ok || e.Append {
		return fmt.Errorf("create %s: not a register entity", entity)
	}
	b := createRows{ops: bulkRows{cols: 5}, runs: newSeqRuns(),
		rows: bulkRows{cols: 1 + len(e.Fields)}, vals: make([][]byte, len(e.Fields))}
	for start := 0; start < len(recs); start += createBatch {
		b.ops.reset()
		b.runs.reset()
		b.rows.reset()
		for _, r := range recs[start:min(start+createBatch, len(recs))] {
			if err := w.addCreate(e, r, &b); err != nil {
				return err
			}
		}
		b.runs.flush()
		for _, st := range []struct {
			query  string
			rows   *bulkRows
			shared []any
		}{
			{insertCreatedOpsSQL, &b.ops, []any{w.s.device, w.user, e.Name}},
			{headsFromOpsSQL, &b.runs.bulkRows, nil},
			{elemsFromOpsSQL, &b.runs.bulkRows, nil},
			{entitySQLs[e.Name].insertRows, &b.rows, nil},
		} {
			if err := w.m.bulkExec(st.query, st.rows, st.shared...); err != nil {
				return fmt.Errorf("create %s: %w", entity, err)
			}
		}
	}
	return nil
}

// createBatch is how many records createAll collects before writing them,
// which bounds the memory an import of a large file holds at once.
const createBatch = 2000

// createRows are the rows createAll writes for a batch of new records.
type createRows struct {
	ops  bulkRows // insertCreatedOpsSQL
	runs seqRuns  // the operations' sequence numbers, for their heads and set members
	rows bulkRows // the records' table rows
	vals [][]byte // scratch: one per field
}

// addOp adds an operation of a new record.
func (b *createRows) addOp(op *Op) {
	b.ops.add(op.Seq, int64(op.HLC), op.Row, op.Field, blobArg(op.Value))
	b.runs.add(op.Device, op.Seq)
}

// addCreate adds one new record's operations, heads, set members and
// table row to b.
func (w *writeTx) addCreate(e *EntityDef, r newRecord, b *createRows) error {
	vals := b.vals
	clear(vals)
	// Fields in name order, so that the operation log does not depend on
	// map order.
	for _, name := range sortedKeys(r.fields) {
		v := r.fields[name]
		if v == "" {
			continue
		}
		i := e.fieldIndex(name)
		if i < 0 {
			return fmt.Errorf("%s has no field %q", e.Name, name)
		}
		f := e.Fields[i]
		if f.Kind == Set {
			set := uniqueSorted(strings.Split(v, ","))
			for _, el := range set {
				b.addOp(w.newOp(e.Name, r.row, name, []byte("+"+el), nil))
			}
			vals[i] = []byte(strings.Join(set, ","))
			continue
		}
		v2 := []byte(v)
		if f.Sealed {
			var err error
			if v2, err = w.seal(e, f, r.row, v); err != nil {
				return err
			}
		}
		b.addOp(w.newOp(e.Name, r.row, name, v2, nil))
		vals[i] = v2
	}
	b.rows.add(r.row)
	for i, v := range vals {
		b.rows.add(rowValue(e.Fields[i], v))
	}
	w.m.tombstoned[e.Name+"/"+r.row] = false
	return nil
}

func uniqueSorted(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if x != "" && !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	sort.Strings(out)
	return out
}

// setFields writes several register fields of one record, in name order so
// that the operation log does not depend on map order.
func (w *writeTx) setFields(entity, row string, fields map[string]string) error {
	names := make([]string, 0, len(fields))
	for n := range fields {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if err := w.set(entity, row, n, fields[n]); err != nil {
			return err
		}
	}
	return nil
}

// setElems makes a set field hold exactly elems: adds what is missing and
// removes, naming the adds it saw, what is no longer wanted.
func (w *writeTx) setElems(entity, row, field string, elems []string) error {
	want := map[string]bool{}
	for _, e := range elems {
		if e != "" {
			want[e] = true
		}
	}
	rows, err := w.m.query(`SELECT elem, device, seq FROM set_elems WHERE entity = ? AND row_id = ? AND field = ? ORDER BY elem, device, seq`,
		entity, row, field)
	if err != nil {
		return err
	}
	have := map[string][]OpID{}
	for rows.Next() {
		var el string
		var id OpID
		if err := rows.Scan(&el, &id.Device, &id.Seq); err != nil {
			rows.Close()
			return err
		}
		have[el] = append(have[el], id)
	}
	rows.Close()
	for _, el := range sortedKeys(have) {
		if !want[el] {
			if _, err := w.m.apply(w.newOp(entity, row, field, []byte("-"+el), have[el])); err != nil {
				return err
			}
		}
	}
	for _, el := range sortedKeys(want) {
		if _, ok := have[el]; !ok {
			if _, err := w.m.apply(w.newOp(entity, row, field, []byte("+"+el), nil)); err != nil {
				return err
			}
		}
	}
	return nil
}

// appendRecord writes an append-only record. Sealed fields are sealed here.
func (w *writeTx) appendRecord(entity, row string, fields map[string]string) error {
	e, ok := Entity(entity)
	if !ok || !e.Append {
		return fmt.Errorf("append %s: not an append-only entity", entity)
	}
	rec := make(map[string]string, len(fields))
	for k, v := range fields {
		f, ok := e.Field(k)
		if !ok {
			return fmt.Errorf("append %s: no field %q", entity, k)
		}
		if v == "" {
			continue
		}
		if f.Sealed {
			b, err := w.seal(e, f, row, v)
			if err != nil {
				return err
			}
			v = base64.StdEncoding.EncodeToString(b)
		}
		rec[k] = v
	}
	b, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	_, err = w.m.apply(w.newOp(entity, row, "", b, nil))
	return err
}

// remove writes a tombstone that covers every current value of the record.
func (w *writeTx) remove(entity, row string) error {
	live, err := w.m.liveOps(entity, row)
	if err != nil {
		return err
	}
	sort.Slice(live, func(i, j int) bool { return live[i].String() < live[j].String() })
	cover, err := json.Marshal(live)
	if err != nil {
		return err
	}
	hs, err := w.m.heads(entity, row, FieldTombstone)
	if err != nil {
		return err
	}
	prev := make([]OpID, len(hs))
	for i, h := range hs {
		prev[i] = h.id
	}
	_, err = w.m.apply(w.newOp(entity, row, FieldTombstone, cover, prev))
	return err
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// saveHLC keeps the newest HLC in the device's settings, inside the
// transaction that used it.
func saveHLC(ctx context.Context, m *merger, h HLC) error {
	_, err := m.exec(`INSERT INTO local_settings(key, value) VALUES('hlc', ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value WHERE CAST(excluded.value AS INTEGER) > CAST(value AS INTEGER)`,
		strconv.FormatInt(int64(h), 10))
	return err
}
