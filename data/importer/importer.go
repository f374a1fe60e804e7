// Package importer turns facility directory files into facilities for the
// ConnectPoint directory: FindTreatment.gov locator exports (JSON), the 2017
// SAMHSA National Directory as scraped to CSV, Open Referral HSDS 3 CSV
// packages (a folder or a zip) and plain CSV files with a column mapping.
//
// It parses and repairs; it never writes to the store. Every facility comes
// with an identity Key that stays the same when the same file, or another
// source listing the same place, is read again, so that the store can
// update instead of duplicating. A bad row never stops the rest of a file:
// it becomes a Problem with its line. Only a file that cannot be read as a
// whole (empty, unknown format, truncated JSON, too big, required columns
// missing) is an error, a *data.Error with code data.EINVALID.
//
// Service attributes use SAMHSA's codes (see Codes); LevelSettings and
// PaymentOK help the matching use them.
package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"connectpoint/data"
)

// Format names an input format.
type Format string

// The formats Read understands.
const (
	Auto          Format = "auto"
	FindTreatment Format = "findtreatment"
	SAMHSA2017    Format = "samhsa-2017"
	HSDS          Format = "hsds"
	CSV           Format = "csv"
)

// Formats lists the formats a person may name (Auto first).
var Formats = []Format{Auto, FindTreatment, SAMHSA2017, HSDS, CSV}

// DefaultMaxBytes is the largest file Read accepts when Options.MaxBytes is 0.
const DefaultMaxBytes = 100 << 20

// Problem is a row that was skipped or repaired, with where it is.
//
// Line is the 1-based line in the file where the row starts; for JSON it is
// the line where the row's object starts. Line 0 is about the whole file
// (its encoding, or that it is one page of a larger export). File is set
// for the files inside an HSDS folder or zip ("locations.csv") and empty
// otherwise. Field is our field name ("name", "phone", "services"), or the
// source's column where no field of ours applies. Skipped says whether the
// row was left out; otherwise it was imported, repaired or merged as Reason
// says.
type Problem struct {
	File    string
	Line    int
	Field   string
	Reason  string
	Skipped bool
}

func (p Problem) String() string {
	where := fmt.Sprintf("line %d", p.Line)
	if p.File != "" {
		where = p.File + " " + where
	}
	if p.Field != "" {
		where += " (" + p.Field + ")"
	}
	if p.Skipped {
		return where + ": skipped: " + p.Reason
	}
	return where + ": " + p.Reason
}

// Result is what Read found in a file.
type Result struct {
	Format     Format
	Facilities []Facility
	Problems   []Problem
	// Rows is the number of data rows in the file (locations for HSDS),
	// whatever became of them.
	Rows int
	// Capacity is the open capacity (beds or slots available) that an HSDS
	// file reports, by Facility.Key, and CapacityUpdated when that figure
	// was last updated (the oldest of the figures summed). Facilities
	// without a report are absent. Other formats leave both nil.
	Capacity        map[string]int
	CapacityUpdated map[string]time.Time
}

// Skipped counts the problems that left a row out.
func (r *Result) Skipped() int {
	n := 0
	for _, p := range r.Problems {
		if p.Skipped {
			n++
		}
	}
	return n
}

// Facility is a data.Facility plus what the importer knows for identity.
//
// Key is "frid:<frid>" when the file has a FindTreatment.gov ID, else
// "nameaddr:<name>|<street>|<zip5>": the name lower-cased without
// punctuation or a trailing Inc/LLC/NFP..., the street without its unit
// (Suite 2...), with North/South... abbreviated and a final Street/Avenue...
// dropped, and the first five digits of the ZIP. Rows of one file with the
// same Key are one facility.
type Facility struct {
	data.Facility
	Key string
	// Line is where the facility was read (see Problem.Line).
	Line int
}

// Options tune Read.
type Options struct {
	// Mapping is for the CSV format: our field name (name, name2, street,
	// street2, city, state, zip, phone, intake_phone, website, lat, lon,
	// services, frid, type, verified_at) → the column header in the file.
	// Without it, headers that are our field names (any case) are used.
	Mapping map[string]string
	// MaxBytes refuses files larger than this; 0 means DefaultMaxBytes.
	MaxBytes int64
}

func (o Options) maxBytes() int64 {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return DefaultMaxBytes
}

func invalid(format string, args ...any) error {
	return data.Errorf(data.EINVALID, format, args...)
}

