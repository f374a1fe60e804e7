package sync_test

import (
	"database/sql"
	"fmt"
	"os"
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

// joinSpec is the size of the join benchmark's history (DESIGN §7: a
// new device from a 1M-operation history in ≤ 10 s, snapshot + tail).
var joinSpec = data.GenerateSpec{Cases: 50000, Facilities: 10000, Coaches: 400, Seed: 1, Span: 3 * 365 * 24 * time.Hour}

// joinNetwork returns an administrator's device whose network has a
// history of about a million operations on a folder target: a snapshot of
// all of it, and a tail of 20 segments after the snapshot. It is kept in
// the system's temporary folder between runs (connectpoint-bench-join-*),
// since generating it takes minutes.
func joinNetwork(b *testing.B) (*data.Store, *cpsync.Syncer, cpsync.Target, int64) {
	b.Helper()
	root := filepath.Join(os.TempDir(), fmt.Sprintf("connectpoint-bench-join-1m-v%d-f%d", data.SchemaVersion(), cpsync.SnapshotFormat))
	adminDir, targetDir := filepath.Join(root, "admin"), filepath.Join(root, "target")
	if _, err := os.Stat(filepath.Join(root, "complete")); err != nil {
		os.RemoveAll(root)
		t0 := time.Now()
		makeJoinNetwork(b, adminDir, targetDir)
		os.WriteFile(filepath.Join(root, "complete"), nil, 0o600)
		b.Logf("generated the join history in %v", time.Since(t0))
	}
	s, err := data.Open(ctx, adminDir, storeOpts(nil))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	sess, err := s.Login(ctx, "admin", adminPassword)
	if err != nil {
		b.Fatal(err)
	}
	tg, err := cpsync.OpenTarget(ctx, targetDir)
	if err != nil {
		b.Fatal(err)
	}
	sy, err := cpsync.New(ctx, s, sess.DataKey(), tg, syncOpts)
	if err != nil {
		b.Fatal(err)
	}
	last, err := s.LastSeq(ctx, s.Device())
	if err != nil {
		b.Fatal(err)
	}
	pending, err := sy.Pending(ctx) // the logins of earlier runs, never published
	if err != nil {
		b.Fatal(err)
	}
	return s, sy, tg, last - int64(pending)
}

func makeJoinNetwork(b *testing.B, adminDir, targetDir string) {
	if err := os.MkdirAll(targetDir, 0o700); err != nil {
		b.Fatal(err)
	}
	s, err := data.Create(ctx, adminDir, storeOpts(nil))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	sess, _, err := s.Initialize(ctx, data.Setup{Agency: "Bench County", AdminUsername: "admin", AdminPassword: adminPassword})
	if err != nil {
		b.Fatal(err)
	}
	tg, err := cpsync.OpenTarget(ctx, targetDir)
	if err != nil {
		b.Fatal(err)
	}
	opt := syncOpts
	opt.MaxOps = cpsync.MaxSegmentOps
	sy, err := cpsync.InitNetwork(ctx, sess, tg, "bench station", opt)
	if err != nil {
		b.Fatal(err)
	}
	if err := sess.Generate(ctx, joinSpec, nil); err != nil {
		b.Fatal(err)
	}
	for {
		res, err := sy.Round(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if res.Pending == 0 {
			break
		}
	}
	if _, err := sy.WriteSnapshot(ctx); err != nil {
		b.Fatal(err)
	}
	list, err := sess.ListCases(ctx, data.CaseFilter{})
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		for j := 0; j < 25; j++ {
			id := list[(i*25+j)%len(list)].ID
			if err := sess.SetCaseFields(ctx, id, map[string]string{"level": data.Levels[(i+j)%len(data.Levels)]}); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := sy.Round(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJoinFrom1MOps measures a new device joining a network with a
// history of about a million operations: reading the newest snapshot
// (state image in parts), making the store from it, and a first round that
// pulls the 20 segments after it (budget ≤ 10 s). The store is usable
// (someone logs in) at the end of each join. The machines are shared, so
// the processor time (both cores) is reported beside the wall clock.
func BenchmarkJoinFrom1MOps(b *testing.B) {
	_, admin, tg, history := joinNetwork(b)
	var snapBytes int64
	list, _ := tg.List(ctx, admin.Network()+"/snap/")
	for _, e := range list {
		snapBytes += e.Size
	}
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		bundle, err := admin.Enroll(ctx, fmt.Sprintf("bench laptop %d", i), passphrase, data.TestKDF)
		if err != nil {
			b.Fatal(err)
		}
		dir := filepath.Join(b.TempDir(), "join")
		b.StartTimer()
		c0 := cpuTime()
		s, _, res, err := cpsync.Join(ctx, dir, bundle, passphrase, cpsync.JoinOptions{Store: storeOpts(nil), Target: tg, Sync: syncOpts})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Login(ctx, "admin", adminPassword); err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - c0
		b.StopTimer()
		if int64(res.Pulled) < history {
			b.Fatalf("pulled %d of %d operations", res.Pulled, history)
		}
		s.Close()
		os.RemoveAll(dir)
		b.StartTimer()
	}
	b.ReportMetric(float64(history), "ops")
	b.ReportMetric(float64(snapBytes)/1e6, "snapshot-MB")
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/join")
	if cpu > 0 {
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/join")
	}
}

// BenchmarkWriteSnapshot1MOps measures what compaction costs an
// administrator's device once a day on the same history: the state image
// (SQLite's VACUUM INTO), compressing, sealing and putting its parts on a
// folder target. Each snapshot written is removed again, so that the
// join benchmark's network stays as it was.
func BenchmarkWriteSnapshot1MOps(b *testing.B) {
	_, admin, tg, _ := joinNetwork(b)
	// Publish the logins of earlier runs: a snapshot needs everything of
	// this device published.
	if _, err := admin.Round(ctx); err != nil {
		b.Fatal(err)
	}
	var cpu time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c0 := cpuTime()
		name, err := admin.WriteSnapshot(ctx)
		if err != nil {
			b.Fatal(err)
		}
		cpu += cpuTime() - c0
		b.StopTimer()
		list, err := tg.List(ctx, strings.TrimSuffix(name, ".snap")+"/")
		if err != nil {
			b.Fatal(err)
		}
		for _, e := range append(list, cpsync.Entry{Name: name}) {
			if err := tg.Delete(ctx, e.Name); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/snapshot")
	if cpu > 0 {
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/snapshot")
	}
}
