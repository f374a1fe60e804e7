package data

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"time"
)

// The program's figures for a period (DESIGN §1 step 7): what a coordinator
// is asked when someone wants to know how the program is doing. Everything
// is computed from the stored records — cases, calls to coaches, check-ins
// and consents — with SQL that reads only the columns and rows a report
// needs, so that a state-size database (100,000 cases) reports in well
// under a second.
//
// How each figure is counted, in words a coordinator can repeat:
//
//   - Contacts: cases whose first contact falls in the period. A case that
//     was closed and reopened is one contact, at its first contact.
//   - Eligible: contacts not screened out: marked eligible, or not marked
//     either way and with no warrant, domestic-violence charge, danger to
//     others or medical emergency recorded.
//   - Placed: placements made in the period, whenever the first contact was
//     (a person who called on 31 October and was placed on 1 November is a
//     contact of October and a placement of November). A case reopened after
//     its placement (status open again) is not counted as placed.
//   - Placed uninsured: placements of people whose insurance is "none".
//   - Time to placement: first contact to placement, over the placements of
//     the period; median and 90th percentile by nearest rank (the time that
//     half, or nine in ten, of placements took no longer than), and the share
//     placed within the two-hour target.
//   - Coach response: from the first call to the coach who arrived to their
//     arrival, over arrivals in the period.
//   - Check-in completion: the scheduled check-ins due in the period whose
//     window has closed (or that were done): done means the person was
//     reached within the window.
//   - Retention at 30, 90 and 180 days: placements whose 30th (90th, 180th)
//     day falls in the period; retained when the reached check-in nearest
//     that day, within that check-in's window, found the person in
//     treatment, back in treatment or in recovery support. No check-in in the
//     window counts as not reached (and not retained).
//   - A person who revoked consent (or whose every consent expired) is not
//     followed up after that: check-ins and retention days after it are left
//     out, neither done nor missed.
//   - Open past the willingness window: cases first contacted in the period
//     that are still open more than 24 hours after first contact.

// WillingnessWindow is how long a person's willingness to go into treatment
// is taken to last (12 to 24 hours; reports use 24).
const WillingnessWindow = 24 * time.Hour

// RetentionDays are the days after placement at which retention is reported.
var RetentionDays = []int{30, 90, 180}

// ReportQuery says which figures to compute.
type ReportQuery struct {
	From, To string // the period's first and last day, YYYY-MM-DD, both included
	Agency   string // an agency ID; "" for every agency the session may see
	Public   bool   // suppress small counts and name no facility
	// Location is where the period's days begin and end; nil is UTC.
	Location *time.Location
}

// Hidden says why a count of a public report is not shown.
type Hidden uint8

// Why a count is not shown.
const (
	Shown Hidden = iota
	// HiddenSmall is a count from 1 to 10, shown as "<11".
	HiddenSmall
	// HiddenComplement is a count hidden so that a small count cannot be
	// worked out by subtracting the others from a total; shown as "*".
	HiddenComplement
)

// Count is one number of a report.
type Count struct {
	N      int // 0 when hidden
	Hidden Hidden
}

// String writes the count as a report shows it.
func (c Count) String() string {
	switch c.Hidden {
	case HiddenSmall:
		return "<11"
	case HiddenComplement:
		return "*"
	}
	return fmt.Sprint(c.N)
}

// Share returns part/whole as a percentage, false when either is hidden
// or whole is zero.
func Share(part, whole Count) (float64, bool) {
	if part.Hidden != Shown || whole.Hidden != Shown || whole.N == 0 {
		return 0, false
	}
	return 100 * float64(part.N) / float64(whole.N), true
}

// Times summarises durations by their median and 90th percentile. How many
// were measured is a count of its own (Placed, CoachArrivals).
type Times struct {
	Median, P90 time.Duration
	Measured    bool // at least one duration
	// Hidden is set in a public report when fewer than 11 durations were
	// measured: the figures would describe a few people.
	Hidden bool
}

// Known reports whether the figures can be shown.
func (t Times) Known() bool { return t.Measured && !t.Hidden }

// Bin is one bar of the time-to-placement chart.
type Bin struct {
	Label string
	Upto  time.Duration // the bin holds times up to this; 0 for the last
	Count Count
}

// Retention is how many people were still in treatment or recovery support
// a number of days after placement.
type Retention struct {
	Day         int
	Due         Count // placements whose day fell in the period
	Retained    Count
	NotRetained Count // reached, in another situation
	NotReached  Count // no check-in near that day
}

