package data

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Directory is the facility directory held in memory for matching: 20,000
// facilities filter and rank in a few milliseconds, as an officer types.
// It is kept lean because the window holds it all day: facilities and
// entries are parallel slices, and the few slot reports sit in a slice of
// their own.
type Directory struct {
	facs    []Facility
	entries []dirEntry
	reports []SlotReport // the latest slot report of the facilities that have one
}

type dirEntry struct {
	services ServiceSet
	at       LatLon
	// search is the facility's text in lower case, a field a line, as
	// searches look in it; Match reads only its first matchLen bytes
	// (the names, the city and the ZIP). See searchText.
	search   string
	matchLen int32
	slots    int32 // index in reports, -1 for none
	located  bool
	approx   bool // located by ZIP, not by the listing's own coordinates
}

// LoadDirectory reads the directory and each facility's latest slot report.
// zips locates facilities that have no coordinates of their own.
func (sess *Session) LoadDirectory(ctx context.Context, zips *ZIPTable) (*Directory, error) {
	fs, err := sess.Facilities(ctx, FacilityFilter{})
	if err != nil {
		return nil, err
	}
	d := &Directory{facs: fs, entries: make([]dirEntry, len(fs))}
	byID := make(map[string]int32, len(fs))
	for i := range fs {
		f := &fs[i]
		e := dirEntry{services: NewServiceSet(f.Services), slots: -1}
		e.search, e.matchLen = searchText(f)
		if p := (LatLon{f.Lat, f.Lon}); p.Valid() {
			e.at, e.located = p, true
		} else if p, _, ok := zips.Locate(f.ZIP); ok {
			// A ZIP's centre is only near the door.
			e.at, e.located, e.approx = p, true, true
		}
		d.entries[i] = e
		byID[f.ID] = int32(i)
	}
	search := make([]*string, len(d.entries))
	for i := range d.entries {
		search[i] = &d.entries[i].search
	}
	gatherStrings(search)
	rows, err := sess.s.db.QueryContext(ctx, `SELECT r.facility, COALESCE(r.open, '0'), r.at, COALESCE(a.name, '')
		FROM availability_reports r LEFT JOIN agencies a ON a.id = r.agency
		WHERE r.at = (SELECT MAX(at) FROM availability_reports x WHERE x.facility = r.facility)`)
	if err != nil {
		return nil, storeErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, open, at, by string
		if err := rows.Scan(&id, &open, &at, &by); err != nil {
			return nil, err
		}
		i, ok := byID[id]
		if !ok {
			continue
		}
		e := &d.entries[i]
		if e.slots < 0 {
			// Two reports at the same time: the last read wins.
			e.slots = int32(len(d.reports))
			d.reports = append(d.reports, SlotReport{})
		}
		r := &d.reports[e.slots]
		r.Facility, r.AgencyName = fs[i].ID, by
		r.Open, _ = strconv.Atoi(open)
		r.At, _ = ParseTime(at)
	}
	d.reports = slices.Clip(d.reports)
	return d, rows.Err()
}

// searchText writes what searches look in: the facility's name, second
// name, city and ZIP (all that Match looks in: the first matchLen bytes),
// then its street, state, phones and the phones' digits alone, in lower
// case and each on a line of its own, so that a word (which has no spaces)
// is found only within one field.
func searchText(f *Facility) (text string, matchLen int32) {
	parts := [...]string{f.Name, f.Name2, f.City, f.ZIP, f.Street, f.State, f.Phone, f.IntakePhone, digitsOf(f.Phone), digitsOf(f.IntakePhone)}
	n := len(parts)
	for _, p := range parts {
		n += len(p)
	}
	var b strings.Builder
	b.Grow(n)
	for i, p := range parts {
		if i == 4 {
			matchLen = int32(b.Len())
		}
		b.WriteString(strings.ToLower(p))
		b.WriteByte('\n')
	}
	return b.String(), matchLen // LoadDirectory gathers it with the others
}

