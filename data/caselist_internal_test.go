package data

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"time"
)

// The index answers as the plain definition does: a case matches when the
// text "name short-ID status channel next-step", in lower case, contains
// every word of the query.
func TestCaseIndexFilterMatchesTheDefinition(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	names := []string{"Daniel R.", "María S.", "DeShawn O.", "Ōta K.", "İlker A.", "", "Ann", "Daniel Ray"}
	var cases []CaseSummary
	for i := range 2000 {
		id := NewID()
		if i%50 == 0 {
			id = fmt.Sprintf("legacy-%d", i) // not in NewID's form: kept as written
		}
		c := CaseSummary{ID: id, Short: ShortID(id), Display: pick(rng, names), Status: pick(rng, Statuses),
			Channel: pick(rng, Channels), WaitingFor: pick(rng, []string{"", WaitCoach, WaitPlacement, WaitCoachOnWay}),
			OpenedAt: time.Unix(int64(1e9+i), 0).UTC(), Tried: rng.Intn(3), Review: rng.Intn(2) == 0}
		if i%7 == 0 {
			c.CoachETA, c.HeldUntil = c.OpenedAt.Add(20*time.Minute), c.OpenedAt.Add(2*time.Hour)
		}
		cases = append(cases, c)
	}
	x := NewCaseIndex(cases)
	for i := range cases {
		if got := x.At(i); got != cases[i] {
			t.Fatalf("At(%d) = %+v, want %+v", i, got, cases[i])
		}
	}
	queries := []string{"", "d", "daniel", "daniel r", "r. " + strings.ToLower(cases[7].Short), cases[3].Short, "open", "placed walk",
		"maría", "MARÍA", "ōta", "i̇lker", "n p", " ", "zz", "coach", "el r", "n.", strings.ToLower(cases[9].Short[2:])}
	for range 200 { // pieces of the searched text, across its parts too
		h := strings.ToLower(cases[rng.Intn(len(cases))].Display + " " + cases[rng.Intn(len(cases))].Short + " open walk-in")
		a := rng.Intn(len(h))
		queries = append(queries, h[a:a+rng.Intn(len(h)-a)+1])
	}
	var got []int
	for _, q := range queries {
		var want []int
		for i := range cases {
			c := &cases[i]
			h := strings.ToLower(c.Display + " " + c.Short + " " + c.Status + " " + c.Channel + " " + c.WaitingFor)
			if !slices.ContainsFunc(strings.Fields(strings.ToLower(q)), func(w string) bool { return !strings.Contains(h, w) }) {
				want = append(want, i)
			}
		}
		if got = x.Filter(q, got); !slices.Equal(got, want) {
			t.Errorf("Filter(%q): %d cases, want %d", q, len(got), len(want))
		}
	}
}