// MonthCount is the placements of one calendar month.
type MonthCount struct {
	Month  string // YYYY-MM
	Label  string // Aug 2026
	Placed Count
}

// AgencyFigures are the main counts of one agency.
type AgencyFigures struct {
	ID, Name                             string
	Contacts, Eligible, NotEligible      Count
	Placed, PlacedUninsured, PlacedOther Count
}

// FacilityCount is how many people a facility took in the period. Only the
// full report has them; the public one names no facility.
type FacilityCount struct {
	ID, Name string
	Placed   int
}

// Report is a program's figures for a period.
type Report struct {
	Program     string // the name of the session's agency
	AgencyID    string // "" for every agency
	AgencyName  string // "" for every agency
	From, To    string // YYYY-MM-DD, both included
	Location    *time.Location
	GeneratedAt time.Time
	Public      bool

	Contacts, Eligible, NotEligible      Count
	Placed, PlacedUninsured, PlacedOther Count
	// PlacedWithin and PlacedOver split the placements at the two-hour target.
	PlacedWithin, PlacedOver Count
	TimeToPlacement          Times
	PlacementTimes           []Bin

	CoachArrivals Count
	CoachResponse Times

	CheckInsDue, CheckInsDone, CheckInsMissed Count
	Retention                                 []Retention

	OpenPastWindow Count

	Months     []MonthCount
	Agencies   []AgencyFigures // when more than one agency has figures
	Facilities []FacilityCount // most placements first; not in a public report
}

// placementBins are the bars of the time-to-placement chart.
var placementBins = []struct {
	label string
	upto  time.Duration
}{
	{"up to 1 h", time.Hour}, {"1–2 h", 2 * time.Hour}, {"2–4 h", 4 * time.Hour},
	{"4–8 h", 8 * time.Hour}, {"8–24 h", 24 * time.Hour}, {"over 24 h", 0},
}

// retainedSituations are where a person is "still in treatment or recovery
// support".
var retainedSituations = map[string]bool{"in_treatment": true, "reentered": true, "recovery_support": true}

// followUpLookback is how far before the period placements are read: the
// last check-in (day 365) plus its window.
const followUpLookback = 400 * 24 * time.Hour

