package gui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"testing"

	"fyne.io/fyne/v2/test"

	"connectpoint/data"
)

// benchState is a program of the state size of DESIGN §7 (100,000 cases,
// 20,000 facilities) with a coordinator, kept in the system's temporary
// folder between runs because it takes minutes to make.
func benchState(b *testing.B) (string, data.Options) {
	b.Helper()
	opt, _ := testOptions()
	opt.Clock = data.SystemClock{}
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("connectpoint-gui-bench-state-v%d-g%d", data.SchemaVersion(), data.GeneratorVersion))
	if _, err := os.Stat(filepath.Join(dir, "complete")); err == nil {
		return dir, opt
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
	if err := admin.Generate(ctx, data.SizeState, nil); err != nil {
		b.Fatal(err)
	}
	if _, err := admin.AddUser(ctx, data.User{Username: "coordinator", Role: data.RoleCoordinator}, testPassword); err != nil {
		b.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "complete"), nil, 0o600)
	return dir, opt
}

// BenchmarkMemoryState measures the Go heap that a coordinator's session
// keeps on the state-size program with the dashboard, the case list and
// the facilities open: the part of the window's resident memory that
// ConnectPoint's own data holds (scripts/startup.sh measures the whole
// process under Xvfb). live-MB is what the session added to the heap,
// after a collection; heap-held-MB what the runtime holds for the heap
// (the garbage of the loads pushes it up); trimmed-MB what it holds once
// the free memory is given back, as internal/memtrim does when the window
// is idle. CONNECTPOINT_HEAP_PROFILE=FILE
// writes the live heap's profile: go tool pprof -sample_index=inuse_space
// -top -cum FILE shows which screen holds what. The first run generates
// the program (about two minutes).
func BenchmarkMemoryState(b *testing.B) {
	dir, opt := benchState(b)
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var m0 runtime.MemStats
		runtime.ReadMemStats(&m0)

		fa := test.NewTempApp(b)
		a := newApp(fa, dir, opt)
		a.background = func(f func()) { f() }
		a.start()
		test.Type(a.login.username, "coordinator")
		test.Type(a.login.password, testPassword)
		test.Tap(a.login.submit)
		if a.shell == nil {
			b.Fatal("not logged in")
		}
		for _, id := range []string{"cases", "facilities"} {
			if !a.shell.open(id) {
				b.Fatalf("no %s section", id)
			}
		}
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		b.ReportMetric(float64(m.HeapAlloc-m0.HeapAlloc)/(1<<20), "live-MB")
		b.ReportMetric(float64(m.HeapSys-m.HeapReleased)/(1<<20), "heap-held-MB")
		debug.FreeOSMemory() // what internal/memtrim leaves: the live data and partly used spans
		runtime.ReadMemStats(&m)
		b.ReportMetric(float64(m.HeapSys-m.HeapReleased)/(1<<20), "trimmed-MB")
		if path := os.Getenv("CONNECTPOINT_HEAP_PROFILE"); path != "" {
			f, err := os.Create(path)
			if err != nil {
				b.Fatal(err)
			}
			pprof.Lookup("heap").WriteTo(f, 0)
			f.Close()
		}
		a.win.Close()
		runtime.KeepAlive(a)
	}
}
