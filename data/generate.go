package data

import (
	"context"
	"fmt"
	"math/rand"
	"strconv"
	"time"
)

// GenerateSpec says how much realistic, made-up data to generate. The same
// spec and seed always give the same people, cases and facilities (IDs and
// ciphertexts differ, being random by design).
type GenerateSpec struct {
	Cases      int
	Facilities int
	Coaches    int
	Seed       int64
	// Span is how far back first contacts go from now.
	Span time.Duration
	// FollowUp gives placed cases the check-ins a program records and
	// closes them when follow-up ends (completed, or contact lost), as a
	// program that has run for the span would have. Without it every
	// placement stays open with its check-ins missed, which only suits
	// benchmarks that want a given number of operations.
	FollowUp bool
}

// GeneratorVersion changes whenever the same spec generates different
// data; benchmarks name their cached programs with it.
const GeneratorVersion = 2

// The sizes of DESIGN §7.
var (
	SizeSmall  = GenerateSpec{Cases: 200, Facilities: 60, Coaches: 12, Seed: 1, Span: 365 * 24 * time.Hour, FollowUp: true}
	SizeCounty = GenerateSpec{Cases: 5000, Facilities: 2000, Coaches: 60, Seed: 1, Span: 2 * 365 * 24 * time.Hour, FollowUp: true}
	SizeState  = GenerateSpec{Cases: 100000, Facilities: 20000, Coaches: 800, Seed: 1, Span: 3 * 365 * 24 * time.Hour, FollowUp: true}
)

var (
	genFirst = []string{"Daniel", "Maria", "James", "Ashley", "Michael", "Jessica", "Christopher", "Amanda",
		"Joshua", "Sarah", "Matthew", "Brittany", "Anthony", "Samantha", "Jose", "Stephanie", "Tyler",
		"Nicole", "Kevin", "Heather", "Brandon", "Megan", "Justin", "Rachel", "Ryan", "Danielle", "Luis",
		"Katarzyna", "Tomasz", "Aaliyah", "DeShawn", "Guadalupe", "Nguyen", "Patrick", "Kayla", "Marcus"}
	genLast = []string{"Reyes", "Santos", "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia",
		"Miller", "Davis", "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
		"Thomas", "Taylor", "Moore", "Jackson", "Martin", "Kowalski", "Nowak", "Wisniewski", "O'Brien",
		"Murphy", "Sullivan", "Washington", "Tran", "Patel", "Kim", "Okafor", "Schmidt", "Novak"}
	genSubstances = []string{"heroin", "fentanyl", "prescription opioids", "alcohol", "methamphetamine", "cocaine", "benzodiazepines"}
	genCities     = []struct{ city, zip string }{{"Naperville", "60540"}, {"Aurora", "60505"}, {"Rolling Meadows", "60008"},
		{"Waukegan", "60085"}, {"Gurnee", "60031"}, {"Joliet", "60432"}, {"Elgin", "60120"}, {"Chicago", "60612"},
		{"Wheaton", "60187"}, {"Schaumburg", "60173"}, {"Mundelein", "60060"}, {"Downers Grove", "60515"}}
	genFacilityWords = []string{"Gateway", "Serenity", "Hope", "New Day", "Harbor", "Rosecrance", "Haymarket",
		"Stepping Stones", "Lighthouse", "Pathways", "Renewal", "Bridge", "Cornerstone", "Phoenix", "Meridian"}
	genFacilityKinds = []string{"Recovery Center", "Treatment Services", "House", "Behavioral Health", "Clinic", "Foundation"}
	genServiceSets   = [][]string{
		{"RES", "RS", "SS", "MD", "MALE", "ADLT"}, {"RES", "RL", "NP", "SAMF", "FEM", "PW", "ADLT"},
		{"OP", "ORT", "OIT", "SS", "MD", "PI", "ADLT", "SP"}, {"OTP", "OMB", "MM", "BU", "MD", "MC", "SF", "ADLT"},
		{"DT", "RD", "HID", "MD", "PI", "MC", "ADLT"}, {"HH", "SS", "PA", "MALE", "ADLT", "VET"},
		{"OP", "ODT", "BU", "NXN", "MD", "PI", "SF", "ADLT", "CHLD"}, {"HI", "HIT", "PI", "MC", "MI", "ADLT"},
	}
)

