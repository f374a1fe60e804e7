package data_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"time"

	"connectpoint/data"
)

// reportProgram is a program with hand-built cases whose figures are known.
type reportProgram struct {
	*program
	coord      *data.Session
	tom        string // a second coach
	facilities []string
	ids        map[string]string // case IDs by the letter of the scenario
}

func at(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

func newReportProgram(t *testing.T) *reportProgram {
	t.Helper()
	p := &reportProgram{program: newProgram(t), ids: map[string]string{}}
	p.coord = p.sessions[data.RoleCoordinator]
	var err error
	if p.tom, err = p.coord.AddCoach(ctx, data.Coach{Name: "Tom Brennan", Phone: "630-555-0142"}); err != nil {
		t.Fatal(err)
	}
	fs := []data.Facility{
		{Name: "Gateway Aurora", City: "Aurora", State: "IL", ZIP: "60505", Services: []string{"RES"}},
		{Name: "Serenity House", City: "Wheaton", State: "IL", ZIP: "60187", Services: []string{"RES"}},
	}
	sum, err := p.coord.ImportFacilities(ctx, fs, false)
	if err != nil {
		t.Fatal(err)
	}
	for i := range fs {
		p.facilities = append(p.facilities, sum.IDs[data.FacilityIdentity(&fs[i])])
	}
	return p
}

// intake records a first contact at opened.
func (p *reportProgram) intake(t *testing.T, name, opened, insurance string, c data.Case) string {
	t.Helper()
	c.Channel, c.OpenedAt, c.Insurance = "walk-in", at(opened), insurance
	id, err := p.coord.CreateCase(ctx, data.NewCase{Person: data.Person{First: name, Last: "Test"}, Case: c})
	if err != nil {
		t.Fatal(err)
	}
	p.ids[name] = id
	return id
}

// place places a case at placed with a check-in plan.
func (p *reportProgram) place(t *testing.T, id, placed string, facility int, plan ...int) {
	t.Helper()
	if err := p.coord.Place(ctx, id, data.Placement{Facility: p.facilities[facility], At: at(placed), Transport: "coach", Plan: plan}); err != nil {
		t.Fatal(err)
	}
}

func (p *reportProgram) set(t *testing.T, id string, fields map[string]string) {
	t.Helper()
	if err := p.coord.SetCaseFields(ctx, id, fields); err != nil {
		t.Fatal(err)
	}
}

func (p *reportProgram) dispatch(t *testing.T, id, coach, response, contacted string) {
	t.Helper()
	d := data.DispatchAttempt{CaseID: id, Coach: coach, Response: response, ContactedAt: at(contacted)}
	if response == "arrived" {
		d.ArrivedAt = d.ContactedAt
	}
	if _, err := p.coord.LogDispatch(ctx, d); err != nil {
		t.Fatal(err)
	}
}

func (p *reportProgram) checkIn(t *testing.T, id, when, situation string, reached bool) {
	t.Helper()
	if _, err := p.coord.RecordCheckIn(ctx, data.CheckIn{CaseID: id, At: at(when), Reached: reached, Method: "phone", Situation: situation}); err != nil {
		t.Fatal(err)
	}
}

// october builds the scenario of TestReportFigures: October 2026, reported
// on November 27.
func october(t *testing.T) *reportProgram {
	p := newReportProgram(t)
	ana := p.coachID

	// A: walk-in, uninsured, coach called twice, placed in 90 minutes.
	a := p.intake(t, "A", "2026-10-03 10:00", "none", data.Case{})
	p.dispatch(t, a, ana, "no_answer", "2026-10-03 10:05")
	p.dispatch(t, a, p.tom, "accepted", "2026-10-03 10:10")
	p.dispatch(t, a, p.tom, "arrived", "2026-10-03 10:40") // 30 min after Tom was called
	p.place(t, a, "2026-10-03 11:30", 0, 365)
	// B: Medicaid, placed after three hours.
	b := p.intake(t, "B", "2026-10-10 09:00", "medicaid", data.Case{})
	p.dispatch(t, b, ana, "accepted", "2026-10-10 09:10")
	p.dispatch(t, b, ana, "arrived", "2026-10-10 09:55") // 45 min
	p.place(t, b, "2026-10-10 12:00", 1, 365)
	// C: first contact on the last evening of October, placed in November.
	c := p.intake(t, "C", "2026-10-31 22:00", "none", data.Case{})
	p.dispatch(t, c, ana, "accepted", "2026-10-31 22:10")
	p.dispatch(t, c, ana, "arrived", "2026-11-01 00:10") // an arrival of November
	p.place(t, c, "2026-11-01 01:00", 0, 365)
	// D: first contact in September, placed in October in 90 minutes.
	d := p.intake(t, "D", "2026-09-30 23:00", "private", data.Case{})
	p.place(t, d, "2026-10-01 00:30", 0, 365)
	// E: screened out (open warrant), closed.
	e := p.intake(t, "E", "2026-10-12 14:00", "none", data.Case{Warrant: true})
	p.set(t, e, map[string]string{"status": "closed", "closed_at": "2026-10-12T15:00:00Z", "close_reason": "warrant"})
	// F: a warrant, but marked eligible; still open.
	p.intake(t, "F", "2026-10-13 08:00", "none", data.Case{Warrant: true, Eligible: "yes"})
	// G: closed the same day, reopened in November: one contact, open.
	g := p.intake(t, "G", "2026-10-20 08:00", "none", data.Case{})
	p.set(t, g, map[string]string{"status": "closed", "closed_at": "2026-10-20T12:00:00Z", "close_reason": "changed his mind"})
	p.set(t, g, map[string]string{"status": "open", "closed_at": ""})
	// H: placed, then the placement fell through and the case was reopened.
	h := p.intake(t, "H", "2026-10-22 10:00", "none", data.Case{})
	p.place(t, h, "2026-10-22 11:00", 1, 365)
	p.set(t, h, map[string]string{"status": "open"})

	// Follow-up of earlier placements, with one-check-in plans.
	// P1: day 30 (October 5) reached in treatment on October 6.
	p1 := p.intake(t, "P1", "2026-09-05 10:00", "none", data.Case{})
	p.place(t, p1, "2026-09-05 11:00", 0, 30)
	p.checkIn(t, p1, "2026-10-06 15:00", "in_treatment", true)
	// P2: day 30 (October 10) never reached.
	p2 := p.intake(t, "P2", "2026-09-10 10:00", "none", data.Case{})
	p.place(t, p2, "2026-09-10 11:00", 0, 30)
	// P3: revoked consent on September 30, before day 30 (October 12).
	p3 := p.intake(t, "P3", "2026-09-12 10:00", "none", data.Case{})
	p.place(t, p3, "2026-09-12 11:00", 0, 30)
	cid, err := p.coord.AddConsent(ctx, data.Consent{CaseID: p3, Discloser: "Naperville PD", Recipient: "coaches",
		Purpose: "referral", Information: "placement", ExpiresOn: "2027-09-12", SignedBy: "P3 Test", SignedAt: at("2026-09-12 10:05")})
	if err != nil {
		t.Fatal(err)
	}
	p.clock.Set(at("2026-09-30 16:00"))
	if err := p.coord.RevokeConsent(ctx, cid, data.Revocation{}); err != nil {
		t.Fatal(err)
	}
	p.clock.Set(at("2026-11-27 19:02"))
	// P4: day 90 (October 1) reached on September 28: relapsed.
	p4 := p.intake(t, "P4", "2026-07-03 10:00", "medicaid", data.Case{})
	p.place(t, p4, "2026-07-03 12:00", 1, 90)
	p.checkIn(t, p4, "2026-09-28 10:00", "relapsed", true)
	// P5: day 180 (October 7): in treatment on September 20, in recovery
	// support on October 9 (the nearest), a call nobody answered on the 7th.
	p5 := p.intake(t, "P5", "2026-04-10 10:00", "none", data.Case{})
	p.place(t, p5, "2026-04-10 11:00", 1, 180)
	p.checkIn(t, p5, "2026-09-20 10:00", "in_treatment", true)
	p.checkIn(t, p5, "2026-10-09 10:00", "recovery_support", true)
	p.checkIn(t, p5, "2026-10-07 10:00", "", false)
	return p
}

func report(t *testing.T, sess *data.Session, q data.ReportQuery) *data.Report {
	t.Helper()
	r, err := sess.Report(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestReportFigures(t *testing.T) {
	p := october(t)
	r := report(t, p.coord, data.ReportQuery{From: "2026-10-01", To: "2026-10-31"})

	counts := []struct {
		name string
		got  data.Count
		want int
	}{
		// A, B, C, E, F, G, H: not D (September), G once though reopened.
		{"Contacts", r.Contacts, 7},
		{"Eligible", r.Eligible, 6},
		{"NotEligible", r.NotEligible, 1}, // E; F was marked eligible despite the warrant
		// A, B and D: not C (November), not H (reopened).
		{"Placed", r.Placed, 3},
		{"PlacedUninsured", r.PlacedUninsured, 1},
		{"PlacedOther", r.PlacedOther, 2},
		{"PlacedWithin", r.PlacedWithin, 2},
		{"PlacedOver", r.PlacedOver, 1},
		{"OpenPastWindow", r.OpenPastWindow, 3}, // F, G, H
		{"CoachArrivals", r.CoachArrivals, 2},   // A and B; C's coach arrived in November
		// P1, P4 and P5 done, P2 missed; P3 revoked consent before its day.
		{"CheckInsDue", r.CheckInsDue, 4},
		{"CheckInsDone", r.CheckInsDone, 3},
		{"CheckInsMissed", r.CheckInsMissed, 1},
	}
	for _, c := range counts {
		if c.got.N != c.want || c.got.Hidden != data.Shown {
			t.Errorf("%s = %v, want %d", c.name, c.got, c.want)
		}
	}
	wantTimes := func(name string, got data.Times, median, p90 time.Duration) {
		t.Helper()
		if !got.Known() || got.Median != median || got.P90 != p90 {
			t.Errorf("%s = %+v, want median %v, p90 %v", name, got, median, p90)
		}
	}
	wantTimes("TimeToPlacement", r.TimeToPlacement, 90*time.Minute, 3*time.Hour)
	wantTimes("CoachResponse", r.CoachResponse, 30*time.Minute, 45*time.Minute)
	if pct, ok := data.Share(r.PlacedWithin, r.Placed); !ok || fmt.Sprintf("%.1f", pct) != "66.7" {
		t.Errorf("share within 2 h = %v %v", pct, ok)
	}
	bins := map[string]int{}
	for _, b := range r.PlacementTimes {
		bins[b.Label] = b.Count.N
	}
	if bins["1–2 h"] != 2 || bins["2–4 h"] != 1 || bins["up to 1 h"] != 0 || len(bins) != 6 {
		t.Errorf("time bins %v", bins)
	}
	if len(r.Months) != 1 || r.Months[0].Month != "2026-10" || r.Months[0].Placed.N != 3 {
		t.Errorf("months %+v", r.Months)
	}
	// Day 30: P1 retained, P2 and D (placed October 1, day 30 on the 31st)
	// not reached; P3 left out. Day 90: P4 relapsed. Day 180: P5, nearest
	// check-in in recovery support.
	want := map[int][4]int{30: {3, 1, 0, 2}, 90: {1, 0, 1, 0}, 180: {1, 1, 0, 0}}
	for _, ret := range r.Retention {
		got := [4]int{ret.Due.N, ret.Retained.N, ret.NotRetained.N, ret.NotReached.N}
		if got != want[ret.Day] {
			t.Errorf("retention day %d: due, retained, not retained, not reached = %v, want %v", ret.Day, got, want[ret.Day])
		}
	}
	if len(r.Retention) != 3 {
		t.Errorf("%d retention days", len(r.Retention))
	}
	fac := map[string]int{}
	for _, f := range r.Facilities {
		fac[f.Name] = f.Placed
	}
	if fac["Gateway Aurora, Aurora"] != 2 || fac["Serenity House, Wheaton"] != 1 || len(fac) != 2 || r.Facilities[0].Name != "Gateway Aurora, Aurora" {
		t.Errorf("facilities %+v", r.Facilities)
	}
	if r.Program != "Naperville PD" || r.Agencies != nil {
		t.Errorf("program %q, agencies %+v", r.Program, r.Agencies)
	}

	t.Run("PlacedInAnotherMonth", func(t *testing.T) {
		r := report(t, p.coord, data.ReportQuery{From: "2026-11-01", To: "2026-11-30"})
		// C is November's placement; G's reopening is not a new contact.
		if r.Contacts.N != 0 || r.Placed.N != 1 || r.TimeToPlacement.Median != 3*time.Hour || r.CoachArrivals.N != 1 {
			t.Errorf("November: contacts %v, placed %v, median %v, arrivals %v", r.Contacts, r.Placed, r.TimeToPlacement.Median, r.CoachArrivals)
		}
		if r.CoachResponse.Median != 2*time.Hour {
			t.Errorf("C's coach took %v, want 2h", r.CoachResponse.Median)
		}
	})
	t.Run("RevokedConsentStillCounts", func(t *testing.T) {
		r := report(t, p.coord, data.ReportQuery{From: "2026-09-01", To: "2026-09-30"})
		// P1, P2, P3 and D first called in September; P3's revocation
		// takes nothing away from what happened.
		if r.Contacts.N != 4 || r.Placed.N != 3 {
			t.Errorf("September: contacts %v, placed %v, want 4 and 3", r.Contacts, r.Placed)
		}
	})
	t.Run("WindowStillOpen", func(t *testing.T) {
		// On October 8, P2's day-30 window (October 6–14) is still open: not
		// yet missed, and its retention not yet known.
		p.clock.Set(at("2026-10-08 12:00"))
		defer p.clock.Set(at("2026-11-27 19:02"))
		r := report(t, p.coord, data.ReportQuery{From: "2026-10-01", To: "2026-10-31"})
		if r.CheckInsMissed.N != 0 {
			t.Errorf("missed %v on October 8", r.CheckInsMissed)
		}
		if d := r.Retention[0]; d.Due.N != 1 || d.Retained.N != 1 {
			t.Errorf("day 30 on October 8: %+v", d)
		}
	})
	t.Run("Agency", func(t *testing.T) {
		ags, err := p.coord.ReportAgencies(ctx)
		if err != nil || len(ags) != 1 {
			t.Fatalf("agencies %v %v", ags, err)
		}
		r := report(t, p.coord, data.ReportQuery{From: "2026-10-01", To: "2026-10-31", Agency: ags[0].ID})
		if r.Contacts.N != 7 || r.AgencyName != "Naperville PD" {
			t.Errorf("agency report: %v contacts, agency %q", r.Contacts, r.AgencyName)
		}
		_, err = p.coord.Report(ctx, data.ReportQuery{From: "2026-10-01", To: "2026-10-31", Agency: data.NewID()})
		if data.ErrorCode(err) != data.EFORBIDDEN {
			t.Errorf("another agency's report: %v", err)
		}
	})
}

func TestReportRefusedAndBadInput(t *testing.T) {
	p := newProgram(t)
	for _, r := range []data.Role{data.RoleOfficer, data.RoleCoach} {
		_, err := p.sessions[r].Report(ctx, data.ReportQuery{From: "2026-10-01", To: "2026-10-31"})
		if data.ErrorCode(err) != data.EFORBIDDEN {
			t.Errorf("%s: %v", r, err)
		}
	}
	events, err := p.sessions[data.RoleAdmin].AuditEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	refused := 0
	for _, e := range events {
		if e.Action == "refused" && e.Detail == string(data.ActReports) {
			refused++
		}
	}
	if refused != 2 {
		t.Errorf("%d refusals audited, want 2", refused)
	}
	for _, q := range []data.ReportQuery{{From: "2026-10-31", To: "2026-10-01"}, {From: "10/01/2026", To: "2026-10-31"}, {From: "2026-10-01"}} {
		if _, err := p.sessions[data.RoleCoordinator].Report(ctx, q); data.ErrorCode(err) != data.EINVALID {
			t.Errorf("%+v: %v", q, err)
		}
	}
	r := report(t, p.sessions[data.RoleAdmin], data.ReportQuery{From: "2026-10-01", To: "2026-10-31"})
	if r.Contacts.N != 0 || r.TimeToPlacement.Known() || len(r.Months) != 1 {
		t.Errorf("empty report: %+v", r)
	}
	if !strings.Contains(r.Text(), "none") {
		t.Errorf("an empty report should say none:\n%s", r.Text())
	}
}

// groupsOf lists the sums a public report must not let anyone undo, written
// out here independently of the code that suppresses.
func groupsOf(r *data.Report) map[string][]data.Count {
	gs := map[string][]data.Count{
		"contacts":  {r.Contacts, r.Eligible, r.NotEligible},
		"insurance": {r.Placed, r.PlacedUninsured, r.PlacedOther},
		"target":    {r.Placed, r.PlacedWithin, r.PlacedOver},
		"check-ins": {r.CheckInsDue, r.CheckInsDone, r.CheckInsMissed},
	}
	bins, within, over, months := []data.Count{r.Placed}, []data.Count{r.PlacedWithin}, []data.Count{r.PlacedOver}, []data.Count{r.Placed}
	for _, b := range r.PlacementTimes {
		bins = append(bins, b.Count)
		if b.Upto != 0 && b.Upto <= 2*time.Hour {
			within = append(within, b.Count)
		} else {
			over = append(over, b.Count)
		}
	}
	gs["bins"], gs["bins within"], gs["bins over"] = bins, within, over
	for _, m := range r.Months {
		months = append(months, m.Placed)
	}
	gs["months"] = months
	for _, t := range r.Retention {
		gs[fmt.Sprint("retention ", t.Day)] = []data.Count{t.Due, t.Retained, t.NotRetained, t.NotReached}
	}
	cols := [6][]data.Count{{r.Contacts}, {r.Eligible}, {r.NotEligible}, {r.Placed}, {r.PlacedUninsured}, {r.PlacedOther}}
	for _, a := range r.Agencies {
		for i, c := range []data.Count{a.Contacts, a.Eligible, a.NotEligible, a.Placed, a.PlacedUninsured, a.PlacedOther} {
			cols[i] = append(cols[i], c)
		}
		gs["agency "+a.Name+" contacts"] = []data.Count{a.Contacts, a.Eligible, a.NotEligible}
		gs["agency "+a.Name+" placed"] = []data.Count{a.Placed, a.PlacedUninsured, a.PlacedOther}
	}
	if len(r.Agencies) > 0 {
		for i, c := range cols {
			gs[fmt.Sprint("agency column ", i)] = c
		}
	}
	return gs
}

// checkPublic checks the rules of a public report: no count from 1 to 10
// shown, no number left in a hidden cell, and no sum with exactly one
// hidden cell (which the total minus the shown cells would give).
func checkPublic(t *testing.T, r *data.Report) {
	t.Helper()
	for name, g := range groupsOf(r) {
		hidden := 0
		for _, c := range g {
			if c.Hidden == data.Shown && c.N >= 1 && c.N <= 10 {
				t.Errorf("%s: small count %d shown", name, c.N)
			}
			if c.Hidden != data.Shown {
				hidden++
				if c.N != 0 {
					t.Errorf("%s: a hidden cell keeps its number %d", name, c.N)
				}
			}
		}
		if hidden == 1 {
			t.Errorf("%s: one hidden cell, which subtraction gives: %v", name, g)
		}
	}
	for _, c := range []data.Count{r.OpenPastWindow, r.CoachArrivals} {
		if c.Hidden == data.Shown && c.N >= 1 && c.N <= 10 {
			t.Errorf("small count %d shown", c.N)
		}
	}
	if len(r.Facilities) > 0 {
		t.Error("a public report names facilities")
	}
}

func TestReportPublicSmall(t *testing.T) {
	p := october(t)
	r := report(t, p.coord, data.ReportQuery{From: "2026-10-01", To: "2026-10-31", Public: true})
	checkPublic(t, r)
	if r.Contacts.String() != "<11" || r.Placed.String() != "<11" || r.OpenPastWindow.String() != "<11" {
		t.Errorf("contacts %v placed %v open %v, want <11", r.Contacts, r.Placed, r.OpenPastWindow)
	}
	if !r.TimeToPlacement.Hidden || !r.CoachResponse.Hidden || r.TimeToPlacement.Median != 0 {
		t.Errorf("times of fewer than 11 people shown: %+v %+v", r.TimeToPlacement, r.CoachResponse)
	}
	if r.PlacementTimes[0].Count.String() != "0" {
		t.Errorf("a zero is shown as %q", r.PlacementTimes[0].Count)
	}
}

// TestReportPublicComplement has counts above 10 beside small ones, so
// that hiding only the small ones would let them be worked out.
func TestReportPublicComplement(t *testing.T) {
	p := newReportProgram(t)
	for i := range 25 {
		c := data.Case{}
		if i >= 22 {
			c.Warrant = true // 3 not eligible
		}
		insurance := "none"
		if i >= 12 && i < 15 {
			insurance = "medicaid" // 3 insured placements
		}
		opened := fmt.Sprintf("2026-10-%02d 10:00", 1+i)
		id := p.intake(t, fmt.Sprint("N", i), opened, insurance, c)
		switch {
		case i < 14:
			p.place(t, id, fmt.Sprintf("2026-10-%02d 11:30", 1+i), i%2, 365)
		case i == 14:
			p.place(t, id, fmt.Sprintf("2026-10-%02d 15:00", 1+i), 0, 365) // 5 h
		}
	}
	full := report(t, p.coord, data.ReportQuery{From: "2026-10-01", To: "2026-10-31"})
	if full.Contacts.N != 25 || full.NotEligible.N != 3 || full.Placed.N != 15 || full.PlacedOther.N != 3 || full.PlacedOver.N != 1 {
		t.Fatalf("full report: %v contacts, %v not eligible, %v placed, %v other, %v over", full.Contacts, full.NotEligible, full.Placed, full.PlacedOther, full.PlacedOver)
	}
	r := report(t, p.coord, data.ReportQuery{From: "2026-10-01", To: "2026-10-31", Public: true})
	checkPublic(t, r)
	shown := []struct {
		name string
		c    data.Count
		want string
	}{
		{"contacts", r.Contacts, "25"}, {"eligible", r.Eligible, "*"}, {"not eligible", r.NotEligible, "<11"},
		{"placed", r.Placed, "15"}, {"uninsured", r.PlacedUninsured, "*"}, {"other", r.PlacedOther, "<11"},
		{"within", r.PlacedWithin, "*"}, {"over", r.PlacedOver, "<11"},
		{"1–2 h", r.PlacementTimes[1].Count, "*"}, {"4–8 h", r.PlacementTimes[3].Count, "<11"},
		{"up to 1 h", r.PlacementTimes[0].Count, "0"}, {"October", r.Months[0].Placed, "15"},
	}
	for _, s := range shown {
		if s.c.String() != s.want {
			t.Errorf("%s shown as %q, want %q", s.name, s.c, s.want)
		}
	}
	if !r.TimeToPlacement.Known() || r.TimeToPlacement.Median != 90*time.Minute {
		t.Errorf("time to placement of 15 people: %+v", r.TimeToPlacement)
	}
	if _, ok := data.Share(r.PlacedWithin, r.Placed); ok {
		t.Error("the share within 2 hours would give the hidden count")
	}
	for _, f := range []data.ReportFormat{data.ReportText, data.ReportCSV, data.ReportPDF} {
		b, err := p.coord.ExportReport(ctx, r, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"Gateway", "Serenity", "N1 ", "Test"} {
			if bytes.Contains(b, []byte(name)) {
				t.Errorf("the public %s names %q", f, name)
			}
		}
		if !bytes.Contains(b, []byte("<11")) {
			t.Errorf("the public %s has no <11", f)
		}
	}
}

func TestReportExports(t *testing.T) {
	p := october(t)
	r := report(t, p.coord, data.ReportQuery{From: "2026-10-01", To: "2026-10-31"})

	text, err := p.coord.ExportReport(ctx, r, data.ReportText)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Naperville PD", "Oct 1, 2026 to Oct 31, 2026 · Naperville PD", data.ConsentNotice, "Gateway Aurora", "1:30", "3:00", "67%"} {
		if !strings.Contains(string(text), want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}

	b, err := p.coord.ExportReport(ctx, r, data.ReportCSV)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, row := range rows {
		if len(row) != 3 {
			t.Fatalf("row %v", row)
		}
		got[row[0]+"/"+row[1]] = row[2]
	}
	for k, v := range map[string]string{
		"report/notice": data.ConsentNotice, "report/from": "2026-10-01", "report/version": "full",
		"contacts/contacts": "7", "contacts/placed_uninsured": "1", "time_to_placement/median_minutes": "90",
		"time_to_placement/p90_minutes": "180", "coach_response/median_minutes": "30", "check_ins/completion_percent": "75.0",
		"retention/day_30_not_reached": "2", "months/2026-10": "3", "facility/Gateway Aurora, Aurora": "2",
	} {
		if got[k] != v {
			t.Errorf("CSV %s = %q, want %q", k, got[k], v)
		}
	}

	pdf, err := p.coord.ExportReport(ctx, r, data.ReportPDF)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:min(len(pdf), 20)])
	}
	for _, want := range []string{data.ConsentNotice, "Program report: Naperville PD", "Oct 1, 2026 to Oct 31, 2026", "Generated: Nov 27, 2026 19:02 UTC", "/Subtype /Image"} {
		if !bytes.Contains(pdf, []byte(want)) {
			t.Errorf("PDF lacks %q", want)
		}
	}

	for _, chart := range data.ReportCharts {
		png, err := r.ChartPNG(chart, 600, 300)
		if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
			t.Errorf("%s: %v", chart, err)
		}
	}

	events, err := p.sessions[data.RoleAdmin].AuditEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var exports []string
	for _, e := range events {
		if e.Action == "report.export" {
			exports = append(exports, e.Detail)
		}
	}
	// A coordinator's report is their agency's.
	ag := p.coord.User.Agency
	want := []string{"text full 2026-10-01..2026-10-31 agency=" + ag, "csv full 2026-10-01..2026-10-31 agency=" + ag, "pdf full 2026-10-01..2026-10-31 agency=" + ag}
	if fmt.Sprint(exports) != fmt.Sprint(want) {
		t.Errorf("exports audited: %q, want %q", exports, want)
	}

	// An officer may neither see nor export figures.
	if _, err := p.sessions[data.RoleOfficer].ExportReport(ctx, r, data.ReportCSV); data.ErrorCode(err) != data.EFORBIDDEN {
		t.Errorf("officer export: %v", err)
	}
}

