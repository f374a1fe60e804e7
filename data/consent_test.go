package data_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"connectpoint/data"
)

// addConsent records the program's usual consent for a case, for a year.
func addConsent(t *testing.T, sess *data.Session, id string) string {
	t.Helper()
	kid, err := sess.AddConsent(ctx, data.Consent{CaseID: id, Discloser: "Naperville PD", Recipient: "Connect for Life coaches and treatment providers",
		Purpose: "treatment referral and follow-up", Information: "name, contact, substance use, placement", ExpiresOn: "2027-11-27", SignedBy: "The Person"})
	if err != nil {
		t.Fatal(err)
	}
	return kid
}

func TestRevokeConsent(t *testing.T) {
	p := newProgram(t)
	officer, coach := p.sessions[data.RoleOfficer], p.sessions[data.RoleCoach]
	id := p.newCase(t, "Maria", "Santos")
	kid := addConsent(t, officer, id) // signed 11/27/2026 19:02
	p.clock.Advance(24 * time.Hour)   // 11/28

	for _, c := range []struct {
		name string
		in   data.Revocation
		want string
	}{
		{"ErrDateNotADate", data.Revocation{On: "last Sunday"}, "use a date like 11/28/2026"},
		{"ErrDateInTheFuture", data.Revocation{On: "11/29/2026"}, "11/29/2026 is in the future"},
		{"ErrDateBeforeSigning", data.Revocation{On: "11/26/26"}, "before the consent was signed (11/27/2026)"},
		{"ErrNoteTooLong", data.Revocation{Note: strings.Repeat("x", 2001)}, "at most 2,000 characters"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := officer.RevokeConsent(ctx, kid, c.in)
			if data.ErrorCode(err) != data.EINVALID || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, want an EINVALID saying %q", err, c.want)
			}
		})
	}
	t.Run("ErrCoachOfAnotherCase", func(t *testing.T) {
		if err := coach.RevokeConsent(ctx, kid, data.Revocation{}); data.ErrorCode(err) != data.EFORBIDDEN {
			t.Errorf("a coach not on the case revoked its consent: %v", err)
		}
	})

	const note = "told Ana on the phone she wants nothing shared-Qx7"
	if err := officer.RevokeConsent(ctx, kid, data.Revocation{On: "11/27/26", Note: note}); err != nil {
		t.Fatal(err)
	}
	ks, err := officer.Consents(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	k := ks[0]
	if k.State(p.clock.Now()) != data.ConsentRevoked || k.RevokedOn != "2026-11-27" || k.RevokedDay() != "2026-11-27" ||
		!k.RevokedAt.Equal(p.clock.Now()) || k.RevokedBy != officer.User.ID || k.RevokerName != "officer" || k.RevokeNote != note {
		t.Errorf("revoked consent: %+v", k)
	}
	if err := officer.RevokeConsent(ctx, kid, data.Revocation{}); data.ErrorCode(err) != data.EINVALID ||
		!strings.Contains(err.Error(), "already revoked on 11/27/2026") {
		t.Errorf("second revocation: %v", err)
	}
	// The note is personal: sealed at rest.
	p.store.Close()
	for _, f := range []string{data.DBFile, data.DBFile + "-wal"} {
		b, _ := os.ReadFile(filepath.Join(p.dir, f))
		if bytes.Contains(b, []byte("shared-Qx7")) {
			t.Errorf("%s holds the revocation note in the clear", f)
		}
	}
}

