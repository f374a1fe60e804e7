package data

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// DemoFolder is where the window keeps its demo program ("Explore with
// demo data"): a folder of that name inside the data folder, so that the
// real program's database never holds made-up people and the real program
// can still be set up beside it.
const DemoFolder = "demo"

// DemoDir is the demo program's folder in the data folder dir.
func DemoDir(dir string) string { return filepath.Join(dir, DemoFolder) }

// RemoveDemo deletes the demo program of the data folder dir: the files a
// store writes, then the folder if nothing else is in it. A missing demo
// is not an error.
func RemoveDemo(dir string) error {
	demo := DemoDir(dir)
	for _, name := range []string{DBFile, DBFile + "-wal", DBFile + "-shm", DBFile + "-journal"} {
		if err := os.Remove(filepath.Join(demo, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("remove the demo program: %w", err)
		}
	}
	if rest, err := os.ReadDir(demo); err != nil || len(rest) > 0 {
		return nil // gone already, or holding someone else's files: left alone
	}
	if err := os.Remove(demo); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove the demo folder: %w", err)
	}
	return nil
}

// Demo accounts: every role, all with the password given to SetUpDemo.
var DemoUsers = []struct {
	Username string
	Name     string
	Role     Role
}{
	{"admin", "Avery Admin", RoleAdmin},
	{"officer", "Ofc. Jo Ortiz", RoleOfficer},
	{"coach", "Ana Pérez", RoleCoach},
	{"coordinator", "Cora Daniels", RoleCoordinator},
}

// SetUpDemo fills an empty store with a realistic small program around
// Naperville, Illinois: every role, coaches on and off call, the directory
// given (the Illinois SAMHSA listings) with fresh slot reports near the
// station, and cases at every step of the path — some late, some placed
// with check-ins overdue and due, and two fields in conflict. It is for trying the application and for
// screenshots; every person in it is made up.
func (s *Store) SetUpDemo(ctx context.Context, password string, directory []Facility) error {
	admin, _, err := s.Initialize(ctx, Setup{Agency: "Naperville Police Department", AgencyZIP: "60540",
		AdminUsername: DemoUsers[0].Username, AdminName: DemoUsers[0].Name, AdminPassword: password})
	if err != nil {
		return err
	}
	users := map[Role]*User{}
	for _, u := range DemoUsers[1:] {
		nu, err := admin.AddUser(ctx, User{Username: u.Username, Name: u.Name, Role: u.Role}, password)
		if err != nil {
			return fmt.Errorf("demo user %s: %w", u.Username, err)
		}
		users[u.Role] = nu
	}
	now := s.clock.Now()
	coachSpecs := []struct {
		c      Coach
		onCall bool
	}{
		{Coach{Name: "Ana Pérez", Phone: "(630) 555-0177", Gender: "female", LivedExperience: true, Certification: "CRSS", Languages: []string{"en", "es"}, UserID: users[RoleCoach].ID}, true},
		{Coach{Name: "Tom Brennan", Phone: "(630) 555-0142", Gender: "male", LivedExperience: true, Certification: "CRSS", Languages: []string{"en"}}, true},
		{Coach{Name: "Marcus Hill", Phone: "(847) 555-0119", Gender: "male", Certification: "CPRS", Languages: []string{"en"}}, true},
		{Coach{Name: "Kasia Nowak", Phone: "(630) 555-0163", Gender: "female", LivedExperience: true, Languages: []string{"en", "pl"}}, false},
		{Coach{Name: "Luis Ortega", Phone: "(331) 555-0108", Gender: "male", LivedExperience: true, Certification: "CRSS", Languages: []string{"en", "es"}}, false},
	}
	coaches := make([]string, len(coachSpecs))
	for i, cs := range coachSpecs {
		id, err := admin.AddCoach(ctx, cs.c)
		if err != nil {
			return fmt.Errorf("demo coach: %w", err)
		}
		coaches[i] = id
		start := now.Add(-3 * time.Hour)
		if !cs.onCall {
			start = now.Add(9 * time.Hour)
		}
		if _, err := admin.AddShift(ctx, Shift{Coach: id, StartsAt: start, EndsAt: start.Add(12 * time.Hour)}); err != nil {
			return err
		}
	}
	sum, err := admin.ImportFacilities(ctx, directory, false)
	if err != nil {
		return fmt.Errorf("demo directory: %w", err)
	}
	// Coaches log in again so that the coach's session knows its coach record.
	officer, err := s.Login(ctx, "officer", password)
	if err != nil {
		return err
	}
	coach, err := s.Login(ctx, "coach", password)
	if err != nil {
		return err
	}
	nearby := s.demoNearby(ctx, admin, directory, sum)
	if err := s.demoSlots(ctx, officer, nearby, now); err != nil {
		return err
	}
	if err := s.demoCases(ctx, admin, officer, coach, coaches, nearby, now); err != nil {
		return err
	}
	return s.demoConflicts(ctx, officer, coach, now)
}

