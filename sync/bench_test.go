package sync_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"connectpoint/data"
	cpsync "connectpoint/sync"
)

// benchOps is the size of the apply benchmark (DESIGN §7: 100k operations).
const benchOps = 100_000

// opsSource is a device holding at least benchOps operations of its own,
// all published on m.
func opsSource(b *testing.B) (*cpsync.MemoryTarget, *device, []*data.Op) {
	b.Helper()
	m := cpsync.NewMemoryTarget()
	a := newNetwork(b, m, 1)[0]
	spec := data.GenerateSpec{Cases: 5400, Facilities: 800, Coaches: 60, Seed: 7, Span: 365 * 24 * time.Hour}
	if err := a.sess.Generate(ctx, spec, nil); err != nil {
		b.Fatal(err)
	}
	ops, err := a.store.Ops(ctx, a.store.Device(), 0, benchOps)
	if err != nil {
		b.Fatal(err)
	}
	if len(ops) < benchOps {
		b.Fatalf("generated %d operations, want %d", len(ops), benchOps)
	}
	for {
		res := a.mustRound()
		if res.Pending == 0 {
			break
		}
	}
	return m, a, ops
}

// plainInsert inserts ops into a plain SQLite table shaped like the
// operation log, in one transaction: the floor the budget is measured
// against.
func plainInsert(b *testing.B, ops []*data.Op) time.Duration {
	b.Helper()
	dsn := "file:" + filepath.Join(b.TempDir(), "plain.db") + "?_journal_mode=WAL&_synchronous=NORMAL&_txlock=immediate"
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE ops (device TEXT NOT NULL, seq INTEGER NOT NULL, hlc INTEGER NOT NULL,
		entity TEXT NOT NULL, row_id TEXT NOT NULL, field TEXT NOT NULL, value BLOB, prev TEXT NOT NULL,
		user_id TEXT NOT NULL, PRIMARY KEY (device, seq)) WITHOUT ROWID`); err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	st, err := tx.Prepare(`INSERT INTO ops VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	for _, op := range ops {
		prev := "[]"
		if len(op.Prev) > 0 {
			var s []string
			for _, p := range op.Prev {
				s = append(s, `"`+p.String()+`"`)
			}
			prev = "[" + strings.Join(s, ",") + "]"
		}
		if _, err := st.Exec(op.Device, op.Seq, int64(op.HLC), op.Entity, op.Row, op.Field, op.Value, prev, op.User); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return time.Since(t0)
}

// BenchmarkApplyForeignOps measures taking in 100k operations of another
// device, as a ratio to inserting the same rows into a plain table (budget
// ≤ 2×). "apply" is store.ApplyRemote alone, in segment-sized
// transactions; "round" is a whole round from the target: listing, reading
// and verifying 20 segments, opening and inflating them, applying each.
func BenchmarkApplyForeignOps(b *testing.B) {
	m, a, ops := opsSource(b)
	b.Run("apply", func(b *testing.B) {
		var applied, plain time.Duration
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			s, err := data.Create(ctx, filepath.Join(b.TempDir(), "fresh"), storeOpts(nil))
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			t0 := time.Now()
			for j := 0; j < len(ops); j += 5000 {
				if _, err := s.ApplyRemote(ctx, ops[j:min(j+5000, len(ops))]); err != nil {
					b.Fatal(err)
				}
			}
			applied += time.Since(t0)
			b.StopTimer()
			s.Close()
			plain += plainInsert(b, ops)
			b.StartTimer()
		}
		b.ReportMetric(float64(applied)/float64(plain), "x-plain-insert")
		b.ReportMetric(float64(len(ops))/(applied.Seconds()/float64(b.N)), "ops/s")
	})
	b.Run("round", func(b *testing.B) {
		var round, plain time.Duration
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			bundle, err := a.sy.Enroll(ctx, fmt.Sprintf("bench%d", i), passphrase, data.TestKDF)
			if err != nil {
				b.Fatal(err)
			}
			m.FailNext(2, nil) // the join's snapshot look-up and first round fail offline: the round is timed below
			s, sy, _, err := cpsync.Join(ctx, filepath.Join(b.TempDir(), "join"), bundle, passphrase,
				cpsync.JoinOptions{Store: storeOpts(nil), Target: m, Sync: syncOpts})
			if !cpsync.IsOffline(err) {
				b.Fatalf("join: %v", err)
			}
			b.StartTimer()
			t0 := time.Now()
			res, err := sy.Round(ctx)
			round += time.Since(t0)
			b.StopTimer()
			if err != nil {
				b.Fatal(err)
			}
			s.Close()
			if res.Pulled < benchOps {
				b.Fatalf("pulled %d", res.Pulled)
			}
			plain += plainInsert(b, ops)
			b.StartTimer()
		}
		b.ReportMetric(float64(round)/float64(plain), "x-plain-insert")
	})
}