// TestDisclosureRefusedAfterConsentEnds checks that data refuses what
// would tell someone about the person once the consent was revoked or has
// expired, audits each refusal, and allows it again under a new consent.
func TestDisclosureRefusedAfterConsentEnds(t *testing.T) {
	p, ids := directory(t)
	officer, coach, coord := p.sessions[data.RoleOfficer], p.sessions[data.RoleCoach], p.sessions[data.RoleCoordinator]
	gateway := ids["Gateway Aurora"]
	disclosures := []struct {
		name string
		do   func(id string) error
	}{
		{"CallACoach", func(id string) error {
			_, err := officer.LogDispatch(ctx, data.DispatchAttempt{CaseID: id, Coach: p.coachID, Response: "accepted"})
			return err
		}},
		{"CallAFacility", func(id string) error {
			_, err := coach.LogFacilityCall(ctx, data.FacilityCall{CaseID: id, Facility: gateway, Result: "no_bed"})
			return err
		}},
		{"Place", func(id string) error {
			return coach.Place(ctx, id, data.Placement{Facility: gateway, Transport: "coach"})
		}},
		{"SetFacility", func(id string) error { return coord.SetCaseFields(ctx, id, map[string]string{"facility": gateway}) }},
	}
	// A case assigned to the coach, assessed, with a consent.
	newCase := func(first string) (string, string) {
		id := p.newCase(t, first, "Test")
		kid := addConsent(t, officer, id)
		if _, err := officer.LogDispatch(ctx, data.DispatchAttempt{CaseID: id, Coach: p.coachID, Response: "arrived"}); err != nil {
			t.Fatal(err)
		}
		if err := coach.Assess(ctx, id, data.Assessment{Level: "3.5"}); err != nil {
			t.Fatal(err)
		}
		return id, kid
	}
	refusals := func() int {
		evs, err := coord.AuditEvents(ctx)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range evs {
			if e.Action == "refused" && strings.HasPrefix(e.Detail, "disclosure after consent") {
				n++
			}
		}
		return n
	}

	revoked, kid := newCase("Revoked")
	if err := officer.RevokeConsent(ctx, kid, data.Revocation{}); err != nil {
		t.Fatal(err)
	}
	expired, _ := newCase("Expired")
	unconsented := p.newCase(t, "Paper", "Test") // no consent on record: not barred
	if _, err := officer.LogDispatch(ctx, data.DispatchAttempt{CaseID: unconsented, Coach: p.coachID, Response: "arrived"}); err != nil {
		t.Fatal(err)
	}
	p.clock.Advance(366 * 24 * time.Hour) // the consents expire on 11/27/2027
	if err := officer.SetCaseFields(ctx, revoked, map[string]string{"phone": "630-555-0199"}); err != nil {
		t.Errorf("an edit that discloses nothing was refused: %v", err)
	}

	for _, c := range []struct {
		id, want string
	}{{revoked, "revoked their consent on 11/27/2026"}, {expired, "consent expired on 11/27/2027"}} {
		for _, d := range disclosures {
			t.Run(d.name, func(t *testing.T) {
				before := refusals()
				err := d.do(c.id)
				if data.ErrorCode(err) != data.EFORBIDDEN || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "Record a new consent") {
					t.Errorf("got %v, want a refusal saying %q", err, c.want)
				}
				if refusals() != before+1 {
					t.Error("the refusal is not on the audit trail")
				}
			})
		}
	}
	if _, err := officer.LogDispatch(ctx, data.DispatchAttempt{CaseID: revoked, Coach: p.coachID, Response: "arrived"}); err != nil {
		t.Errorf("recording an arrival discloses nothing, and was refused: %v", err)
	}
	if _, err := coach.LogFacilityCall(ctx, data.FacilityCall{CaseID: unconsented, Facility: gateway, Result: "no_bed"}); err != nil {
		t.Errorf("a case without any consent on record is not barred (it may be on paper): %v", err)
	}
	// A new consent allows disclosures again.
	if _, err := officer.AddConsent(ctx, data.Consent{CaseID: revoked, Discloser: "Naperville PD", Recipient: "Gateway Aurora",
		Purpose: "treatment", Information: "referral", ExpiresOn: "2028-11-27", SignedBy: "Revoked Test"}); err != nil {
		t.Fatal(err)
	}
	if err := coach.Place(ctx, revoked, data.Placement{Facility: gateway, Transport: "coach"}); err != nil {
		t.Errorf("placement under a new consent: %v", err)
	}
}

