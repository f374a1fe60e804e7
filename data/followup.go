package data

import (
	"context"
	"database/sql"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// RecordCheckIn records a follow-up contact with a person.
func (sess *Session) RecordCheckIn(ctx context.Context, ci CheckIn) (string, error) {
	c, _, err := sess.caseAccess(ctx, ActCheckIn, ci.CaseID)
	if err != nil {
		return "", err
	}
	if c.Status != StatusPlaced {
		return "", Errorf(EINVALID, "check-in: case %s has not been placed", ShortID(c.ID))
	}
	ci.ID, ci.Author = NewID(), sess.User.ID
	if ci.At.IsZero() {
		ci.At = sess.s.clock.Now()
	}
	if ci.Attempts == 0 {
		ci.Attempts = 1
	}
	if err := ci.Validate(); err != nil {
		return "", err
	}
	err = sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		if err := w.appendRecord(EntCheckIn, ci.ID, toFields(&ci)); err != nil {
			return err
		}
		return sess.audit(w, "case.checkin", EntCase, c.ID, "")
	})
	return ci.ID, err
}

// CheckIns returns a case's check-ins, oldest first.
func (sess *Session) CheckIns(ctx context.Context, caseID string) ([]CheckIn, error) {
	if _, _, err := sess.caseAccess(ctx, ActCheckIn, caseID); err != nil {
		return nil, err
	}
	var out []CheckIn
	err := loadAppend(ctx, sess, EntCheckIn, "case_id = ?", []any{caseID}, func(m map[string]string) {
		var c CheckIn
		fromFields(m, &c)
		c.ID = m["id"]
		out = append(out, c)
	})
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out, err
}

// Check-in states.
const (
	CheckInOverdue  = "overdue"
	CheckInDue      = "due"
	CheckInUpcoming = "upcoming"
	CheckInDone     = "done"
)

// DueCheckIn is one scheduled check-in of a placed case.
type DueCheckIn struct {
	CaseID  string
	Short   string
	Display string
	Day     int       // days after placement
	Due     time.Time // the day it falls due (midnight UTC)
	Early   time.Time // the first day it counts
	Late    time.Time // the last day it counts
	State   string
}

// checkInWindow is how many days before or after the due date a check-in
// still counts, GPRA-style: none for the first week, then a seventh of the
// interval, at most 30 days.
func checkInWindow(day int) int {
	return min(day/7, maxCheckInWindow)
}

// maxCheckInWindow is the widest a check-in window reaches either side, in days.
const maxCheckInWindow = 30

