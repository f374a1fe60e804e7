package data

import (
	"fmt"
	"strings"
	gosync "sync"
)

// Bulk statements. A sync round or an import writes hundreds of thousands
// of rows, and with database/sql and mattn/go-sqlite3 most of the cost of a
// one-row statement is the call itself, not SQLite. Bulk statements write
// many rows a call: a multi-row VALUES list of bound parameters, which
// statements read as a table of column1, column2, ...:
//
//	INSERT INTO t(a, b) {rows}
//	INSERT INTO t(a, b) SELECT column1, column2 FROM ({rows}) AS j WHERE ...
//
// {rows} becomes "VALUES (?, ?), (?, ?), ..." for as many rows as one call
// binds. (Binding values keeps bytes and strings exactly as they are; an
// earlier version passed a JSON array instead, which SQLite parsed more
// slowly than it bound the same values.)

// bulkRows collects the rows of a bulk statement as bound values, cols a
// row.
type bulkRows struct {
	cols int
	vals []any
}

// add appends one row; vals must be cols values.
func (r *bulkRows) add(vals ...any) { r.vals = append(r.vals, vals...) }

// rows is how many rows r holds.
func (r *bulkRows) rows() int {
	if r.cols == 0 {
		return 0
	}
	return len(r.vals) / r.cols
}

// reset empties r, keeping its buffer.
func (r *bulkRows) reset() { clear(r.vals); r.vals = r.vals[:0] }

// bulkValues is about how many values one call binds: measured, about
// fifty operation rows a call is where a bigger statement stops paying.
const bulkValues = 450

// bulkExec runs query over the rows of r, a call per bulkValues values.
// shared are values every row has in common, bound once a call as ?1, ?2,
// ... (they must come before {rows} in query): each value bound costs a
// call through cgo, and an operation's device and author rarely vary.
func (m *merger) bulkExec(query string, r *bulkRows, shared ...any) error {
	per := max(1, bulkValues/r.cols)
	n := r.rows()
	args := make([]any, 0, len(shared)+per*r.cols)
	for start := 0; start < n; start += per {
		k := min(per, n-start)
		args = append(append(args[:0], shared...), r.vals[start*r.cols:(start+k)*r.cols]...)
		if _, err := m.exec(bulkSQL(query, r.cols, k), args...); err != nil {
			return err
		}
	}
	return nil
}

type bulkKey struct {
	query      string
	cols, rows int
}

var bulkSQLs gosync.Map // bulkKey → string

// bulkSQL is query with {rows} as a VALUES list of rows rows of cols
// parameters.
func bulkSQL(query string, cols, rows int) string {
	key := bulkKey{query, cols, rows}
	if q, ok := bulkSQLs.Load(key); ok {
		return q.(string)
	}
	row := "(?" + strings.Repeat(", ?", cols-1) + ")"
	q := strings.Replace(query, "{rows}", "VALUES "+row+strings.Repeat(", "+row, rows-1), 1)
	bulkSQLs.Store(key, q)
	return q
}

// addOp adds op as a row of insertOpsSQL, prev given already encoded.
func (r *bulkRows) addOp(op *Op, prev string) {
	r.add(op.Seq, int64(op.HLC), op.Entity, op.Row, op.Field, blobArg(op.Value), prev)
}

// blobArg binds v as a BLOB, or NULL when it is nil (a nil []byte in an
// interface would not be nil).
func blobArg(v []byte) any {
	if v == nil {
		return nil
	}
	return v
}

// insertOpsSQL appends operations of one device and author (?1, ?2,
// shared) from rows of seq, hlc, entity, row, field, value, prev (addOp);
// the caller knows they are new.
const insertOpsSQL = `INSERT INTO ops(device, user_id, seq, hlc, entity, row_id, field, value, prev)
	SELECT ?1, ?2, * FROM ({rows})`

// insertCreatedOpsSQL appends the operations of records just created:
// one device, author and entity, and no prev (?1, ?2, ?3 shared), from
// rows of seq, hlc, row, field, value.
const insertCreatedOpsSQL = `INSERT INTO ops(device, user_id, entity, prev, seq, hlc, row_id, field, value)
	SELECT ?1, ?2, ?3, '[]', * FROM ({rows})`

// Heads and set members of new operations are read back out of the ops
// just written, by runs of sequence numbers (device, first, last), so
// that none of their values is bound twice. An operation that a known one
// superseded is history, not a head or a member.
var (
	headsFromOpsSQL = `INSERT INTO heads(entity, row_id, field, device, seq)
		SELECT o.entity, o.row_id, o.field, o.device, o.seq FROM ({rows}) AS r
		JOIN ops o ON o.device = r.column1 AND o.seq BETWEEN r.column2 AND r.column3
		WHERE ` + registerOpSQL("o") + `
		AND NOT EXISTS (SELECT 1 FROM superseded WHERE device = o.device AND seq = o.seq)`
	elemsFromOpsSQL = `INSERT OR IGNORE INTO set_elems(entity, row_id, field, elem, device, seq)
		SELECT o.entity, o.row_id, o.field, CAST(substr(o.value, 2) AS TEXT), o.device, o.seq FROM ({rows}) AS r
		JOIN ops o ON o.device = r.column1 AND o.seq BETWEEN r.column2 AND r.column3
		WHERE ` + setOpSQL("o") + ` AND substr(o.value, 1, 1) = x'2b'
		AND NOT EXISTS (SELECT 1 FROM superseded WHERE device = o.device AND seq = o.seq)`
)

