package data

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"
)

// FacilityIdentity is what makes two listings the same facility across
// imports: FindTreatment's frid when there is one, else the normalised
// name, street and five-digit ZIP.
func FacilityIdentity(f *Facility) string {
	if f.FRID != "" {
		return "frid:" + strings.ToLower(strings.TrimSpace(f.FRID))
	}
	zip := f.ZIP
	if len(zip) > 5 {
		zip = zip[:5]
	}
	return "nameaddr:" + normalizeKey(f.Name) + "|" + normalizeKey(f.Street) + "|" + zip
}

var streetWords = map[string]string{"street": "st", "avenue": "ave", "road": "rd", "drive": "dr",
	"boulevard": "blvd", "lane": "ln", "court": "ct", "place": "pl", "highway": "hwy", "parkway": "pkwy",
	"north": "n", "south": "s", "east": "e", "west": "w", "suite": "ste"}

// normalizeKey lower-cases, drops punctuation and abbreviates street words,
// so that "400 Mercy Lane" and "400 MERCY LN." compare equal.
func normalizeKey(s string) string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, w := range words {
		if a, ok := streetWords[w]; ok {
			words[i] = a
		}
	}
	return strings.Join(words, " ")
}

// ImportSummary says what an import did, or would do on a dry run.
type ImportSummary struct {
	Added     []string         // names of new facilities
	Changed   []FacilityChange // facilities whose listing changed
	Unchanged int
	// IDs maps each imported facility's identity to its ID (empty on a
	// dry run for new ones).
	IDs map[string]string
}

// FacilityChange is one changed facility and which fields changed.
type FacilityChange struct {
	ID     string
	Name   string
	Fields []string
}

// ImportFacilities adds new facilities and updates known ones in place (by
// FacilityIdentity), in one transaction: a failure changes nothing. A field
// the file leaves empty keeps what the directory has, so that a coordinator's
// correction is not wiped by a file that lacks it. With dryRun nothing is
// written and the summary says what would be.
func (sess *Session) ImportFacilities(ctx context.Context, fs []Facility, dryRun bool) (*ImportSummary, error) {
	if err := sess.require(ctx, ActDirectoryEdit, EntFacility, ""); err != nil {
		return nil, err
	}
	e, _ := Entity(EntFacility)
	existing, err := loadFields(ctx, sess.s.db, nil, e, "")
	if err != nil {
		return nil, err
	}
	known := make(map[string]map[string]string, len(existing))
	for _, m := range existing {
		var f Facility
		fromFields(m, &f)
		known[FacilityIdentity(&f)] = m
	}
	sum := &ImportSummary{IDs: map[string]string{}}
	type write struct {
		id     string
		fields map[string]string
		create bool
	}
	var writes []write
	for i := range fs {
		f := &fs[i]
		if err := f.Validate(); err != nil {
			return nil, Errorf(EINVALID, "facility %d (%s): %s", i+1, f.Name, ErrorMessage(err))
		}
		key := FacilityIdentity(f)
		if _, dup := sum.IDs[key]; dup {
			continue // the same facility twice in one file: the first wins
		}
		incoming := toFields(f)
		incoming["services"] = strings.Join(uniqueSorted(f.Services), ",")
		old, ok := known[key]
		if !ok {
			id := NewID()
			if dryRun {
				id = ""
			}
			sum.IDs[key] = id
			sum.Added = append(sum.Added, f.Name)
			writes = append(writes, write{id: id, fields: incoming, create: true})
			continue
		}
		sum.IDs[key] = old["id"]
		changed := map[string]string{}
		for _, name := range sortedKeys(incoming) {
			if v := incoming[name]; v != "" && v != old[name] && !sameNumber(name, v, old[name]) {
				changed[name] = v
			}
		}
		if len(changed) == 0 {
			sum.Unchanged++
			continue
		}
		sum.Changed = append(sum.Changed, FacilityChange{ID: old["id"], Name: f.Name, Fields: sortedKeys(changed)})
		writes = append(writes, write{id: old["id"], fields: changed})
	}
	if dryRun || len(writes) == 0 {
		return sum, nil
	}
	err = sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		var creates []newRecord
		for _, wr := range writes {
			if wr.create {
				creates = append(creates, newRecord{wr.id, wr.fields})
			} else if err := writeRecord(w, EntFacility, wr.id, wr.fields); err != nil {
				return err
			}
		}
		if err := w.createAll(EntFacility, creates); err != nil {
			return err
		}
		return sess.audit(w, "directory.import", EntFacility, "", fmt.Sprintf("%d added, %d changed", len(sum.Added), len(sum.Changed)))
	})
	if err != nil {
		return nil, err
	}
	if err := sess.s.Checkpoint(ctx); err != nil {
		sess.s.log.Warn("import: checkpoint", "err", err)
	}
	return sum, nil
}

// sameNumber treats "41.76" and "41.760" as the same coordinate.
func sameNumber(field, a, b string) bool {
	if field != "lat" && field != "lon" {
		return false
	}
	var x, y float64
	if _, err := fmt.Sscan(a, &x); err != nil {
		return false
	}
	if _, err := fmt.Sscan(b, &y); err != nil {
		return false
	}
	return x == y
}

// FacilityFilter narrows the directory listing.
type FacilityFilter struct {
	State string // two letters, "" for all
}

