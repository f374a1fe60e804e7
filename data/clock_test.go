package data

import (
	"testing"
	"time"
)

func TestHLCNeverGoesBack(t *testing.T) {
	start := time.Date(2026, 11, 27, 19, 0, 0, 0, time.UTC)
	clock := &FixedClock{T: start}
	h := NewHLClock(clock, 0)
	var last HLC
	steps := []time.Duration{0, time.Millisecond, 0, -3 * time.Hour, time.Minute, -24 * time.Hour, 0, 30 * time.Hour}
	for i, d := range steps {
		clock.Advance(d)
		for j := 0; j < 3; j++ {
			next := h.Next()
			if next <= last {
				t.Fatalf("step %d: HLC %v not after %v", i, next, last)
			}
			last = next
		}
	}
	// After the wall clock passes the old maximum again, the physical part
	// follows the wall clock.
	if got := last.Time(); !got.Equal(clock.Now().Truncate(time.Millisecond)) {
		t.Errorf("HLC time %v, want wall clock %v", got, clock.Now())
	}
}

func TestHLCWhileClockIsBehind(t *testing.T) {
	start := time.Date(2026, 11, 27, 19, 0, 0, 0, time.UTC)
	clock := &FixedClock{T: start}
	h := NewHLClock(clock, 0)
	before := h.Next()
	clock.Advance(-3 * time.Hour)
	after := h.Next()
	if after <= before {
		t.Fatalf("HLC went back: %v then %v", before, after)
	}
	// It keeps the last physical time and counts, rather than jumping back
	// three hours or forward.
	if after.Time() != before.Time() || after.Counter() != before.Counter()+1 {
		t.Errorf("after jump back: %v, want %v with counter+1", after, before)
	}
}

func TestHLCObserve(t *testing.T) {
	clock := &FixedClock{T: time.Date(2026, 11, 27, 19, 0, 0, 0, time.UTC)}
	h := NewHLClock(clock, 0)
	remote := makeHLC(clock.Now().Add(2*time.Hour).UnixMilli(), 5)
	h.Observe(remote)
	if next := h.Next(); next <= remote {
		t.Fatalf("local HLC %v not after observed %v", next, remote)
	}
	h.Observe(1) // an old remote value changes nothing
	if h.Last() <= remote {
		t.Fatal("observing an older value moved the clock back")
	}
}

func TestHLCSurvivesRestart(t *testing.T) {
	clock := &FixedClock{T: time.Date(2026, 11, 27, 19, 0, 0, 0, time.UTC)}
	h := NewHLClock(clock, 0)
	last := h.Next()
	clock.Advance(-5 * time.Hour)
	h2 := NewHLClock(clock, last) // as the store does from MAX(hlc)
	if next := h2.Next(); next <= last {
		t.Fatalf("after restart HLC %v not after %v", next, last)
	}
}