// Generate fills the store with made-up data of the given size, in large
// transactions, through the ordinary operation log and sealing. progress,
// if set, is called after each batch. It is for demos and benchmarks.
func (sess *Session) Generate(ctx context.Context, spec GenerateSpec, progress func(done, total int)) error {
	if err := sess.require(ctx, ActUsers, "", ""); err != nil {
		return err
	}
	rng := rand.New(rand.NewSource(spec.Seed))
	now := sess.s.clock.Now()
	total := spec.Coaches + spec.Facilities + spec.Cases
	done := 0
	report := func(n int) {
		done += n
		if progress != nil {
			progress(done, total)
		}
	}
	write := func(fn func(w *writeTx) error) error {
		return sess.s.write(ctx, sess.User.ID, sess.key, fn)
	}

	coaches := make([]string, spec.Coaches)
	err := write(func(w *writeTx) error {
		for i := range coaches {
			c := Coach{Name: pick(rng, genFirst) + " " + pick(rng, genLast)[:1] + ".", Phone: genPhone(rng),
				Active: rng.Intn(10) > 0, LivedExperience: rng.Intn(2) == 0, Certification: pick(rng, []string{"CRSS", "CPRS", "PRSS", ""}),
				Agency: sess.User.Agency, Languages: []string{"en"}}
			if rng.Intn(4) == 0 {
				c.Languages = append(c.Languages, "es")
			}
			coaches[i] = NewID()
			if err := w.create(EntCoach, coaches[i], toFields(&c)); err != nil {
				return err
			}
			// Each coach is on call for a 12-hour shift around now or not.
			start := now.Add(-time.Duration(rng.Intn(24)) * time.Hour)
			sh := Shift{Coach: coaches[i], StartsAt: start, EndsAt: start.Add(12 * time.Hour)}
			if err := w.create(EntShift, NewID(), toFields(&sh)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("generate coaches: %w", err)
	}
	report(spec.Coaches)

	facilities := make([]string, spec.Facilities)
	const batch = 1000
	for start := 0; start < spec.Facilities; start += batch {
		end := min(start+batch, spec.Facilities)
		err := write(func(w *writeTx) error {
			for i := start; i < end; i++ {
				loc := pick(rng, genCities)
				f := Facility{Name: pick(rng, genFacilityWords) + " " + pick(rng, genFacilityKinds) + " " + strconv.Itoa(i),
					Street: strconv.Itoa(100+rng.Intn(9000)) + " " + pick(rng, []string{"Main", "Oak", "Washington", "Lake", "Ogden", "Roosevelt"}) + " St",
					City:   loc.city, State: "IL", ZIP: loc.zip, Phone: genPhone(rng),
					Lat: 41.5 + rng.Float64()*0.8, Lon: -88.4 + rng.Float64()*0.8,
					VerifiedAt: now.Add(-time.Duration(rng.Intn(400*24)) * time.Hour),
					Services:   pick(rng, genServiceSets)}
				facilities[i] = NewID()
				if err := w.create(EntFacility, facilities[i], toFields(&f)); err != nil {
					return err
				}
				if rng.Intn(5) == 0 {
					r := AvailabilityReport{Facility: facilities[i], Open: rng.Intn(4), At: now.Add(-time.Duration(rng.Intn(48*60)) * time.Minute),
						Agency: sess.User.Agency, Author: sess.User.ID}
					if err := w.appendRecord(EntAvailability, NewID(), toFields(&r)); err != nil {
						return err
					}
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("generate facilities: %w", err)
		}
		report(end - start)
	}

	for start := 0; start < spec.Cases; start += batch {
		end := min(start+batch, spec.Cases)
		err := write(func(w *writeTx) error {
			for i := start; i < end; i++ {
				if err := sess.generateCase(w, rng, now, spec, coaches, facilities); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("generate cases: %w", err)
		}
		report(end - start)
	}
	return sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		return sess.audit(w, "generate", "", "", fmt.Sprintf("%d cases", spec.Cases))
	})
}

func (sess *Session) generateCase(w *writeTx, rng *rand.Rand, now time.Time, spec GenerateSpec, coaches, facilities []string) error {
	loc := pick(rng, genCities)
	p := Person{First: pick(rng, genFirst), Last: pick(rng, genLast), ZIP: loc.zip,
		Gender: pick(rng, []string{"male", "male", "female"})}
	if rng.Intn(4) > 0 {
		p.DOB = now.AddDate(-18-rng.Intn(45), 0, -rng.Intn(365)).Format(DateLayout)
	}
	if rng.Intn(3) > 0 {
		p.Phone = genPhone(rng)
	}
	opened := now.Add(-time.Duration(rng.Int63n(int64(spec.Span))))
	c := Case{Person: NewID(), Agency: sess.User.Agency, Channel: pick(rng, Channels), Status: StatusOpen,
		OpenedAt: opened, IntakeBy: sess.User.ID,
		Insurance:  pick(rng, []string{"none", "none", "none", "medicaid", "medicaid", "medicare", "private", "va"}),
		Substances: []string{pick(rng, genSubstances)}}
	age := now.Sub(opened)
	switch {
	case age > 24*time.Hour && rng.Intn(10) < 7:
		c.Status = StatusPlaced
		c.Coach = pick(rng, coaches)
		c.Level = pick(rng, []string{"3.5", "3.7", "WM", "OTP", "2.1", "1"})
		if len(facilities) > 0 {
			c.Facility = pick(rng, facilities)
		}
		c.PlacedAt = opened.Add(time.Duration(30+rng.Intn(300)) * time.Minute)
	case age > 24*time.Hour:
		c.Status = StatusClosed
		c.ClosedAt = opened.Add(time.Duration(1+rng.Intn(48)) * time.Hour)
		c.CloseReason = pick(rng, []string{"declined", "ineligible", "lost contact"})
	case rng.Intn(2) == 0 && len(coaches) > 0:
		c.Coach = pick(rng, coaches)
	}
	var checkIns []CheckIn
	if c.Status == StatusPlaced && spec.FollowUp {
		var end followUpEnd
		checkIns, end = genFollowUp(rng, &c, now)
		if end.reason != "" {
			c.Status, c.ClosedAt, c.CloseReason = StatusClosed, end.at, end.reason
		}
	}
	if err := w.create(EntPerson, c.Person, toFields(&p)); err != nil {
		return err
	}
	id := NewID()
	if err := w.create(EntCase, id, toFields(&c)); err != nil {
		return err
	}
	if c.Status == StatusPlaced && !spec.FollowUp && rng.Intn(3) == 0 {
		checkIns = []CheckIn{{DueOn: c.PlacedAt.AddDate(0, 0, 1).Format(DateLayout), At: c.PlacedAt.Add(26 * time.Hour),
			Reached: true, Attempts: 1, Method: "phone", Situation: "in_treatment", Author: c.Coach}}
	}
	for _, ci := range checkIns {
		ci.CaseID = id
		if err := w.appendRecord(EntCheckIn, NewID(), toFields(&ci)); err != nil {
			return err
		}
	}
	return nil
}

// followUpEnd is how and when a placed case's follow-up ended, if it has.
type followUpEnd struct {
	at     time.Time
	reason string
}

// genFollowUp makes the check-ins of a placed case up to now on the
// default plan. About two in three people stay in touch through the year;
// the others stop answering at some check-in. A coach records a check-in
// somewhere in its window; one whose window is open today is done or not
// yet. A case is closed two weeks or so after its last check-in, or a
// month after the first one missed when the person stopped answering, so
// what stays open is what a program would still be following.
func genFollowUp(rng *rand.Rand, c *Case, now time.Time) ([]CheckIn, followUpEnd) {
	plan := DefaultCheckInPlan
	stopsAt := len(plan) // index of the first check-in nobody answers
	if rng.Intn(3) == 0 {
		stopsAt = rng.Intn(len(plan))
	}
	today := dayOf(now)
	start := dayOf(c.PlacedAt)
	var out []CheckIn
	for i, d := range plan {
		due := start.AddDate(0, 0, d)
		w := checkInWindow(d)
		early, late := due.AddDate(0, 0, -w), due.AddDate(0, 0, w)
		if today.Before(early) {
			return out, followUpEnd{}
		}
		if i == stopsAt {
			if end := late.AddDate(0, 0, 30); today.After(end) {
				return out, followUpEnd{at: end.Add(time.Duration(9+rng.Intn(8)) * time.Hour), reason: FollowUpLost}
			}
			return out, followUpEnd{}
		}
		last := late
		if today.Before(late) {
			if rng.Intn(2) == 0 {
				return out, followUpEnd{} // due now, not done yet
			}
			last = today
		}
		at := early.AddDate(0, 0, rng.Intn(int(last.Sub(early)/(24*time.Hour))+1)).Add(time.Duration(9*60+rng.Intn(10*60)) * time.Minute)
		if at.After(now) {
			at = now.Add(-time.Duration(1+rng.Intn(60)) * time.Minute)
		}
		out = append(out, CheckIn{DueOn: due.Format(DateLayout), At: at, Reached: true, Attempts: pick(rng, []int{1, 1, 1, 2, 3}),
			Method: pick(rng, []string{"phone", "phone", "text", "in person"}), Situation: genSituation(rng, d), Author: c.Coach})
	}
	lastAt := out[len(out)-1].At
	if end := lastAt.AddDate(0, 0, 7+rng.Intn(14)); end.Before(now) {
		return out, followUpEnd{at: end, reason: FollowUpCompleted}
	}
	return out, followUpEnd{}
}

// genSituation is where a person reached d days after placement is.
func genSituation(rng *rand.Rand, d int) string {
	switch {
	case d <= 14:
		return "in_treatment"
	case d <= 60:
		return pick(rng, []string{"in_treatment", "in_treatment", "completed", "recovery_support", "relapsed"})
	default:
		return pick(rng, []string{"completed", "recovery_support", "recovery_support", "relapsed", "reentered"})
	}
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.Intn(len(xs))] }

func genPhone(rng *rand.Rand) string {
	area := pick(rng, []string{"630", "847", "312", "773", "815", "224"})
	return fmt.Sprintf("(%s) 555-%04d", area, rng.Intn(10000))
}
