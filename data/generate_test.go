package data_test

import (
	"testing"
	"time"

	"connectpoint/data"
)

// A generated program with its follow-up history looks like one that has
// run for the span: the check-ins on record fall in their windows, what was
// placed long ago has been closed, and what is overdue is recent and a
// small part of what is being followed. Without the history every old
// placement is overdue, which the same checks catch.
func TestGenerateFollowUp(t *testing.T) {
	spec := data.GenerateSpec{Cases: 600, Facilities: 20, Coaches: 10, Seed: 3, Span: 2 * 365 * 24 * time.Hour, FollowUp: true}
	admin, now := generated(t, spec)
	cases, err := admin.ListCases(ctx, data.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	placed, ended := 0, 0
	for _, c := range cases {
		switch {
		case c.Status == data.StatusPlaced:
			placed++
			if now.Sub(c.PlacedAt) > 430*24*time.Hour { // the last window closes on day 395; a month more to give up
				t.Errorf("case %s placed %s is still followed", c.Short, c.PlacedAt.Format(time.DateOnly))
			}
		case c.Status == data.StatusClosed && !c.PlacedAt.IsZero():
			ended++
			if !c.ClosedAt.After(c.PlacedAt) || c.ClosedAt.After(now) {
				t.Errorf("case %s placed %s closed %s", c.Short, c.PlacedAt, c.ClosedAt)
			}
			rec, err := admin.Case(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if r := rec.Case.CloseReason; r != data.FollowUpCompleted && r != data.FollowUpLost {
				t.Errorf("case %s ended follow-up for %q", c.Short, r)
			}
		}
		if c.PlacedAt.IsZero() {
			continue
		}
		cis, err := admin.CheckIns(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		rec, _ := admin.Case(ctx, c.ID)
		sched := data.Schedule(&rec.Case, cis, now)
		for _, ci := range cis {
			in := false
			for _, dc := range sched {
				in = in || ci.DueOn == dc.Due.Format(data.DateLayout) && !ci.At.Before(dc.Early) && ci.At.Before(dc.Late.AddDate(0, 0, 1))
			}
			if !in || ci.At.After(now) || !ci.Reached {
				t.Errorf("case %s placed %s: check-in due %s at %s is out of its window", c.Short, c.PlacedAt, ci.DueOn, ci.At)
			}
		}
	}
	if placed == 0 || ended < placed {
		t.Errorf("%d placements followed, %d ended: a two-year program has ended most", placed, ended)
	}
	due, err := admin.MyCheckIns(ctx, now, 7*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	overdue := 0
	for _, d := range due {
		if d.State == data.CheckInOverdue {
			overdue++
			if now.Sub(d.Due) > 100*24*time.Hour {
				t.Errorf("case %s: check-in of day %d due %s still overdue", d.Short, d.Day, d.Due.Format(time.DateOnly))
			}
		}
	}
	if overdue == 0 || overdue > placed/3 {
		t.Errorf("%d check-ins overdue of %d placements followed", overdue, placed)
	}
	t.Logf("%d cases: %d placements followed, %d ended, %d check-ins overdue, %d due or coming", len(cases), placed, ended, overdue, len(due)-overdue)
}

// generated makes a program of spec as its administrator, at a fixed now.
func generated(t *testing.T, spec data.GenerateSpec) (*data.Session, time.Time) {
	t.Helper()
	p := newProgram(t)
	if err := p.sessions[data.RoleAdmin].Generate(ctx, spec, nil); err != nil {
		t.Fatal(err)
	}
	return p.sessions[data.RoleAdmin], p.clock.Now()
}
