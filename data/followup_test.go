package data_test

import (
	"testing"
	"time"

	"connectpoint/data"
)

// The check-ins due move on with the day even when nothing is written:
// MyCheckIns may keep an answer, but not past its day.
func TestMyCheckInsMoveWithTheDay(t *testing.T) {
	p, ids := directory(t)
	officer, coach := p.sessions[data.RoleOfficer], p.sessions[data.RoleCoach]
	id := p.newCase(t, "Nicole", "Turner")
	addConsent(t, officer, id)
	if _, err := officer.LogDispatch(ctx, data.DispatchAttempt{CaseID: id, Coach: p.coachID, Response: "arrived"}); err != nil {
		t.Fatal(err)
	}
	if err := coach.Place(ctx, id, data.Placement{Facility: ids["Gateway Aurora"], Transport: "coach"}); err != nil {
		t.Fatal(err)
	}
	dayOne := func() string {
		list, err := coach.MyCheckIns(ctx, p.clock.Now(), 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range list {
			if d.CaseID == id && d.Day == 1 {
				return d.State
			}
		}
		return "not listed"
	}
	p.clock.Advance(24 * time.Hour)
	for range 2 {
		if got := dayOne(); got != data.CheckInDue {
			t.Fatalf("the day after placement, the first check-in is %s", got)
		}
	}
	p.clock.Advance(24 * time.Hour)
	if got := dayOne(); got != data.CheckInOverdue {
		t.Errorf("two days after placement, the first check-in is %s", got)
	}
}
