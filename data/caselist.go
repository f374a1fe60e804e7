package data

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
)

// CaseSummary is one line of the case list: enough to find a case and see
// its clock, and nothing more personal than a first name and an initial.
type CaseSummary struct {
	ID         string
	Person     string // the person's ID
	Short      string // the ID as read aloud: "4F2K9A"
	Display    string // "Daniel R."
	Status     string
	Channel    string
	Insurance  string
	Level      string
	Coach      string
	OpenedAt   time.Time
	PlacedAt   time.Time
	ClosedAt   time.Time
	WaitingFor string    // one of the Wait... words (waiting.go), "" when not waiting
	CoachETA   time.Time // WaitCoachOnWay: when the coach said they would arrive
	HeldUntil  time.Time // WaitPlacement: until when a facility holds a bed
	Tried      int       // calls to coaches that nobody took
	Review     bool

	search string // lower-case haystack for the filter
}

// CaseFilter narrows a case list.
type CaseFilter struct {
	Status string // "" for every status
}

// ListCases returns the cases the session may see, oldest open first.
func (sess *Session) ListCases(ctx context.Context, f CaseFilter) ([]CaseSummary, error) {
	if err := sess.require(ctx, ActCaseList, EntCase, ""); err != nil {
		return nil, err
	}
	if f.Status != "" && !contains(Statuses, f.Status) {
		return nil, Errorf(EINVALID, "status %q: use one of %s", f.Status, strings.Join(Statuses, ", "))
	}
	where, args := "1", []any{}
	switch sess.User.Role {
	case RoleAdmin:
	case RoleCoach:
		where, args = "coach = ?", append(args, sess.coach)
	default:
		where, args = "agency = ?", append(args, sess.User.Agency)
	}
	if f.Status != "" {
		where += " AND status = ?"
		args = append(args, f.Status)
	}
	names, err := sess.personNames(ctx)
	if err != nil {
		return nil, err
	}
	now := sess.s.clock.Now()
	activity, err := sess.loadActivity(ctx, now, openCases)
	if err != nil {
		return nil, err
	}
	// The columns a line needs, and no more: at the state size the list
	// holds 100,000 lines for as long as the window is open, and reading
	// whole records (every field, the sealed needs opened) left hundreds
	// of megabytes behind for the collector.
	var out []CaseSummary
	words := interner{}
	canPlace := sess.Can(ActPlacementView)
	err = sess.scanRows(ctx, `SELECT id, review, person, status, channel, insurance, level, coach,
		eligible, facility, opened_at, placed_at, closed_at FROM cases WHERE deleted = 0 AND (`+where+`) ORDER BY id`, args,
		func(raw []sql.RawBytes) {
			// Values many lines share (statuses, channels, coaches) are
			// kept once; IDs are each their own.
			c := Case{ID: string(raw[0]), Person: string(raw[2]), Status: words.of(raw[3]), Channel: words.of(raw[4]),
				Insurance: words.of(raw[5]), Level: words.of(raw[6]), Coach: words.of(raw[7]), Eligible: words.of(raw[8]),
				Facility: words.of(raw[9])}
			c.OpenedAt, _ = ParseTime(string(raw[10]))
			c.PlacedAt, _ = ParseTime(string(raw[11]))
			c.ClosedAt, _ = ParseTime(string(raw[12]))
			s := CaseSummary{ID: c.ID, Person: c.Person, Short: ShortID(c.ID), Display: names[c.Person], Status: c.Status,
				Channel: c.Channel, Insurance: c.Insurance, Level: c.Level, Coach: c.Coach,
				OpenedAt: c.OpenedAt, PlacedAt: c.PlacedAt, ClosedAt: c.ClosedAt, Review: string(raw[1]) == "1"}
			s.setWaiting(&c, activity[c.ID], now)
			if !canPlace {
				s.Level = ""
			}
			s.search = strings.ToLower(s.Display + " " + s.Short + " " + s.Status + " " + s.Channel + " " + s.WaitingFor)
			out = append(out, s)
		})
	if err != nil {
		return nil, fmt.Errorf("read cases: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		oi, oj := out[i].Status == StatusOpen, out[j].Status == StatusOpen
		if oi != oj {
			return oi
		}
		if oi {
			return out[i].OpenedAt.Before(out[j].OpenedAt)
		}
		return out[i].OpenedAt.After(out[j].OpenedAt)
	})
	// Lists show a first name and an initial, not the sealed record: they
	// are not audited (opening a case is), so that a dashboard refreshing
	// every minute does not flood the audit trail.
	return out, nil
}

// interner keeps one copy of each distinct value read.
type interner map[string]string

func (in interner) of(b []byte) string {
	if s, ok := in[string(b)]; ok {
		return s
	}
	s := string(b)
	in[s] = s
	return s
}

