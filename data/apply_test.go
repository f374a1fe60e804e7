package data

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"
)

// The bulk ApplyRemote must leave exactly the state that applying the same
// operations one by one through merger.apply leaves. These tests make
// random, well-formed operation sets (each written by a simulated device
// from what it knew) and compare every table, value types included.

// simDevice writes operations the way a device does: prev is what it
// knows to be current.
type simDevice struct {
	opMaker
	known map[OpID]*Op
	order []*Op // known operations in the order learnt
}

func (d *simDevice) learn(op *Op) {
	if _, ok := d.known[op.ID()]; ok {
		return
	}
	d.known[op.ID()] = op
	d.order = append(d.order, op)
	d.hlc = max(d.hlc, op.HLC)
}

// seen reports whether a known operation lists id in its prev.
func (d *simDevice) seen(id OpID) bool {
	for _, o := range d.order {
		for _, p := range o.Prev {
			if p == id {
				return true
			}
		}
	}
	return false
}

// heads are the known register operations on the field that no known
// operation has seen.
func (d *simDevice) heads(entity, row, field string) []OpID {
	var out []OpID
	for _, o := range d.order {
		if o.Entity == entity && o.Row == row && o.Field == field && !d.seen(o.ID()) {
			out = append(out, o.ID())
		}
	}
	return out
}

// adds are the known adds of elem (any element if elem is "") to the set
// that no known remove has seen.
func (d *simDevice) adds(entity, row, field, elem string) []OpID {
	var out []OpID
	for _, o := range d.order {
		if o.Entity == entity && o.Row == row && o.Field == field && len(o.Value) > 0 && o.Value[0] == '+' &&
			(elem == "" || string(o.Value[1:]) == elem) && !d.seen(o.ID()) {
			out = append(out, o.ID())
		}
	}
	return out
}

type simField struct {
	entity, field string
	rows          []string
	values        []string
}

var simRegisters = []simField{
	{EntFacility, "name", []string{"f1", "f2", "f3"}, []string{"Gateway", "Hope House", `O'Brien "Hope"`, "Łódź\nhouse"}},
	{EntFacility, "city", []string{"f1", "f2", "f3"}, []string{"Aurora", "Naperville"}},
	{EntConsent, "status", []string{"k1", "k2"}, []string{ConsentGranted, ConsentRevoked}},
	{EntConsent, "purpose", []string{"k1"}, []string{"treatment", "coordination"}},
	{EntPerson, "first", []string{"p1", "p2"}, []string{"\x00\xff\x10sealed", "\x01\x02"}},
	{EntPerson, "gender", []string{"p1", "p2"}, []string{"female", "male"}},
	{EntUser, "password", []string{"u1"}, []string{"argon2id$1", "argon2id$2"}},
}

var simSets = []simField{
	{EntFacility, "services", []string{"f1", "f2", "f3"}, []string{"RES", "OTP", "MD", "é"}},
	{EntCoach, "languages", []string{"c1"}, []string{"en", "es", "pl"}},
}

