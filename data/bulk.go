package data

import (
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Bulk statements. Every value bound to a statement crosses from Go to C
// once, and with mattn/go-sqlite3 that crossing, not SQLite, was most of
// the cost of an import or of applying a segment (about 200 ns a value, 9
// values an operation). Bulk statements bind one JSON text instead: an
// array of rows, each an array of values, which the statement reads with
// json_each:
//
//	INSERT INTO t(a, b) SELECT value->>0, value->>1 FROM json_each(?)
//
// Strings that JSON carries exactly (valid UTF-8 without control
// characters, see jsonSafe) go in as JSON strings; bytes that must arrive
// unchanged (values, which are BLOBs and may be ciphertext) go in as hex
// and come out through unhex().

// jsonRows builds the JSON array of arrays a bulk statement reads.
type jsonRows struct {
	b     []byte
	rows  int
	first bool // no value yet in the current row
}

// row starts a new row.
func (j *jsonRows) row() {
	if j.rows == 0 {
		j.b = append(j.b[:0], '[')
	} else {
		j.b = append(j.b, "],"...)
	}
	j.b = append(j.b, '[')
	j.rows++
	j.first = true
}

func (j *jsonRows) sep() {
	if !j.first {
		j.b = append(j.b, ',')
	}
	j.first = false
}

// str adds a string; the caller has checked it with jsonSafe.
func (j *jsonRows) str(s string) {
	j.sep()
	j.b = append(j.b, '"')
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '"' || c == '\\' {
			j.b = append(j.b, '\\', c)
		} else {
			j.b = append(j.b, c)
		}
	}
	j.b = append(j.b, '"')
}

// int adds an integer.
func (j *jsonRows) int(n int64) {
	j.sep()
	j.b = strconv.AppendInt(j.b, n, 10)
}

// hex adds bytes as a hex string, or null for nil: unhex() in SQL gives
// back the same BLOB (an empty one for empty bytes) or NULL.
func (j *jsonRows) hex(b []byte) {
	j.sep()
	if b == nil {
		j.b = append(j.b, "null"...)
		return
	}
	j.b = append(j.b, '"')
	j.b = hex.AppendEncode(j.b, b)
	j.b = append(j.b, '"')
}

// hexString adds the bytes of s as a hex string.
func (j *jsonRows) hexString(s string) {
	j.sep()
	j.b = append(j.b, '"')
	for i := 0; i < len(s); i++ {
		j.b = append(j.b, hexDigits[s[i]>>4], hexDigits[s[i]&15])
	}
	j.b = append(j.b, '"')
}

const hexDigits = "0123456789abcdef"

// null adds a JSON null.
func (j *jsonRows) null() {
	j.sep()
	j.b = append(j.b, "null"...)
}

// text returns the JSON array; "[]" when there are no rows.
func (j *jsonRows) text() string {
	if j.rows == 0 {
		return "[]"
	}
	return string(j.b) + "]]"
}

// reset empties j, keeping its buffer.
func (j *jsonRows) reset() {
	j.b = j.b[:0]
	j.rows = 0
}

// jsonSafe reports whether s goes through a JSON string and SQLite's JSON
// functions unchanged: valid UTF-8 and no control characters (the strings
// bulk statements carry are IDs, entity and field names).
func jsonSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == 0x7f {
			return false
		} else if c >= utf8.RuneSelf {
			return utf8.ValidString(s[i:])
		}
	}
	return true
}

// opRowCols is the column list of ops as opRow writes it, and opRowSelect
// reads it back out of json_each.
const (
	opRowCols   = "device, seq, hlc, entity, row_id, field, value, prev, user_id"
	opRowSelect = "value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, unhex(value->>6), value->>7, value->>8"
)

// opRow adds op as a row of the ops table, prev given already encoded.
func (j *jsonRows) opRow(op *Op, prev string) {
	j.row()
	j.str(op.Device)
	j.int(op.Seq)
	j.int(int64(op.HLC))
	j.str(op.Entity)
	j.str(op.Row)
	j.str(op.Field)
	j.hex(op.Value)
	j.str(prev)
	j.str(op.User)
}

// insertOpsSQL appends operations; the caller knows they are new.
const insertOpsSQL = "INSERT INTO ops(" + opRowCols + ") SELECT " + opRowSelect + " FROM json_each(?)"

const (
	insertHeadsSQL = `INSERT INTO heads(entity, row_id, field, device, seq)
		SELECT value->>0, value->>1, value->>2, value->>3, value->>4 FROM json_each(?)`
	insertElemsSQL = `INSERT INTO set_elems(entity, row_id, field, elem, device, seq)
		SELECT value->>0, value->>1, value->>2, CAST(unhex(value->>3) AS TEXT), value->>4, value->>5 FROM json_each(?)`
)

// entitySQL holds the bulk statements of one entity, made once from the
// schema.
type entitySQL struct {
	insertRows string // new rows whole: [id, hex or null per field] (create)
	appendRows string // the same, ignoring known IDs (append-only records)
	updateRows string // recompute touched fields of existing rows: [id, mask]
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

// rowInsertSQL inserts rows of e's table from rows of [id, field values in
// e.Fields order as hex or null]: sealed and secret fields as BLOBs, the
// others as text, as the merge writes them.
func rowInsertSQL(e *EntityDef, verb string) string {
	cols := []string{"id"}
	sel := []string{"value->>0"}
	for i, f := range e.Fields {
		cols = append(cols, quote(f.Name))
		v := fmt.Sprintf("unhex(value->>%d)", i+1)
		if !f.Sealed && !f.Secret {
			v = "CAST(" + v + " AS TEXT)"
		}
		sel = append(sel, v)
	}
	return fmt.Sprintf("%s INTO %s(%s) SELECT %s FROM json_each(?)", verb, e.Table, strings.Join(cols, ", "), strings.Join(sel, ", "))
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

	const touched = "(SELECT value->>0 AS id, value->>1 AS m FROM json_each(?)) AS j"
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
