package data

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// loadFields reads records of entity e as text fields, with sealed fields
// opened under key (left empty when key is nil or does not open them).
// where is a SQL condition on the table (without deleted records for
// register entities); each map also holds "id" and, for registers, "review".
func loadFields(ctx context.Context, q queryer, key []byte, e *EntityDef, where string, args ...any) ([]map[string]string, error) {
	cols := []string{"id"}
	if !e.Append {
		cols = append(cols, "review")
	}
	for _, f := range e.Fields {
		cols = append(cols, quote(f.Name))
	}
	cond := "1"
	if !e.Append {
		cond = "deleted = 0"
	}
	if where != "" {
		cond += " AND (" + where + ")"
	}
	rows, err := q.QueryContext(ctx, fmt.Sprintf("SELECT %s FROM %s WHERE %s ORDER BY id",
		strings.Join(cols, ", "), e.Table, cond), args...)
	if err != nil {
		return nil, storeErr(fmt.Errorf("read %s: %w", e.Name, err))
	}
	defer rows.Close()
	var out []map[string]string
	vals := make([]any, len(cols))
	raw := make([]sql.RawBytes, len(cols))
	for i := range vals {
		vals[i] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(vals...); err != nil {
			return nil, err
		}
		m := make(map[string]string, len(cols))
		m["id"] = string(raw[0])
		off := 1
		if !e.Append {
			m["review"] = map[bool]string{true: "true", false: "false"}[string(raw[1]) == "1"]
			off = 2
		}
		for i, f := range e.Fields {
			b := raw[off+i]
			if f.Sealed && len(b) > 0 {
				if key == nil {
					continue
				}
				plain, err := Unseal(key, b, sealAD(e.Name, f.Name, m["id"]))
				if err != nil {
					return nil, fmt.Errorf("open %s.%s of %s: %w", e.Name, f.Name, m["id"], err)
				}
				m[f.Name] = string(plain)
				continue
			}
			m[f.Name] = string(b)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// loadOne reads one record by ID into v (a pointer to a domain struct),
// returning ENOTFOUND when there is none.
func loadOne(ctx context.Context, q queryer, key []byte, entity, id string, v any) (map[string]string, error) {
	e, _ := Entity(entity)
	ms, err := loadFields(ctx, q, key, e, "id = ?", id)
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, Errorf(ENOTFOUND, "no %s with ID %s", strings.ReplaceAll(entity, "_", " "), id)
	}
	fromFields(ms[0], v)
	return ms[0], nil
}

// scanRows runs query and calls fn with each row's columns, which are valid
// only during the call.
func (sess *Session) scanRows(ctx context.Context, query string, args []any, fn func([]sql.RawBytes)) error {
	rows, err := sess.s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return storeErr(err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return storeErr(err)
	}
	raw := make([]sql.RawBytes, len(cols))
	dest := make([]any, len(cols))
	for i := range raw {
		dest[i] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return storeErr(err)
		}
		fn(raw)
	}
	return storeErr(rows.Err())
}