// randomOps makes operations of several devices that edit, resolve, delete,
// add and remove concurrently, exchanging what they know at random.
func randomOps(rng *rand.Rand, steps int) []*Op {
	a, b, c := devices()
	devs := []*simDevice{{opMaker: *a}, {opMaker: *b}, {opMaker: *c}}
	for _, d := range devs {
		d.known = map[OpID]*Op{}
	}
	var all []*Op
	write := func(d *simDevice, op *Op) {
		if rng.Intn(8) == 0 { // clocks that tie: the device breaks the tie
			other := devs[rng.Intn(len(devs))]
			op.HLC = max(op.HLC, other.hlc)
		}
		d.learn(op)
		all = append(all, op)
	}
	value := func(pool []string) []byte {
		switch rng.Intn(12) {
		case 0:
			return nil
		case 1:
			return []byte{}
		}
		return []byte(pool[rng.Intn(len(pool))])
	}
	for i := 0; i < steps; i++ {
		d := devs[rng.Intn(len(devs))]
		switch k := rng.Intn(20); {
		case k < 8:
			f := simRegisters[rng.Intn(len(simRegisters))]
			row := f.rows[rng.Intn(len(f.rows))]
			op := d.op(f.entity, row, f.field, "", d.heads(f.entity, row, f.field)...)
			op.Value = value(f.values)
			write(d, op)
		case k < 11:
			f := simSets[rng.Intn(len(simSets))]
			row := f.rows[rng.Intn(len(f.rows))]
			elem := f.values[rng.Intn(len(f.values))]
			if adds := d.adds(f.entity, row, f.field, elem); len(adds) > 0 && rng.Intn(2) == 0 {
				write(d, d.op(f.entity, row, f.field, "-"+elem, adds...))
			} else {
				write(d, d.op(f.entity, row, f.field, "+"+elem))
			}
		case k < 13:
			// A delete covers what the device sees of the record.
			entity, row := EntFacility, []string{"f1", "f2", "f3"}[rng.Intn(3)]
			if rng.Intn(3) == 0 {
				entity, row = EntPerson, []string{"p1", "p2"}[rng.Intn(2)]
			}
			var live []string
			for _, o := range d.order {
				if o.Entity == entity && o.Row == row && o.Field != FieldTombstone && !d.seen(o.ID()) &&
					(len(o.Value) == 0 || o.Value[0] != '-') {
					live = append(live, o.ID().String())
				}
			}
			sort.Strings(live)
			cover, _ := json.Marshal(live)
			if live == nil {
				cover = []byte("[]")
			}
			op := d.op(entity, row, FieldTombstone, string(cover), d.heads(entity, row, FieldTombstone)...)
			if rng.Intn(5) == 0 {
				op.Value = nil // a restore
			}
			write(d, op)
		case k < 15:
			rec := map[string]string{"facility": "f1", "open": fmt.Sprint(rng.Intn(3))}
			if rng.Intn(2) == 0 {
				rec["note"] = []string{"", "beds \"open\"", "tél.\n2"}[rng.Intn(3)]
			}
			v, _ := json.Marshal(rec)
			write(d, d.op(EntAvailability, fmt.Sprintf("r%d", i), "", string(v)))
		case k < 16:
			rec := map[string]string{"case_id": "x1", "text": base64.StdEncoding.EncodeToString([]byte{byte(rng.Intn(256)), 0, 1})}
			if rng.Intn(3) == 0 {
				rec["text"] = ""
			}
			v, _ := json.Marshal(rec)
			write(d, d.op(EntNote, fmt.Sprintf("n%d", i), "", string(v)))
		default:
			// d learns some of what another device knows. (An append-only
			// record's ID is new each time: two different records with
			// one ID would depend on the order.)
			from := devs[rng.Intn(len(devs))]
			for _, o := range from.order {
				if rng.Intn(3) > 0 {
					d.learn(o)
				}
			}
		}
	}
	return all
}

// applyOneByOne is the old ApplyRemote: merger.apply for each operation,
// in transactions of random size.
func applyOneByOne(t *testing.T, s *Store, rng *rand.Rand, ops []*Op) {
	t.Helper()
	ctx := context.Background()
	for len(ops) > 0 {
		n := min(len(ops), 1+rng.Intn(8))
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		m := newMerger(ctx, s, tx)
		if _, err := m.applyEach(ops[:n]); err != nil {
			t.Fatal(err)
		}
		m.close()
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		ops = ops[n:]
	}
}

func shuffled(rng *rand.Rand, ops []*Op) []*Op {
	out := append([]*Op(nil), ops...)
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// dumpAll writes every synced table, every column with its type (SQL's
// quote()), sorted: the whole state of the merge.
func dumpAll(t *testing.T, s *Store) string {
	t.Helper()
	tables := []string{"ops", "heads", "superseded", "set_elems"}
	for _, e := range Entities() {
		tables = append(tables, e.Table)
	}
	var b strings.Builder
	for _, table := range tables {
		rows, err := s.db.Query("SELECT name FROM pragma_table_info(?)", table)
		if err != nil {
			t.Fatal(err)
		}
		var cols []string
		for rows.Next() {
			var c string
			rows.Scan(&c)
			cols = append(cols, "quote("+quote(c)+")")
		}
		rows.Close()
		rows, err = s.db.Query(fmt.Sprintf("SELECT %s FROM %s ORDER BY 1", strings.Join(cols, " || '|' || "), table))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "== %s\n", table)
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			b.WriteString(line + "\n")
		}
		rows.Close()
	}
	return b.String()
}

