package data_test

import (
	"testing"
	"time"

	"connectpoint/data"
)

// TestWaitingFor walks one case through every step and checks what the
// case list says it waits for at each, in the list and in its line.
func TestWaitingFor(t *testing.T) {
	p, ids := directory(t)
	officer, coach, coord := p.sessions[data.RoleOfficer], p.sessions[data.RoleCoach], p.sessions[data.RoleCoordinator]
	tom, err := coord.AddCoach(ctx, data.Coach{Name: "Tom B.", Phone: "630-555-0142"})
	if err != nil {
		t.Fatal(err)
	}
	id := p.newCase(t, "Daniel", "Reyes")
	gateway := ids["Gateway Aurora"]
	utc := time.UTC
	step := func(t *testing.T, do func() error) {
		t.Helper()
		if err := do(); err != nil {
			t.Fatal(err)
		}
		p.clock.Advance(5 * time.Minute)
	}
	dispatch := func(coach, response string, eta int) func() error {
		return func() error {
			_, err := officer.LogDispatch(ctx, data.DispatchAttempt{CaseID: id, Coach: coach, Response: response, ETAMinutes: eta})
			return err
		}
	}
	check := func(t *testing.T, want, wantText string) {
		t.Helper()
		list, err := coord.ListCases(ctx, data.CaseFilter{})
		if err != nil {
			t.Fatal(err)
		}
		line, err := coord.CaseLine(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, got := range []*data.CaseSummary{&list[0], line} {
			if got.WaitingFor != want || got.WaitingText(utc) != wantText {
				t.Errorf("waiting for %q, %q; want %q, %q", got.WaitingFor, got.WaitingText(utc), want, wantText)
			}
		}
	}
	for _, c := range []struct {
		name           string
		do             func() error
		want, wantText string
	}{
		{"NewIntake", nil, data.WaitCoach, "coach"},
		{"CoachDidNotAnswer", dispatch(tom, "no_answer", 0), data.WaitCoach, "coach (1 tried)"},
		// 19:07 + 20 minutes.
		{"CoachAccepted", dispatch(p.coachID, "accepted", 20), data.WaitCoachOnWay, "coach arriving (ETA 19:27)"},
		{"AcceptedCoachDidNotAnswerAgain", dispatch(p.coachID, "no_answer", 0), data.WaitCoachOnWay, "coach arriving (ETA 19:27)"},
		{"CoachArrived", dispatch(p.coachID, "arrived", 0), data.WaitAssessment, "assessment"},
		{"Assessed", func() error { return coach.Assess(ctx, id, data.Assessment{Level: "3.5"}) }, data.WaitBed, "bed"},
		{"NoBed", func() error {
			_, err := coach.LogFacilityCall(ctx, data.FacilityCall{CaseID: id, Facility: gateway, Result: "no_bed"})
			return err
		}, data.WaitBed, "bed"},
		{"BedHeld", func() error {
			_, err := coach.LogFacilityCall(ctx, data.FacilityCall{CaseID: id, Facility: gateway, Result: "bed_held", HeldUntil: p.clock.Now().Add(2 * time.Hour)})
			return err
		}, data.WaitPlacement, "placement (bed held until 21:32)"},
		{"Placed", func() error { return coach.Place(ctx, id, data.Placement{Facility: gateway, Transport: "coach"}) }, "", ""},
		{"Closed", func() error {
			return coord.SetCaseFields(ctx, id, map[string]string{"status": data.StatusClosed, "closed_at": "now", "close_reason": "moved away"})
		}, "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.do != nil {
				step(t, c.do)
			}
			check(t, c.want, c.wantText)
		})
	}
}

// TestWaitingForOtherPaths covers the steps off the main path: a coach who
// declined after accepting, a held bed that lapsed, a person screened out,
// and a revoked consent.
func TestWaitingForOtherPaths(t *testing.T) {
	p, ids := directory(t)
	officer, coach, coord := p.sessions[data.RoleOfficer], p.sessions[data.RoleCoach], p.sessions[data.RoleCoordinator]
	wait := func(id string) string {
		t.Helper()
		l, err := coord.CaseLine(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return l.WaitingText(time.UTC)
	}

	t.Run("CoachDeclinedAfterAccepting", func(t *testing.T) {
		id := p.newCase(t, "Maria", "Santos")
		for _, r := range []string{"accepted", "declined"} {
			if _, err := officer.LogDispatch(ctx, data.DispatchAttempt{CaseID: id, Coach: p.coachID, Response: r}); err != nil {
				t.Fatal(err)
			}
		}
		if got := wait(id); got != "coach (1 tried)" {
			t.Errorf("waiting for %q, want a coach again", got)
		}
	})
	t.Run("AcceptedWithoutETA", func(t *testing.T) {
		id := p.newCase(t, "Kevin", "Murphy")
		if _, err := officer.LogDispatch(ctx, data.DispatchAttempt{CaseID: id, Coach: p.coachID, Response: "accepted"}); err != nil {
			t.Fatal(err)
		}
		if got := wait(id); got != "coach arriving" {
			t.Errorf("waiting for %q", got)
		}
	})
	t.Run("HeldBedLapsed", func(t *testing.T) {
		id := p.newCase(t, "Ryan", "Cole")
		if _, err := officer.LogDispatch(ctx, data.DispatchAttempt{CaseID: id, Coach: p.coachID, Response: "arrived"}); err != nil {
			t.Fatal(err)
		}
		if err := coach.Assess(ctx, id, data.Assessment{Level: "WM"}); err != nil {
			t.Fatal(err)
		}
		if _, err := coach.LogFacilityCall(ctx, data.FacilityCall{CaseID: id, Facility: ids["Gateway Aurora"], Result: "bed_held", HeldUntil: p.clock.Now().Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		p.clock.Advance(61 * time.Minute)
		if got := wait(id); got != "bed" {
			t.Errorf("waiting for %q after the hold lapsed, want a bed", got)
		}
	})
	t.Run("ScreenedOut", func(t *testing.T) {
		id := p.newCase(t, "Heather", "Sims")
		if err := officer.SetCaseFields(ctx, id, map[string]string{"medical_emergency": "yes", "eligible": "no"}); err != nil {
			t.Fatal(err)
		}
		if got := wait(id); got != "referral elsewhere" {
			t.Errorf("waiting for %q", got)
		}
	})
	t.Run("ConsentRevoked", func(t *testing.T) {
		id := p.newCase(t, "Ashley", "Parker")
		kid := addConsent(t, officer, id)
		if err := officer.RevokeConsent(ctx, kid, data.Revocation{}); err != nil {
			t.Fatal(err)
		}
		if got := wait(id); got != "consent" {
			t.Errorf("waiting for %q", got)
		}
	})
}
