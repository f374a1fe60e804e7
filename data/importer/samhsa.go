package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"

	"connectpoint/data"
)

// The 2017 National Directory of Drug and Alcohol Abuse Treatment
// Facilities, as scraped from SAMHSA's PDF to CSV:
//
//	Year,Page,Center_name,Street_address,City,State,Postal_code,Phone,Keys
//
// The scrape left its marks, all repaired here and reported as problems:
// ligatures turned into accents (see ligaturesCSV), intake numbers and
// extensions inside Phone, the same facility twice, and sometimes the next
// facility of the page run into the end of Keys ("... FEM MALE DUCCHC 1701
// West Monterey Avenue Suite 2 Chicago, IL 60643 (773) 233-5850 MHSAF SA
// ..."), which is split out as a facility of its own.

var samhsaColumns = []string{"center_name", "street_address", "city", "state", "postal_code", "phone", "keys"}

// samhsaFields names our field for each column, for problems.
var samhsaFields = map[string]string{"center_name": "name", "street_address": "street", "city": "city",
	"state": "state", "postal_code": "zip", "phone": "phone", "keys": "services"}

func readSAMHSA(ctx context.Context, name string, text []byte) (*Result, error) {
	r := csv.NewReader(bytes.NewReader(text))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	header, err := r.Read()
	if err != nil {
		return nil, headerErr(name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(h))] = i
	}
	var missing []string
	for _, c := range samhsaColumns {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, invalid("%s line 1: not a 2017 directory file: missing columns %s", name, strings.Join(missing, ", "))
	}
	c := newCollector()
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
		c.res.Rows++
		if len(rec) != len(header) {
			c.problem(line, "", fmt.Sprintf("the row has %d cells, the header %d", len(rec), len(header)), true)
			continue
		}
		get := func(col2 string) string {
			v := rec[col[col2]]
			fixed, changed := repairLigatures(v, ligaturesCSV)
			if changed {
				c.problem(line, samhsaFields[col2], fmt.Sprintf("repaired PDF ligatures: %q → %q", v, fixed), false)
			}
			return fixed
		}
		f := data.Facility{Name: get("center_name"), Street: get("street_address"), City: get("city"),
			State: get("state"), ZIP: get("postal_code")}
		c.addSAMHSA(line, f, rec[col["phone"]], rec[col["keys"]], 0)
	}
	return c.res, nil
}

// rowParseError records a CSV syntax error in one row as a skipped row and
// says whether reading can go on.
func (c *collector) rowParseError(err error) bool {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return false
	}
	c.res.Rows++
	c.problem(pe.StartLine, "", "not valid CSV: "+pe.Err.Error(), true)
	return true
}

func headerErr(name string, err error) error {
	if err == io.EOF {
		return invalid("%s: empty file", name)
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return invalid("%s line %d: the header is not valid CSV: %v", name, pe.StartLine, pe.Err)
	}
	return fmt.Errorf("read %s: %w", name, err)
}

// addSAMHSA finishes a directory row (phone, keys) and adds it, then any
// facility found run into its keys. depth bounds that recursion.
func (c *collector) addSAMHSA(line int, f data.Facility, phone, keys string, depth int) {
	main, intakes := splitIntake(phone)
	f.Phone = main
	if len(intakes) > 0 {
		f.IntakePhone = intakes[0]
	}
	codes, typ, embedded, unknown := parseKeys(keys, depth)
	f.Services = codes
	if f.Type == "" {
		f.Type = typ
	}
	if len(unknown) > 0 {
		c.problem(line, "services", fmt.Sprintf("unknown codes left out: %s", strings.Join(unknown, " ")), false)
	}
	if strings.TrimSpace(f.Name) == "" {
		c.problem(line, "name", "no name (Center_name)", true)
	} else {
		if r := []rune(strings.TrimSpace(f.Name))[0]; unicode.IsLower(r) {
			c.problem(line, "name", fmt.Sprintf("%q looks cut off at the start by the PDF scrape; imported as it is, check it", f.Name), false)
		}
		c.cleanFacility(&f, line)
		if why := checkPlace(&f); why != "" {
			c.problem(line, "zip", why, true)
		} else {
			c.add(Facility{Facility: f}, line)
		}
	}
	if embedded != nil {
		c.problem(line, "services", fmt.Sprintf("another facility (%s, %s) ran into this row's Keys in the PDF scrape; split out as a facility of its own",
			embedded.f.Name, embedded.f.City), false)
		c.addSAMHSA(line, embedded.f, embedded.phone, embedded.keys, depth+1)
	}
}