// registerOpSQL is true for operations, in table alias o, on a register:
// a tombstone, or a field of a register entity that is not a set.
func registerOpSQL(o string) string {
	var regs []string
	for _, e := range entities {
		if !e.Append {
			regs = append(regs, sqlString(e.Name))
		}
	}
	return fmt.Sprintf("%[1]s.entity IN (%[2]s) AND (%[1]s.field = %[3]s OR %[1]s.entity || '.' || %[1]s.field NOT IN (%[4]s))",
		o, strings.Join(regs, ", "), sqlString(FieldTombstone), setFieldsSQL())
}

// setOpSQL is true for operations, in table alias o, on a set field.
func setOpSQL(o string) string {
	return fmt.Sprintf("%[1]s.field != %[2]s AND %[1]s.entity || '.' || %[1]s.field IN (%[3]s)", o, sqlString(FieldTombstone), setFieldsSQL())
}

// setFieldsSQL lists the set fields of register entities as SQL strings
// 'entity.field'.
func setFieldsSQL() string {
	var sets []string
	for _, e := range entities {
		for _, f := range e.Fields {
			if !e.Append && f.Kind == Set {
				sets = append(sets, sqlString(e.Name+"."+f.Name))
			}
		}
	}
	return strings.Join(sets, ", ")
}

// seqRuns collects runs of consecutive sequence numbers of one device, as
// rows of device, first, last for headsFromOpsSQL and elemsFromOpsSQL.
type seqRuns struct {
	bulkRows
	dev    string
	lo, hi int64
}

func newSeqRuns() seqRuns { return seqRuns{bulkRows: bulkRows{cols: 3}} }

func (s *seqRuns) reset() {
	s.bulkRows.reset()
	s.dev = ""
}

// add takes in one operation's name; names come in ascending order per
// device within a run.
func (s *seqRuns) add(dev string, seq int64) {
	if s.dev == dev && seq == s.hi+1 {
		s.hi = seq
		return
	}
	s.flush()
	s.dev, s.lo, s.hi = dev, seq, seq
}

// flush ends the current run; call it before writing.
func (s *seqRuns) flush() {
	if s.dev != "" {
		s.bulkRows.add(s.dev, s.lo, s.hi)
	}
	s.dev = ""
}

// entitySQL holds the bulk statements of one entity, made once from the
// schema.
type entitySQL struct {
	insertRows string // new rows whole: id, then each field's value or nil (create)
	appendRows string // the same, ignoring known IDs (append-only records)
	updateRows string // recompute touched fields of existing rows: id, mask
	newRows    string // insert touched rows not there yet, computed the same way
	deleted    string // recompute deleted and review of touched rows
}

var entitySQLs = func() map[string]*entitySQL {
	m := map[string]*entitySQL{}
	for _, e := range entities {
		if len(e.Fields) > 62 {
			panic("entity " + e.Name + " has too many fields for a 64-bit mask")
		}
		s := &entitySQL{
			insertRows: rowInsertSQL(e, "INSERT"),
			appendRows: rowInsertSQL(e, "INSERT OR IGNORE"),
		}
		if !e.Append {
			s.updateRows, s.newRows, s.deleted = mergeRowSQL(e)
		}
		m[e.Name] = s
	}
	return m
}()

// rowInsertSQL inserts rows of e's table from rows of id and the field
// values in e.Fields order (nil for none): sealed and secret fields as
// []byte, the others as string, as the merge writes them.
func rowInsertSQL(e *EntityDef, verb string) string {
	cols := []string{"id"}
	for _, f := range e.Fields {
		cols = append(cols, quote(f.Name))
	}
	return fmt.Sprintf("%s INTO %s(%s) {rows}", verb, e.Table, strings.Join(cols, ", "))
}

// rowValue is a field's value as rowInsertSQL binds it.
func rowValue(f FieldDef, v []byte) any {
	if v == nil || f.Sealed || f.Secret {
		return blobArg(v)
	}
	return string(v)
}

// fieldBit is the bit of a touched-fields mask that stands for field:
// its index in e.Fields, or one past the last for the tombstone.
func fieldBit(e *EntityDef, field string) uint64 {
	if field == FieldTombstone {
		return 1 << len(e.Fields)
	}
	return 1 << e.fieldIndex(field)
}