// Detect reads the start of a file (a few kilobytes are enough) and says
// which format it is: JSON with "rows" and "frid" or "name1" is a
// FindTreatment.gov export; a zip is an HSDS package; CSV whose header has
// Center_name and Keys is the 2017 directory; other CSV is our own CSV.
// Anything else is an error that says "unknown format".
func Detect(name string, head []byte) (Format, error) {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimLeft(head, " \t\r\n")
	lower := strings.ToLower(name)
	switch {
	case len(trimmed) == 0:
		return "", invalid("%s: empty file", name)
	case bytes.HasPrefix(head, []byte("PK\x03\x04")) || bytes.HasPrefix(head, []byte("PK\x05\x06")):
		if strings.HasSuffix(lower, ".xlsx") || strings.HasSuffix(lower, ".xls") || bytes.Contains(head, []byte("[Content_Types].xml")) {
			return "", invalid("%s: unknown format: a spreadsheet workbook; save it as CSV (UTF-8) first", name)
		}
		return HSDS, nil
	case trimmed[0] == '{' || trimmed[0] == '[':
		if bytes.Contains(head, []byte(`"rows"`)) && (bytes.Contains(head, []byte(`"frid"`)) || bytes.Contains(head, []byte(`"name1"`))) {
			return FindTreatment, nil
		}
		return "", invalid(`%s: unknown format: JSON, but not a FindTreatment.gov export (no "rows" with "frid" or "name1")`, name)
	case bytes.HasPrefix(trimmed, []byte("%PDF")):
		return "", invalid("%s: unknown format: a PDF; import the directory as CSV", name)
	case bytes.IndexByte(head, 0) >= 0:
		return "", invalid("%s: unknown format: binary data, not text", name)
	}
	header := firstLine(trimmed)
	if hasColumns(header, "center_name", "keys") {
		return SAMHSA2017, nil
	}
	if !bytes.ContainsAny(header, ",;\t") && !hasColumns(header, "name") {
		return "", invalid("%s: unknown format: not JSON, and the first line is not a CSV header", name)
	}
	return CSV, nil
}

func firstLine(b []byte) []byte {
	if i := bytes.IndexAny(b, "\r\n"); i >= 0 {
		return b[:i]
	}
	return b
}

// hasColumns reports whether a header line names all the columns (any case,
// quotes and spaces ignored).
func hasColumns(header []byte, cols ...string) bool {
	have := map[string]bool{}
	for _, f := range bytes.FieldsFunc(header, func(r rune) bool { return r == ',' || r == ';' || r == '\t' }) {
		have[strings.ToLower(strings.Trim(string(f), "\" "))] = true
	}
	for _, c := range cols {
		if !have[c] {
			return false
		}
	}
	return true
}

// Read parses r in format f; name is used in messages. For HSDS, r is a zip
// of the CSV files (ReadFile also takes a folder). Auto detects the format
// from the first bytes.
func Read(ctx context.Context, name string, r io.Reader, f Format, opt Options) (*Result, error) {
	lr := &limitedReader{r: r, max: opt.maxBytes(), name: name}
	if f == "" || f == Auto {
		br := newPeekReader(lr, 8<<10)
		head, err := br.peek()
		if err != nil {
			return nil, lr.wrap(err)
		}
		if f, err = Detect(name, head); err != nil {
			return nil, err
		}
		return readAs(ctx, name, br, f, opt, lr)
	}
	return readAs(ctx, name, lr, f, opt, lr)
}

func readAs(ctx context.Context, name string, r io.Reader, f Format, opt Options, lr *limitedReader) (*Result, error) {
	var (
		res *Result
		err error
	)
	switch f {
	case FindTreatment:
		res, err = readFindTreatment(ctx, name, r)
	case SAMHSA2017, CSV:
		var text []byte
		var probs []Problem
		text, probs, err = readText(name, r)
		if err == nil {
			if f == SAMHSA2017 {
				res, err = readSAMHSA(ctx, name, text)
			} else {
				res, err = readCSV(ctx, name, text, opt.Mapping)
			}
		}
		if res != nil {
			res.Problems = append(probs, res.Problems...)
		}
	case HSDS:
		var b []byte
		b, err = readAll(r)
		if err == nil {
			var zr *zip.Reader
			zr, err = zip.NewReader(bytes.NewReader(b), int64(len(b)))
			if err != nil {
				return nil, invalid("%s: not a zip of HSDS CSV files: %v", name, err)
			}
			res, err = readHSDS(ctx, name, zr, opt.maxBytes())
		}
	default:
		return nil, invalid("%s: unknown format %q: use one of auto, findtreatment, samhsa-2017, hsds, csv", name, f)
	}
	if err != nil {
		return nil, lr.wrap(err)
	}
	res.Format = f
	return res, nil
}

