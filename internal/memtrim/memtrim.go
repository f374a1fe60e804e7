// Package memtrim gives memory back to the system after a burst of work.
//
// The window reads large amounts of data in bursts: a login's password
// hashing takes 64 MB, and on a state-size program counting the check-ins
// due or loading the case list makes hundreds of megabytes of garbage in a
// few seconds. The Go runtime keeps what a burst made it grow to until a
// later collection lowers its goal and its scavenger slowly returns pages;
// in a window that then sits idle that can take minutes, during which the
// process stays at its peak. Watch notices that the heap holds far more
// than its live data while nothing is being allocated, and then collects
// and returns the free memory at once (debug.FreeOSMemory).
package memtrim

import (
	"context"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// Thresholds: a trim costs a full collection (tens of milliseconds on a
// 100 MB heap), so it is done only when it returns a fair amount.
const (
	minSpare   = 64 << 20 // held beyond the live data, in bytes
	quietAlloc = 8 << 20  // allocated since the last look: more means still busy
)

// sample is what the runtime says about its heap.
type sample struct {
	live   uint64 // marked live by the last collection
	held   uint64 // heap memory backed by RAM: objects, unused and free spans
	allocs uint64 // allocated since the start, cumulative
}

var names = []string{
	"/gc/heap/live:bytes",
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/unused:bytes",
	"/memory/classes/heap/free:bytes",
	"/gc/heap/allocs:bytes",
}

func read() sample {
	s := make([]metrics.Sample, len(names))
	for i, n := range names {
		s[i].Name = n
	}
	metrics.Read(s)
	v := func(i int) uint64 {
		if s[i].Value.Kind() != metrics.KindUint64 {
			return 0 // not in this Go version: never trims
		}
		return s[i].Value.Uint64()
	}
	return sample{live: v(0), held: v(1) + v(2) + v(3), allocs: v(4)}
}

// due reports whether a trim is worth it at cur, prev being the previous
// look: the heap holds much more than its live data (at least minSpare and
// half the live data again), and allocation has gone quiet.
func due(prev, cur sample) bool {
	if cur.held <= cur.live || cur.live == 0 && cur.held == 0 {
		return false
	}
	spare := cur.held - cur.live
	return spare >= minSpare && spare >= cur.live/2 && cur.allocs-prev.allocs < quietAlloc
}

// Watch looks at the heap every interval until ctx ends, trimming when due.
func Watch(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	prev := read()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		cur := read()
		if due(prev, cur) {
			debug.FreeOSMemory()
			cur = read()
		}
		prev = cur
	}
}