// mergeRowSQL makes the statements that bring the rows of e's table up to
// date after a batch changed heads and set members. Each reads rows of [id,
// mask of touched fields] and recomputes just those fields, with the
// expressions merger.applyRegister and merger.applySet use: the newest
// head by (hlc, device), a winning value first; a set as its sorted,
// distinct members.
func mergeRowSQL(e *EntityDef) (update, insert, deleted string) {
	var sets, vals []string
	cols := []string{"id"}
	for i, f := range e.Fields {
		expr := ""
		switch {
		case f.Kind == Set:
			expr = setValueSQL(e, f.Name, "%[1]s")
		case f.Sealed || f.Secret:
			expr = headValueSQL(e, f.Name, f.Wins, "%[1]s")
		default:
			expr = "CAST(" + headValueSQL(e, f.Name, f.Wins, "%[1]s") + " AS TEXT)"
		}
		cols = append(cols, quote(f.Name))
		sets = append(sets, fmt.Sprintf("%s = CASE WHEN j.m & %d THEN %s ELSE %s END", quote(f.Name), uint64(1)<<i,
			fmt.Sprintf(expr, e.Table+".id"), quote(f.Name)))
		vals = append(vals, fmt.Sprintf("CASE WHEN j.m & %d THEN %s END", uint64(1)<<i, fmt.Sprintf(expr, "j.id")))
	}
	tomb := "COALESCE(CAST(" + headValueSQL(e, FieldTombstone, "", "%[1]s") + " AS TEXT), '')"
	bit := fieldBit(e, FieldTombstone)
	sets = append(sets, fmt.Sprintf("tombstone = CASE WHEN j.m & %d THEN %s ELSE tombstone END", bit, fmt.Sprintf(tomb, e.Table+".id")))
	cols = append(cols, "tombstone")
	vals = append(vals, fmt.Sprintf("CASE WHEN j.m & %d THEN %s ELSE '' END", bit, fmt.Sprintf(tomb, "j.id")))

	const touched = "(SELECT column1 AS id, column2 AS m FROM ({rows})) AS j"
	update = fmt.Sprintf("UPDATE %s SET %s FROM %s WHERE %s.id = j.id", e.Table, strings.Join(sets, ",\n"), touched, e.Table)
	insert = fmt.Sprintf("INSERT INTO %s(%s) SELECT j.id, %s FROM %s WHERE NOT EXISTS (SELECT 1 FROM %s WHERE id = j.id)",
		e.Table, strings.Join(cols, ", "), strings.Join(vals, ",\n"), touched, e.Table)
	// As merger.updateDeleted: rows whose tombstone changed, and rows
	// that have one.
	deleted = fmt.Sprintf(`UPDATE %[1]s SET (deleted, review) = (
		SELECT gone * (tombstone != ''), (1 - gone) * (tombstone != '') FROM (SELECT NOT EXISTS (
			SELECT 1 FROM (
				SELECT device || '/' || seq AS op FROM heads WHERE entity = %[2]s AND row_id = %[1]s.id AND field != %[3]s
				UNION SELECT device || '/' || seq FROM set_elems WHERE entity = %[2]s AND row_id = %[1]s.id)
			WHERE op NOT IN (SELECT value FROM json_each(CASE WHEN json_valid(%[1]s.tombstone) THEN %[1]s.tombstone ELSE '[]' END))) AS gone))
		FROM %[4]s WHERE %[1]s.id = j.id AND (%[1]s.tombstone != '' OR j.m & %[5]d)`,
		e.Table, sqlString(e.Name), sqlString(FieldTombstone), touched, bit)
	return update, insert, deleted
}

// headValueSQL is the shown value of a register for the row named by the
// SQL expression row (as a format verb %[1]s): the newest head by (hlc,
// device), unless a head holds the field's winning value.
func headValueSQL(e *EntityDef, field, wins, row string) string {
	order := "o.hlc DESC, h.device DESC"
	if wins != "" {
		order = "(CAST(o.value AS TEXT) = " + sqlString(wins) + ") DESC, " + order
	}
	return fmt.Sprintf(`(SELECT o.value FROM heads h JOIN ops o ON o.device = h.device AND o.seq = h.seq
		WHERE h.entity = %s AND h.row_id = %s AND h.field = %s ORDER BY %s LIMIT 1)`,
		sqlString(e.Name), row, sqlString(field), order)
}

// setValueSQL is a set field's column: its members, distinct and sorted,
// joined with commas.
func setValueSQL(e *EntityDef, field, row string) string {
	return fmt.Sprintf(`(SELECT COALESCE(group_concat(elem, ','), '') FROM (
		SELECT DISTINCT elem FROM set_elems WHERE entity = %s AND row_id = %s AND field = %s ORDER BY elem))`,
		sqlString(e.Name), row, sqlString(field))
}

// sqlString quotes s as an SQL string literal (names from the schema).
func sqlString(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
