package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"

	"connectpoint/data"
)

// Our own CSV: one facility a row, columns named after our fields (any
// case), or any columns with Options.Mapping saying which is which. The
// delimiter is a comma, or a semicolon or tab when the header has more of
// those (European spreadsheets).

// csvFields are our field names, the keys of Options.Mapping.
var csvFields = []string{"name", "name2", "street", "street2", "city", "state", "zip", "phone",
	"intake_phone", "website", "lat", "lon", "services", "frid", "type", "verified_at"}

// csvAliases are other headers recognised without a mapping.
var csvAliases = map[string]string{
	"facility": "name", "facility_name": "name", "name1": "name", "address": "street", "street1": "street",
	"address_1": "street", "address1": "street", "address_2": "street2", "address2": "street2",
	"zip_code": "zip", "zipcode": "zip", "postal_code": "zip", "intake": "intake_phone", "intake1": "intake_phone",
	"intakephone": "intake_phone", "latitude": "lat", "longitude": "lon", "lng": "lon", "long": "lon",
	"url": "website", "codes": "services", "state_province": "state",
}

var headerReplacer = strings.NewReplacer(" ", "_", "-", "_")

func normHeader(h string) string {
	return headerReplacer.Replace(strings.ToLower(strings.TrimSpace(h)))
}

func sniffDelimiter(text []byte) rune {
	head := firstLine(text)
	best, n := ',', bytes.Count(head, []byte(","))
	for _, d := range []rune{';', '\t'} {
		if k := bytes.Count(head, []byte(string(d))); k > n {
			best, n = d, k
		}
	}
	return best
}

// missingColumns names what a header lacks: name, and a ZIP, coordinates,
// or city and state.
func missingColumns(have map[string]int) []string {
	var missing []string
	if _, ok := have["name"]; !ok {
		missing = append(missing, "name")
	}
	_, zip := have["zip"]
	_, lat := have["lat"]
	_, lon := have["lon"]
	_, city := have["city"]
	_, state := have["state"]
	if !zip && !(lat && lon) && !(city && state) {
		missing = append(missing, "zip (or lat and lon, or city and state)")
	}
	return missing
}

func readCSV(ctx context.Context, name string, text []byte, mapping map[string]string) (*Result, error) {
	r := csv.NewReader(bytes.NewReader(text))
	r.Comma = sniffDelimiter(text)
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return nil, headerErr(name, err)
	}
	byHeader := map[string]int{}
	for i, h := range header {
		if _, dup := byHeader[normHeader(h)]; !dup {
			byHeader[normHeader(h)] = i
		}
	}
	// Our field → column index: the mapping first, then headers that are
	// our field names (or common aliases) for the fields it leaves out.
	col := map[string]int{}
	used := map[int]bool{}
	var unknown, absent []string
	for field, h := range mapping {
		f := normHeader(field)
		if !slices.Contains(csvFields, f) {
			unknown = append(unknown, field)
			continue
		}
		i, ok := byHeader[normHeader(h)]
		if !ok {
			absent = append(absent, fmt.Sprintf("%q (for %s)", h, f))
			continue
		}
		col[f], used[i] = i, true
	}
	sort.Strings(unknown)
	sort.Strings(absent)
	if len(unknown) > 0 {
		return nil, invalid("%s: the mapping names unknown fields %s; use %s", name, strings.Join(unknown, ", "), strings.Join(csvFields, ", "))
	}
	if len(absent) > 0 {
		return nil, invalid("%s line 1: the header has no column %s", name, strings.Join(absent, ", "))
	}
	for i, h := range header {
		f := normHeader(h)
		if a, ok := csvAliases[f]; ok {
			f = a
		}
		if _, taken := col[f]; slices.Contains(csvFields, f) && !taken && !used[i] {
			col[f], used[i] = i, true
		}
	}
	if missing := missingColumns(col); len(missing) > 0 {
		return nil, invalid("%s line 1: missing columns: %s (the header has: %s)", name, strings.Join(missing, "; "), strings.Join(header, ", "))
	}
	c := newCollector()
	lines := bytes.Count(text, []byte("\n"))
	c.res.Facilities = make([]Facility, 0, lines)
	c.index = make(map[string]int, lines)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err := ctxEvery(ctx, c.res.Rows); err != nil {
			return nil, err
		}
		if err != nil {
			if c.rowParseError(err) {
				continue
			}
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue // a blank line at the end
		}
		c.res.Rows++
		if len(rec) != len(header) {
			c.problem(line, "", fmt.Sprintf("the row has %d cells, the header %d", len(rec), len(header)), true)
			continue
		}
		c.addCSVRow(line, rec, col)
	}
	return c.res, nil
}

func (c *collector) addCSVRow(line int, rec []string, col map[string]int) {
	get := func(f string) string {
		if i, ok := col[f]; ok {
			return rec[i]
		}
		return ""
	}
	f := data.Facility{Name: get("name"), Name2: get("name2"), Street: get("street"), Street2: get("street2"),
		City: get("city"), State: get("state"), ZIP: get("zip"), Phone: get("phone"),
		IntakePhone: get("intake_phone"), Website: get("website"), FRID: get("frid"), Type: get("type")}
	if strings.TrimSpace(f.Name) == "" {
		c.problem(line, "name", "no name", true)
		return
	}
	f.Lat, f.Lon = c.parseLatLon(line, get("lat"), get("lon"))
	if v := strings.TrimSpace(get("verified_at")); v != "" {
		t, ok := parseTime(v)
		if !ok {
			c.problem(line, "verified_at", fmt.Sprintf("%q is not a date like 2025-03-14; left out", v), false)
		}
		f.VerifiedAt = t
	}
	c.cleanFacility(&f, line)
	if why := checkPlace(&f); why != "" {
		c.problem(line, "zip", why, true)
		return
	}
	if s := get("services"); s != "" {
		var unknown []string
		for _, code := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == ' ' || r == '|' }) {
			code = normCode(code)
			if knownCode(code) {
				f.Services = append(f.Services, code)
			} else {
				unknown = append(unknown, code)
			}
		}
		if len(unknown) > 0 {
			c.problem(line, "services", "unknown codes left out: "+strings.Join(unknown, " "), false)
		}
	}
	c.add(Facility{Facility: f}, line)
}

// normCode upper-cases a code, except the language in LANG:xx.
func normCode(s string) string {
	if len(s) == 7 && strings.EqualFold(s[:5], "lang:") {
		return "LANG:" + strings.ToLower(s[5:])
	}
	return strings.ToUpper(s)
}

// parseTime reads RFC 3339 times and plain dates (taken as UTC midnight).
func parseTime(s string) (time.Time, bool) {
	if len(s) == 10 {
		for _, layout := range []string{"2006-01-02", "01/02/2006"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t, true
			}
		}
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), true
		}
	}
	return time.Time{}, false
}
