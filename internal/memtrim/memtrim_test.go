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
		name                      string
		live, held, allocs, floor uint64
		want                      bool
	}{
		{"AfterABurst", 100 * mb, 600 * mb, 1001 * mb, 0, true},
		{"StillAllocating", 100 * mb, 600 * mb, 1200 * mb, 0, false},
		{"ASmallerBurst", 100 * mb, 130 * mb, 1000 * mb, 0, true},
		{"LittleToGain", 100 * mb, 110 * mb, 1000 * mb, 0, false},
		{"LittleToGainOnASmallHeap", 30 * mb, 36 * mb, 1000 * mb, 0, false},
		{"SpareUnderAnEighthOfTheLiveData", 400 * mb, 440 * mb, 1000 * mb, 0, false},
		{"OnlyWhatTheLastTrimLeft", 100 * mb, 130 * mb, 1000 * mb, 20 * mb, false},
		{"MoreThanTheLastTrimLeft", 100 * mb, 150 * mb, 1000 * mb, 20 * mb, true},
		{"SmallHeap", 10 * mb, 16 * mb, 1000 * mb, 0, false},
		{"NoFigures", 0, 0, 0, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cur := sample{live: tt.live, held: tt.held, allocs: tt.allocs}
			if got := due(quiet, cur, tt.floor); got != tt.want {
				t.Errorf("due(%+v, floor %d MB) = %v, want %v", cur, tt.floor>>20, got, tt.want)
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
	if !due(before, before, 0) {
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
