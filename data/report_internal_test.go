package data

import (
	"fmt"
	"math/rand"
	"testing"
)

// TestSuppressionCannotBeUndone builds random sums shaped like a report's
// (one total split three ways: by insurance, by the two-hour target, by
// month), suppresses them, and then tries every value of every hidden cell
// that agrees with what is shown — "<11" is 1 to 10, "*" is 11 or more —
// and with every sum. No small cell may come out with only one possible
// value.
func TestSuppressionCannotBeUndone(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	for trial := range 400 {
		placed := 8 + rng.Intn(20)
		// Splits near the edges, where subtraction gives most away.
		split := func() (int, int) {
			a := rng.Intn(placed + 1)
			switch rng.Intn(3) {
			case 0:
				a = rng.Intn(min(3, placed+1))
			case 1:
				a = placed - rng.Intn(min(3, placed+1))
			}
			return a, placed - a
		}
		var total, u, o, w, ov, m1, m2 Count
		total.N = placed
		u.N, o.N = split()
		w.N, ov.N = split()
		m1.N, m2.N = split()
		gs := []cellGroup{{&total, []*Count{&u, &o}}, {&total, []*Count{&w, &ov}}, {&total, []*Count{&m1, &m2}}}
		suppressCells(gs, nil)
		name := fmt.Sprintf("trial %d: placed %d, insurance %d+%d, target %d+%d, months %d+%d", trial, placed, u.N, o.N, w.N, ov.N, m1.N, m2.N)

		cells := []*Count{&total, &u, &o, &w, &ov, &m1, &m2}
		for _, g := range gs {
			hidden := 0
			for _, c := range g.cells() {
				if c.Hidden != Shown {
					hidden++
				}
			}
			if hidden == 1 {
				t.Fatalf("%s: a sum with one hidden cell", name)
			}
		}
		fits := func(c *Count, v int) bool {
			switch c.Hidden {
			case Shown:
				return v == c.N
			case HiddenSmall:
				return v >= 1 && v <= 10
			}
			return v >= 11
		}
		seen := map[*Count]map[int]bool{}
		for _, c := range cells {
			seen[c] = map[int]bool{}
		}
		// Every total the reader might believe, and every split of it.
		for T := 0; T <= 60; T++ {
			if !fits(&total, T) {
				continue
			}
			for a := 0; a <= T; a++ {
				if !fits(&u, a) || !fits(&o, T-a) {
					continue
				}
				for b := 0; b <= T; b++ {
					if !fits(&w, b) || !fits(&ov, T-b) {
						continue
					}
					for m := 0; m <= T; m++ {
						if !fits(&m1, m) || !fits(&m2, T-m) {
							continue
						}
						for c, v := range map[*Count]int{&total: T, &u: a, &o: T - a, &w: b, &ov: T - b, &m1: m, &m2: T - m} {
							seen[c][v] = true
						}
					}
				}
			}
		}
		for i, c := range cells {
			if c.Hidden == HiddenSmall && len(seen[c]) < 2 {
				t.Fatalf("%s: small cell %d can be worked out: %v", name, i, seen[c])
			}
			if c.N >= 1 && c.N <= 10 && c.Hidden != HiddenSmall {
				t.Fatalf("%s: small cell %d shown", name, i)
			}
		}
	}
}

// TestSuppressionPinned is the case subtraction alone does not catch: 12
// placed, 11 insured and 1 not. Hiding the 1 and the 11 is not enough — "*"
// means at least 11, so the 1 could only be 1 — and the total goes too.
func TestSuppressionPinned(t *testing.T) {
	total, u, o := Count{N: 12}, Count{N: 11}, Count{N: 1}
	suppressCells([]cellGroup{{&total, []*Count{&u, &o}}}, nil)
	if o.Hidden != HiddenSmall || u.Hidden != HiddenComplement || total.Hidden != HiddenComplement {
		t.Errorf("hidden: total %v, insured %v, uninsured %v", total.Hidden, u.Hidden, o.Hidden)
	}
}
