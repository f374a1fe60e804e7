package data_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"testing"
	"time"

	"connectpoint/data"
)

// benchProgram returns a logged-in coordinator on a program of the given
// size. Generated databases are kept in the system's temporary folder
// between runs (keyed by size and schema) because the state size takes a
// while to make.
func benchProgram(b *testing.B, name string, spec data.GenerateSpec) (*data.Store, *data.Session) {
	b.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("connectpoint-bench-%s-s%d-v%d-g%d", name, spec.Seed, data.SchemaVersion(), data.GeneratorVersion))
	if !data.Exists(dir) || !fileExists(filepath.Join(dir, "complete")) {
		os.RemoveAll(dir)
		start := time.Now()
		s, err := data.Create(ctx, dir, opts(nil))
		if err != nil {
			b.Fatal(err)
		}
		admin, _, err := s.Initialize(ctx, data.Setup{Agency: "Bench County", AdminUsername: "admin", AdminPassword: "admin-password"})
		if err != nil {
			b.Fatal(err)
		}
		if err := admin.Generate(ctx, spec, nil); err != nil {
			b.Fatal(err)
		}
		if _, err := admin.AddUser(ctx, data.User{Username: "coordinator", Role: data.RoleCoordinator}, "coordinator-password"); err != nil {
			b.Fatal(err)
		}
		s.Close()
		os.WriteFile(filepath.Join(dir, "complete"), nil, 0o600)
		b.Logf("generated %s in %v", name, time.Since(start))
	}
	s, err := data.Open(ctx, dir, opts(nil))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	sess, err := s.Login(ctx, "coordinator", "coordinator-password")
	if err != nil {
		b.Fatal(err)
	}
	return s, sess
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

var sizes = []struct {
	name string
	spec data.GenerateSpec
}{{"small", data.SizeSmall}, {"county", data.SizeCounty}, {"state", data.SizeState}}

