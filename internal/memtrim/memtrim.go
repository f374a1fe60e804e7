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
// and returns the free memory at once (debug.FreeOSMemory). When a burst
// is over it also unmaps the program code it ran (releaseCode, on Linux).
package memtrim

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// Thresholds: a trim costs a full collection (tens of milliseconds on a
// 100 MB heap), so it is done only when it returns a fair amount. An idle
// window still makes a little garbage (its clocks, the sync rounds), which
// the collector, at 50 %, lets grow to half the live data before it runs:
// at the state size 25 MB. A trim once 8 MB have piled up costs a
// collection every minute or so of idling and keeps the window 10 MB lower.
const (
	minSpare   = 8 << 20 // held beyond the live data and the floor, in bytes
	quietAlloc = 8 << 20 // allocated since the last look: more means still busy
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
// look and floor what the heap held beyond its live data right after the
// last trim (partly used spans, which a trim cannot return): the heap
// holds much more than that again (at least minSpare and an eighth of the
// live data), and allocation has gone quiet.
func due(prev, cur sample, floor uint64) bool {
	if cur.held <= cur.live || cur.live == 0 && cur.held == 0 {
		return false
	}
	spare := cur.held - cur.live
	if spare <= floor {
		return false
	}
	gain := spare - floor
	return gain >= minSpare && gain >= cur.live/8 && cur.allocs-prev.allocs < quietAlloc
}

// trace prints what Watch sees on standard error each time it looks
// (CONNECTPOINT_MEMTRACE=1; scripts/startup.sh sets it with TRACE=1).
var trace = os.Getenv("CONNECTPOINT_MEMTRACE") == "1"

// goTotal is all the memory the Go runtime has mapped and not released.
func goTotal() uint64 {
	s := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 || s[1].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64() - s[1].Value.Uint64()
}

// Watch looks at the heap every interval until ctx ends, trimming when due.
func Watch(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	prev := read()
	var floor uint64
	busy := true // starting is a burst too
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		cur := read()
		trimmed := due(prev, cur, floor)
		if trimmed {
			debug.FreeOSMemory()
			cur = read()
			floor = cur.held - min(cur.live, cur.held)
		}
		var code uint64
		if quiet := cur.allocs-prev.allocs < quietAlloc; !quiet {
			busy = true
		} else if busy {
			code, busy = releaseCode(), false
		}
		if trace {
			fmt.Fprintf(os.Stderr, "memtrim: live %d MB, heap held %d MB, Go total %d MB, trimmed %v, code released %d MB\n",
				cur.live>>20, cur.held>>20, goTotal()>>20, trimmed, code>>20)
		}
		prev = cur
	}
}
