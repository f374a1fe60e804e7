package data

import (
	"fmt"
	"sync"
	"time"
)

// Clock tells the time. The store takes one so that tests decide what "now" is.
type Clock interface {
	Now() time.Time
}

// SystemClock is the machine's clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }

// FixedClock is a clock for tests: it returns T until T is changed.
type FixedClock struct {
	mu sync.Mutex
	T  time.Time
}

// Now returns the clock's time.
func (c *FixedClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.T
}

// Set moves the clock to t, forwards or backwards.
func (c *FixedClock) Set(t time.Time) {
	c.mu.Lock()
	c.T = t
	c.mu.Unlock()
}

// Advance moves the clock by d.
func (c *FixedClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.T = c.T.Add(d)
	c.mu.Unlock()
}

// HLC is a hybrid logical clock value: physical milliseconds since the Unix
// epoch in the high 48 bits and a logical counter in the low 16. Comparing two
// HLCs as integers orders them; a device's HLCs only ever increase, even when
// its wall clock jumps back, and they move past every HLC it has seen from
// other devices, so an operation is always newer than what its writer saw.
type HLC int64

const hlcCounterBits = 16

// Time returns the physical part of h.
func (h HLC) Time() time.Time {
	return time.UnixMilli(int64(h) >> hlcCounterBits).UTC()
}

// Counter returns the logical part of h.
func (h HLC) Counter() int { return int(h & (1<<hlcCounterBits - 1)) }

func (h HLC) String() string {
	return fmt.Sprintf("%s+%d", h.Time().Format("2006-01-02T15:04:05.000Z"), h.Counter())
}

func makeHLC(ms int64, counter int64) HLC { return HLC(ms<<hlcCounterBits | counter) }

// HLClock issues HLCs for one device.
type HLClock struct {
	mu    sync.Mutex
	clock Clock
	last  HLC
}

// NewHLClock returns an HLC source that never issues a value at or below last
// (the newest HLC the device had issued or seen, kept across restarts).
func NewHLClock(c Clock, last HLC) *HLClock {
	return &HLClock{clock: c, last: last}
}

// Next returns a new HLC, later than every one issued or observed before.
func (h *HLClock) Next() HLC {
	h.mu.Lock()
	defer h.mu.Unlock()
	wall := h.clock.Now().UnixMilli()
	lastMS := int64(h.last) >> hlcCounterBits
	if wall > lastMS {
		h.last = makeHLC(wall, 0)
	} else {
		// The wall clock stands still or went back: keep the physical part
		// and count. A counter overflow carries into the milliseconds, which
		// keeps the order at the cost of running a little ahead.
		h.last++
	}
	return h.last
}

// Observe moves the clock past a remote HLC, so that local operations written
// after applying a remote one are newer than it.
func (h *HLClock) Observe(remote HLC) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if remote > h.last {
		h.last = remote
	}
}

// Last returns the newest HLC issued or observed.
func (h *HLClock) Last() HLC {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.last
}
