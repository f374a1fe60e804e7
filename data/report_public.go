package data

import "sort"

// The public version of a report: counts from 1 to 10 are not shown
// ("<11"), and neither is any other count from which such a count could be
// worked out by subtraction (complementary suppression, "*"). Rates and
// times that rest on hidden counts, or on fewer than 11 people, are not
// shown either, and no facility is named.
//
// The counts of a report are tied together by sums: contacts = eligible +
// not eligible, placed = uninsured + other = within 2 h + over 2 h = the
// bars of the time chart = the months = the agencies' placements, and so
// on. Each sum is a group. In every group either nothing is hidden or at
// least two cells are, and the hidden cells are chosen so that bounds
// reasoning over all the sums together — knowing that "<11" is 1 to 10 and
// "*" is at least 11 — never pins a small count to one value.

// cellGroup is one sum of a report: total = the sum of parts.
type cellGroup struct {
	total *Count
	parts []*Count
}

func (g cellGroup) cells() []*Count { return append([]*Count{g.total}, g.parts...) }

// groups lists the sums that tie the report's counts together.
func (r *Report) groups() []cellGroup {
	gs := []cellGroup{
		{&r.Contacts, []*Count{&r.Eligible, &r.NotEligible}},
		{&r.Placed, []*Count{&r.PlacedUninsured, &r.PlacedOther}},
		{&r.Placed, []*Count{&r.PlacedWithin, &r.PlacedOver}},
		{&r.CheckInsDue, []*Count{&r.CheckInsDone, &r.CheckInsMissed}},
	}
	var bins, within, over, months []*Count
	for i := range r.PlacementTimes {
		b := &r.PlacementTimes[i]
		bins = append(bins, &b.Count)
		if b.Upto != 0 && b.Upto <= PlacedWithin {
			within = append(within, &b.Count)
		} else {
			over = append(over, &b.Count)
		}
	}
	if len(bins) > 0 {
		gs = append(gs, cellGroup{&r.Placed, bins}, cellGroup{&r.PlacedWithin, within}, cellGroup{&r.PlacedOver, over})
	}
	for i := range r.Months {
		months = append(months, &r.Months[i].Placed)
	}
	if len(months) > 0 {
		gs = append(gs, cellGroup{&r.Placed, months})
	}
	for i := range r.Retention {
		t := &r.Retention[i]
		gs = append(gs, cellGroup{&t.Due, []*Count{&t.Retained, &t.NotRetained, &t.NotReached}})
	}
	if len(r.Agencies) > 0 {
		cols := []struct {
			total *Count
			cell  func(a *AgencyFigures) *Count
		}{
			{&r.Contacts, func(a *AgencyFigures) *Count { return &a.Contacts }},
			{&r.Eligible, func(a *AgencyFigures) *Count { return &a.Eligible }},
			{&r.NotEligible, func(a *AgencyFigures) *Count { return &a.NotEligible }},
			{&r.Placed, func(a *AgencyFigures) *Count { return &a.Placed }},
			{&r.PlacedUninsured, func(a *AgencyFigures) *Count { return &a.PlacedUninsured }},
			{&r.PlacedOther, func(a *AgencyFigures) *Count { return &a.PlacedOther }},
		}
		for _, col := range cols {
			g := cellGroup{total: col.total}
			for i := range r.Agencies {
				g.parts = append(g.parts, col.cell(&r.Agencies[i]))
			}
			gs = append(gs, g)
		}
		for i := range r.Agencies {
			a := &r.Agencies[i]
			gs = append(gs, cellGroup{&a.Contacts, []*Count{&a.Eligible, &a.NotEligible}},
				cellGroup{&a.Placed, []*Count{&a.PlacedUninsured, &a.PlacedOther}})
		}
	}
	return gs
}

// suppress turns the report into its public version.
func (r *Report) suppress() {
	for _, t := range []struct {
		times *Times
		n     int
	}{{&r.TimeToPlacement, r.Placed.N}, {&r.CoachResponse, r.CoachArrivals.N}} {
		if t.n > 0 && t.n < 11 {
			*t.times = Times{Measured: true, Hidden: true}
		}
	}
	gs := r.groups()
	single := []*Count{&r.OpenPastWindow, &r.CoachArrivals}
	suppressCells(gs, single)
	for _, c := range allCells(gs, single) {
		if c.Hidden != Shown {
			c.N = 0
		}
	}
	r.Facilities = nil
}

