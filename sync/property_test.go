package sync_test

import (
	"bytes"
	"flag"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"connectpoint/data"
	cpsync "connectpoint/sync"
)

// rapidTB lets the test harness, written for testing.TB, run inside a rapid
// check: failures go to rapid (which shrinks them), temporary folders come
// from the enclosing test.
type rapidTB struct {
	testing.TB
	rt *rapid.T
}

func (r rapidTB) Helper()                      {}
func (r rapidTB) Fatal(args ...any)            { r.rt.Fatal(args...) }
func (r rapidTB) Fatalf(f string, args ...any) { r.rt.Fatalf(f, args...) }
func (r rapidTB) Errorf(f string, args ...any) { r.rt.Errorf(f, args...) }
func (r rapidTB) Error(args ...any)            { r.rt.Error(args...) }
func (r rapidTB) FailNow()                     { r.rt.FailNow() }
func (r rapidTB) Logf(f string, args ...any)   { r.rt.Logf(f, args...) }
func (r rapidTB) Cleanup(f func())             { r.rt.Cleanup(f) }
func (r rapidTB) Failed() bool                 { return r.rt.Failed() }
func (r rapidTB) Skipf(f string, args ...any)  { r.rt.Skipf(f, args...) }
func (r rapidTB) Log(args ...any)              { r.rt.Log(args...) }

// defaultChecks keeps the property test to a size that -race runs in well
// under a minute; -rapid.checks=N asks for more.
const defaultChecks = 40

func setChecks(t *testing.T, n int) {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "rapid.checks" })
	if set {
		return
	}
	old := flag.Lookup("rapid.checks").Value.String()
	flag.Set("rapid.checks", fmt.Sprint(n))
	t.Cleanup(func() { flag.Set("rapid.checks", old) })
}

// People's names used in the property test: long enough that finding one
// by chance in ciphertext is out of the question, so that their absence
// from the target means something.
var personNames = [][2]string{
	{"Daniel", "Reyes-Whitford"}, {"Marisol", "Quintanilla"}, {"Thaddeus", "Okonkwo"},
	{"Bernadette", "Kowalczyk"}, {"Lucinda", "Abernathy"}, {"Evangeline", "Szymanski"},
}

type notePlaced struct{ caseID, text string }

type pair struct {
	caseID, field string
	values        []string
}