// demoNearby picks residential and detox facilities near the station.
func (s *Store) demoNearby(ctx context.Context, admin *Session, directory []Facility, sum *ImportSummary) []string {
	var ids []string
	near := map[string]bool{"Naperville": true, "Aurora": true, "Lisle": true, "Wheaton": true, "Downers Grove": true,
		"Joliet": true, "Lombard": true, "Elgin": true, "Bolingbrook": true, "Warrenville": true, "Woodridge": true, "Westmont": true}
	for i := range directory {
		f := &directory[i]
		set := NewServiceSet(f.Services)
		if near[f.City] && (set.Any(setOf("RES", "RS", "RL", "DT", "HH"))) {
			if id := sum.IDs[FacilityIdentity(f)]; id != "" {
				ids = append(ids, id)
			}
		}
	}
	sort.Strings(ids)
	if len(ids) > 12 {
		ids = ids[:12]
	}
	return ids
}

func (s *Store) demoSlots(ctx context.Context, officer *Session, nearby []string, now time.Time) error {
	for i, id := range nearby {
		open := []int{2, 0, 1, 3, 0, 1}[i%6]
		ago := time.Duration(20+i*35) * time.Minute
		if i%5 == 4 {
			ago = 20 * time.Hour // stale: ranked as unknown
		}
		err := s.at(ago, func() error {
			_, err := officer.ReportAvailability(ctx, id, open, "")
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// shiftedClock reads a clock moved by d, so that demo records carry times
// in the past.
type shiftedClock struct {
	base Clock
	d    time.Duration
}

func (c shiftedClock) Now() time.Time { return c.base.Now().Add(c.d) }

// at runs fn with the store's clock moved back by ago.
func (s *Store) at(ago time.Duration, fn func() error) error {
	base := s.clock
	s.clock = shiftedClock{base, -ago}
	defer func() { s.clock = base }()
	return fn()
}

func (s *Store) demoCases(ctx context.Context, admin, officer, coach *Session, coaches, nearby []string, now time.Time) error {
	ana, tom, marcus := coaches[0], coaches[1], coaches[2]
	bed := func(i int) string {
		if len(nearby) == 0 {
			return ""
		}
		return nearby[i%len(nearby)]
	}
	consent := func(id, name string) error {
		_, err := officer.AddConsent(ctx, Consent{CaseID: id, Discloser: "Naperville Police Department",
			Recipient: "Connect for Life recovery coaches and treatment providers", Purpose: "referral to treatment and follow-up",
			Information: "name, contact details, substance use, treatment placement and progress",
			ExpiresOn:   now.AddDate(0, 6, 0).Format(DateLayout), SignedBy: name})
		return err
	}
	type step func(id string) error
	cases := []struct {
		ago    time.Duration
		person Person
		c      Case
		steps  []step
	}{
		// Waiting for a bed, late: coach arrived, assessed 3.5, uninsured.
		{107 * time.Minute, Person{First: "Daniel", Last: "Reyes", DOB: "1991-03-14", Gender: "male", ZIP: "60540", Phone: "(630) 555-0101"},
			Case{Channel: "walk-in", Insurance: "none", Substances: []string{"heroin", "fentanyl"}, WithdrawalRisk: true},
			[]step{
				func(id string) error {
					return s.at(105*time.Minute, func() error { return consent(id, "Daniel Reyes") })
				},
				func(id string) error {
					return s.at(103*time.Minute, func() error {
						_, err := officer.LogDispatch(ctx, DispatchAttempt{CaseID: id, Coach: tom, Response: "no_answer"})
						return err
					})
				},
				func(id string) error {
					return s.at(98*time.Minute, func() error {
						_, err := officer.LogDispatch(ctx, DispatchAttempt{CaseID: id, Coach: ana, Response: "accepted", ETAMinutes: 20})
						return err
					})
				},
				func(id string) error {
					return s.at(76*time.Minute, func() error {
						_, err := officer.LogDispatch(ctx, DispatchAttempt{CaseID: id, Coach: ana, Response: "arrived"})
						return err
					})
				},
				func(id string) error {
					return s.at(55*time.Minute, func() error {
						return coach.Assess(ctx, id, Assessment{Level: "3.5", MOUD: "buprenorphine", Needs: "No phone of his own; sister can be reached."})
					})
				},
			}},
		// Waiting for a coach: two tried.
		{22 * time.Minute, Person{First: "Maria", Last: "Santos", DOB: "1988-07-02", Gender: "female", ZIP: "60505", Language: "es"},
			Case{Channel: "phone", Insurance: "medicaid", Substances: []string{"heroin"}, Pregnant: true},
			[]step{
				func(id string) error {
					return s.at(20*time.Minute, func() error { return consent(id, "Maria Santos") })
				},
				func(id string) error {
					return s.at(15*time.Minute, func() error {
						_, err := officer.LogDispatch(ctx, DispatchAttempt{CaseID: id, Coach: marcus, Response: "no_answer"})
						return err
					})
				},
				func(id string) error {
					return s.at(9*time.Minute, func() error {
						_, err := officer.LogDispatch(ctx, DispatchAttempt{CaseID: id, Coach: tom, Response: "declined"})
						return err
					})
				},
			}},
		// Just arrived.
		{5 * time.Minute, Person{Alias: "J.J.", Gender: "male", ZIP: "60563"},
			Case{Channel: "ed", Insurance: "none", Substances: []string{"fentanyl"}}, nil},
		// An hour in, the coach is with him: waiting for the assessment.
		{64 * time.Minute, Person{First: "Kevin", Last: "Murphy", DOB: "1979-11-30", Gender: "male", ZIP: "60517"},
			Case{Channel: "family", Insurance: "private", Substances: []string{"prescription opioids"}},
			[]step{
				func(id string) error {
					return s.at(50*time.Minute, func() error {
						_, err := officer.LogDispatch(ctx, DispatchAttempt{CaseID: id, Coach: marcus, Response: "accepted", ETAMinutes: 25})
						return err
					})
				},
				func(id string) error {
					return s.at(27*time.Minute, func() error {
						_, err := officer.LogDispatch(ctx, DispatchAttempt{CaseID: id, Coach: marcus, Response: "arrived"})
						return err
					})
				},
			}},
		// Half an hour in, a coach on the way.
		{34 * time.Minute, Person{First: "Chris", Last: "Novak", DOB: "1996-05-09", Gender: "male", ZIP: "60565", Phone: "(630) 555-0138"},
			Case{Channel: "walk-in", Insurance: "medicaid", Substances: []string{"fentanyl"}, HousingNeed: true},
			[]step{
				func(id string) error {
					return s.at(32*time.Minute, func() error { return consent(id, "Chris Novak") })
				},
				func(id string) error {
					return s.at(12*time.Minute, func() error {
						_, err := officer.LogDispatch(ctx, DispatchAttempt{CaseID: id, Coach: tom, Response: "accepted", ETAMinutes: 20})
						return err
					})
				},
			}},
	}
	for _, dc := range cases {
		dc := dc
		var id string
		err := s.at(dc.ago, func() error {
			var err error
			id, err = officer.CreateCase(ctx, NewCase{Person: dc.person, Case: dc.c})
			return err
		})
		if err != nil {
			return fmt.Errorf("demo case: %w", err)
		}
		for _, st := range dc.steps {
			if err := st(id); err != nil {
				return fmt.Errorf("demo case step: %w", err)
			}
		}
	}
	// Placed cases with follow-up at different stages, coached by Ana so
	// that "My check-ins" has work in it.
	placed := []struct {
		days    int
		first   string
		last    string
		minutes int   // first contact to placement
		done    []int // check-in days done
	}{
		{1, "Tomás", "Wójcik", 95, nil},
		{10, "Ashley", "Parker", 80, []int{1, 3}},
		{35, "Brandon", "Lee", 150, []int{1, 3, 7, 14, 30}},
		{95, "Nicole", "Turner", 70, []int{1, 3, 7, 14, 30, 60, 90}},
		{200, "Jose", "Hernandez", 110, []int{1, 3, 7, 14, 30, 60}},
	}
	placedIDs := make([]string, len(placed))
	for i, pc := range placed {
		opened := time.Duration(pc.days)*24*time.Hour + time.Duration(pc.minutes)*time.Minute
		var id string
		err := s.at(opened, func() error {
			var err error
			id, err = officer.CreateCase(ctx, NewCase{Person: Person{First: pc.first, Last: pc.last, Gender: []string{"male", "female"}[i%2], ZIP: "60540"},
				Case: Case{Channel: Channels[i%len(Channels)], Insurance: []string{"none", "medicaid"}[i%2], Substances: []string{"heroin"}}})
			if err != nil {
				return err
			}
			if err := consent(id, pc.first+" "+pc.last); err != nil {
				return err
			}
			_, err = officer.LogDispatch(ctx, DispatchAttempt{CaseID: id, Coach: ana, Response: "accepted", ETAMinutes: 15})
			return err
		})
		if err != nil {
			return fmt.Errorf("demo placed case: %w", err)
		}
		placedIDs[i] = id
		err = s.at(opened-time.Duration(pc.minutes/2)*time.Minute, func() error {
			return coach.Assess(ctx, id, Assessment{Level: []string{"3.5", "WM", "3.7", "2.1", "3.5"}[i], MOUD: "buprenorphine"})
		})
		if err != nil {
			return err
		}
		if b := bed(i); b != "" {
			err = s.at(time.Duration(pc.days)*24*time.Hour, func() error {
				return coach.Place(ctx, id, Placement{Facility: b, Transport: "coach"})
			})
			if err != nil {
				return err
			}
		}
		for _, d := range pc.done {
			err := s.at(time.Duration(pc.days-d)*24*time.Hour-2*time.Hour, func() error {
				_, err := coach.RecordCheckIn(ctx, CheckIn{CaseID: id, DueOn: dayOf(now.AddDate(0, 0, -pc.days+d)).Format(DateLayout),
					Reached: true, Method: "phone", Situation: []string{"in_treatment", "recovery_support"}[min(d/30, 1)], Naloxone: true})
				return err
			})
			if err != nil {
				return err
			}
		}
	}
	// Brandon revoked his consent on the phone three days ago: nothing more
	// may be shared about him, and he is not followed up.
	if err := s.demoRevoke(ctx, coach, placedIDs[2], 3*24*time.Hour, "Told Ana on the phone he does not want the program to call him or his facility again."); err != nil {
		return err
	}
	// A person who changed their mind, and one sent to the emergency room.
	err := s.at(3*24*time.Hour, func() error {
		id, err := officer.CreateCase(ctx, NewCase{Person: Person{First: "Ryan", Last: "Cole", Gender: "male"}, Case: Case{Channel: "walk-in", Insurance: "none"}})
		if err != nil {
			return err
		}
		return admin.SetCaseFields(ctx, id, map[string]string{"status": StatusClosed, "closed_at": FormatTime(s.clock.Now().Add(40 * time.Minute)), "close_reason": "changed his mind"})
	})
	if err != nil {
		return err
	}
	return s.at(6*24*time.Hour, func() error {
		id, err := officer.CreateCase(ctx, NewCase{Person: Person{First: "Heather", Last: "Sims", Gender: "female"}, Case: Case{Channel: "walk-in", MedicalEmergency: true, Eligible: "no"}})
		if err != nil {
			return err
		}
		return admin.SetCaseFields(ctx, id, map[string]string{"status": StatusClosed, "closed_at": FormatTime(s.clock.Now().Add(10 * time.Minute)), "close_reason": "sent to the emergency department"})
	})
}

// demoRevoke records, ago in the past, that the person revoked the
// consents of case id.
func (s *Store) demoRevoke(ctx context.Context, sess *Session, id string, ago time.Duration, note string) error {
	ks, err := sess.Consents(ctx, id)
	if err != nil {
		return err
	}
	return s.at(ago, func() error {
		for _, k := range ks {
			if err := sess.RevokeConsent(ctx, k.ID, Revocation{Note: note}); err != nil {
				return fmt.Errorf("demo revocation: %w", err)
			}
		}
		return nil
	})
}
