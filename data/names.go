package data

import (
	"bytes"
	"context"
	"database/sql"
	"slices"
	"strings"
	"unicode"

	"github.com/google/uuid"
)

// personNames returns "First L." for every person, by person ID. The table
// is shared: callers only read it. It is kept until the next change, as
// opening every person's sealed names is most of what a refresh of the
// case list or the check-ins costs at the state size.
func (sess *Session) personNames(ctx context.Context) (*nameTable, error) {
	sess.namesMu.Lock()
	defer sess.namesMu.Unlock()
	at := sess.s.commits.Load()
	if sess.names != nil && sess.namesAt == at {
		return sess.names, nil
	}
	names, err := sess.loadPersonNames(ctx)
	if err != nil {
		return nil, err
	}
	sess.names, sess.namesAt = names, at
	return names, nil
}

func (sess *Session) loadPersonNames(ctx context.Context) (*nameTable, error) {
	op, err := newOpener(sess.key)
	if err != nil {
		return nil, err
	}
	rows, err := sess.s.db.QueryContext(ctx, `SELECT id, first, last, alias FROM persons WHERE deleted = 0`)
	if err != nil {
		return nil, storeErr(err)
	}
	defer rows.Close()
	var b nameTableBuilder
	var id string
	var first, last, alias sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&id, &first, &last, &alias); err != nil {
			return nil, err
		}
		open := func(field string, b []byte) string {
			if len(b) == 0 {
				return ""
			}
			p, err := op.open(b, EntPerson, field, id)
			if err != nil {
				return ""
			}
			return string(p)
		}
		b.add(id, DisplayName(open("first", first), open("last", last), open("alias", alias)))
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return b.build(), nil
}

// nameTable is a name for each of many IDs, kept compactly: at the state
// size it holds 100,000 people for as long as a session lasts, which as a
// map of strings took 11 MB. IDs in the form NewID makes are kept as their
// 16 bytes, sorted, with the names in one string; others in a map.
type nameTable struct {
	ids   []uuidKey // sorted
	ends  []uint32  // where the name of ids[i] ends in text; it starts where the previous one ended
	text  string
	other map[string]string
}

type uuidKey [16]byte

// parseUUID reads an ID in the form NewID writes (8-4-4-4-12 lower-case
// hexadecimal digits). Any other form is not a uuidKey, so that each ID has
// one key and reads back the same.
func parseUUID(s string) (uuidKey, bool) {
	if len(s) != 36 || strings.ToLower(s) != s {
		return uuidKey{}, false
	}
	u, err := uuid.Parse(s)
	return uuidKey(u), err == nil
}

// String writes the key in the form NewID does.
func (k uuidKey) String() string { return uuid.UUID(k).String() }

// get returns the name of id, "" if it has none.
func (t *nameTable) get(id string) string {
	k, ok := parseUUID(id)
	if !ok {
		return t.other[id]
	}
	i, found := slices.BinarySearchFunc(t.ids, k, func(a, b uuidKey) int { return bytes.Compare(a[:], b[:]) })
	if !found {
		return ""
	}
	start := uint32(0)
	if i > 0 {
		start = t.ends[i-1]
	}
	return t.text[start:t.ends[i]]
}

// nameTableBuilder collects a nameTable's entries in any order.
type nameTableBuilder struct {
	keyed []keyedName
	other map[string]string
	size  int
}

type keyedName struct {
	key  uuidKey
	name string
}

func (b *nameTableBuilder) add(id, name string) {
	if k, ok := parseUUID(id); ok {
		b.keyed = append(b.keyed, keyedName{k, name})
		b.size += len(name)
		return
	}
	if b.other == nil {
		b.other = map[string]string{}
	}
	b.other[id] = name
}

func (b *nameTableBuilder) build() *nameTable {
	slices.SortFunc(b.keyed, func(x, y keyedName) int { return bytes.Compare(x.key[:], y.key[:]) })
	t := &nameTable{ids: make([]uuidKey, len(b.keyed)), ends: make([]uint32, len(b.keyed)), other: b.other}
	var text strings.Builder
	text.Grow(b.size)
	for i, kn := range b.keyed {
		t.ids[i] = kn.key
		text.WriteString(kn.name)
		t.ends[i] = uint32(text.Len())
	}
	t.text = text.String()
	return t
}

// DisplayName is how lists show a person: first name and last initial
// ("Daniel R."), else the alias.
func DisplayName(first, last, alias string) string {
	first = strings.TrimSpace(first)
	if first == "" {
		return strings.TrimSpace(alias)
	}
	for _, r := range strings.TrimSpace(last) {
		return first + " " + string(unicode.ToUpper(r)) + "."
	}
	return first
}