// BenchmarkIdleRound measures a round with nothing to do against 1,000
// segments on a folder target (budget ≤ 100 ms).
func BenchmarkIdleRound(b *testing.B) {
	tg, err := cpsync.OpenTarget(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	devs := newNetwork(b, tg, 2)
	a, c := devs[0], devs[1]
	id := a.newCase("Daniel", "Reyes")
	levels := data.Levels
	for i := 0; i < 1000; i++ {
		if err := a.sess.SetCaseFields(ctx, id, map[string]string{"level": levels[i%len(levels)]}); err != nil {
			b.Fatal(err)
		}
		a.mustRound()
	}
	c.mustRound()
	c.mustRound()
	list, _ := tg.List(ctx, "")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if res := c.mustRound(); res.Pulled != 0 || res.Pushed != 0 {
			b.Fatalf("not idle: %+v", res)
		}
	}
	b.ReportMetric(float64(len(list)), "files")
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/round")
}

// BenchmarkBytesPerField measures what the target holds per changed field
// (budget ≤ 200 bytes on average): a day of work, 20 field changes between
// rounds, each change also carrying its audit event.
func BenchmarkBytesPerField(b *testing.B) {
	for i := 0; i < b.N; i++ {
		m := cpsync.NewMemoryTarget()
		a := newNetwork(b, m, 1)[0]
		var ids []string
		for j := 0; j < 20; j++ {
			ids = append(ids, a.newCase("Daniel", "Reyes"))
		}
		a.mustRound()
		before := logBytes(m)
		seqBefore, _ := a.store.LastSeq(ctx, a.store.Device())
		fields, rounds := 0, 0
		for r := 0; r < 50; r++ {
			for j := 0; j < 20; j++ {
				id := ids[(r*20+j)%len(ids)]
				var change map[string]string
				switch j % 4 {
				case 0:
					change = map[string]string{"level": data.Levels[(r+j)%len(data.Levels)]}
				case 1:
					change = map[string]string{"phone": fmt.Sprintf("(630) 555-%04d", r*20+j)}
				case 2:
					change = map[string]string{"status": data.Statuses[(r+j)%2*2]}
				case 3:
					change = map[string]string{"insurance": data.Insurances[(r+j)%len(data.Insurances)]}
				}
				if err := a.sess.SetCaseFields(ctx, id, change); err != nil {
					b.Fatal(err)
				}
				fields++
			}
			a.mustRound()
			rounds++
		}
		total := logBytes(m) - before
		seqAfter, _ := a.store.LastSeq(ctx, a.store.Device())
		b.ReportMetric(float64(total)/float64(fields), "bytes/field")
		b.ReportMetric(float64(total)/float64(seqAfter-seqBefore), "bytes/op")
	}
}

func logBytes(m *cpsync.MemoryTarget) int64 {
	list, _ := m.List(ctx, "")
	var n int64
	for _, e := range list {
		if strings.Contains(e.Name, "/log/") {
			n += e.Size
		}
	}
	return n
}