// personNames returns "First L." for every person, by person ID. The map
// is shared: callers only read it. It is kept until the next change, as
// opening every person's sealed names is most of what a refresh of the
// case list or the check-ins costs at the state size.
func (sess *Session) personNames(ctx context.Context) (map[string]string, error) {
	sess.namesMu.Lock()
	defer sess.namesMu.Unlock()
	at := sess.s.commits.Load()
	if sess.names != nil && sess.namesAt == at {
		return sess.names, nil
	}
	names, err := sess.loadPersonNames(ctx)
	if err != nil {
		return nil, err
	}
	sess.names, sess.namesAt = names, at
	return names, nil
}

func (sess *Session) loadPersonNames(ctx context.Context) (map[string]string, error) {
	op, err := newOpener(sess.key)
	if err != nil {
		return nil, err
	}
	rows, err := sess.s.db.QueryContext(ctx, `SELECT id, first, last, alias FROM persons WHERE deleted = 0`)
	if err != nil {
		return nil, storeErr(err)
	}
	defer rows.Close()
	out := map[string]string{}
	var id string
	var first, last, alias sql.RawBytes
	for rows.Next() {
		if err := rows.Scan(&id, &first, &last, &alias); err != nil {
			return nil, err
		}
		open := func(field string, b []byte) string {
			if len(b) == 0 {
				return ""
			}
			p, err := op.open(b, EntPerson, field, id)
			if err != nil {
				return ""
			}
			return string(p)
		}
		out[id] = DisplayName(open("first", first), open("last", last), open("alias", alias))
	}
	return out, rows.Err()
}

// DisplayName is how lists show a person: first name and last initial
// ("Daniel R."), else the alias.
func DisplayName(first, last, alias string) string {
	first = strings.TrimSpace(first)
	if first == "" {
		return strings.TrimSpace(alias)
	}
	for _, r := range strings.TrimSpace(last) {
		return first + " " + string(unicode.ToUpper(r)) + "."
	}
	return first
}

// CaseIndex filters a case list as the user types, in memory: names are
// sealed, so the database cannot search them. It keeps each line in half
// the room of a CaseSummary (at the state size the list has 100,000
// lines for as long as the window is open) and makes the CaseSummary of a
// line when it is shown.
type CaseIndex struct {
	lines []caseLine
}

// caseLine is what the index keeps of a case: what a row of the list
// shows, and the text the filter searches.
type caseLine struct {
	id, display, search      string
	status, channel, waiting string // shared among the lines (interned by ListCases)
	opened, placed, closed   int64  // Unix nanoseconds; 0 for none
	eta, held                int64
	tried                    int32
	review                   bool
}

func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// NewCaseIndex indexes cases (kept in their order).
func NewCaseIndex(cases []CaseSummary) *CaseIndex {
	x := &CaseIndex{lines: make([]caseLine, len(cases))}
	for i := range cases {
		c := &cases[i]
		if c.search == "" {
			c.search = strings.ToLower(c.Display + " " + c.Short + " " + c.Status + " " + c.Channel + " " + c.WaitingFor)
		}
		x.lines[i] = caseLine{id: c.ID, display: c.Display, search: c.search,
			status: c.Status, channel: c.Channel, waiting: c.WaitingFor,
			opened: nanos(c.OpenedAt), placed: nanos(c.PlacedAt), closed: nanos(c.ClosedAt),
			eta: nanos(c.CoachETA), held: nanos(c.HeldUntil), tried: int32(c.Tried), review: c.Review}
	}
	return x
}

// Len returns how many cases the index holds.
func (x *CaseIndex) Len() int { return len(x.lines) }

// At returns the i-th case of the index, as much of it as a row of the
// list shows: its ID, name, status, channel, clocks and next step.
func (x *CaseIndex) At(i int) CaseSummary {
	l := &x.lines[i]
	return CaseSummary{ID: l.id, Short: ShortID(l.id), Display: l.display, Status: l.status, Channel: l.channel,
		WaitingFor: l.waiting, OpenedAt: fromNanos(l.opened), PlacedAt: fromNanos(l.placed), ClosedAt: fromNanos(l.closed),
		CoachETA: fromNanos(l.eta), HeldUntil: fromNanos(l.held), Tried: int(l.tried), Review: l.review, search: l.search}
}

// Filter returns the positions of the cases whose name, ID, status, channel
// or next step contain every word of query (case-insensitive), appending to
// dst to spare allocations while typing.
func (x *CaseIndex) Filter(query string, dst []int) []int {
	dst = dst[:0]
	words := strings.Fields(strings.ToLower(query))
	for i := range x.lines {
		h := x.lines[i].search
		ok := true
		for _, w := range words {
			if !strings.Contains(h, w) {
				ok = false
				break
			}
		}
		if ok {
			dst = append(dst, i)
		}
	}
	return dst
}