// TestPropertyConverges: devices that edit apart, offline, in any order,
// with restarts, end with the same export after full rounds; every note is
// everywhere; concurrent edits of one field are a conflict and edits that
// saw each other are not; and the target holds no one's name.
func TestPropertyConverges(t *testing.T) {
	setChecks(t, defaultChecks)
	var stats struct{ devices, notes, concurrent, sequential, compacted int }
	defer func() {
		t.Logf("over all checks: %d devices, %d notes, %d concurrent pairs, %d sequential pairs, %d segments compacted",
			stats.devices, stats.notes, stats.concurrent, stats.sequential, stats.compacted)
	}()
	rapid.Check(t, func(rt *rapid.T) {
		tb := rapidTB{TB: t, rt: rt}
		m := cpsync.NewMemoryTarget()
		n := rapid.IntRange(3, 7).Draw(rt, "devices")
		devs := newNetwork(tb, m, n)
		var cases []string
		var notes []notePlaced
		var concurrent, sequential []pair
		pairUsed := map[string]bool{}
		var coaches, facilities, consents []string
		users := 0
		pick := func(label string) *device { return devs[rapid.IntRange(0, n-1).Draw(rt, label)] }
		own := map[*device][]string{} // cases created on each device
		// pickCase picks a case d created, or any case (which d may not
		// have received yet).
		pickCase := func(d *device) string {
			list := cases
			if rapid.Bool().Draw(rt, "own case") && len(own[d]) > 0 {
				list = own[d]
			}
			return list[rapid.IntRange(0, len(list)-1).Draw(rt, "case")]
		}
		newCase := func(d *device) {
			nm := personNames[rapid.IntRange(0, len(personNames)-1).Draw(rt, "person")]
			id := d.newCase(nm[0], nm[1])
			cases = append(cases, id)
			own[d] = append(own[d], id)
		}
		// tolerate: a device may not have received a case yet.
		tolerate := func(err error) bool {
			if err == nil {
				return true
			}
			if data.ErrorCode(err) == data.ENOTFOUND {
				return false
			}
			rt.Fatalf("unexpected error: %v", err)
			return false
		}
		// tolerateInvalid also lets a step the case's state does not allow
		// (a check-in before placement) pass.
		tolerateInvalid := func(err error) bool {
			if data.ErrorCode(err) == data.EINVALID {
				return false
			}
			return tolerate(err)
		}
		// tolerateBarred: a case whose consent was revoked refuses
		// disclosures (calls to coaches and facilities, placements).
		tolerateBarred := func(err error) bool {
			if data.ErrorCode(err) == data.EFORBIDDEN {
				return false
			}
			return tolerateInvalid(err)
		}
		pickFrom := func(list []string, label string) string {
			if len(list) == 0 {
				return ""
			}
			return list[rapid.IntRange(0, len(list)-1).Draw(rt, label)]
		}
		// Every device starts with a case of its own, so there is always
		// something to edit.
		for _, d := range devs {
			newCase(d)
		}
		steps := rapid.IntRange(10, 40).Draw(rt, "steps")
		for i := 0; i < steps; i++ {
			d := pick("device")
			d.clock.Advance(time.Duration(rapid.IntRange(0, 600).Draw(rt, "seconds")) * time.Second)
			switch rapid.IntRange(0, 23).Draw(rt, "action") {
			case 0:
				newCase(d)
			case 1: // a register field of the case or, sealed, of the person
				field := rapid.SampledFrom([]string{"level", "insurance", "moud", "phone", "last", "needs", "channel"}).Draw(rt, "field")
				var v string
				switch field {
				case "level":
					v = rapid.SampledFrom(data.Levels).Draw(rt, "v")
				case "insurance":
					v = rapid.SampledFrom(data.Insurances).Draw(rt, "v")
				case "moud":
					v = rapid.SampledFrom(data.MOUDs).Draw(rt, "v")
				case "channel":
					v = rapid.SampledFrom(data.Channels).Draw(rt, "v")
				case "phone":
					v = fmt.Sprintf("(630) 555-%04d", rapid.IntRange(0, 9999).Draw(rt, "v"))
				case "last":
					v = personNames[rapid.IntRange(0, len(personNames)-1).Draw(rt, "v")][1]
				case "needs":
					v = "needs a ride and a phone charger " + fmt.Sprint(i)
				}
				tolerate(d.sess.SetCaseFields(ctx, pickCase(d), map[string]string{field: v}))
			case 2: // a set field
				subs := rapid.SliceOfNDistinct(rapid.SampledFrom([]string{"heroin", "fentanyl", "alcohol", "cocaine"}), 0, 3, rapid.ID[string]).Draw(rt, "subs")
				if len(subs) > 0 {
					tolerate(d.sess.SetCaseFields(ctx, pickCase(d), map[string]string{"substances": strings.Join(subs, ",")}))
				}
			case 3: // an append-only note
				id := pickCase(d)
				text := fmt.Sprintf("Spoke with %s's sister, note %d", personNames[i%len(personNames)][0], i)
				if _, err := d.sess.AddNote(ctx, id, text); tolerate(err) {
					notes = append(notes, notePlaced{id, text})
				}
			case 4:
				nm := personNames[rapid.IntRange(0, len(personNames)-1).Draw(rt, "coach")]
				langs := rapid.SliceOfNDistinct(rapid.SampledFrom([]string{"en", "es", "pl"}), 1, 3, rapid.ID[string]).Draw(rt, "langs")
				id, err := d.sess.AddCoach(ctx, data.Coach{Name: nm[0] + " " + nm[1], Phone: "630-555-0177", Languages: langs})
				if err != nil {
					rt.Fatal(err)
				}
				coaches = append(coaches, id)
			case 5:
				if len(coaches) > 0 {
					c := coaches[rapid.IntRange(0, len(coaches)-1).Draw(rt, "coach")]
					_, err := d.sess.AddShift(ctx, data.Shift{Coach: c, StartsAt: d.clock.Now(), EndsAt: d.clock.Now().Add(8 * time.Hour)})
					if err != nil {
						rt.Fatal(err)
					}
				}
			case 6:
				users++
				if _, err := d.sess.AddUser(ctx, data.User{Username: fmt.Sprintf("%s-user%d", d.name, users), Role: data.RoleCoach}, "coach-password"); err != nil {
					rt.Fatal(err)
				}
			case 7: // resolve a conflict this device sees (not the reserved field)
				cs, err := d.sess.Conflicts(ctx)
				if err != nil {
					rt.Fatal(err)
				}
				for _, c := range cs {
					if c.Field != "payer" && c.Field != "transport" {
						if err := d.sess.KeepValue(ctx, c.Entity, c.Row, c.Field, c.Values[len(c.Values)-1].Op); err != nil {
							rt.Fatal(err)
						}
						break
					}
				}
			case 8, 9, 10: // a round, sometimes offline
				if rapid.IntRange(0, 5).Draw(rt, "offline") == 0 {
					m.FailNext(1, nil)
					if _, err := d.round(); !cpsync.IsOffline(err) {
						rt.Fatalf("round while offline: %v", err)
					}
				} else {
					d.mustRound()
				}
			case 11:
				d.restart()
			case 12: // two devices write one field without seeing each other
				// (d's own case, carried to d2 first, so that both have it.)
				d2 := pick("other")
				if d2 == d || len(own[d]) == 0 {
					continue
				}
				id := own[d][rapid.IntRange(0, len(own[d])-1).Draw(rt, "case")]
				if pairUsed[id] {
					continue
				}
				pairUsed[id] = true
				d.mustRound()
				d2.mustRound()
				v1, v2 := "payer of "+d.name, "payer of "+d2.name
				if err := d.sess.SetCaseFields(ctx, id, map[string]string{"payer": v1}); err != nil {
					rt.Fatal(err)
				}
				if err := d2.sess.SetCaseFields(ctx, id, map[string]string{"payer": v2}); err != nil {
					rt.Fatal(err)
				}
				concurrent = append(concurrent, pair{id, "payer", []string{v1, v2}})
			case 13: // one device writes, the other syncs and writes over it
				d2 := pick("other")
				id := pickCase(d)
				if d2 == d || pairUsed[id+"/t"] {
					continue
				}
				if !tolerate(d.sess.SetCaseFields(ctx, id, map[string]string{"transport": "ambulance"})) {
					continue
				}
				pairUsed[id+"/t"] = true
				d.mustRound()
				d2.mustRound()
				if err := d2.sess.SetCaseFields(ctx, id, map[string]string{"transport": "taxi"}); err != nil {
					rt.Fatalf("%s after a round that carried the case: %v", d2.name, err)
				}
				sequential = append(sequential, pair{id, "transport", []string{"taxi"}})
			case 14: // the shared directory
				sum, err := d.sess.ImportFacilities(ctx, []data.Facility{{Name: fmt.Sprintf("Serenity House %d", i),
					City: "Aurora", State: "IL", ZIP: "60505", Services: []string{"RES", "MD"}}}, false)
				if err != nil {
					rt.Fatal(err)
				}
				for _, id := range sum.IDs {
					facilities = append(facilities, id)
				}
			case 15:
				if f := pickFrom(facilities, "facility"); f != "" {
					_, err := d.sess.ReportAvailability(ctx, f, rapid.IntRange(0, 9).Draw(rt, "open"), "beds after noon")
					tolerate(err)
				}
			case 16:
				if c := pickFrom(coaches, "coach"); c != "" {
					resp := rapid.SampledFrom([]string{"accepted", "declined", "no_answer"}).Draw(rt, "response")
					_, err := d.sess.LogDispatch(ctx, data.DispatchAttempt{CaseID: pickCase(d), Coach: c, Response: resp})
					tolerateBarred(err)
				}
			case 17:
				if f := pickFrom(facilities, "facility"); f != "" {
					_, err := d.sess.LogFacilityCall(ctx, data.FacilityCall{CaseID: pickCase(d), Facility: f, Result: "no_bed"})
					tolerateBarred(err)
				}
			case 18: // placement writes transport: keep it off the cases of sequential pairs
				id := pickCase(d)
				if f := pickFrom(facilities, "facility"); f != "" && !pairUsed[id+"/t"] {
					if tolerateBarred(d.sess.Place(ctx, id, data.Placement{Facility: f, Transport: "coach"})) {
						pairUsed[id+"/t"] = true
					}
				}
			case 19:
				_, err := d.sess.RecordCheckIn(ctx, data.CheckIn{CaseID: pickCase(d), Reached: true, Method: "phone", Situation: "in_treatment", Naloxone: true})
				tolerateInvalid(err)
			case 20: // consent (42 CFR §2.31)
				id, err := d.sess.AddConsent(ctx, data.Consent{CaseID: pickCase(d), Discloser: "Naperville PD", Recipient: "Serenity House",
					Purpose: "treatment referral", Information: "name, contact, substance use", SignedBy: "the person", ExpiresOn: "2027-05-27"})
				if tolerate(err) {
					consents = append(consents, id)
				}
			case 21:
				if c := pickFrom(consents, "consent"); c != "" {
					tolerateInvalid(d.sess.RevokeConsent(ctx, c, data.Revocation{})) // invalid: already revoked
				}
			case 22: // the administrator's device compacts what every device has applied
				if rapid.Bool().Draw(rt, "everyone synced first") {
					for pass := 0; pass < 2; pass++ {
						for _, x := range devs {
							x.mustRound()
						}
					}
				}
				devs[0].mustRound()
				cr, err := devs[0].sy.Compact(ctx)
				if err != nil {
					rt.Fatalf("compact: %v", err)
				}
				stats.compacted += cr.Deleted
			case 23: // a new device joins (from the newest snapshot, if any)
				if n < 8 {
					devs = append(devs, devs[0].enroll(fmt.Sprintf("dev%d", n)))
					n++
				}
			}
		}

		stats.devices += n
		stats.notes += len(notes)
		stats.concurrent += len(concurrent)
		stats.sequential += len(sequential)
		converge(tb, devs)
		for _, d := range devs {
			cs, err := d.sess.Conflicts(ctx)
			if err != nil {
				rt.Fatal(err)
			}
			for _, p := range concurrent {
				i := slices.IndexFunc(cs, func(c data.Conflict) bool { return c.Field == p.field && c.Row == p.caseID })
				if i < 0 {
					rt.Fatalf("%s: concurrent writes of %s on case %s are not a conflict", d.name, p.field, p.caseID)
				}
				var got []string
				for _, v := range cs[i].Values {
					got = append(got, v.Value)
				}
				slices.Sort(got)
				if want := slices.Sorted(slices.Values(p.values)); !slices.Equal(got, want) {
					rt.Fatalf("%s: conflict values %v, want %v", d.name, got, want)
				}
			}
			for _, p := range sequential {
				for _, c := range cs {
					if c.Field == p.field && c.Row == p.caseID {
						rt.Fatalf("%s: writes that saw each other are a conflict: %+v", d.name, c)
					}
				}
				rec, err := d.sess.Case(ctx, p.caseID)
				if err != nil || rec.Case.Transport != p.values[0] {
					rt.Fatalf("%s: transport %q (%v), want %q", d.name, rec.Case.Transport, err, p.values[0])
				}
			}
			for _, nt := range notes {
				ns, err := d.sess.Notes(ctx, nt.caseID)
				if err != nil {
					rt.Fatal(err)
				}
				if !slices.ContainsFunc(ns, func(x data.Note) bool { return x.Text == nt.text }) {
					rt.Fatalf("%s: note %q of case %s is missing", d.name, nt.text, nt.caseID)
				}
			}
		}
		assertNoNames(tb, m)
	})
}

// assertNoNames checks that no file on the target holds a person's name or
// a note's words in the clear.
func assertNoNames(t testing.TB, tg cpsync.Target) {
	t.Helper()
	list, err := tg.List(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var needles []string
	for _, nm := range personNames {
		needles = append(needles, nm[0], nm[1])
	}
	// Phones are stored as "(630) 555-0101"; a bare "555-0" could turn up
	// inside a device ID, the parenthesis cannot.
	needles = append(needles, "Spoke with", "phone charger", "(630) 555")
	for _, e := range list {
		b, err := tg.Get(ctx, e.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range needles {
			if bytes.Contains(b, []byte(s)) || bytes.Contains(bytes.ToLower(b), []byte(strings.ToLower(s))) {
				t.Fatalf("%s holds %q in the clear", e.Name, s)
			}
		}
	}
}
