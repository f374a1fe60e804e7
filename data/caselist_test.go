package data_test

import (
	"testing"
	"time"

	"connectpoint/data"
)

// The case list comes open cases first, the oldest first, then the others,
// the newest first (ties by ID), and the index the window builds as it
// reads is the one made from that list.
func TestCaseListOrderAndIndex(t *testing.T) {
	admin, _ := generated(t, data.GenerateSpec{Cases: 400, Facilities: 10, Coaches: 8, Seed: 5, Span: 60 * 24 * time.Hour, FollowUp: true})
	for _, f := range []data.CaseFilter{{}, {Status: data.StatusOpen}, {Status: data.StatusClosed}} {
		list, err := admin.ListCases(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) == 0 {
			t.Fatalf("%+v: no cases", f)
		}
		for i := 1; i < len(list); i++ {
			a, b := &list[i-1], &list[i]
			ao, bo := a.Status == data.StatusOpen, b.Status == data.StatusOpen
			var inOrder bool
			switch {
			case ao != bo:
				inOrder = ao
			case !a.OpenedAt.Equal(b.OpenedAt):
				inOrder = a.OpenedAt.Before(b.OpenedAt) == ao
			default:
				inOrder = a.ID < b.ID
			}
			if !inOrder {
				t.Fatalf("%+v: %s %s opened %s listed before %s %s opened %s", f, a.Short, a.Status, a.OpenedAt, b.Short, b.Status, b.OpenedAt)
			}
		}
		idx, err := admin.CaseIndex(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		want := data.NewCaseIndex(list)
		if idx.Len() != want.Len() {
			t.Fatalf("%+v: index of %d cases, list of %d", f, idx.Len(), want.Len())
		}
		for i := range idx.Len() {
			if got, w := idx.At(i), want.At(i); got != w {
				t.Fatalf("%+v: line %d is %+v, want %+v", f, i, got, w)
			}
		}
	}
}
