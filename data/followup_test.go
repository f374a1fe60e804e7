package data_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"connectpoint/data"
)

// The check-ins due move on with the day even when nothing is written:
// MyCheckIns may keep an answer, but not past its day.
func TestMyCheckInsMoveWithTheDay(t *testing.T) {
	p, id := placedByCoach(t)
	coach := p.sessions[data.RoleCoach]
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

// Ending a placement's follow-up is for those who follow it up: an officer,
// who may edit the intake, is refused and the refusal is audited; the
// coach closes it and it leaves the check-ins.
func TestEndFollowUp(t *testing.T) {
	p, id := placedByCoach(t)
	officer, coach, admin := p.sessions[data.RoleOfficer], p.sessions[data.RoleCoach], p.sessions[data.RoleAdmin]
	end := map[string]string{"status": data.StatusClosed, "closed_at": "now", "close_reason": data.FollowUpLost}
	if err := officer.SetCaseFields(ctx, id, end); data.ErrorCode(err) != data.EFORBIDDEN {
		t.Fatalf("an officer ended the follow-up: %v", err)
	}
	evs, err := admin.AuditEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if last := evs[len(evs)-1]; last.Action != "refused" || last.RowID != id || last.Detail != string(data.ActCheckIn) {
		t.Errorf("the refusal was not audited: last event %+v", last)
	}
	p.clock.Advance(24 * time.Hour)
	if due, _ := coach.MyCheckIns(ctx, p.clock.Now(), 0); len(due) != 1 {
		t.Fatalf("%d check-ins due the day after placement", len(due))
	}
	if _, err := coach.RecordCheckIn(ctx, data.CheckIn{CaseID: id, Reached: true, Method: "phone", Situation: "in_treatment"}); err != nil {
		t.Fatal(err)
	}
	p.clock.Advance(45 * 24 * time.Hour)
	if err := coach.SetCaseFields(ctx, id, end); err != nil {
		t.Fatal(err)
	}
	rec, err := coach.Case(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Case.Status != data.StatusClosed || rec.Case.CloseReason != data.FollowUpLost || rec.Case.PlacedAt.IsZero() {
		t.Errorf("after ending the follow-up: %s %q placed %v", rec.Case.Status, rec.Case.CloseReason, rec.Case.PlacedAt)
	}
	if due, _ := coach.MyCheckIns(ctx, p.clock.Now(), 0); len(due) != 0 {
		t.Errorf("%d check-ins still due after the follow-up ended", len(due))
	}
	// The record keeps its follow-up; an officer learns that it ended, not why.
	timeline := func(s *data.Session) string {
		ev, err := s.Timeline(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var what []string
		for _, e := range ev {
			what = append(what, e.What)
		}
		return strings.Join(what, "; ")
	}
	if got := timeline(coach); !strings.Contains(got, "check-in: in treatment") || !strings.Contains(got, "closed: lost contact") {
		t.Errorf("the coach's timeline after the end: %s", got)
	}
	got := timeline(officer)
	if !strings.Contains(got, "placed; closed: follow-up ended") || strings.Contains(got, "lost contact") || strings.Contains(got, "check-in") {
		t.Errorf("the officer's timeline after the end: %s", got)
	}
	rec, err = officer.Case(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Case.CloseReason != "" || !slices.Contains(rec.Hidden, "close_reason") {
		t.Errorf("an officer reads why follow-up ended: %q, hidden %v", rec.Case.CloseReason, rec.Hidden)
	}
}

// placedByCoach is a program with one case, with consent, that the coach
// placed right after she arrived.
func placedByCoach(t *testing.T) (*program, string) {
	t.Helper()
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
	return p, id
}