// TestAccountingOfDisclosures builds the accounting of a case that went
// the whole path and checks what it lists, who may read it, and its
// printouts.
func TestAccountingOfDisclosures(t *testing.T) {
	p, ids := directory(t)
	officer, coach, coord := p.sessions[data.RoleOfficer], p.sessions[data.RoleCoach], p.sessions[data.RoleCoordinator]
	tom, err := coord.AddCoach(ctx, data.Coach{Name: "Tom Brennan", Phone: "630-555-0142"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := coord.Export(ctx); err != nil { // before the case: not listed
		t.Fatal(err)
	}
	p.clock.Advance(time.Minute)
	id := p.newCase(t, "Daniel", "Reyes")
	kid := addConsent(t, officer, id)
	steps := []func() error{
		func() error {
			_, err := officer.LogDispatch(ctx, data.DispatchAttempt{CaseID: id, Coach: tom, Response: "no_answer"})
			return err
		},
		func() error {
			_, err := officer.LogDispatch(ctx, data.DispatchAttempt{CaseID: id, Coach: p.coachID, Response: "accepted", ETAMinutes: 20})
			return err
		},
		func() error {
			_, err := officer.LogDispatch(ctx, data.DispatchAttempt{CaseID: id, Coach: p.coachID, Response: "arrived"})
			return err
		},
		func() error { return coach.Assess(ctx, id, data.Assessment{Level: "3.5"}) },
		func() error {
			_, err := coach.LogFacilityCall(ctx, data.FacilityCall{CaseID: id, Facility: ids["Cash Only Residential"], Result: "no_answer"})
			return err
		},
		func() error {
			_, err := coach.LogFacilityCall(ctx, data.FacilityCall{CaseID: id, Facility: ids["Gateway Aurora"], Result: "bed_held", HeldUntil: p.clock.Now().Add(2 * time.Hour)})
			return err
		},
		func() error {
			return coach.Place(ctx, id, data.Placement{Facility: ids["Gateway Aurora"], Transport: "coach"})
		},
		func() error { _, err := coord.Export(ctx); return err },
		func() error { return coach.RevokeConsent(ctx, kid, data.Revocation{Note: "by phone"}) },
	}
	for _, s := range steps {
		p.clock.Advance(5 * time.Minute)
		if err := s(); err != nil {
			t.Fatal(err)
		}
	}

	if _, err := officer.Disclosures(ctx, id); data.ErrorCode(err) != data.EFORBIDDEN {
		t.Errorf("an officer may not see where a person went, nor read the accounting: %v", err)
	}
	acc, err := coach.Disclosures(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range acc.Disclosures {
		got = append(got, d.At.UTC().Format("15:04")+" "+d.To+" | "+d.What+" | "+d.By+" | "+d.Under)
		if d.AfterEnd {
			t.Errorf("%s: marked after the consent ended", d.What)
		}
	}
	want := []string{
		"19:13 Ana Pérez (recovery coach) | call asking the coach to come: accepted | officer | consent signed 11/27/2026",
		"19:33 Gateway Aurora, Aurora (treatment facility) | call about a bed for the person: bed held until 11/27/2026 21:33 | coach | consent signed 11/27/2026",
		"19:38 Gateway Aurora, Aurora (treatment facility) | referral and placement (transport: coach) | coach | consent signed 11/27/2026",
		"19:43 a file: export of the whole program | every record of the program, this person's included | coordinator | consent signed 11/27/2026",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("disclosures:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if acc.Person != "Daniel Reyes" || acc.DOB != "1986-03-14" || len(acc.Consents) != 1 || acc.Consents[0].RevokerName != "coach" {
		t.Errorf("accounting: %+v", acc)
	}
	if s := data.ConsentSummary(&acc.Consents[0], p.clock.Now()); !strings.Contains(s, "REVOKED on 11/27/2026, recorded by coach") {
		t.Errorf("consent summary: %s", s)
	}

	for _, f := range []data.ReportFormat{data.ReportPDF, data.ReportCSV} {
		t.Run(string(f), func(t *testing.T) {
			b, err := coord.ExportDisclosures(ctx, id, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range []string{data.ConsentNotice, "Accounting of disclosures", "Gateway Aurora, Aurora", "referral and placement"} {
				if !bytes.Contains(b, []byte(s)) {
					t.Errorf("the %s lacks %q", f, s)
				}
			}
		})
	}
	if _, err := coord.ExportDisclosures(ctx, id, data.ReportText); data.ErrorCode(err) != data.EINVALID {
		t.Errorf("text format: %v", err)
	}
	evs, err := coord.AuditEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]int{}
	for _, e := range evs {
		if e.RowID == id {
			seen[e.Action+" "+e.Detail]++
		}
	}
	if seen["disclosures.view "] != 1 || seen["disclosures.export pdf"] != 1 || seen["disclosures.export csv"] != 1 {
		t.Errorf("audit of the accounting: %v", seen)
	}
}

// TestNoFollowUpAfterRevocation: a person who revoked their consent drops
// out of the coach's check-ins.
func TestNoFollowUpAfterRevocation(t *testing.T) {
	p, ids := directory(t)
	officer, coach := p.sessions[data.RoleOfficer], p.sessions[data.RoleCoach]
	id := p.newCase(t, "Nicole", "Turner")
	kid := addConsent(t, officer, id)
	if _, err := officer.LogDispatch(ctx, data.DispatchAttempt{CaseID: id, Coach: p.coachID, Response: "arrived"}); err != nil {
		t.Fatal(err)
	}
	if err := coach.Place(ctx, id, data.Placement{Facility: ids["Gateway Aurora"], Transport: "coach"}); err != nil {
		t.Fatal(err)
	}
	due := func() int {
		list, err := coach.MyCheckIns(ctx, p.clock.Now(), 7*24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	if due() == 0 {
		t.Fatal("no check-ins after placement")
	}
	if err := coach.RevokeConsent(ctx, kid, data.Revocation{}); err != nil {
		t.Fatal(err)
	}
	if n := due(); n != 0 {
		t.Errorf("%d check-ins still due after the person revoked their consent", n)
	}
}
