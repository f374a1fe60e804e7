package gui

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"connectpoint/data"
)

// benchDirectory is a program with the state-size directory of DESIGN §7
// (20,000 facilities, a fifth with a slot report), kept in the system's
// temporary folder between runs because it takes a while to make.
func benchDirectory(b *testing.B) (string, data.Options) {
	b.Helper()
	opt, _ := testOptions()
	opt.Clock = data.SystemClock{}
	dir := filepath.Join(os.TempDir(), "connectpoint-gui-bench-facilities-20k-v"+string(rune('0'+data.SchemaVersion())))
	if data.Exists(dir) {
		if _, err := os.Stat(filepath.Join(dir, "complete")); err == nil {
			return dir, opt
		}
	}
	os.RemoveAll(dir)
	ctx := context.Background()
	st, err := data.Create(ctx, dir, opt)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	admin, _, err := st.Initialize(ctx, data.Setup{Agency: "Naperville PD", AgencyZIP: "60540",
		AdminUsername: "admin", AdminPassword: testPassword})
	if err != nil {
		b.Fatal(err)
	}
	if err := admin.Generate(ctx, data.GenerateSpec{Facilities: 20000, Seed: 1}, nil); err != nil {
		b.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "complete"), nil, 0o600)
	return dir, opt
}

func percentile(d []time.Duration, p int) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[min(len(s)-1, len(s)*p/100)]
}

// BenchmarkFacilityFilterAsTyped measures a keystroke in the Facilities
// search over 20,000 facilities: the entry takes the rune, the list is
// filtered and refreshed. Every prefix of a few searches is typed, under
// each sort order and with a filter on; p95 and the worst are reported.
func BenchmarkFacilityFilterAsTyped(b *testing.B) {
	dir, opt := benchDirectory(b)
	fa := test.NewTempApp(b)
	a := newApp(fa, dir, opt)
	a.background = func(f func()) { f() }
	a.start()
	b.Cleanup(a.win.Close)
	test.Type(a.login.username, "admin")
	test.Type(a.login.password, testPassword)
	test.Tap(a.login.submit)
	if a.shell == nil {
		b.Fatal("not logged in")
	}
	t0 := time.Now()
	fs := a.facilities() // reads and indexes the directory
	open := time.Since(t0)
	if n := len(fs.index.items); n != 20000 {
		b.Fatalf("%d facilities", n)
	}

	searches := []string{"gateway recovery", "naperville", "60540", "hope house 12", "serenity clinic", "zzz"}
	var durs []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fs.order.SetSelectedIndex(i % 3)
		fs.openOnly.SetChecked(i%4 == 3)
		for _, q := range searches {
			fs.search.SetText("")
			for _, r := range q {
				t := time.Now()
				fs.search.TypedRune(r)
				durs = append(durs, time.Since(t))
			}
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(percentile(durs, 95).Microseconds())/1000, "p95-ms")
	b.ReportMetric(float64(percentile(durs, 100).Microseconds())/1000, "max-ms")
	b.ReportMetric(float64(percentile(durs, 50).Microseconds())/1000, "p50-ms")

	// The filtering alone, without the entry and the list's text layout
	// (which the test driver measures without the font caches of a real
	// window): the same keystrokes through the index.
	durs = durs[:0]
	for i := 0; i < b.N; i++ {
		var shown []int
		for _, q := range searches {
			prev := facilityQuery{}
			for k := range q {
				fq := fs.query()
				fq.order, fq.openOnly = i%3, i%4 == 3
				fq.setText(q[:k+1])
				t := time.Now()
				if fq.narrows(prev) {
					shown = fs.index.refine(fq, shown)
				} else {
					shown = fs.index.filter(fq, shown)
				}
				durs = append(durs, time.Since(t))
				prev = fq
			}
		}
	}
	b.ReportMetric(float64(percentile(durs, 95).Microseconds())/1000, "filter-p95-ms")
	b.ReportMetric(float64(open.Milliseconds()), "open-ms")
}
