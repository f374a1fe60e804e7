package data

import (
	"context"
	"fmt"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// newTestStore opens a fresh store in a temporary folder with a fixed clock.
func newTestStore(t testing.TB) (*Store, *FixedClock) {
	t.Helper()
	clock := &FixedClock{T: time.Date(2026, 11, 27, 19, 2, 0, 0, time.UTC)}
	kdf := TestKDF
	s, err := Create(context.Background(), filepath.Join(t.TempDir(), "data"), Options{Clock: clock, KDF: &kdf})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, clock
}

// state dumps what the merge produced: heads, set members, and the
// facility, consent and shift tables (the entities the hand-built
// operations below touch), in a stable order.
func state(t *testing.T, s *Store) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT entity, row_id, field, device, seq FROM heads ORDER BY 1, 2, 3, 4, 5`,
		`SELECT entity, row_id, field, elem FROM set_elems ORDER BY 1, 2, 3, 4`,
		`SELECT id, COALESCE(name, ''), COALESCE(city, ''), COALESCE(services, ''), tombstone, deleted, review FROM facilities ORDER BY id`,
		`SELECT id, COALESCE(status, ''), COALESCE(purpose, '') FROM consents ORDER BY id`,
		`SELECT id, COALESCE(facility, ''), COALESCE(open, '') FROM availability_reports ORDER BY id`,
	} {
		rows, err := s.db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				if bs, ok := v.([]byte); ok {
					v = string(bs)
				}
				fmt.Fprintf(&b, "%v|", v)
			}
			b.WriteString("\n")
		}
		rows.Close()
		b.WriteString("--\n")
	}
	return b.String()
}

// opMaker builds operations of one device by hand.
type opMaker struct {
	device string
	seq    int64
	hlc    HLC
}

func (m *opMaker) op(entity, row, field, value string, prev ...OpID) *Op {
	m.seq++
	m.hlc += 1 << hlcCounterBits
	return &Op{HLC: m.hlc, Device: m.device, Seq: m.seq, Entity: entity, Row: row, Field: field,
		Value: []byte(value), Prev: prev, User: "u-" + m.device}
}

func devices() (*opMaker, *opMaker, *opMaker) {
	base := makeHLC(time.Date(2026, 11, 27, 19, 0, 0, 0, time.UTC).UnixMilli(), 0)
	return &opMaker{device: "A", hlc: base}, &opMaker{device: "B", hlc: base + 7}, &opMaker{device: "C", hlc: base + 3}
}

// scenario is a set of operations covering every kind of data: causal and
// concurrent register writes, a conflict resolution, set adds and removes,
// a delete with a concurrent edit, consent grant and revoke, and appends.
func scenario() []*Op {
	a, b, c := devices()
	var ops []*Op
	add := func(o *Op) *Op { ops = append(ops, o); return o }

	// f1.name: A writes, B overwrites having seen it: no conflict.
	n1 := add(a.op(EntFacility, "f1", "name", "Gateway"))
	add(b.op(EntFacility, "f1", "name", "Gateway Aurora", n1.ID()))
	// f1.city: A and B write concurrently: a conflict.
	add(a.op(EntFacility, "f1", "city", "Aurora"))
	add(b.op(EntFacility, "f1", "city", "Naperville"))
	// f2.city: concurrent, then C keeps one, naming both.
	x := add(a.op(EntFacility, "f2", "city", "Elgin"))
	y := add(b.op(EntFacility, "f2", "city", "Joliet"))
	add(c.op(EntFacility, "f2", "city", "Joliet", x.ID(), y.ID()))
	// f1.services: A adds res and otp; B removes res having seen A's add;
	// C adds res again concurrently, which survives.
	res := add(a.op(EntFacility, "f1", "services", "+RES"))
	add(a.op(EntFacility, "f1", "services", "+OTP"))
	add(b.op(EntFacility, "f1", "services", "-RES", res.ID()))
	add(c.op(EntFacility, "f1", "services", "+RES"))
	// f3: created by A, deleted by B having seen everything: gone.
	f3 := add(a.op(EntFacility, "f3", "name", "Closed House"))
	add(b.op(EntFacility, "f3", FieldTombstone, fmt.Sprintf(`[%q]`, f3.ID().String())))
	// f4: created by A, deleted by B, edited by C concurrently: back, for review.
	f4 := add(a.op(EntFacility, "f4", "name", "Hope House"))
	add(b.op(EntFacility, "f4", FieldTombstone, fmt.Sprintf(`[%q]`, f4.ID().String())))
	add(c.op(EntFacility, "f4", "city", "Gurnee"))
	// k1.status: granted by A; B revokes and C re-grants concurrently, C newer:
	// revoke still wins until resolved.
	g := add(a.op(EntConsent, "k1", "status", ConsentGranted))
	add(b.op(EntConsent, "k1", "status", ConsentRevoked, g.ID()))
	c.hlc += 100 << hlcCounterBits
	add(c.op(EntConsent, "k1", "status", ConsentGranted, g.ID()))
	// Appends from two devices.
	add(a.op(EntAvailability, "r1", "", `{"facility":"f1","open":"2"}`))
	add(c.op(EntAvailability, "r2", "", `{"facility":"f1","open":"0"}`))
	return ops
}

func applyAll(t *testing.T, s *Store, ops []*Op, oneByOne bool) {
	t.Helper()
	ctx := context.Background()
	if !oneByOne {
		if _, err := s.ApplyRemote(ctx, ops); err != nil {
			t.Fatal(err)
		}
		return
	}
	for _, op := range ops {
		if _, err := s.ApplyRemote(ctx, []*Op{op}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMergeOrderIndependent(t *testing.T) {
	ops := scenario()
	ref, _ := newTestStore(t)
	applyAll(t, ref, ops, false)
	want := state(t, ref)
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 25; i++ {
		t.Run(fmt.Sprintf("Shuffle%d", i), func(t *testing.T) {
			shuffled := append([]*Op(nil), ops...)
			rng.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
			s, _ := newTestStore(t)
			applyAll(t, s, shuffled, i%2 == 0)
			if got := state(t, s); got != want {
				t.Fatalf("state after shuffled apply differs:\n got %s\nwant %s", got, want)
			}
		})
	}
}

func TestMergeOutcomes(t *testing.T) {
	s, _ := newTestStore(t)
	applyAll(t, s, scenario(), false)
	ctx := context.Background()
	cs, err := conflicts(ctx, s.db, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cs {
		got = append(got, fmt.Sprintf("%s.%s.%s=%d", c.Entity, c.Row, c.Field, len(c.Values)))
	}
	// Exactly the concurrent writes conflict: f1.city and k1.status. f1.name
	// (causal) and f2.city (resolved) do not.
	if want := "consent.k1.status=2 facility.f1.city=2"; strings.Join(got, " ") != want {
		t.Errorf("conflicts = %v, want %s", got, want)
	}
	row := func(q string, args ...any) string {
		var v string
		if err := s.db.QueryRow(q, args...).Scan(&v); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return v
	}
	tests := []struct{ name, query, want string }{
		{"CausalWriteWins", `SELECT name FROM facilities WHERE id = 'f1'`, "Gateway Aurora"},
		{"ConflictShowsNewest", `SELECT city FROM facilities WHERE id = 'f1'`, "Naperville"},
		{"ResolvedValue", `SELECT city FROM facilities WHERE id = 'f2'`, "Joliet"},
		{"AddSurvivesUnseenRemove", `SELECT services FROM facilities WHERE id = 'f1'`, "OTP,RES"},
		{"DeleteThatSawAll", `SELECT deleted || review FROM facilities WHERE id = 'f3'`, "10"},
		{"DeleteWithUnseenEdit", `SELECT deleted || review FROM facilities WHERE id = 'f4'`, "01"},
		{"RevokeWins", `SELECT status FROM consents WHERE id = 'k1'`, ConsentRevoked},
		{"AppendUnion", `SELECT COUNT(*) FROM availability_reports`, "2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := row(tt.query); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestMergeIdempotent(t *testing.T) {
	s, _ := newTestStore(t)
	ops := scenario()
	applyAll(t, s, ops, false)
	want := state(t, s)
	n, err := s.ApplyRemote(context.Background(), ops)
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("second apply reported %d new operations, want 0", n)
	}
	applyAll(t, s, ops[:5], true)
	if got := state(t, s); got != want {
		t.Fatalf("state changed on re-apply:\n got %s\nwant %s", got, want)
	}
}

func TestMergeLateArrivalIsHistory(t *testing.T) {
	// B's write names A's as prev but arrives first; A's then must not
	// become a head (no phantom conflict).
	a, b, _ := devices()
	first := a.op(EntFacility, "f1", "name", "Old")
	second := b.op(EntFacility, "f1", "name", "New", first.ID())
	s, _ := newTestStore(t)
	applyAll(t, s, []*Op{second, first}, true)
	var n int
	s.db.QueryRow(`SELECT COUNT(*) FROM heads WHERE row_id = 'f1'`).Scan(&n)
	if n != 1 {
		t.Fatalf("heads = %d, want 1", n)
	}
	var name string
	s.db.QueryRow(`SELECT name FROM facilities WHERE id = 'f1'`).Scan(&name)
	if name != "New" {
		t.Fatalf("name = %q, want New", name)
	}
}

func TestApplyRemoteRejectsBadOperationsWhole(t *testing.T) {
	a, _, _ := devices()
	good := a.op(EntFacility, "f1", "name", "Fine")
	tests := []struct {
		name string
		op   *Op
	}{
		{"UnknownEntity", a.op("spaceship", "x", "name", "v")},
		{"UnknownField", a.op(EntFacility, "f1", "colour", "red")},
		{"SetWithoutSign", a.op(EntFacility, "f1", "services", "RES")},
		{"AppendWithField", a.op(EntNote, "n1", "text", "{}")},
		{"AppendNotJSON", a.op(EntNote, "n1", "", "{")},
		{"AppendUnknownField", a.op(EntNote, "n1", "", `{"colour":"red"}`)},
		{"NoDevice", &Op{HLC: 5, Seq: 1, Entity: EntFacility, Row: "f", Field: "name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestStore(t)
			if _, err := s.ApplyRemote(context.Background(), []*Op{good, tt.op}); err == nil {
				t.Fatal("bad operation accepted")
			}
			var n int
			s.db.QueryRow(`SELECT COUNT(*) FROM ops`).Scan(&n)
			if n != 0 {
				t.Fatalf("%d operations kept after a failed batch, want 0", n)
			}
		})
	}
}
