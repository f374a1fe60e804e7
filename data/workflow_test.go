package data_test

import (
	"strings"
	"testing"
	"time"

	"connectpoint/data"
)

// TestTwoHourPath walks a walk-in from intake to the first check-in through
// the data API, as the station and the coach would, and checks the record.
func TestTwoHourPath(t *testing.T) {
	p, ids := directory(t)
	officer, coach, coord := p.sessions[data.RoleOfficer], p.sessions[data.RoleCoach], p.sessions[data.RoleCoordinator]
	start := p.clock.Now()
	id, err := officer.CreateCase(ctx, data.NewCase{
		Person: data.Person{First: "Daniel", Last: "Reyes", DOB: "1986-03-14", Gender: "male", ZIP: "60540"},
		Case:   data.Case{Channel: "walk-in", Insurance: "none", Substances: []string{"heroin"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := officer.AddConsent(ctx, data.Consent{CaseID: id, Discloser: "Naperville PD", Recipient: "Connect for Life coaches and treatment providers",
		Purpose: "treatment referral and follow-up", Information: "name, contact, substance use, placement", ExpiresOn: "2027-05-27", SignedBy: "Daniel Reyes"}); err != nil {
		t.Fatal(err)
	}
	other, err := coord.AddCoach(ctx, data.Coach{Name: "Tom B.", Phone: "630-555-0142"})
	if err != nil {
		t.Fatal(err)
	}
	p.clock.Advance(3 * time.Minute)
	if _, err := officer.LogDispatch(ctx, data.DispatchAttempt{CaseID: id, Coach: other, Response: "no_answer"}); err != nil {
		t.Fatal(err)
	}
	p.clock.Advance(4 * time.Minute)
	if _, err := officer.LogDispatch(ctx, data.DispatchAttempt{CaseID: id, Coach: p.coachID, Response: "accepted", ETAMinutes: 20}); err != nil {
		t.Fatal(err)
	}
	p.clock.Advance(22 * time.Minute)
	if _, err := officer.LogDispatch(ctx, data.DispatchAttempt{CaseID: id, Coach: p.coachID, Response: "arrived"}); err != nil {
		t.Fatal(err)
	}
	// The accepted call made her the case's coach: now she can work on it.
	p.clock.Advance(20 * time.Minute)
	if err := coach.Assess(ctx, id, data.Assessment{Level: "3.5", MOUD: "buprenorphine", Needs: "no phone of his own"}); err != nil {
		t.Fatal(err)
	}
	if _, err := coach.LogFacilityCall(ctx, data.FacilityCall{CaseID: id, Facility: ids["Gateway Aurora"], Result: "bed_held", HeldUntil: p.clock.Now().Add(2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	p.clock.Advance(30 * time.Minute)
	if err := coach.Place(ctx, id, data.Placement{Facility: ids["Gateway Aurora"], Transport: "coach"}); err != nil {
		t.Fatal(err)
	}
	rec, err := coord.Case(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Case.Status != data.StatusPlaced || rec.Case.Age(p.clock.Now()) > data.PlacedWithin {
		t.Fatalf("status %s after %v", rec.Case.Status, rec.Case.Age(p.clock.Now()))
	}
	if rec.Case.Age(p.clock.Now()) != p.clock.Now().Sub(start) {
		t.Errorf("time to placement %v, want %v", rec.Case.Age(p.clock.Now()), p.clock.Now().Sub(start))
	}

	// Follow-up: the first check-in falls due the next day.
	p.clock.Advance(24 * time.Hour)
	due, err := coach.MyCheckIns(ctx, p.clock.Now(), 7*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if len(due) == 0 || due[0].Day != 1 || due[0].State != data.CheckInDue || due[0].Display != "Daniel R." {
		t.Fatalf("check-ins due: %+v", due)
	}
	if got := due[0].DescribeDue(p.clock.Now()); got != "day 1 · due today" {
		t.Errorf("described %q", got)
	}
	if _, err := coach.RecordCheckIn(ctx, data.CheckIn{CaseID: id, DueOn: due[0].Due.Format(data.DateLayout), Reached: true,
		Method: "phone", Situation: "in_treatment", Naloxone: true, BARC10: "4,4,5,3,4,5,4,4,3,5"}); err != nil {
		t.Fatal(err)
	}
	due, _ = coach.MyCheckIns(ctx, p.clock.Now(), 7*24*time.Hour)
	for _, d := range due {
		if d.Day == 1 {
			t.Fatal("the done check-in is still due")
		}
	}

	// The record, as a coordinator and as an officer see it.
	full, err := coord.Timeline(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range full {
		lines = append(lines, e.What)
	}
	want := []string{"walk-in, intake", "consent signed (expires 05/27/2027)", "called Tom B. — no answer",
		"called Ana Pérez — accepted, ETA 20 min", "Ana Pérez arrived", "assessed: ASAM 3.5, wants buprenorphine",
		"called Gateway Aurora — bed held until", "placed at Gateway Aurora", "check-in: in treatment"}
	joined := strings.Join(lines, "\n")
	for _, w := range want {
		if !strings.Contains(joined, w) {
			t.Errorf("timeline lacks %q:\n%s", w, joined)
		}
	}
	limited, err := officer.Timeline(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	joined = ""
	for _, e := range limited {
		joined += e.What + "\n"
	}
	if strings.Contains(joined, "Gateway") || strings.Contains(joined, "ASAM") || !strings.Contains(joined, "placed\n") {
		t.Errorf("officer's timeline shows where or what:\n%s", joined)
	}
}

func TestConsentRevokeAndExpiry(t *testing.T) {
	p := newProgram(t)
	id := p.newCase(t, "Maria", "Santos")
	officer := p.sessions[data.RoleOfficer]
	kid, err := officer.AddConsent(ctx, data.Consent{CaseID: id, Discloser: "Naperville PD", Recipient: "program",
		Purpose: "referral", Information: "contact", ExpiresOn: "2026-12-31", SignedBy: "Maria Santos"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := officer.AddConsent(ctx, data.Consent{CaseID: id, Discloser: "Naperville PD"}); data.ErrorCode(err) != data.EINVALID ||
		!strings.Contains(err.Error(), "to whom") {
		t.Errorf("incomplete consent: %v", err)
	}
	ks, _ := officer.Consents(ctx, id)
	if len(ks) != 1 || ks[0].State(p.clock.Now()) != data.ConsentGranted {
		t.Fatalf("consents %+v", ks)
	}
	if ks[0].State(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) != "expired" {
		t.Error("not expired after its date")
	}
	if err := officer.RevokeConsent(ctx, kid, data.Revocation{}); err != nil {
		t.Fatal(err)
	}
	ks, _ = officer.Consents(ctx, id)
	if ks[0].State(p.clock.Now()) != data.ConsentRevoked || ks[0].RevokedAt.IsZero() {
		t.Errorf("after revoke: %+v", ks[0])
	}
}

func TestPossibleDuplicates(t *testing.T) {
	p := newProgram(t)
	first := p.newCase(t, "Daniel", "Reyes") // dob 1986-03-14, phone (630) 555-0101
	officer := p.sessions[data.RoleOfficer]
	tests := []struct {
		name string
		in   data.Person
		want int
	}{
		{"SameNameAndDOB", data.Person{First: "daniel", Last: "REYES", DOB: "1986-03-14"}, 1},
		{"SamePhone", data.Person{First: "Dan", Phone: "630.555.0101"}, 1},
		{"SameNameOtherDOB", data.Person{First: "Daniel", Last: "Reyes", DOB: "1990-01-01"}, 0},
		{"Stranger", data.Person{First: "Ana", Last: "Lopez"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := officer.PossibleDuplicates(ctx, tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.want || (tt.want == 1 && got[0].ID != first) {
				t.Errorf("got %d duplicates, want %d", len(got), tt.want)
			}
		})
	}
}

func TestSchedule(t *testing.T) {
	placed := time.Date(2026, 11, 1, 20, 0, 0, 0, time.UTC)
	c := &data.Case{ID: "c1", PlacedAt: placed, CheckInPlan: "1,7,30"}
	now := time.Date(2026, 11, 9, 12, 0, 0, 0, time.UTC)
	got := data.Schedule(c, nil, now)
	states := []string{}
	for _, d := range got {
		states = append(states, d.State)
	}
	// Day 1 (Nov 2) is long past; day 7 (Nov 8, window ±1 day) still counts
	// on Nov 9; day 30 is ahead.
	if strings.Join(states, ",") != "overdue,due,upcoming" {
		t.Errorf("states %v", states)
	}
	done := []data.CheckIn{{At: time.Date(2026, 11, 7, 15, 0, 0, 0, time.UTC)}}
	if got := data.Schedule(c, done, now); got[1].State != data.CheckInDone {
		t.Errorf("a check-in a day early did not count: %s", got[1].State)
	}
}
