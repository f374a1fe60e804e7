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
	s     *Store
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
	// tombstoned caches, per record touched in this transaction, whether it
	// has a tombstone, so that the deletion check runs only where one is.
	tombstoned map[string]bool
}

func newMerger(ctx context.Context, s *Store, tx *sql.Tx) *merger {
	return &merger{ctx: ctx, s: s, tx: tx, stmts: map[string]*sql.Stmt{}, tombstoned: map[string]bool{}}
}

func (m *merger) close() {
	for _, st := range m.stmts {
		st.Close()
	}
}

// stmt returns query prepared for this transaction. The store keeps the
// statement prepared on the database, and database/sql reuses what each
// connection has prepared, so that a short transaction does not pay for
// compiling its SQL again.
func (m *merger) stmt(query string) (*sql.Stmt, error) {
	if st, ok := m.stmts[query]; ok {
		return st, nil
	}
	dbStmt, err := m.s.prepared(m.ctx, query)
	if err != nil {
		return nil, err
	}
	st := m.tx.StmtContext(m.ctx, dbStmt)
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

// each runs query and calls scan for each row.
func (m *merger) each(query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := m.query(query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
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
// op becomes one unless an operation already known superseded it. The
// shown value and the deletion state are then recomputed in SQL, with
// statements only: a query costs several times an exec through cgo, and
// this is the path every operation takes.
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
	if _, err := m.exec(`INSERT INTO heads(entity, row_id, field, device, seq) SELECT ?, ?, ?, ?, ?
		WHERE NOT EXISTS (SELECT 1 FROM superseded WHERE device = ? AND seq = ?)`,
		op.Entity, op.Row, op.Field, op.Device, op.Seq, op.Device, op.Seq); err != nil {
		return err
	}
	if err := m.ensureRow(e, op.Row); err != nil {
		return err
	}
	if column == "tombstone" {
		m.tombstoned[e.Name+"/"+op.Row] = true
	}
	// Usually op is now the field's only head, and its value is the value.
	if column != "tombstone" {
		var v any = op.Value
		if f, _ := e.Field(op.Field); !f.Sealed && !f.Secret && op.Value != nil {
			v = string(op.Value)
		}
		res, err := m.exec(fmt.Sprintf(`UPDATE %s SET %s = ?1 WHERE id = ?2 AND NOT EXISTS (
			SELECT 1 FROM heads WHERE entity = ?3 AND row_id = ?2 AND field = ?4 AND NOT (device = ?5 AND seq = ?6))`,
			e.Table, quote(column)), v, op.Row, op.Entity, op.Field, op.Device, op.Seq)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return m.updateDeleted(e, op.Row, false)
		}
	}
	// Otherwise the shown value is the newest head by (hlc, device), unless
	// a head holds the field's winning value (a revoke), which then shows.
	wins := ""
	if f, ok := e.Field(op.Field); ok {
		wins = f.Wins
	}
	value := `(SELECT o.value FROM heads h JOIN ops o ON o.device = h.device AND o.seq = h.seq
		WHERE h.entity = ?2 AND h.row_id = ?3 AND h.field = ?4
		ORDER BY (?1 != '' AND CAST(o.value AS TEXT) = ?1) DESC, o.hlc DESC, h.device DESC LIMIT 1)`
	if column == "tombstone" {
		value = "COALESCE(CAST(" + value + " AS TEXT), '')"
	} else if f, _ := e.Field(op.Field); !f.Sealed && !f.Secret {
		value = "CAST(" + value + " AS TEXT)"
	}
	if _, err := m.exec(fmt.Sprintf(`UPDATE %s SET %s = %s WHERE id = ?3`, e.Table, quote(column), value),
		wins, op.Entity, op.Row, op.Field); err != nil {
		return err
	}
	return m.updateDeleted(e, op.Row, column == "tombstone")
}

// ensureRow makes sure the state table has a row for the record, and
// learns whether the record has a tombstone: a new row has none.
func (m *merger) ensureRow(e *EntityDef, row string) error {
	key := e.Name + "/" + row
	res, err := m.exec(fmt.Sprintf(`INSERT INTO %s(id) VALUES(?) ON CONFLICT(id) DO NOTHING`, e.Table), row)
	if err != nil {
		return err
	}
	if _, known := m.tombstoned[key]; known {
		return nil
	}
	if n, _ := res.RowsAffected(); n == 1 {
		m.tombstoned[key] = false
		return nil
	}
	rows, err := m.query(fmt.Sprintf(`SELECT tombstone != '' FROM %s WHERE id = ?`, e.Table), row)
	if err != nil {
		return err
	}
	defer rows.Close()
	has := false
	if rows.Next() {
		if err := rows.Scan(&has); err != nil {
			return err
		}
	}
	m.tombstoned[key] = has
	return rows.Err()
}

// updateDeleted decides whether a tombstoned record is gone: only when the
// tombstone saw every value the record now has (the heads of its registers
// and the adds of its sets). An edit it did not see brings the record back,
// marked for review. Records without a tombstone are left alone, unless the
// tombstone itself just changed (a restore). The subqueries name the outer
// row so that SQLite runs them only for a row that has a tombstone.
func (m *merger) updateDeleted(e *EntityDef, row string, tombstoneChanged bool) error {
	if !tombstoneChanged && !m.tombstoned[e.Name+"/"+row] {
		return nil
	}
	cond := "tombstone != ''"
	if tombstoneChanged {
		cond = "1"
	}
	_, err := m.exec(fmt.Sprintf(`UPDATE %[1]s SET (deleted, review) = (
		SELECT gone * (tombstone != ''), (1 - gone) * (tombstone != '') FROM (SELECT NOT EXISTS (
			SELECT 1 FROM (
				SELECT device || '/' || seq AS op FROM heads WHERE entity = ? AND row_id = %[1]s.id AND field != ?
				UNION SELECT device || '/' || seq FROM set_elems WHERE entity = ? AND row_id = %[1]s.id)
			WHERE op NOT IN (SELECT value FROM json_each(CASE WHEN json_valid(%[1]s.tombstone) THEN %[1]s.tombstone ELSE '[]' END))) AS gone))
		WHERE id = ? AND %[2]s`, e.Table, cond),
		e.Name, FieldTombstone, e.Name, row)
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
		if _, err := m.exec(`INSERT OR IGNORE INTO set_elems(entity, row_id, field, elem, device, seq) SELECT ?, ?, ?, ?, ?, ?
			WHERE NOT EXISTS (SELECT 1 FROM superseded WHERE device = ? AND seq = ?)`,
			op.Entity, op.Row, op.Field, elem, op.Device, op.Seq, op.Device, op.Seq); err != nil {
			return err
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
	if err := m.ensureRow(e, op.Row); err != nil {
		return err
	}
	if _, err := m.exec(fmt.Sprintf(`UPDATE %s SET %s = (SELECT COALESCE(group_concat(elem, ','), '') FROM (
		SELECT DISTINCT elem FROM set_elems WHERE entity = ? AND row_id = ? AND field = ? ORDER BY elem)) WHERE id = ?`,
		e.Table, quote(op.Field)), op.Entity, op.Row, op.Field, op.Row); err != nil {
		return err
	}
	return m.updateDeleted(e, op.Row, false)
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
