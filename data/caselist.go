package data

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"
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
}

// CaseFilter narrows a case list.
type CaseFilter struct {
	Status string // "" for every status
}

// ListCases returns the cases the session may see, open ones first, the
// oldest first, then the others, the newest first.
func (sess *Session) ListCases(ctx context.Context, f CaseFilter) ([]CaseSummary, error) {
	var out []CaseSummary
	err := sess.eachCase(ctx, f, nil, func(c *CaseSummary) { out = append(out, *c) })
	return out, err
}

// CaseIndex returns the cases ListCases returns, as an index for the case
// list. It is built as the rows are read: at the state size the 100,000
// CaseSummary values ListCases would make first are 40 MB the window does
// not need even for a moment.
func (sess *Session) CaseIndex(ctx context.Context, f CaseFilter) (*CaseIndex, error) {
	var b *caseIndexBuilder
	err := sess.eachCase(ctx, f, func(n int) { b = newCaseIndexBuilder(n, n*caseTextGuess) }, func(c *CaseSummary) { b.add(c) })
	if err != nil {
		return nil, err
	}
	return b.index(), nil
}

// caseTextGuess is about how many bytes of text a line of the index has.
const caseTextGuess = 48

// eachCase calls yield with each case the session may see, in ListCases'
// order, after telling count how many there are (when count is set). The
// CaseSummary is reused from one call to the next.
func (sess *Session) eachCase(ctx context.Context, f CaseFilter, count func(int), yield func(*CaseSummary)) error {
	if err := sess.require(ctx, ActCaseList, EntCase, ""); err != nil {
		return err
	}
	if f.Status != "" && !contains(Statuses, f.Status) {
		return Errorf(EINVALID, "status %q: use one of %s", f.Status, strings.Join(Statuses, ", "))
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
	where = "deleted = 0 AND (" + where + ")"
	if count != nil {
		var n int
		if err := sess.s.db.QueryRowContext(ctx, `SELECT count(*) FROM cases WHERE `+where, args...).Scan(&n); err != nil {
			return storeErr(err)
		}
		count(n)
	}
	names, err := sess.personNames(ctx)
	if err != nil {
		return err
	}
	now := sess.s.clock.Now()
	activity, err := sess.loadActivity(ctx, now, openCases)
	if err != nil {
		return err
	}
	// The columns a line needs, and no more: at the state size the list
	// holds 100,000 lines for as long as the window is open, and reading
	// whole records (every field, the sealed needs opened) left hundreds
	// of megabytes behind for the collector. Times are stored in one
	// fixed-width form, so their text sorts as they do.
	words := interner{}
	canPlace := sess.Can(ActPlacementView)
	var s CaseSummary
	err = sess.scanRows(ctx, `SELECT id, review, person, status, channel, insurance, level, coach,
		eligible, facility, opened_at, placed_at, closed_at FROM cases WHERE `+where+`
		ORDER BY status = 'open' DESC, CASE WHEN status = 'open' THEN opened_at END, opened_at DESC, id`, args,
		func(raw []sql.RawBytes) {
			// Values many lines share (statuses, channels, coaches) are
			// kept once; IDs are each their own.
			c := Case{ID: string(raw[0]), Person: string(raw[2]), Status: words.of(raw[3]), Channel: words.of(raw[4]),
				Insurance: words.of(raw[5]), Level: words.of(raw[6]), Coach: words.of(raw[7]), Eligible: words.of(raw[8]),
				Facility: words.of(raw[9])}
			c.OpenedAt, _ = ParseTime(string(raw[10]))
			c.PlacedAt, _ = ParseTime(string(raw[11]))
			c.ClosedAt, _ = ParseTime(string(raw[12]))
			s = CaseSummary{ID: c.ID, Person: c.Person, Short: ShortID(c.ID), Display: names.get(c.Person), Status: c.Status,
				Channel: c.Channel, Insurance: c.Insurance, Level: c.Level, Coach: c.Coach,
				OpenedAt: c.OpenedAt, PlacedAt: c.PlacedAt, ClosedAt: c.ClosedAt, Review: string(raw[1]) == "1"}
			s.setWaiting(&c, activity[c.ID], now)
			if !canPlace {
				s.Level = ""
			}
			yield(&s)
		})
	if err != nil {
		return fmt.Errorf("read cases: %w", err)
	}
	// Lists show a first name and an initial, not the sealed record: they
	// are not audited (opening a case is), so that a dashboard refreshing
	// every minute does not flood the audit trail.
	return nil
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

// CaseIndex filters a case list as the user types, in memory: names are
// sealed, so the database cannot search them. At the state size the list
// has 100,000 lines for as long as the window is open, so it keeps them
// compactly: each line's ID (16 bytes when it is in the form NewID
// writes), name and searched text in one block of bytes; the status,
// channel and next step, which lines share, as one of a few combinations;
// the coach's ETA, a held bed and the calls tried, which only open cases
// have, apart. At makes the CaseSummary of a line when it is shown.
type CaseIndex struct {
	text   []byte // per line: ID, name as shown, then name and short ID in lower case
	lines  []caseLine
	combos []caseCombo
	open   map[int]caseOpen // by line
}

// caseLine is what the index keeps of every case besides its text.
type caseLine struct {
	idEnd, nameEnd, end    uint32 // where its ID, name and searched text end in text; each starts where the last ended
	flags                  uint32 // the combination (combos) and the bits below
	opened, placed, closed int64  // Unix nanoseconds; 0 for none
}

// The combinations are a few dozen (statuses, channels and next steps are
// checked words), far below what 24 bits number.
const (
	lineCombo  = 1<<24 - 1 // the bits of flags that number the combination
	linePacked = 1 << 24   // the ID is kept as its 16 bytes (uuidKey)
	lineReview = 1 << 25   // the case needs a coordinator's review
)

// caseOpen is what only some open cases have.
type caseOpen struct {
	eta, held int64 // Unix nanoseconds
	tried     int
}

// caseCombo is a status, channel and next step that lines share, with the
// searched text they add: " status channel next-step", lower case.
type caseCombo struct {
	status, channel, waiting string
	search                   string
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
	b := newCaseIndexBuilder(len(cases), len(cases)*caseTextGuess)
	for i := range cases {
		b.add(&cases[i])
	}
	return b.index()
}

// caseIndexBuilder makes a CaseIndex a line at a time.
type caseIndexBuilder struct {
	x      *CaseIndex
	combos map[[3]string]uint32
}

// newCaseIndexBuilder starts an index with room for lines lines and text
// bytes of text.
func newCaseIndexBuilder(lines, text int) *caseIndexBuilder {
	return &caseIndexBuilder{x: &CaseIndex{lines: make([]caseLine, 0, lines), text: make([]byte, 0, text),
		open: map[int]caseOpen{}}, combos: map[[3]string]uint32{}}
}

// add appends c as the index's next line.
func (b *caseIndexBuilder) add(c *CaseSummary) {
	x := b.x
	key := [3]string{c.Status, c.Channel, c.WaitingFor}
	n, ok := b.combos[key]
	if !ok {
		n = uint32(len(x.combos))
		b.combos[key] = n
		x.combos = append(x.combos, caseCombo{status: c.Status, channel: c.Channel, waiting: c.WaitingFor,
			search: strings.ToLower(" " + c.Status + " " + c.Channel + " " + c.WaitingFor)})
	}
	l := caseLine{flags: n, opened: nanos(c.OpenedAt), placed: nanos(c.PlacedAt), closed: nanos(c.ClosedAt)}
	if c.Review {
		l.flags |= lineReview
	}
	if k, ok := parseUUID(c.ID); ok {
		l.flags |= linePacked
		x.text = append(x.text, k[:]...)
	} else {
		x.text = append(x.text, c.ID...)
	}
	l.idEnd = uint32(len(x.text))
	x.text = append(x.text, c.Display...)
	l.nameEnd = uint32(len(x.text))
	x.text = append(x.text, strings.ToLower(c.Display+" "+c.Short)...)
	l.end = uint32(len(x.text))
	if o := (caseOpen{eta: nanos(c.CoachETA), held: nanos(c.HeldUntil), tried: c.Tried}); o != (caseOpen{}) {
		x.open[len(x.lines)] = o
	}
	x.lines = append(x.lines, l)
}

// index returns the index built, its text no bigger than it needs to be
// when a guess of its size was well off.
func (b *caseIndexBuilder) index() *CaseIndex {
	if t := b.x.text; cap(t)-len(t) > len(t)/8 {
		b.x.text = slices.Clone(t)
	}
	return b.x
}

// Len returns how many cases the index holds.
func (x *CaseIndex) Len() int { return len(x.lines) }

// start is where line i's text begins.
func (x *CaseIndex) start(i int) uint32 {
	if i == 0 {
		return 0
	}
	return x.lines[i-1].end
}

// At returns the i-th case of the index, as much of it as a row of the
// list shows: its ID, name, status, channel, clocks and next step.
func (x *CaseIndex) At(i int) CaseSummary {
	l := &x.lines[i]
	k := &x.combos[l.flags&lineCombo]
	var id string
	if raw := x.text[x.start(i):l.idEnd]; l.flags&linePacked != 0 {
		id = uuidKey(raw).String()
	} else {
		id = string(raw)
	}
	o := x.open[i]
	return CaseSummary{ID: id, Short: ShortID(id), Display: string(x.text[l.idEnd:l.nameEnd]),
		Status: k.status, Channel: k.channel, WaitingFor: k.waiting,
		OpenedAt: fromNanos(l.opened), PlacedAt: fromNanos(l.placed), ClosedAt: fromNanos(l.closed),
		CoachETA: fromNanos(o.eta), HeldUntil: fromNanos(o.held), Tried: o.tried, Review: l.flags&lineReview != 0}
}

// Filter returns the positions of the cases whose searched text contains
// every word of query, case-insensitive, appending to dst to spare
// allocations while typing. The searched text is the name, short ID,
// status, channel and next step, in that order, joined by spaces.
//
// A line's searched text is its own part (name and short ID) followed by
// its combination's (" status channel next-step"). The second part starts
// with a space and a word has none, so a word is in the whole exactly when
// it is in one of the parts; whether it is in each combination's part is
// worked out once per query.
func (x *CaseIndex) Filter(query string, dst []int) []int {
	dst = dst[:0]
	words := strings.Fields(strings.ToLower(query))
	inCombo := make([][]bool, len(words))
	wordBytes := make([][]byte, len(words))
	for j, w := range words {
		wordBytes[j] = []byte(w)
		inCombo[j] = make([]bool, len(x.combos))
		for k := range x.combos {
			inCombo[j][k] = strings.Contains(x.combos[k].search, w)
		}
	}
	for i := range x.lines {
		l := &x.lines[i]
		own := x.text[l.nameEnd:l.end]
		ok := true
		for j, w := range wordBytes {
			if !inCombo[j][l.flags&lineCombo] && !bytes.Contains(own, w) {
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
