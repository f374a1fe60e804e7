package sync_test

import (
	stdsync "sync"
	"testing"
	"time"

	cpsync "connectpoint/sync"
)

// waitFor polls the status until ok holds, for at most five seconds.
func waitFor(t *testing.T, sc *cpsync.Scheduler, what string, ok func(cpsync.Status) bool) cpsync.Status {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		st := sc.Status()
		if ok(st) {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: status %+v", what, st)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestScheduler(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 2)
	a, b := devs[0], devs[1]
	a.newCase("Daniel", "Reyes")

	var mu stdsync.Mutex
	var states []cpsync.State
	sc, err := cpsync.NewScheduler(a.sy, cpsync.SchedulerOptions{
		Spec:       "@every 1h",
		Logger:     syncOpts.Logger,
		MinBackoff: 20 * time.Millisecond,
		MaxBackoff: 80 * time.Millisecond,
		OnChange: func(st cpsync.Status) {
			mu.Lock()
			states = append(states, st.State)
			mu.Unlock()
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if st := sc.Status(); st.Pending == 0 {
		t.Fatalf("before the first round nothing is pending: %+v", st)
	}
	sc.Start() // a round at start
	st := waitFor(t, sc, "the round at start", func(s cpsync.Status) bool { return !s.LastSuccess.IsZero() })
	if st.State != cpsync.StateSynced || st.Pending != 0 || st.LastError != "" {
		t.Fatalf("after the first round: %+v", st)
	}

	// Offline: the round fails, the status says so, retries back off.
	m.FailNext(1000, nil)
	a.newCase("Maria", "Lopez")
	sc.RunNow()
	st = waitFor(t, sc, "offline", func(s cpsync.Status) bool { return s.State == cpsync.StateOffline })
	if st.NextRetry.IsZero() || st.Pending == 0 || st.LastError == "" {
		t.Fatalf("offline status: %+v", st)
	}
	before := m.Calls()["list"]
	time.Sleep(300 * time.Millisecond)
	retries := m.Calls()["list"] - before
	if retries < 2 || retries > 10 {
		t.Fatalf("%d retries in 300 ms with backoff 20-80 ms", retries)
	}
	// Back online: the next retry goes through.
	m.FailNext(0, nil)
	st = waitFor(t, sc, "back online", func(s cpsync.Status) bool { return s.State == cpsync.StateSynced && s.Pending == 0 })

	// Sync now, and the round at exit, carry the last edit.
	a.newCase("Ana", "Pérez")
	sc.Stop(ctx)
	if st := sc.Status(); st.State != cpsync.StateSynced || st.Pending != 0 {
		t.Fatalf("after the round at exit: %+v", st)
	}
	sc.RunNow() // after Stop: ignored, no panic
	if res := b.mustRound(); res.Pulled == 0 {
		t.Fatalf("the other device got nothing: %+v", res)
	}
	mu.Lock()
	defer mu.Unlock()
	seen := map[cpsync.State]bool{}
	for _, s := range states {
		seen[s] = true
	}
	for _, s := range []cpsync.State{cpsync.StateSyncing, cpsync.StateSynced, cpsync.StateOffline} {
		if !seen[s] {
			t.Fatalf("OnChange never saw %s: %v", s, states)
		}
	}
}

func TestSchedulerBadSpec(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 1)
	if _, err := cpsync.NewScheduler(devs[0].sy, cpsync.SchedulerOptions{Spec: "every now and then"}); err == nil {
		t.Fatal("a bad spec was accepted")
	}
}

// TestSchedulerSetSpec changes the schedule of a running scheduler: the
// new spec takes over without a restart.
func TestSchedulerSetSpec(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 1)
	sc, err := cpsync.NewScheduler(devs[0].sy, cpsync.SchedulerOptions{Spec: "@every 1h", Logger: syncOpts.Logger})
	if err != nil {
		t.Fatal(err)
	}
	sc.Start()
	defer sc.Stop(ctx)
	waitFor(t, sc, "the round at start", func(s cpsync.Status) bool { return !s.LastSuccess.IsZero() })
	if err := sc.SetSpec("not a spec"); err == nil || sc.Spec() != "@every 1h" {
		t.Fatalf("a bad spec: %v, spec now %q", err, sc.Spec())
	}
	before := m.Calls()["list"]
	if err := sc.SetSpec("@every 1s"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for m.Calls()["list"] < before+2 {
		if time.Now().After(deadline) {
			t.Fatalf("%d rounds in 5 s on @every 1s", m.Calls()["list"]-before)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