// dayOf returns the calendar day of t, at midnight UTC.
func dayOf(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Schedule returns a placed case's check-ins with their state at now.
func Schedule(c *Case, done []CheckIn, now time.Time) []DueCheckIn {
	if c.PlacedAt.IsZero() {
		return nil
	}
	plan, err := ParsePlan(c.CheckInPlan)
	if err != nil {
		plan = DefaultCheckInPlan
	}
	doneOn := map[string]bool{}
	var reachedDays []time.Time
	for _, ci := range done {
		if ci.DueOn != "" {
			doneOn[ci.DueOn] = true
		}
		reachedDays = append(reachedDays, dayOf(ci.At))
	}
	today := dayOf(now)
	start := dayOf(c.PlacedAt)
	out := make([]DueCheckIn, 0, len(plan))
	for _, d := range plan {
		due := start.AddDate(0, 0, d)
		w := checkInWindow(d)
		dc := DueCheckIn{CaseID: c.ID, Short: ShortID(c.ID), Day: d, Due: due,
			Early: due.AddDate(0, 0, -w), Late: due.AddDate(0, 0, w)}
		switch {
		case doneOn[due.Format(DateLayout)] || anyWithin(reachedDays, dc.Early, dc.Late):
			dc.State = CheckInDone
		case today.After(dc.Late):
			dc.State = CheckInOverdue
		case !today.Before(dc.Early):
			dc.State = CheckInDue
		default:
			dc.State = CheckInUpcoming
		}
		out = append(out, dc)
	}
	return out
}

func anyWithin(days []time.Time, from, to time.Time) bool {
	for _, d := range days {
		if !d.Before(from) && !d.After(to) {
			return true
		}
	}
	return false
}

// MyCheckIns returns the check-ins of the cases the session may follow up
// that are overdue, due, or upcoming within horizon: overdue first, then by
// due date. For a coach, only their cases; an overdue check-in counts only
// the most recent missed one per case, so a case lost for months does not
// bury the rest.
//
// Answers are kept until the next change or the next day: the reminders
// ask every minute, and at the state size each answer reads the schedule
// of some 20,000 placements.
func (sess *Session) MyCheckIns(ctx context.Context, now time.Time, horizon time.Duration) ([]DueCheckIn, error) {
	if err := sess.require(ctx, ActCheckIn, EntCheckIn, ""); err != nil {
		return nil, err
	}
	key := dueKey{commits: sess.s.commits.Load(), today: dayOf(now), limit: dayOf(now.Add(horizon))}
	sess.dueMu.Lock()
	out, ok := sess.due[key]
	sess.dueMu.Unlock()
	if ok {
		return slices.Clone(out), nil
	}
	out, err := sess.myCheckIns(ctx, now, horizon)
	if err != nil {
		return nil, err
	}
	sess.dueMu.Lock()
	for k := range sess.due {
		if k.commits != key.commits {
			delete(sess.due, k)
		}
	}
	if sess.due == nil {
		sess.due = map[dueKey][]DueCheckIn{}
	}
	sess.due[key] = out
	sess.dueMu.Unlock()
	return slices.Clone(out), nil
}

// dueKey says which answers of MyCheckIns still hold: a check-in's state,
// like a consent's, changes with the day and otherwise only by a commit.
type dueKey struct {
	commits      uint64
	today, limit time.Time
}

func (sess *Session) myCheckIns(ctx context.Context, now time.Time, horizon time.Duration) ([]DueCheckIn, error) {
	where, args := "status = ?", []any{StatusPlaced}
	switch sess.User.Role {
	case RoleCoach:
		where, args = where+" AND coach = ?", append(args, sess.coach)
	case RoleAdmin:
	default:
		where, args = where+" AND agency = ?", append(args, sess.User.Agency)
	}
	// The few columns a schedule needs: the dashboard asks every minute,
	// and at the state size whole records (check-in notes opened) left
	// hundreds of megabytes to collect each time.
	type placed struct {
		id, person, plan string
		at               time.Time
	}
	var cases []placed
	err := sess.scanRows(ctx, `SELECT id, person, placed_at, checkin_plan FROM cases WHERE deleted = 0 AND (`+where+`) ORDER BY id`,
		args, func(raw []sql.RawBytes) {
			p := placed{id: string(raw[0]), person: string(raw[1]), plan: string(raw[3])}
			p.at, _ = ParseTime(string(raw[2]))
			cases = append(cases, p)
		})
	if err != nil {
		return nil, err
	}
	if len(cases) == 0 {
		return nil, nil
	}
	done := map[string][]CheckIn{}
	err = sess.scanRows(ctx, `SELECT case_id, due_on, at FROM check_ins WHERE case_id IN (
		SELECT id FROM cases WHERE deleted = 0 AND (`+where+`))`, args, func(raw []sql.RawBytes) {
		ci := CheckIn{CaseID: string(raw[0]), DueOn: string(raw[1])}
		ci.At, _ = ParseTime(string(raw[2]))
		done[ci.CaseID] = append(done[ci.CaseID], ci)
	})
	if err != nil {
		return nil, err
	}
	names, err := sess.personNames(ctx)
	if err != nil {
		return nil, err
	}
	// A person whose consent was revoked or has expired is not followed up
	// (the reports leave them out from then on too).
	consents := map[string][]Consent{}
	ke, _ := Entity(EntConsent)
	ks, err := loadFields(ctx, sess.s.db, nil, ke, "case_id IN (SELECT id FROM cases WHERE status = ? AND deleted = 0)", StatusPlaced)
	if err != nil {
		return nil, err
	}
	for _, m := range ks {
		var k Consent
		fromFields(m, &k)
		consents[k.CaseID] = append(consents[k.CaseID], k)
	}
	limit := dayOf(now.Add(horizon))
	var out []DueCheckIn
	var c Case // one, refilled: a Case is a kilobyte of fields
	for _, p := range cases {
		c.ID, c.Person, c.CheckInPlan, c.PlacedAt = p.id, p.person, p.plan, p.at
		if ConsentBars(consents[c.ID], now) != nil {
			continue
		}
		var lastOverdue *DueCheckIn
		for _, dc := range Schedule(&c, done[c.ID], now) {
			dc.Display = names.get(c.Person)
			switch {
			case dc.State == CheckInOverdue:
				d := dc
				lastOverdue = &d
			case dc.State == CheckInDue, dc.State == CheckInUpcoming && !dc.Due.After(limit):
				out = append(out, dc)
			}
		}
		if lastOverdue != nil {
			out = append(out, *lastOverdue)
		}
	}
	rank := map[string]int{CheckInOverdue: 0, CheckInDue: 1, CheckInUpcoming: 2}
	sort.SliceStable(out, func(i, j int) bool {
		if rank[out[i].State] != rank[out[j].State] {
			return rank[out[i].State] < rank[out[j].State]
		}
		return out[i].Due.Before(out[j].Due)
	})
	return out, nil
}

// DescribeDue writes a check-in as a list shows it: "day 7 · due today",
// "day 30 · 3 days late".
func (d *DueCheckIn) DescribeDue(now time.Time) string {
	days := int(dayOf(now).Sub(d.Due) / (24 * time.Hour))
	when := ""
	switch {
	case days == 0:
		when = "due today"
	case days > 0:
		when = strconv.Itoa(days) + " days late"
		if days == 1 {
			when = "1 day late"
		}
	case days == -1:
		when = "due tomorrow"
	default:
		when = "due in " + strconv.Itoa(-days) + " days"
	}
	return strings.Join([]string{"day " + strconv.Itoa(d.Day), when}, " · ")
}