// ReadFile opens path (a file, or for HSDS a folder or a zip), detects the
// format when f is Auto, and reads it.
func ReadFile(ctx context.Context, path string, f Format, opt Options) (*Result, error) {
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, invalid("%s: no such file or folder", path)
		}
		return nil, fmt.Errorf("import %s: %w", path, err)
	}
	if st.IsDir() {
		if f != Auto && f != "" && f != HSDS {
			return nil, invalid("%s: a folder; only the hsds format is a folder", path)
		}
		res, err := readHSDS(ctx, path, os.DirFS(path), opt.maxBytes())
		if err != nil {
			return nil, err
		}
		res.Format = HSDS
		return res, nil
	}
	if st.Size() > opt.maxBytes() {
		return nil, tooBig(path, opt.maxBytes())
	}
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", path, err)
	}
	defer file.Close()
	return Read(ctx, path, file, f, opt)
}

// readText reads a whole CSV file, drops a UTF-8 byte-order mark and, when
// the bytes are not UTF-8, reads them as Windows-1252 (what Excel on
// Windows saves) with a Problem on line 0 saying so.
func readText(name string, r io.Reader) ([]byte, []Problem, error) {
	b, err := readAll(r)
	if err != nil {
		return nil, nil, err
	}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, nil, invalid("%s: empty file", name)
	}
	if line := firstInvalidUTF8(b); line > 0 {
		return decodeWindows1252(b), []Problem{{Line: 0, Reason: fmt.Sprintf("file is not UTF-8 (first at line %d); read as Windows-1252", line)}}, nil
	}
	return b, nil, nil
}

// readAll reads r to the end, in one allocation when the size is known.
func readAll(r io.Reader) ([]byte, error) {
	var buf bytes.Buffer
	if n := sizeHint(r); n > 0 {
		buf.Grow(int(n) + 1)
	}
	_, err := buf.ReadFrom(r)
	return buf.Bytes(), err
}

// sizeHint is how many bytes r has left, or 0 when it cannot tell.
func sizeHint(r io.Reader) int64 {
	switch v := r.(type) {
	case *limitedReader:
		return min(sizeHint(v.r), v.max+1)
	case *peekReader:
		if n := sizeHint(v.r); n > 0 {
			return n + int64(len(v.head))
		}
	case interface{ Len() int }:
		return int64(v.Len())
	case *os.File:
		if st, err := v.Stat(); err == nil && st.Mode().IsRegular() {
			return st.Size()
		}
	}
	return 0
}

// limitedReader refuses to read past max bytes.
type limitedReader struct {
	r    io.Reader
	n    int64
	max  int64
	name string
}

var errTooBig = errors.New("file too big")

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.n > l.max {
		return 0, errTooBig
	}
	if int64(len(p)) > l.max-l.n+1 {
		p = p[:l.max-l.n+1]
	}
	n, err := l.r.Read(p)
	l.n += int64(n)
	if l.n > l.max {
		return n, errTooBig
	}
	return n, err
}

// wrap turns a read error into the error Read returns.
func (l *limitedReader) wrap(err error) error {
	var de *data.Error
	switch {
	case errors.Is(err, errTooBig):
		return tooBig(l.name, l.max)
	case errors.As(err, &de):
		return err
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return err
	}
	return fmt.Errorf("import %s: %w", l.name, err)
}