// A check-in counts for a due date in the period when it was made within
// the window, even a month outside the period (the report reads only the
// check-ins that can count, which this holds it to).
func TestReportCheckInsAtTheWindowsEdges(t *testing.T) {
	p := newReportProgram(t)
	early := p.intake(t, "Early", "2025-09-01 09:00", "none", data.Case{})
	p.place(t, early, "2025-09-01 12:00", 0, 365)                     // due 2026-09-01, window from 2026-08-02
	p.checkIn(t, early, "2026-08-04 10:00", "recovery_support", true) // 28 days before the period
	late := p.intake(t, "Late", "2025-09-29 09:00", "none", data.Case{})
	p.place(t, late, "2025-09-29 12:00", 0, 365)                 // due 2026-09-29, window to 2026-10-29
	p.checkIn(t, late, "2026-10-28 10:00", "in_treatment", true) // 28 days after it
	missed := p.intake(t, "Missed", "2025-09-15 09:00", "none", data.Case{})
	p.place(t, missed, "2025-09-15 12:00", 0, 365)                 // due 2026-09-15, window 2026-08-16 to 2026-10-15
	p.checkIn(t, missed, "2026-08-10 10:00", "in_treatment", true) // before its window: does not count
	r := report(t, p.coord, data.ReportQuery{From: "2026-09-01", To: "2026-09-30"})
	if r.CheckInsDone.N != 2 || r.CheckInsMissed.N != 1 {
		t.Errorf("September 2026: %d check-ins done, %d missed; want 2 and 1", r.CheckInsDone.N, r.CheckInsMissed.N)
	}
}
