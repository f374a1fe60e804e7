package data

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// merger applies operations inside one transaction. It is the only writer
// of the state tables: local edits and operations from other devices go
// through the same code, so a device's state depends only on the set of
// operations it holds, never on their order.
type merger struct {
	ctx   context.Context
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func newMerger(ctx context.Context, tx *sql.Tx) *merger {
	return &merger{ctx: ctx, tx: tx, stmts: map[string]*sql.Stmt{}}
}

func (m *merger) close() {
	for _, st := range m.stmts {
		st.Close()
	}
}

// stmt returns a prepared statement, prepared once per transaction.
func (m *merger) stmt(query string) (*sql.Stmt, error) {
	if st, ok := m.stmts[query]; ok {
		return st, nil
	}
	st, err := m.tx.PrepareContext(m.ctx, query)
	if err != nil {
		return nil, err
	}
	m.stmts[query] = st
	return st, nil
}

func (m *merger) exec(query string, args ...any) (sql.Result, error) {
	st, err := m.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(m.ctx, args...)
}

func (m *merger) query(query string, args ...any) (*sql.Rows, error) {
	st, err := m.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(m.ctx, args...)
}

// apply records op and brings the state tables up to date. It returns false
// when op was already known: applying an operation twice changes nothing.
func (m *merger) apply(op *Op) (bool, error) {
	if err := op.Validate(); err != nil {
		return false, Errorf(EINVALID, "%v", err)
	}
	res, err := m.exec(`INSERT OR IGNORE INTO ops(device, seq, hlc, entity, row_id, field, value, prev, user_id)
		VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		op.Device, op.Seq, int64(op.HLC), op.Entity, op.Row, op.Field, op.Value, encodePrev(op.Prev), op.User)
	if err != nil {
		return false, fmt.Errorf("append operation %s: %w", op.ID(), err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return false, nil
	}
	e, _ := Entity(op.Entity)
	switch {
	case e.Append:
		err = m.applyAppend(e, op)
	case op.Field == FieldTombstone:
		err = m.applyRegister(e, op, "tombstone")
	default:
		f, _ := e.Field(op.Field)
		if f.Kind == Set {
			err = m.applySet(e, op)
		} else {
			err = m.applyRegister(e, op, f.Name)
		}
	}
	if err != nil {
		return false, fmt.Errorf("apply operation %s: %w", op.ID(), err)
	}
	return true, nil
}

// supersede marks each of prev as seen by a newer operation.
func (m *merger) supersede(prev []OpID) error {
	for _, p := range prev {
		if _, err := m.exec(`INSERT OR IGNORE INTO superseded(device, seq) VALUES(?, ?)`, p.Device, p.Seq); err != nil {
			return err
		}
	}
	return nil
}

func (m *merger) isSuperseded(id OpID) (bool, error) {
	rows, err := m.query(`SELECT 1 FROM superseded WHERE device = ? AND seq = ?`, id.Device, id.Seq)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	return rows.Next(), rows.Err()
}

type head struct {
	id    OpID
	hlc   HLC
	value []byte
	user  string
}

// newer orders heads by (hlc, device): the one that is shown.
func (h head) newer(o head) bool {
	if h.hlc != o.hlc {
		return h.hlc > o.hlc
	}
	return h.id.Device > o.id.Device
}

func (m *merger) heads(entity, row, field string) ([]head, error) {
	rows, err := m.query(`SELECT h.device, h.seq, o.hlc, o.value, o.user_id FROM heads h
		JOIN ops o ON o.device = h.device AND o.seq = h.seq
		WHERE h.entity = ? AND h.row_id = ? AND h.field = ?`, entity, row, field)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var hs []head
	for rows.Next() {
		var h head
		if err := rows.Scan(&h.id.Device, &h.id.Seq, &h.hlc, &h.value, &h.user); err != nil {
			return nil, err
		}
		hs = append(hs, h)
	}
	sort.Slice(hs, func(i, j int) bool { return hs[i].newer(hs[j]) })
	return hs, rows.Err()
}

// applyRegister updates a multi-value register: op's prev stop being heads;
// op becomes one unless an operation already known superseded it.
func (m *merger) applyRegister(e *EntityDef, op *Op, column string) error {
	for _, p := range op.Prev {
		if _, err := m.exec(`DELETE FROM heads WHERE entity = ? AND row_id = ? AND field = ? AND device = ? AND seq = ?`,
			op.Entity, op.Row, op.Field, p.Device, p.Seq); err != nil {
			return err
		}
	}
	if err := m.supersede(op.Prev); err != nil {
		return err
	}
	old, err := m.isSuperseded(op.ID())
	if err != nil {
		return err
	}
	if !old {
		if _, err := m.exec(`INSERT INTO heads(entity, row_id, field, device, seq) VALUES(?, ?, ?, ?, ?)`,
			op.Entity, op.Row, op.Field, op.Device, op.Seq); err != nil {
			return err
		}
	}
	hs, err := m.heads(op.Entity, op.Row, op.Field)
	if err != nil {
		return err
	}
	var value []byte
	if len(hs) > 0 {
		value = shownValue(e, op.Field, hs)
	}
	var v any = value
	if column == "tombstone" {
		v = string(value)
	} else if f, _ := e.Field(op.Field); !f.Sealed && !f.Secret {
		v = nullString(value)
	}
	rows, err := m.query(fmt.Sprintf(`INSERT INTO %s(id, %s) VALUES(?, ?)
		ON CONFLICT(id) DO UPDATE SET %s = excluded.%s RETURNING tombstone`,
		e.Table, quote(column), quote(column), quote(column)), op.Row, v)
	if err != nil {
		return err
	}
	var tomb string
	if rows.Next() {
		err = rows.Scan(&tomb)
	}
	rows.Close()
	if err != nil {
		return err
	}
	if tomb != "" || column == "tombstone" {
		return m.updateDeleted(e, op.Row, tomb)
	}
	return nil
}

// shownValue picks the value shown for a register: the newest head, unless
// the field has a value that wins conflicts (a revoked consent).
func shownValue(e *EntityDef, field string, hs []head) []byte {
	if f, ok := e.Field(field); ok && f.Wins != "" && len(hs) > 1 {
		for _, h := range hs {
			if string(h.value) == f.Wins {
				return h.value
			}
		}
	}
	return hs[0].value
}

// updateDeleted decides whether a tombstoned record is gone: only when the
// tombstone saw every value the record now has. An edit it did not see
// brings the record back, marked for review.
func (m *merger) updateDeleted(e *EntityDef, row, tomb string) error {
	deleted, review := 0, 0
	if tomb != "" {
		var covered []OpID
		if err := json.Unmarshal([]byte(tomb), &covered); err != nil {
			return fmt.Errorf("tombstone of %s %s: %w", e.Name, row, err)
		}
		seen := make(map[OpID]bool, len(covered))
		for _, c := range covered {
			seen[c] = true
		}
		live, err := m.liveOps(e.Name, row)
		if err != nil {
			return err
		}
		deleted = 1
		for _, id := range live {
			if !seen[id] {
				deleted, review = 0, 1
				break
			}
		}
	}
	_, err := m.exec(fmt.Sprintf(`UPDATE %s SET deleted = ?, review = ? WHERE id = ?`, e.Table), deleted, review, row)
	return err
}

// liveOps returns the operations that make up a record's current value: the
// heads of its registers and the adds of its sets, without the tombstone.
func (m *merger) liveOps(entity, row string) ([]OpID, error) {
	rows, err := m.query(`SELECT device, seq FROM heads WHERE entity = ? AND row_id = ? AND field != ?
		UNION SELECT device, seq FROM set_elems WHERE entity = ? AND row_id = ?`,
		entity, row, FieldTombstone, entity, row)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []OpID
	for rows.Next() {
		var id OpID
		if err := rows.Scan(&id.Device, &id.Seq); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// applySet applies an add ("+elem") or a remove ("-elem" whose prev lists
// the adds it saw) to an observed-remove set.
func (m *merger) applySet(e *EntityDef, op *Op) error {
	elem := string(op.Value[1:])
	if op.Value[0] == '+' {
		old, err := m.isSuperseded(op.ID())
		if err != nil {
			return err
		}
		if !old {
			if _, err := m.exec(`INSERT OR IGNORE INTO set_elems(entity, row_id, field, elem, device, seq) VALUES(?, ?, ?, ?, ?, ?)`,
				op.Entity, op.Row, op.Field, elem, op.Device, op.Seq); err != nil {
				return err
			}
		}
	} else {
		for _, p := range op.Prev {
			if _, err := m.exec(`DELETE FROM set_elems WHERE device = ? AND seq = ?`, p.Device, p.Seq); err != nil {
				return err
			}
		}
		if err := m.supersede(op.Prev); err != nil {
			return err
		}
	}
	elems, err := m.setElems(op.Entity, op.Row, op.Field)
	if err != nil {
		return err
	}
	rows, err := m.query(fmt.Sprintf(`INSERT INTO %s(id, %s) VALUES(?, ?)
		ON CONFLICT(id) DO UPDATE SET %s = excluded.%s RETURNING tombstone`,
		e.Table, quote(op.Field), quote(op.Field), quote(op.Field)), op.Row, strings.Join(elems, ","))
	if err != nil {
		return err
	}
	var tomb string
	if rows.Next() {
		err = rows.Scan(&tomb)
	}
	rows.Close()
	if err != nil {
		return err
	}
	if tomb != "" {
		return m.updateDeleted(e, op.Row, tomb)
	}
	return nil
}

func (m *merger) setElems(entity, row, field string) ([]string, error) {
	rows, err := m.query(`SELECT DISTINCT elem FROM set_elems WHERE entity = ? AND row_id = ? AND field = ? ORDER BY elem`,
		entity, row, field)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// applyAppend inserts an append-only record; a second copy is ignored.
func (m *merger) applyAppend(e *EntityDef, op *Op) error {
	var rec map[string]string
	if err := json.Unmarshal(op.Value, &rec); err != nil {
		return err
	}
	cols := []string{"id"}
	args := []any{op.Row}
	for _, f := range e.Fields {
		v, ok := rec[f.Name]
		if !ok {
			continue
		}
		cols = append(cols, quote(f.Name))
		if f.Sealed {
			b, err := base64.StdEncoding.DecodeString(v)
			if err != nil {
				return fmt.Errorf("%s.%s: %w", e.Name, f.Name, err)
			}
			args = append(args, b)
		} else {
			args = append(args, v)
		}
	}
	q := fmt.Sprintf(`INSERT OR IGNORE INTO %s(%s) VALUES(%s)`, e.Table, strings.Join(cols, ", "),
		strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", "))
	_, err := m.exec(q, args...)
	return err
}

func quote(ident string) string { return `"` + ident + `"` }

func nullString(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}