func digitsOf(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// slots returns e's latest slot report, nil when there is none.
func (d *Directory) slots(e *dirEntry) *SlotReport {
	if e.slots < 0 {
		return nil
	}
	return &d.reports[e.slots]
}

// Len returns how many facilities the directory holds.
func (d *Directory) Len() int { return len(d.entries) }

// MatchQuery is what a person needs. Empty fields do not filter.
type MatchQuery struct {
	Level     string // ASAM level: 1, 2.1, 2.5, 3.1, 3.5, 3.7, 4, WM, OTP
	Insurance string // none, medicaid, medicare, private, va, other
	Gender    string // male, female
	Pregnant  bool
	Veteran   bool
	MOUD      string // methadone, buprenorphine, naltrexone
	Adult     bool   // the person is 18 or older
	Origin    LatLon // where distances are measured from; zero for none
	Text      string // words in the name or city
	Limit     int    // 0: all
	Now       time.Time
	Stale     time.Duration // slot reports older than this count as unknown (default 12 h)
}

// Match is one facility that fits, with why.
type Match struct {
	Facility      *Facility
	DistanceMiles float64 // -1 when it cannot be measured
	Approx        bool    // distance measured from the ZIP's centre
	Open          int     // open slots in a fresh report; -1 unknown
	OpenAt        time.Time
	OpenBy        string
	Reasons       []string
}

// Describe writes the reasons on one line: "free · residential · 4.2 mi · 2 open 1 h ago".
func (m *Match) Describe() string { return strings.Join(m.Reasons, " · ") }

// Match filters and ranks the directory for q: fresh open slots first,
// then unknown, then known full; within each, located facilities by
// distance before those that cannot be placed; then the most recently
// verified.
func (d *Directory) Match(q MatchQuery) []Match {
	if q.Stale == 0 {
		q.Stale = 12 * time.Hour
	}
	settings := LevelSettings(q.Level)
	words := strings.Fields(strings.ToLower(q.Text))
	type cand struct {
		i     int
		group int
		dist  float64
	}
	var cands []cand
	var levelSet ServiceSet
	if settings != nil {
		levelSet = NewServiceSet(settings)
	}
	for i := range d.entries {
		e := &d.entries[i]
		s := e.services
		if settings != nil && !s.Any(levelSet) {
			continue
		}
		if !s.PaymentOK(q.Insurance) || !s.GenderOK(q.Gender) || !s.MOUDOK(q.MOUD) {
			continue
		}
		if q.Adult && !s.AdultOK() {
			continue
		}
		if !containsAll(e.search[:e.matchLen], words) {
			continue
		}
		c := cand{i: i, group: 1, dist: math.Inf(1)}
		if r := d.slots(e); r != nil && q.Now.Sub(r.At) <= q.Stale {
			if r.Open > 0 {
				c.group = 0
			} else {
				c.group = 2
			}
		}
		if e.located && q.Origin.Valid() {
			c.dist = Miles(q.Origin, e.at)
		}
		cands = append(cands, c)
	}
	sort.Slice(cands, func(a, b int) bool {
		x, y := cands[a], cands[b]
		if x.group != y.group {
			return x.group < y.group
		}
		if x.dist != y.dist {
			return x.dist < y.dist
		}
		vx, vy := d.facs[x.i].VerifiedAt, d.facs[y.i].VerifiedAt
		if !vx.Equal(vy) {
			return vx.After(vy)
		}
		return d.facs[x.i].Name < d.facs[y.i].Name
	})
	if q.Limit > 0 && len(cands) > q.Limit {
		cands = cands[:q.Limit]
	}
	out := make([]Match, len(cands))
	for k, c := range cands {
		e := &d.entries[c.i]
		m := Match{Facility: &d.facs[c.i], DistanceMiles: -1, Open: -1}
		if !math.IsInf(c.dist, 1) {
			m.DistanceMiles, m.Approx = c.dist, e.approx
		}
		if c.group != 1 {
			r := d.slots(e)
			m.Open, m.OpenAt, m.OpenBy = r.Open, r.At, r.AgencyName
		}
		m.Reasons = reasons(m.Facility, e.services, &m, q, settings)
		out[k] = m
	}
	return out
}

func containsAll(h string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(h, w) {
			return false
		}
	}
	return true
}

// reasons says why a facility fits, most useful first.
func reasons(f *Facility, set ServiceSet, m *Match, q MatchQuery, settings []string) []string {
	var r []string
	s := f.Services
	if q.Insurance != "" {
		for _, c := range []string{"NP", "SS", "PA", "FSA", "SAMF"} {
			if slices.Contains(s, c) {
				r = append(r, ServiceLabel(c))
				break
			}
		}
		if code, ok := insuranceCode[q.Insurance]; ok && len(r) == 0 && slices.Contains(s, code) {
			r = append(r, "takes "+ServiceLabel(code))
		}
	}
	for _, c := range settings {
		if slices.Contains(s, c) {
			r = append(r, ServiceLabel(c))
			break
		}
	}
	if c, ok := moudCodes[q.MOUD]; ok && set.Any(NewServiceSet(c)) {
		r = append(r, q.MOUD)
	}
	if q.Pregnant && slices.Contains(s, "PW") {
		r = append(r, "takes pregnant women")
	}
	if q.Veteran && slices.Contains(s, "VET") {
		r = append(r, "veterans program")
	}
	switch {
	case m.DistanceMiles >= 0 && m.Approx:
		r = append(r, fmt.Sprintf("%.1f mi (distance approximate)", m.DistanceMiles))
	case m.DistanceMiles >= 0:
		r = append(r, fmt.Sprintf("%.1f mi", m.DistanceMiles))
	case q.Origin.Valid():
		r = append(r, "distance unknown")
	}
	switch {
	case m.Open > 0:
		r = append(r, fmt.Sprintf("%d open %s", m.Open, Ago(q.Now.Sub(m.OpenAt))))
	case m.Open == 0:
		r = append(r, "full "+Ago(q.Now.Sub(m.OpenAt)))
	default:
		r = append(r, "open slots unknown")
	}
	return r
}