// ReportAgencies returns the agencies the session may report on: every
// agency for an administrator, the user's own for a coordinator.
func (sess *Session) ReportAgencies(ctx context.Context) ([]Agency, error) {
	if err := sess.require(ctx, ActReports, EntAgency, ""); err != nil {
		return nil, err
	}
	names, err := agencyNames(ctx, sess.s.db)
	if err != nil {
		return nil, err
	}
	var out []Agency
	for id, name := range names {
		if sess.User.Role == RoleAdmin || id == sess.User.Agency {
			out = append(out, Agency{ID: id, Name: name})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

func agencyNames(ctx context.Context, q queryer) (map[string]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, COALESCE(name, '') FROM agencies WHERE deleted = 0`)
	if err != nil {
		return nil, storeErr(fmt.Errorf("read agencies: %w", err))
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, err
		}
		out[id] = name
	}
	return out, rows.Err()
}

// reportCase is what a report needs of a case.
type reportCase struct {
	id, agency, facility string
	plan                 []int // check-in days
	opened, placed       time.Time
	placedNow            bool // placed, or closed after placement (not reopened)
	eligible, uninsured  bool
	open                 bool
}

// placement returns when the case was placed, or the zero time when it
// has not been (or was reopened since).
func (c *reportCase) placement() time.Time {
	if c.placedNow {
		return c.placed
	}
	return time.Time{}
}

// period is a report's period as instants.
type period struct {
	from, to     string    // dates, both included
	start, end   time.Time // [start, end)
	loc          *time.Location
	now          time.Time
	today        time.Time // midnight UTC, as check-in dates are kept
	lookback     time.Time // placements from here on may have check-ins due in the period
	startT, endT string    // start and end as stored text
	firstDay     time.Time // from and to as check-in dates are kept: midnight UTC
	lastDay      time.Time
}

func (p *period) in(t time.Time) bool { return !t.IsZero() && !t.Before(p.start) && t.Before(p.end) }

// inDay reports whether a calendar day (midnight UTC, as check-in dates
// are kept) is one of the period's.
func (p *period) inDay(d time.Time) bool { return !d.Before(p.firstDay) && !d.After(p.lastDay) }

func newPeriod(q ReportQuery, now time.Time) (*period, error) {
	loc := q.Location
	if loc == nil {
		loc = time.UTC
	}
	from, err := time.ParseInLocation(DateLayout, q.From, loc)
	if err != nil {
		return nil, Errorf(EINVALID, "report from: use a date like 08/01/2026")
	}
	to, err := time.ParseInLocation(DateLayout, q.To, loc)
	if err != nil {
		return nil, Errorf(EINVALID, "report to: use a date like 10/31/2026")
	}
	if to.Before(from) {
		return nil, Errorf(EINVALID, "report period: %s is before %s; give the first day, then the last", q.To, q.From)
	}
	if to.Sub(from) > 50*366*24*time.Hour {
		return nil, Errorf(EINVALID, "report period: at most 50 years")
	}
	p := &period{from: q.From, to: q.To, start: from, end: to.AddDate(0, 0, 1), loc: loc, now: now, today: dayOf(now)}
	p.lookback = p.start.Add(-followUpLookback)
	p.startT, p.endT = FormatTime(p.start), FormatTime(p.end)
	p.firstDay, _ = time.Parse(DateLayout, q.From)
	p.lastDay, _ = time.Parse(DateLayout, q.To)
	return p, nil
}

// Report computes the program's figures for a period. Coordinators report
// on their agency, administrators on any or all. Looking at figures is not
// audited (they name no one); exporting them is (see ExportReport).
func (sess *Session) Report(ctx context.Context, q ReportQuery) (*Report, error) {
	if err := sess.require(ctx, ActReports, EntAgency, q.Agency); err != nil {
		return nil, err
	}
	agency := q.Agency
	if sess.User.Role != RoleAdmin {
		if agency != "" && agency != sess.User.Agency {
			return nil, sess.refuse(ctx, ActReports, EntAgency, agency)
		}
		agency = sess.User.Agency
	}
	p, err := newPeriod(q, sess.s.clock.Now())
	if err != nil {
		return nil, err
	}
	// One read transaction for a consistent snapshot. BEGIN (deferred), not
	// the store's usual BEGIN IMMEDIATE: a report must not hold off writes.
	tx, err := sess.s.db.Conn(ctx)
	if err != nil {
		return nil, storeErr(err)
	}
	defer tx.Close()
	if _, err := tx.ExecContext(ctx, "BEGIN"); err != nil {
		return nil, storeErr(fmt.Errorf("begin report: %w", err))
	}
	defer tx.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	names, err := agencyNames(ctx, tx)
	if err != nil {
		return nil, err
	}
	if agency != "" {
		if _, ok := names[agency]; !ok {
			return nil, Errorf(ENOTFOUND, "no agency with ID %s", agency)
		}
	}
	r := &Report{Program: names[sess.User.Agency], From: q.From, To: q.To, Location: p.loc,
		GeneratedAt: p.now, Public: q.Public}
	if agency != "" {
		r.AgencyID, r.AgencyName = agency, names[agency]
	}
	t := r.newTally(p, names)
	cases, err := reportCases(ctx, tx, p, agency, t.add)
	if err != nil {
		return nil, err
	}
	t.finish()
	if err := r.coachResponse(ctx, tx, p, agency); err != nil {
		return nil, err
	}
	if err := r.followUp(ctx, tx, p, agency, cases); err != nil {
		return nil, err
	}
	if !q.Public {
		if err := r.facilityNames(ctx, tx); err != nil {
			return nil, err
		}
	} else {
		r.Facilities = nil
		r.suppress()
	}
	return r, nil
}

// reportCases reads the cases first contacted in the period and those
// placed late enough to have check-ins or retention days in it. At the
// state size that is tens of thousands of rows, so columns are read as raw
// bytes and only what a figure needs is kept.
func reportCases(ctx context.Context, q queryer, p *period, agency string, count func(*reportCase)) ([]reportCase, error) {
	// Columns a row does not need come back NULL, which costs nothing to
	// read: only placed cases need their ID, placement and plan, and only
	// those placed in the period their facility.
	agencyCol := "COALESCE(agency, '')"
	if agency != "" {
		agencyCol = "''"
	}
	query := `SELECT
		CASE WHEN placed THEN id END, ` + agencyCol + `, status = 'open', opened_at, CASE WHEN placed THEN placed_at END,
		insurance = 'none',
		COALESCE(eligible, '') = 'yes' OR COALESCE(eligible, '') = '' AND
			COALESCE(warrant, '') || COALESCE(dv_charge, '') || COALESCE(danger, '') || COALESCE(medical_emergency, '') NOT LIKE '%true%',
		CASE WHEN placed AND placed_at >= ?1 AND placed_at < ?2 THEN facility END,
		CASE WHEN placed THEN checkin_plan END
		FROM (SELECT *, status IN ('placed', 'closed') AND COALESCE(placed_at, '') <> '' AS placed FROM cases
			WHERE deleted = 0 AND ((opened_at >= ?1 AND opened_at < ?2) OR (placed_at >= ?3 AND placed_at < ?2))` +
		map[bool]string{true: ` AND agency = ?4`, false: ``}[agency != ""] + `)`
	args := []any{p.startT, p.endT, FormatTime(p.lookback)}
	if agency != "" {
		args = append(args, agency)
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, storeErr(fmt.Errorf("read cases for a report: %w", err))
	}
	defer rows.Close()
	var out []reportCase
	var id, ag, opened, placed, facility, plan sql.RawBytes
	var open, uninsured, eligible sql.NullBool
	agencies := map[string]string{}
	plans := map[string][]int{}
	for rows.Next() {
		var c reportCase
		if err := rows.Scan(&id, &ag, &open, &opened, &placed, &uninsured, &eligible, &facility, &plan); err != nil {
			return nil, err
		}
		c.open, c.uninsured, c.eligible = open.Bool, uninsured.Bool, eligible.Bool
		c.opened = parseStamp(opened)
		c.placed = parseStamp(placed)
		c.placedNow = !c.placed.IsZero()
		if a, ok := agencies[string(ag)]; ok {
			c.agency = a
		} else {
			c.agency = string(ag)
			agencies[c.agency] = c.agency
		}
		if c.placedNow {
			c.id = string(id)
			c.facility = string(facility)
			pl, ok := plans[string(plan)]
			if !ok {
				if pl, err = ParsePlan(string(plan)); err != nil {
					pl = DefaultCheckInPlan
				}
				plans[string(plan)] = pl
			}
			c.plan = pl
		}
		count(&c)
		if c.placedNow && !c.placed.Before(p.lookback) {
			out = append(out, c)
		}
	}
	return out, rows.Err()
}

// parseStamp reads a stored instant (TimeLayout) without allocating; other
// forms go through ParseTime. Empty or unreadable text is the zero time.
func parseStamp(b []byte) time.Time {
	if len(b) == len(TimeLayout) && b[4] == '-' && b[7] == '-' && b[10] == 'T' && b[13] == ':' && b[16] == ':' && b[19] == '.' && b[23] == 'Z' {
		num := func(i, n int) (int, bool) {
			v := 0
			for _, c := range b[i : i+n] {
				if c < '0' || c > '9' {
					return 0, false
				}
				v = v*10 + int(c-'0')
			}
			return v, true
		}
		y, ok1 := num(0, 4)
		mo, ok2 := num(5, 2)
		d, ok3 := num(8, 2)
		h, ok4 := num(11, 2)
		mi, ok5 := num(14, 2)
		sec, ok6 := num(17, 2)
		ms, ok7 := num(20, 3)
		if ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7 {
			return time.Date(y, time.Month(mo), d, h, mi, sec, ms*int(time.Millisecond), time.UTC)
		}
	}
	if len(b) == 0 {
		return time.Time{}
	}
	t, _ := ParseTime(string(b))
	return t
}

// tally counts contacts, placements and their times, one case at a time.
type tally struct {
	r          *Report
	p          *period
	names      map[string]string
	byAgency   map[string]*AgencyFigures
	monthIndex map[int]int // year*12 + month - 1
	facilities map[string]int
	waits      []time.Duration
}

func (r *Report) newTally(p *period, names map[string]string) *tally {
	t := &tally{r: r, p: p, names: names, byAgency: map[string]*AgencyFigures{},
		monthIndex: map[int]int{}, facilities: map[string]int{}}
	r.Months = months(p)
	first := time.Date(p.start.Year(), p.start.Month(), 1, 0, 0, 0, 0, p.loc)
	for i := range r.Months {
		m := first.AddDate(0, i, 0)
		t.monthIndex[m.Year()*12+int(m.Month())-1] = i
	}
	r.PlacementTimes = make([]Bin, len(placementBins))
	for i, b := range placementBins {
		r.PlacementTimes[i] = Bin{Label: b.label, Upto: b.upto}
	}
	return t
}

func (t *tally) agency(id string) *AgencyFigures {
	a := t.byAgency[id]
	if a == nil {
		a = &AgencyFigures{ID: id, Name: t.names[id]}
		t.byAgency[id] = a
	}
	return a
}

// add counts one case.
func (t *tally) add(c *reportCase) {
	r, p := t.r, t.p
	if p.in(c.opened) {
		a := t.agency(c.agency)
		a.Contacts.N++
		if c.eligible {
			a.Eligible.N++
		} else {
			a.NotEligible.N++
		}
		if c.open && p.now.Sub(c.opened) > WillingnessWindow {
			r.OpenPastWindow.N++
		}
	}
	placed := c.placement()
	if !p.in(placed) {
		return
	}
	a := t.agency(c.agency)
	a.Placed.N++
	if c.uninsured {
		a.PlacedUninsured.N++
	} else {
		a.PlacedOther.N++
	}
	wait := max(placed.Sub(c.opened), 0)
	t.waits = append(t.waits, wait)
	if wait <= PlacedWithin {
		r.PlacedWithin.N++
	} else {
		r.PlacedOver.N++
	}
	for i, b := range placementBins {
		if b.upto == 0 || wait <= b.upto {
			r.PlacementTimes[i].Count.N++
			break
		}
	}
	local := placed.In(p.loc)
	r.Months[t.monthIndex[local.Year()*12+int(local.Month())-1]].Placed.N++
	if c.facility != "" {
		t.facilities[c.facility]++
	}
}

// finish adds up the agencies and summarises the times.
func (t *tally) finish() {
	r := t.r
	r.TimeToPlacement = summarise(t.waits)
	for _, a := range t.byAgency {
		r.Contacts.N += a.Contacts.N
		r.Eligible.N += a.Eligible.N
		r.NotEligible.N += a.NotEligible.N
		r.Placed.N += a.Placed.N
		r.PlacedUninsured.N += a.PlacedUninsured.N
		r.PlacedOther.N += a.PlacedOther.N
		r.Agencies = append(r.Agencies, *a)
	}
	if len(r.Agencies) < 2 {
		r.Agencies = nil
	}
	sort.Slice(r.Agencies, func(i, j int) bool {
		if r.Agencies[i].Name != r.Agencies[j].Name {
			return r.Agencies[i].Name < r.Agencies[j].Name
		}
		return r.Agencies[i].ID < r.Agencies[j].ID
	})
	for id, n := range t.facilities {
		r.Facilities = append(r.Facilities, FacilityCount{ID: id, Placed: n})
	}
}

// months lists the calendar months the period touches.
func months(p *period) []MonthCount {
	var out []MonthCount
	first := time.Date(p.start.Year(), p.start.Month(), 1, 0, 0, 0, 0, p.loc)
	for m := first; m.Before(p.end); m = m.AddDate(0, 1, 0) {
		out = append(out, MonthCount{Month: m.Format("2006-01"), Label: m.Format("Jan 2006")})
	}
	return out
}

// summarise returns the count, median and 90th percentile of ds (nearest
// rank), sorting ds.
func summarise(ds []time.Duration) Times {
	if len(ds) == 0 {
		return Times{}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return Times{Median: nearestRank(ds, 0.5), P90: nearestRank(ds, 0.9), Measured: true}
}

// nearestRank is the smallest value that at least a share p of sorted ds
// does not exceed.
func nearestRank(sorted []time.Duration, p float64) time.Duration {
	i := int(math.Ceil(p*float64(len(sorted)))) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}

// facilityNames names the facilities of the full report, most placements
// first.
func (r *Report) facilityNames(ctx context.Context, q queryer) error {
	if len(r.Facilities) == 0 {
		return nil
	}
	ids := make([]string, len(r.Facilities))
	for i, f := range r.Facilities {
		ids[i] = f.ID
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	rows, err := q.QueryContext(ctx, `SELECT id, COALESCE(name, '') || COALESCE(', ' || NULLIF(city, ''), '') FROM facilities WHERE id IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return storeErr(fmt.Errorf("read facility names: %w", err))
	}
	defer rows.Close()
	names := make(map[string]string, len(ids))
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		names[id] = name
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range r.Facilities {
		f := &r.Facilities[i]
		if f.Name = names[f.ID]; f.Name == "" {
			f.Name = "(facility " + ShortID(f.ID) + ", no longer listed)"
		}
	}
	sort.Slice(r.Facilities, func(i, j int) bool {
		a, b := r.Facilities[i], r.Facilities[j]
		if a.Placed != b.Placed {
			return a.Placed > b.Placed
		}
		return a.Name < b.Name
	})
	return nil
}
