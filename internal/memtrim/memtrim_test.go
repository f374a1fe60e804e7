package memtrim

import (
	"context"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestDue(t *testing.T) {
	const mb = 1 << 20
	quiet := sample{allocs: 1000 * mb}
	tests := []struct {
		name string
		cur  sample
		want bool
	}{
		{"AfterABurst", sample{live: 100 * mb, held: 600 * mb, allocs: 1001 * mb}, true},
		{"StillAllocating", sample{live: 100 * mb, held: 600 * mb, allocs: 1200 * mb}, false},
		{"LittleToGain", sample{live: 100 * mb, held: 150 * mb, allocs: 1000 * mb}, false},
		{"SpareUnderHalfTheLiveData", sample{live: 400 * mb, held: 550 * mb, allocs: 1000 * mb}, false},
		{"SmallHeap", sample{live: 10 * mb, held: 40 * mb, allocs: 1000 * mb}, false},
		{"NoFigures", sample{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := due(quiet, tt.cur); got != tt.want {
				t.Errorf("due(%+v) = %v, want %v", tt.cur, got, tt.want)
			}
		})
	}
}

// A burst of garbage leaves the heap holding far more than its live data;
// Watch notices and gives it back.
func TestWatchTrimsAfterABurst(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(-1)) // no collection during the burst
	keep := make([][]byte, 0, 300)
	for range 300 {
		keep = append(keep, make([]byte, 1<<20))
	}
	runtime.KeepAlive(keep)
	keep = nil
	debug.SetGCPercent(100)
	runtime.GC() // the burst is now free but still held
	before := read()
	if !due(before, before) {
		t.Fatalf("after a 300 MB burst a trim is not due: %+v", before)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { Watch(ctx, 10*time.Millisecond); close(done) }()
	defer func() { cancel(); <-done }()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if read().held < before.held-200<<20 {
			return
		}
	}
	t.Errorf("held %d MB before, still %d MB after 10 s of Watch", before.held>>20, read().held>>20)
}