func tooBig(name string, max int64) error {
	return invalid("%s: file is larger than %s, the most an import takes", name, sizeText(max))
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// peekReader lets Detect look at the first bytes without losing them.
type peekReader struct {
	r    io.Reader
	head []byte
	size int
}

func newPeekReader(r io.Reader, size int) *peekReader { return &peekReader{r: r, size: size} }

func (p *peekReader) peek() ([]byte, error) {
	buf := make([]byte, p.size)
	n, err := io.ReadFull(p.r, buf)
	if err == io.ErrUnexpectedEOF || err == io.EOF {
		err = nil
	}
	p.head = buf[:n]
	return p.head, err
}

func (p *peekReader) Read(b []byte) (int, error) {
	if len(p.head) > 0 {
		n := copy(b, p.head)
		p.head = p.head[n:]
		return n, nil
	}
	return p.r.Read(b)
}

// collector gathers the facilities of one file, folds rows with the same Key
// into one, and records problems.
type collector struct {
	res   *Result
	file  string // for HSDS
	index map[string]int
}

func newCollector() *collector {
	return &collector{res: &Result{}, index: map[string]int{}}
}

func (c *collector) problem(line int, field, reason string, skipped bool) {
	c.res.Problems = append(c.res.Problems, Problem{File: c.file, Line: line, Field: field, Reason: reason, Skipped: skipped})
}

// add validates f, gives it its Key and adds it, or merges it into an
// earlier facility with the same Key: the earlier row's values win, blanks
// are filled from the later row and the services are united. It returns
// the key, and false when f was invalid and left out.
func (c *collector) add(f Facility, line int) (string, bool) {
	f.Line = line
	f.Services = sortedSet(f.Services)
	if err := f.Validate(); err != nil {
		c.problem(line, "", data.ErrorMessage(err), true)
		return "", false
	}
	f.Key = makeKey(&f.Facility)
	i, dup := c.index[f.Key]
	if !dup {
		c.index[f.Key] = len(c.res.Facilities)
		c.res.Facilities = append(c.res.Facilities, f)
		return f.Key, true
	}
	first := &c.res.Facilities[i]
	c.problem(line, "key", fmt.Sprintf("same facility as line %d (%s); merged into it", first.Line, f.Key), false)
	fill := func(dst *string, src string) {
		if *dst == "" {
			*dst = src
		}
	}
	fill(&first.Name2, f.Name2)
	fill(&first.Street, f.Street)
	fill(&first.Street2, f.Street2)
	fill(&first.City, f.City)
	fill(&first.State, f.State)
	fill(&first.ZIP, f.ZIP)
	fill(&first.Phone, f.Phone)
	fill(&first.IntakePhone, f.IntakePhone)
	fill(&first.Website, f.Website)
	fill(&first.Type, f.Type)
	if first.Lat == 0 && first.Lon == 0 {
		first.Lat, first.Lon = f.Lat, f.Lon
	}
	if f.VerifiedAt.After(first.VerifiedAt) {
		first.VerifiedAt = f.VerifiedAt
	}
	first.Services = sortedSet(append(first.Services, f.Services...))
	return f.Key, true
}

// checkPlace reports, as a reason to skip, a facility that cannot be placed
// on a map or matched by ZIP: it needs a ZIP, coordinates, or city and state.
func checkPlace(f *data.Facility) string {
	if zip5(f.ZIP) != "" || f.Lat != 0 || f.Lon != 0 || f.City != "" && f.State != "" {
		return ""
	}
	return "no ZIP, coordinates, or city and state: it could not be found on a map"
}

// cleanFacility trims every text field, normalises ZIP and phones, and
// records what it could not make sense of.
func (c *collector) cleanFacility(f *data.Facility, line int) {
	for _, p := range []*string{&f.Name, &f.Name2, &f.Street, &f.Street2, &f.City, &f.State, &f.ZIP,
		&f.Phone, &f.IntakePhone, &f.Website, &f.Type, &f.FRID} {
		*p = cleanText(*p)
	}
	if len(f.State) == 2 {
		f.State = strings.ToUpper(f.State)
	} else if s, ok := stateAbbr[strings.ToLower(f.State)]; ok {
		f.State = s
	}
	if f.ZIP != "" {
		z, ok := cleanZIP(f.ZIP)
		if !ok {
			c.problem(line, "zip", fmt.Sprintf("ZIP %q is not a US ZIP code; kept as written", f.ZIP), false)
		} else if z != f.ZIP && len(zipDigits(f.ZIP)) == 4 {
			c.problem(line, "zip", fmt.Sprintf("ZIP %q lost its leading zero; read as %s", f.ZIP, z), false)
		}
		f.ZIP = z
	}
	for _, ph := range []struct {
		field string
		v     *string
	}{{"phone", &f.Phone}, {"intake_phone", &f.IntakePhone}} {
		p, ok := normPhone(*ph.v)
		if !ok {
			c.problem(line, ph.field, fmt.Sprintf("%q is not a 10-digit phone number; kept as written", *ph.v), false)
		}
		*ph.v = p
	}
	if f.Lat != 0 || f.Lon != 0 {
		if f.Lat < -90 || f.Lat > 90 || f.Lon < -180 || f.Lon > 180 {
			c.problem(line, "lat", fmt.Sprintf("latitude %v, longitude %v is not on Earth; left out", f.Lat, f.Lon), false)
			f.Lat, f.Lon = 0, 0
		}
	}
}

func zipDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// ctxEvery checks for cancellation every 1024 rows.
func ctxEvery(ctx context.Context, row int) error {
	if row&1023 == 0 {
		return ctx.Err()
	}
	return nil
}

var stateAbbr = map[string]string{
	"alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA", "colorado": "CO",
	"connecticut": "CT", "delaware": "DE", "district of columbia": "DC", "florida": "FL", "georgia": "GA",
	"hawaii": "HI", "idaho": "ID", "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS",
	"kentucky": "KY", "louisiana": "LA", "maine": "ME", "maryland": "MD", "massachusetts": "MA",
	"michigan": "MI", "minnesota": "MN", "mississippi": "MS", "missouri": "MO", "montana": "MT",
	"nebraska": "NE", "nevada": "NV", "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM",
	"new york": "NY", "north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK",
	"oregon": "OR", "pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC", "south dakota": "SD",
	"tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA",
	"west virginia": "WV", "wisconsin": "WI", "wyoming": "WY", "puerto rico": "PR", "guam": "GU",
}