func allCells(gs []cellGroup, single []*Count) []*Count {
	seen := map[*Count]bool{}
	var out []*Count
	add := func(c *Count) {
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	for _, g := range gs {
		for _, c := range g.cells() {
			add(c)
		}
	}
	for _, c := range single {
		add(c)
	}
	return out
}

// suppressCells hides the small cells and enough others, in place.
func suppressCells(gs []cellGroup, single []*Count) {
	cells := allCells(gs, single)
	for _, c := range cells {
		if c.N >= 1 && c.N <= 10 {
			c.Hidden = HiddenSmall
		}
	}
	// Each round hides one more cell; there are only so many.
	for range len(cells) + 1 {
		if g := loneHidden(gs); g != nil {
			hideComplement(*g)
			continue
		}
		if c := pinnedCell(gs, cells); c != nil {
			hidden := false
			for _, g := range gs {
				if containsCell(g, c) && hideComplement(g) {
					hidden = true
					break
				}
			}
			if hidden {
				continue
			}
		}
		return
	}
}

// loneHidden returns a group with exactly one hidden cell: subtracting
// the shown ones from the total (or adding them up) would give it.
func loneHidden(gs []cellGroup) *cellGroup {
	for i, g := range gs {
		n := 0
		for _, c := range g.cells() {
			if c.Hidden != Shown {
				n++
			}
		}
		if n == 1 {
			return &gs[i]
		}
	}
	return nil
}

// hideComplement hides one more cell of g: the smallest shown part that
// is not zero (a hidden zero protects nothing: it could be worked out as
// the only value below 11 that is not "<11"), else the total. It reports
// whether there was one.
func hideComplement(g cellGroup) bool {
	var cands []*Count
	for _, c := range g.parts {
		if c.Hidden == Shown && c.N > 0 {
			cands = append(cands, c)
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].N < cands[j].N })
	if len(cands) == 0 && g.total.Hidden == Shown && g.total.N > 0 {
		cands = append(cands, g.total)
	}
	if len(cands) == 0 {
		return false
	}
	cands[0].Hidden = HiddenComplement
	return true
}

func containsCell(g cellGroup, c *Count) bool {
	for _, x := range g.cells() {
		if x == c {
			return true
		}
	}
	return false
}

// unbounded is "no upper bound known".
const unbounded = 1 << 40

// pinnedCell returns a small hidden cell whose value follows from the shown
// cells, the sums and what the markers say ("<11": 1 to 10, "*": at least
// 11), by narrowing each cell's bounds through every sum until nothing
// changes; nil when there is none.
func pinnedCell(gs []cellGroup, cells []*Count) *Count {
	type bounds struct{ lo, hi int }
	b := make(map[*Count]*bounds, len(cells))
	for _, c := range cells {
		switch c.Hidden {
		case Shown:
			b[c] = &bounds{c.N, c.N}
		case HiddenSmall:
			b[c] = &bounds{1, 10}
		default:
			b[c] = &bounds{11, unbounded}
		}
	}
	add := func(x, y int) int { return min(x+y, unbounded) }
	for changed, round := true, 0; changed && round < 1000; round++ {
		changed = false
		narrow := func(c *Count, lo, hi int) {
			cb := b[c]
			if lo > cb.lo {
				cb.lo, changed = lo, true
			}
			if hi < cb.hi {
				cb.hi, changed = hi, true
			}
		}
		for _, g := range gs {
			sumLo, sumHi := 0, 0
			for _, p := range g.parts {
				sumLo, sumHi = add(sumLo, b[p].lo), add(sumHi, b[p].hi)
			}
			narrow(g.total, sumLo, sumHi)
			t := b[g.total]
			for i, p := range g.parts {
				otherLo, otherHi := 0, 0
				for j, q := range g.parts {
					if j != i {
						otherLo, otherHi = add(otherLo, b[q].lo), add(otherHi, b[q].hi)
					}
				}
				lo, hi := 0, unbounded
				if otherHi < unbounded {
					lo = t.lo - otherHi
				}
				if t.hi < unbounded {
					hi = t.hi - otherLo
				}
				narrow(p, lo, hi)
			}
		}
	}
	for _, c := range cells {
		if c.Hidden == HiddenSmall && b[c].lo >= b[c].hi {
			return c
		}
	}
	return nil
}