// firstDiff shows where two dumps part.
func firstDiff(a, b string) string {
	la, lb := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(la) && i < len(lb); i++ {
		if la[i] != lb[i] {
			return fmt.Sprintf("line %d:\n got %s\nwant %s", i+1, la[i], lb[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(la), len(lb))
}

func TestBulkApplyMatchesOneByOne(t *testing.T) {
	defer func(n int) { applyBatchSize = n }(applyBatchSize)
	ctx := context.Background()
	seeds := int64(30)
	if testing.Short() {
		seeds = 8
	}
	for seed := int64(1); seed <= seeds; seed++ {
		t.Run(fmt.Sprintf("Seed%d", seed), func(t *testing.T) {
			rng := rand.New(rand.NewSource(seed))
			ops := randomOps(rng, 60+rng.Intn(120))

			ref, _ := newTestStore(t)
			applyOneByOne(t, ref, rng, shuffled(rng, ops))
			want := dumpAll(t, ref)
			// The reference itself must not depend on the order, or the
			// operations are not ones devices could write.
			ref2, _ := newTestStore(t)
			applyOneByOne(t, ref2, rng, shuffled(rng, ops))
			if got := dumpAll(t, ref2); got != want {
				t.Fatalf("one by one in another order differs: %s", firstDiff(got, want))
			}

			// Bulk, in random batches with duplicates, some batches split
			// further than a segment would be.
			applyBatchSize = []int{5000, 3, 1}[seed%3]
			bulk, _ := newTestStore(t)
			rest := shuffled(rng, ops)
			for len(rest) > 0 {
				n := min(len(rest), 1+rng.Intn(40))
				batch := append([]*Op(nil), rest[:n]...)
				for i := rng.Intn(3); i > 0; i-- {
					batch = append(batch, ops[rng.Intn(len(ops))])
				}
				if _, err := bulk.ApplyRemote(ctx, shuffled(rng, batch)); err != nil {
					t.Fatal(err)
				}
				rest = rest[n:]
			}
			if got := dumpAll(t, bulk); got != want {
				t.Fatalf("bulk apply differs from one by one: %s", firstDiff(got, want))
			}
			if n, err := bulk.ApplyRemote(ctx, shuffled(rng, ops)); err != nil || n != 0 {
				t.Fatalf("apply again: %d new, %v", n, err)
			}
			if got := dumpAll(t, bulk); got != want {
				t.Fatalf("state changed on apply again: %s", firstDiff(got, want))
			}

			// All at once on a new store, as a joining device takes a
			// segment: every row is new, so its values come from the
			// batch alone (writeTouched).
			whole, _ := newTestStore(t)
			if _, err := whole.ApplyRemote(ctx, shuffled(rng, ops)); err != nil {
				t.Fatal(err)
			}
			if got := dumpAll(t, whole); got != want {
				t.Fatalf("all at once differs from one by one: %s", firstDiff(got, want))
			}

			// Half one by one, the rest in one bulk batch: the bulk path on
			// top of state the old path made.
			mixed, _ := newTestStore(t)
			order := shuffled(rng, ops)
			half := len(order) / 2
			applyOneByOne(t, mixed, rng, order[:half])
			if _, err := mixed.ApplyRemote(ctx, order[half:]); err != nil {
				t.Fatal(err)
			}
			if got := dumpAll(t, mixed); got != want {
				t.Fatalf("one by one then bulk differs: %s", firstDiff(got, want))
			}
		})
	}
}