// BenchmarkCaseWrite measures intakes per second: a person and a case,
// sealed, through the operation log, one transaction each.
func BenchmarkCaseWrite(b *testing.B) {
	p := newProgram(b)
	sess := p.sessions[data.RoleCoordinator]
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, err := sess.CreateCase(ctx, data.NewCase{
			Person: data.Person{First: "Daniel", Last: "Reyes", DOB: "1986-03-14", Phone: "(630) 555-0101"},
			Case:   data.Case{Channel: "walk-in", Insurance: "none", Substances: []string{"heroin"}},
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "cases/s")
}

// BenchmarkFieldWrite measures single-field writes per second, sealed (a
// phone) and plain (a level of care), each its own transaction with the
// operation log.
func BenchmarkFieldWrite(b *testing.B) {
	for _, tc := range []struct{ name, field, a, b string }{
		{"sealed", "phone", "(630) 555-0101", "(630) 555-0102"},
		{"plain", "level", "3.5", "3.7"},
	} {
		b.Run(tc.name, func(b *testing.B) {
			p := newProgram(b)
			id := p.newCase(b, "Daniel", "Reyes")
			sess := p.sessions[data.RoleCoordinator]
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				v := tc.a
				if i%2 == 1 {
					v = tc.b
				}
				if err := sess.SetCaseFields(ctx, id, map[string]string{tc.field: v}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "writes/s")
		})
	}
}

// BenchmarkCaseFilter measures the case list's filter as you type over the
// generated case lists; p95 is reported as a metric.
func BenchmarkCaseFilter(b *testing.B) {
	for _, sz := range sizes {
		b.Run(sz.name, func(b *testing.B) {
			_, sess := benchProgram(b, sz.name, sz.spec)
			list, err := sess.ListCases(ctx, data.CaseFilter{})
			if err != nil {
				b.Fatal(err)
			}
			idx := data.NewCaseIndex(list)
			queries := []string{"d", "da", "dan", "dani", "daniel", "daniel r", "m", "ma", "mar", "maria s", "open", "bed", "zz"}
			var dst []int
			durs := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				dst = idx.Filter(queries[i%len(queries)], dst)
				durs = append(durs, time.Since(t0))
			}
			b.ReportMetric(float64(p95(durs).Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(idx.Len()), "cases")
		})
	}
}

// BenchmarkCaseListLoad measures reading and unsealing the whole case list.
func BenchmarkCaseListLoad(b *testing.B) {
	for _, sz := range sizes[:2] {
		b.Run(sz.name, func(b *testing.B) {
			_, sess := benchProgram(b, sz.name, sz.spec)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := sess.ListCases(ctx, data.CaseFilter{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCaseIndexLoad measures what the Cases screen waits for: the
// index read from the database (people's names already open, as after the
// first time), and the heap the index keeps.
func BenchmarkCaseIndexLoad(b *testing.B) {
	for _, sz := range sizes {
		b.Run(sz.name, func(b *testing.B) {
			_, sess := benchProgram(b, sz.name, sz.spec)
			if _, err := sess.CaseIndex(ctx, data.CaseFilter{}); err != nil { // names opened
				b.Fatal(err)
			}
			var idx *data.CaseIndex
			var m0, m1 runtime.MemStats
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				idx = nil
				runtime.GC()
				runtime.ReadMemStats(&m0)
				var err error
				if idx, err = sess.CaseIndex(ctx, data.CaseFilter{}); err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				runtime.ReadMemStats(&m1)
			}
			b.ReportMetric(float64(m1.HeapAlloc-m0.HeapAlloc)/(1<<20), "index-MB")
			b.ReportMetric(float64(idx.Len()), "cases")
		})
	}
}

// BenchmarkExport measures the canonical export, and reports the database
// size per 1,000 cases.
func BenchmarkExport(b *testing.B) {
	for _, sz := range sizes[:2] {
		b.Run(sz.name, func(b *testing.B) {
			s, sess := benchProgram(b, sz.name, sz.spec)
			var n int
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				out, err := sess.Export(ctx)
				if err != nil {
					b.Fatal(err)
				}
				n = len(out)
			}
			b.StopTimer()
			b.ReportMetric(float64(n)/1e6, "export-MB")
			reportDBSize(b, s, sz.spec.Cases)
		})
	}
}

func reportDBSize(b *testing.B, s *data.Store, cases int) {
	var pages, size int64
	s.DB().QueryRow("PRAGMA page_count").Scan(&pages)
	s.DB().QueryRow("PRAGMA page_size").Scan(&size)
	var ops int64
	s.DB().QueryRow("SELECT COUNT(*) FROM ops").Scan(&ops)
	b.ReportMetric(float64(pages*size)/1e6/float64(cases)*1000, "MB/1k-cases")
	b.ReportMetric(float64(ops), "ops")
}

func p95(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[(len(s)*95)/100]
}

// BenchmarkFacilityMatch measures matching over the generated directories
// (20,000 facilities at the state size); p95 is reported.
func BenchmarkFacilityMatch(b *testing.B) {
	zips := loadZIPs(b)
	origin, _, _ := zips.Locate("60540")
	for _, sz := range sizes {
		b.Run(sz.name, func(b *testing.B) {
			_, sess := benchProgram(b, sz.name, sz.spec)
			dir, err := sess.LoadDirectory(ctx, zips)
			if err != nil {
				b.Fatal(err)
			}
			queries := []data.MatchQuery{
				{Level: "3.5", Insurance: "none", Gender: "male", Adult: true},
				{Level: "WM", Insurance: "medicaid", Gender: "female", Adult: true},
				{Level: "OTP", Insurance: "none", MOUD: "methadone", Adult: true},
				{Level: "1", Insurance: "private", Gender: "male", Adult: true, Text: "hope"},
			}
			now := time.Now()
			durs := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				q := queries[i%len(queries)]
				q.Origin, q.Now, q.Limit = origin, now, 50
				t0 := time.Now()
				dir.Match(q)
				durs = append(durs, time.Since(t0))
			}
			b.ReportMetric(float64(p95(durs).Microseconds())/1000, "p95-ms")
			b.ReportMetric(float64(dir.Len()), "facilities")
		})
	}
}

// BenchmarkDirectoryMemory measures the heap that the loaded directory
// (the match index the Facilities screen and "Find a bed" search) keeps,
// after a collection, at each generated size.
func BenchmarkDirectoryMemory(b *testing.B) {
	zips := loadZIPs(b)
	for _, sz := range sizes {
		b.Run(sz.name, func(b *testing.B) {
			_, sess := benchProgram(b, sz.name, sz.spec)
			var live float64
			n := 0
			for i := 0; i < b.N; i++ {
				runtime.GC()
				var m0, m1 runtime.MemStats
				runtime.ReadMemStats(&m0)
				dir, err := sess.LoadDirectory(ctx, zips)
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				runtime.ReadMemStats(&m1)
				live += float64(int64(m1.HeapAlloc)-int64(m0.HeapAlloc)) / (1 << 20)
				n = dir.Len()
				runtime.KeepAlive(dir)
			}
			b.ReportMetric(live/float64(b.N), "live-MB")
			b.ReportMetric(float64(n), "facilities")
		})
	}
}

// BenchmarkFacilityImport20k measures importing 20,000 new facilities into
// the directory (the store side of an import: identity, operations, rows).
func BenchmarkFacilityImport20k(b *testing.B) {
	fs := make([]data.Facility, 20000)
	for i := range fs {
		fs[i] = data.Facility{Name: fmt.Sprintf("Recovery Center %05d", i), Street: fmt.Sprintf("%d Main St", 100+i),
			City: "Springfield", State: "IL", ZIP: "62701", Phone: "(217) 555-0100", Lat: 39.8, Lon: -89.65,
			Services: []string{"RES", "RS", "SS", "MD", "MALE", "ADLT"}}
	}
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		p := newProgram(b)
		coord := p.sessions[data.RoleCoordinator]
		b.StartTimer()
		if _, err := coord.ImportFacilities(ctx, fs, false); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/import")
}
