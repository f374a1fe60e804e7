package data

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"
)

// The figures that follow a case past its first contact: how fast the coach
// came, whether check-ins were done, and who was still in treatment or
// recovery support 30, 90 and 180 days after placement.

// coachResponse measures, for each case with a coach's arrival in the
// period, the time from the first call to that coach to their arrival.
func (r *Report) coachResponse(ctx context.Context, q queryer, p *period, agency string) error {
	amended, err := amendedIDs(ctx, q, "dispatch_attempts")
	if err != nil {
		return err
	}
	query := `SELECT d.id, d.case_id, d.arrived_at,
		(SELECT MIN(e.contacted_at) FROM dispatch_attempts e
			WHERE e.case_id = d.case_id AND e.coach = d.coach AND e.contacted_at <> '' AND e.contacted_at <= d.arrived_at)
		FROM dispatch_attempts d CROSS JOIN cases c ON c.id = d.case_id AND c.deleted = 0 -- the arrivals drive the join
		WHERE d.arrived_at >= ? AND d.arrived_at < ?`
	args := []any{p.startT, p.endT}
	if agency != "" {
		query += ` AND c.agency = ?`
		args = append(args, agency)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return storeErr(fmt.Errorf("read coach arrivals: %w", err))
	}
	defer rows.Close()
	type arrival struct{ at, called time.Time }
	first := map[string]arrival{}
	for rows.Next() {
		var id, caseID, arrived string
		var called sql.NullString
		if err := rows.Scan(&id, &caseID, &arrived, &called); err != nil {
			return err
		}
		if amended[id] || !called.Valid {
			continue
		}
		at, err1 := ParseTime(arrived)
		c, err2 := ParseTime(called.String)
		if err1 != nil || err2 != nil {
			continue
		}
		if a, ok := first[caseID]; !ok || at.Before(a.at) {
			first[caseID] = arrival{at, c}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	ds := make([]time.Duration, 0, len(first))
	for _, a := range first {
		ds = append(ds, a.at.Sub(a.called))
	}
	r.CoachArrivals.N = len(ds)
	r.CoachResponse = summarise(ds)
	return nil
}

// amendedIDs returns the records of an append-only table that a later
// record corrects: the correction counts, not them.
func amendedIDs(ctx context.Context, q queryer, table string) (map[string]bool, error) {
	rows, err := q.QueryContext(ctx, `SELECT amends FROM `+table+` WHERE amends IS NOT NULL AND amends <> ''`)
	if err != nil {
		return nil, storeErr(fmt.Errorf("read corrections: %w", err))
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}

// followUp counts check-ins due and done, and retention, over the placed
// cases that can have either in the period.
func (r *Report) followUp(ctx context.Context, q queryer, p *period, agency string, cases []reportCase) error {
	placed := make(map[string]*reportCase, len(cases))
	for i := range cases {
		if c := &cases[i]; c.placed.Before(p.end) {
			placed[c.id] = c
		}
	}
	r.Retention = make([]Retention, len(RetentionDays))
	for i, d := range RetentionDays {
		r.Retention[i].Day = d
	}
	if len(placed) == 0 {
		return nil
	}
	checkIns, err := reportCheckIns(ctx, q, p, placed)
	if err != nil {
		return err
	}
	ends, err := followUpEnds(ctx, q, p, placed)
	if err != nil {
		return err
	}
	for id, c := range placed {
		end, hasEnd := ends[id]
		stopped := func(day time.Time) bool { return hasEnd && day.After(end) }
		done := checkIns[id]
		start := dayOf(c.placed)
		// The scheduled check-ins due in the period, judged as Schedule
		// judges them: done when the person was reached on the due date's
		// record or within its window, missed once the window has closed.
		for _, d := range c.plan {
			due := start.Add(time.Duration(d) * 24 * time.Hour)
			if !p.inDay(due) || stopped(due) {
				continue
			}
			w := time.Duration(checkInWindow(d)) * 24 * time.Hour
			early, late := due.Add(-w), due.Add(w)
			ok := false
			for j := range done {
				ci := &done[j]
				if ci.due.Equal(due) || !ci.day.Before(early) && !ci.day.After(late) {
					ok = true
					break
				}
			}
			switch {
			case ok:
				r.CheckInsDone.N++
			case p.today.After(late):
				r.CheckInsMissed.N++
			}
		}
		for i, d := range RetentionDays {
			day := start.Add(time.Duration(d) * 24 * time.Hour)
			if !p.inDay(day) || day.After(p.today) || stopped(day) {
				continue
			}
			w := time.Duration(checkInWindow(d)) * 24 * time.Hour
			early, late := day.Add(-w), day.Add(w)
			var nearest *reportCheckIn
			best := time.Duration(math.MaxInt64)
			for j := range done {
				ci := &done[j]
				if ci.day.Before(early) || ci.day.After(late) {
					continue
				}
				dist := ci.day.Sub(day)
				if dist < 0 {
					dist = -dist
				}
				if dist < best || dist == best && ci.at.After(nearest.at) {
					nearest, best = ci, dist
				}
			}
			ret := &r.Retention[i]
			switch {
			case nearest != nil && nearest.retained:
				ret.Retained.N++
			case nearest != nil:
				ret.NotRetained.N++
			case !p.today.After(late):
				continue // the window is still open: not known yet
			default:
				ret.NotReached.N++
			}
			ret.Due.N++
		}
	}
	r.CheckInsDue.N = r.CheckInsDone.N + r.CheckInsMissed.N
	return nil
}

// reportCheckIn is a check-in in which the person was reached.
type reportCheckIn struct {
	at       time.Time
	day, due time.Time // the day it happened and the due date it was for (midnight UTC)
	retained bool      // in treatment or recovery support
}

// reportCheckIns reads the check-ins in which the person was reached, of
// the placed cases, without those a later record corrects. The table is
// read without a join: the cases are already in hand. Only check-ins that
// can count in the period are read: made within a check-in window (at most
// 30 days) of its days, or recorded for a due date in it. A program that
// has run for years has most of its check-ins elsewhere, and each row
// read costs a call into SQLite.
func reportCheckIns(ctx context.Context, q queryer, p *period, placed map[string]*reportCase) (map[string][]reportCheckIn, error) {
	amended, err := amendedIDs(ctx, q, "check_ins")
	if err != nil {
		return nil, err
	}
	const margin = (maxCheckInWindow + 1) * 24 * time.Hour
	rows, err := q.QueryContext(ctx, `SELECT id, case_id, COALESCE(due_on, ''), COALESCE(at, ''), COALESCE(situation, '')
		FROM check_ins WHERE reached = 'true' AND (at >= ? AND at < ? OR due_on >= ? AND due_on <= ?)`,
		FormatTime(p.firstDay.Add(-margin)), FormatTime(p.lastDay.Add(margin+24*time.Hour)),
		p.firstDay.Format(DateLayout), p.lastDay.Format(DateLayout))
	if err != nil {
		return nil, storeErr(fmt.Errorf("read check-ins for a report: %w", err))
	}
	defer rows.Close()
	out := map[string][]reportCheckIn{}
	var id, caseID, due, at, situation sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&id, &caseID, &due, &at, &situation); err != nil {
			return nil, err
		}
		c := placed[string(caseID)]
		if c == nil || len(amended) > 0 && amended[string(id)] {
			continue
		}
		ci := reportCheckIn{at: parseStamp(at), retained: retainedSituations[string(situation)]}
		ci.day = dayOf(ci.at)
		if len(due) > 0 {
			ci.due, _ = time.Parse(DateLayout, string(due))
		}
		out[c.id] = append(out[c.id], ci)
	}
	return out, rows.Err()
}

// followUpEnds returns, for each placed case whose consents are all revoked
// or expired, the day from which the person is no longer followed up.
// Cases without any consent on record are followed up as usual (consent may
// be on paper).
func followUpEnds(ctx context.Context, q queryer, p *period, placed map[string]*reportCase) (map[string]time.Time, error) {
	rows, err := q.QueryContext(ctx, `SELECT case_id, COALESCE(status, ''), COALESCE(revoked_at, ''), COALESCE(revoked_on, ''), COALESCE(expires_on, '')
		FROM consents WHERE deleted = 0`)
	if err != nil {
		return nil, storeErr(fmt.Errorf("read consents for a report: %w", err))
	}
	defer rows.Close()
	inForce := map[string]bool{}
	ends := map[string]time.Time{}
	for rows.Next() {
		var co Consent
		var revoked string
		if err := rows.Scan(&co.CaseID, &co.Status, &revoked, &co.RevokedOn, &co.ExpiresOn); err != nil {
			return nil, err
		}
		if placed[co.CaseID] == nil {
			continue
		}
		co.RevokedAt, _ = ParseTime(revoked)
		var end time.Time
		switch co.State(p.now) {
		case ConsentGranted:
			inForce[co.CaseID] = true
			continue
		case ConsentRevoked: // the day the person revoked, else the day it was recorded
			end, _ = time.Parse(DateLayout, co.revokedDay())
			if end.IsZero() {
				end = p.today
			}
		default: // expired: the last day it was in force
			end, _ = time.Parse(DateLayout, co.ExpiresOn)
		}
		if e, ok := ends[co.CaseID]; !ok || end.After(e) {
			ends[co.CaseID] = end
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for id := range inForce {
		delete(ends, id)
	}
	return ends, nil
}