// Facilities returns the directory, by name. Facilities with the same
// services share one Services slice: change it by replacing it, not in
// place.
func (sess *Session) Facilities(ctx context.Context, f FacilityFilter) ([]Facility, error) {
	if err := sess.require(ctx, ActDirectoryView, EntFacility, ""); err != nil {
		return nil, err
	}
	e, _ := Entity(EntFacility)
	where, args := "", []any{}
	if f.State != "" {
		where, args = "upper(state) = upper(?)", append(args, f.State)
	}
	ms, err := loadFields(ctx, sess.s.db, nil, e, where, args...)
	if err != nil {
		return nil, err
	}
	out := make([]Facility, len(ms))
	// A directory repeats its cities, states, ZIP codes, types and lists
	// of services; one copy of each is kept, as the window holds the
	// directory all day.
	strs := map[string]string{}
	intern := func(s *string) {
		if v, ok := strs[*s]; ok {
			*s = v
		} else {
			strs[*s] = *s
		}
	}
	lists := map[string][]string{}
	for i, m := range ms {
		f := &out[i]
		fromFields(m, f)
		f.ID = m["id"]
		intern(&f.City)
		intern(&f.State)
		intern(&f.ZIP)
		intern(&f.Type)
		if l, ok := lists[m["services"]]; ok {
			f.Services = l
		} else {
			lists[m["services"]] = f.Services
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[j].Name) })
	own := make([]*string, 0, 9*len(out))
	for i := range out {
		f := &out[i]
		own = append(own, &f.ID, &f.Name, &f.Name2, &f.Street, &f.Street2, &f.Phone, &f.IntakePhone, &f.Website, &f.FRID)
	}
	gatherStrings(own)
	return out, nil
}

// gatherStrings copies the strings ps point to into one block and points
// them into it. The strings of a load are made one by one among the load's
// garbage; when the result is kept all day (the directory), each of them
// keeps a span of that garbage's memory in use, which at 20,000 facilities
// held megabytes the collector could not give back.
func gatherStrings(ps []*string) {
	n := 0
	for _, p := range ps {
		n += len(*p)
	}
	var b strings.Builder
	b.Grow(n)
	for _, p := range ps {
		b.WriteString(*p)
	}
	block, off := b.String(), 0
	for _, p := range ps {
		l := len(*p)
		*p = block[off : off+l]
		off += l
	}
}

// FacilityByID returns one facility.
func (sess *Session) FacilityByID(ctx context.Context, id string) (*Facility, error) {
	if err := sess.require(ctx, ActDirectoryView, EntFacility, id); err != nil {
		return nil, err
	}
	var f Facility
	m, err := loadOne(ctx, sess.s.db, nil, EntFacility, id, &f)
	if err != nil {
		return nil, err
	}
	f.ID = m["id"]
	return &f, nil
}

// ResolveFacilityID accepts a whole facility ID or the six characters lists show.
func (sess *Session) ResolveFacilityID(ctx context.Context, ref string) (string, error) {
	return sess.s.resolveID(ctx, "facilities", "facility", ref)
}

// ReportAvailability records how many slots a facility has open now.
func (sess *Session) ReportAvailability(ctx context.Context, facilityID string, open int, note string) (string, error) {
	if err := sess.require(ctx, ActSlotReport, EntFacility, facilityID); err != nil {
		return "", err
	}
	if _, err := sess.FacilityByID(ctx, facilityID); err != nil {
		return "", err
	}
	r := AvailabilityReport{ID: NewID(), Facility: facilityID, Open: open, Note: strings.TrimSpace(note),
		At: sess.s.clock.Now(), Agency: sess.User.Agency, Author: sess.User.ID}
	if err := r.Validate(); err != nil {
		return "", err
	}
	fields := toFields(&r)
	fields["open"] = fmt.Sprint(open) // zero open slots is news, not an absent value
	err := sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		return w.appendRecord(EntAvailability, r.ID, fields)
	})
	return r.ID, err
}

// SlotReport is an availability report as people read it.
type SlotReport struct {
	AvailabilityReport
	AgencyName string
}

// Describe writes a report like "3 open · 40 min ago · reported by Gurnee PD".
func (r *SlotReport) Describe(now time.Time) string {
	s := fmt.Sprintf("%d open · %s", r.Open, Ago(now.Sub(r.At)))
	if r.AgencyName != "" {
		s += " · reported by " + r.AgencyName
	}
	return s
}

// Ago writes a duration as people say it: "just now", "40 min ago",
// "3 h ago", "2 days ago".
func Ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d/time.Minute))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d/time.Hour))
	}
	return fmt.Sprintf("%d days ago", int(d/(24*time.Hour)))
}

// SlotReports returns a facility's slot reports, newest first.
func (sess *Session) SlotReports(ctx context.Context, facilityID string) ([]SlotReport, error) {
	if err := sess.require(ctx, ActDirectoryView, EntFacility, facilityID); err != nil {
		return nil, err
	}
	rows, err := sess.s.db.QueryContext(ctx, `SELECT r.id, COALESCE(r.open, '0'), COALESCE(r.note, ''), COALESCE(r.at, ''),
		COALESCE(r.agency, ''), COALESCE(r.author, ''), COALESCE(a.name, '')
		FROM availability_reports r LEFT JOIN agencies a ON a.id = r.agency
		WHERE r.facility = ? ORDER BY r.at DESC, r.id DESC`, facilityID)
	if err != nil {
		return nil, storeErr(err)
	}
	defer rows.Close()
	var out []SlotReport
	for rows.Next() {
		var r SlotReport
		var at string
		if err := rows.Scan(&r.ID, &r.Open, &r.Note, &at, &r.Agency, &r.Author, &r.AgencyName); err != nil {
			return nil, err
		}
		r.Facility = facilityID
		r.At, _ = ParseTime(at)
		out = append(out, r)
	}
	return out, rows.Err()
}