// embeddedRow is a directory entry found inside another row's Keys.
type embeddedRow struct {
	f     data.Facility
	phone string
	keys  string
}

// parseKeys splits a Keys cell into our codes, the facility type, a
// facility that the scrape ran into it (nil if none), and tokens that are
// neither.
func parseKeys(keys string, depth int) (codes []string, typ string, emb *embeddedRow, unknown []string) {
	tokens := strings.Fields(keys)
	codes = make([]string, 0, len(tokens))
	add := func(k keyCode) {
		switch {
		case !k.isType:
			codes = append(codes, k.code)
		case typ == "":
			typ = k.code
		}
	}
	tries := 3 // looking for an entry is costly; real rows need one try
	for i, t := range tokens {
		if k, ok := keyCodes[t]; ok {
			add(k)
			continue
		}
		if depth < 8 && tries > 0 {
			tries--
			// "DUCCHC" is DU followed by the next entry's name, CCHC.
			for l := min(len(t)-1, 5); l >= 1; l-- {
				if k, ok := keyCodes[t[:l]]; ok && unicode.IsUpper(rune(t[l])) {
					if e := parseEmbedded(append([]string{t[l:]}, tokens[i+1:]...)); e != nil {
						add(k)
						return codes, typ, e, unknown
					}
				}
			}
			if e := parseEmbedded(tokens[i:]); e != nil {
				return codes, typ, e, unknown
			}
		}
		unknown = append(unknown, t)
	}
	return codes, typ, nil, unknown
}

var (
	embeddedRE = regexp.MustCompile(`^(\D.*?)\s+(\d[^,]*?)\s*,\s*([A-Z]{2})\s+(\d{5}(?:-\d{4})?)\s+(\(\d{3}\)\s*\d{3}-\s*\d{4}(?:\s*x\d+)?)(.*)$`)
	intakeRE   = regexp.MustCompile(`^\s*(Intakes?:\s*(?:\(\d{3}\)\s*\d{3}-\s*\d{4}(?:\s*x\d+)?\s*)+)(.*)$`)
)

// parseEmbedded reads "NAME STREET CITY, ST ZIP PHONE [Intake: PHONE...]
// KEYS", the shape of a directory entry, from tokens, or returns nil. Only
// the first tokens can hold the entry's head; the rest are its keys.
func parseEmbedded(tokens []string) *embeddedRow {
	const headTokens = 48
	rest := ""
	if len(tokens) > headTokens {
		rest = " " + strings.Join(tokens[headTokens:], " ")
		tokens = tokens[:headTokens]
	}
	m := embeddedRE.FindStringSubmatch(strings.Join(tokens, " "))
	if m == nil {
		return nil
	}
	m[6] += rest
	street, city := splitStreetCity(m[2])
	if street == "" || city == "" {
		return nil
	}
	e := &embeddedRow{phone: m[5], keys: m[6]}
	if im := intakeRE.FindStringSubmatch(m[6]); im != nil {
		e.phone += " " + im[1]
		e.keys = im[2]
	}
	name := strings.TrimSpace(m[1])
	// The PDF's city headings (DANVILLE) come before the first entry of a
	// city.
	if up := strings.ToUpper(city) + " "; strings.HasPrefix(name, up) && len(name) > len(up) {
		name = strings.TrimSpace(name[len(up):])
	}
	e.f = data.Facility{Name: name, Street: street, City: city, State: m[3], ZIP: m[4]}
	return e
}

// splitStreetCity splits "1701 West Monterey Avenue Suite 2 Chicago" after
// the last street type and its unit, if any: the rest is the city. Without
// a street type the last word is the city.
func splitStreetCity(s string) (street, city string) {
	w := strings.Fields(s)
	if len(w) < 2 {
		return "", ""
	}
	cut := len(w) - 1
	for j := len(w) - 2; j >= 1; j-- {
		lw := strings.ToLower(strings.TrimSuffix(w[j], "."))
		if streetTypes[lw] || lw == "highway" || lw == "broadway" {
			cut = j + 1
			if cut+1 < len(w) && unitWords[strings.ToLower(w[cut])] {
				cut += 2
			}
			break
		}
	}
	if cut >= len(w) {
		cut = len(w) - 1
	}
	return strings.Join(w[:cut], " "), strings.Join(w[cut:], " ")
}
