package importer

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"path"
	"strconv"
	"strings"
	"time"

	"connectpoint/data"
)

// An Open Referral HSDS 3 tabular package: a folder or zip of CSV files,
// one per object, related by ids. We read organizations, locations,
// addresses (or HSDS 2's physical_addresses), phones, services,
// service_at_locations, languages, service_capacity and units. Each
// physical location is one facility. Its services' names and descriptions
// give attribute codes where they say so without doubt (hsdsPhrases), and
// service_capacity gives open beds or slots.

type table struct {
	file string
	cols map[string]int
	rows []tableRow
}

type tableRow struct {
	line  int
	cells []string
}

func (t *table) get(r tableRow, col string) string {
	if t == nil {
		return ""
	}
	i, ok := t.cols[col]
	if !ok || i >= len(r.cells) {
		return ""
	}
	return strings.TrimSpace(r.cells[i])
}

// each calls fn for every row of t (none when t is nil: the file is absent).
func (t *table) each(fn func(r tableRow)) {
	if t == nil {
		return
	}
	for _, r := range t.rows {
		fn(r)
	}
}

// hsdsFiles finds the package's CSV files by name, in the top folder or one
// below it (zips often hold a folder).
func hsdsFiles(fsys fs.FS) (map[string]string, error) {
	found := map[string]string{}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		base := path.Base(p)
		if d.IsDir() {
			if p != "." && (strings.Count(p, "/") >= 1 || strings.HasPrefix(base, ".") || base == "__MACOSX") {
				return fs.SkipDir
			}
			return nil
		}
		lower := strings.ToLower(base)
		if strings.HasSuffix(lower, ".csv") && !strings.HasPrefix(base, ".") {
			if prev, ok := found[lower]; !ok || strings.Count(p, "/") < strings.Count(prev, "/") {
				found[lower] = p
			}
		}
		return nil
	})
	return found, err
}

func readHSDS(ctx context.Context, name string, fsys fs.FS, max int64) (*Result, error) {
	files, err := hsdsFiles(fsys)
	if err != nil {
		return nil, invalid("%s: cannot list the HSDS files: %v", name, err)
	}
	var missing []string
	for _, f := range []string{"organizations.csv", "locations.csv"} {
		if files[f] == "" {
			missing = append(missing, f)
		}
	}
	if len(missing) > 0 {
		return nil, invalid("%s: not an HSDS package: no %s", name, strings.Join(missing, " or "))
	}
	c := newCollector()
	budget := max
	load := func(names ...string) (*table, error) {
		for _, n := range names {
			if p := files[n]; p != "" {
				return c.loadTable(fsys, name, n, p, &budget)
			}
		}
		return nil, nil
	}
	var tabs [9]*table
	for i, n := range [][]string{{"organizations.csv"}, {"locations.csv"}, {"addresses.csv", "physical_addresses.csv"},
		{"phones.csv"}, {"services.csv"}, {"service_at_locations.csv", "services_at_location.csv", "service_at_location.csv"},
		{"languages.csv"}, {"service_capacity.csv"}, {"units.csv"}} {
		if tabs[i], err = load(n...); err != nil {
			return nil, err
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	h := &hsds{c: c, orgs: tabs[0], locs: tabs[1], addrs: tabs[2], phones: tabs[3], services: tabs[4],
		sal: tabs[5], langs: tabs[6], capacity: tabs[7], units: tabs[8]}
	if err := h.build(ctx); err != nil {
		return nil, err
	}
	return c.res, nil
}

// loadTable reads one CSV file of the package; bad rows become problems.
func (c *collector) loadTable(fsys fs.FS, pkg, file, p string, budget *int64) (*table, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, invalid("%s: cannot open %s: %v", pkg, file, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, *budget+1))
	if err != nil {
		return nil, invalid("%s: cannot read %s: %v", pkg, file, err)
	}
	*budget -= int64(len(b))
	if *budget < 0 {
		return nil, invalid("%s: the files add up to more than the most an import takes", pkg)
	}
	c.file = file
	t := &table{file: file, cols: map[string]int{}}
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(b)) == 0 {
		return t, nil
	}
	if line := firstInvalidUTF8(b); line > 0 {
		c.problem(0, "", fmt.Sprintf("file is not UTF-8 (first at line %d); read as Windows-1252", line), false)
		b = decodeWindows1252(b)
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return nil, invalid("%s: %s line %d: the header is not valid CSV: %v", pkg, file, pe.StartLine, pe.Err)
		}
		return nil, invalid("%s: cannot read %s: %v", pkg, file, err)
	}
	for i, h := range header {
		if _, dup := t.cols[normHeader(h)]; !dup {
			t.cols[normHeader(h)] = i
		}
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				c.problem(pe.StartLine, "", "not valid CSV: "+pe.Err.Error(), true)
				continue
			}
			return nil, invalid("%s: cannot read %s: %v", pkg, file, err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) != len(header) {
			c.problem(line, "", fmt.Sprintf("the row has %d cells, the header %d", len(rec), len(header)), true)
			continue
		}
		t.rows = append(t.rows, tableRow{line: line, cells: rec})
	}
	if _, ok := t.cols["id"]; !ok && file != "languages.csv" {
		c.problem(1, "id", "no id column: the rows cannot be linked; file ignored", false)
		return &table{file: file, cols: map[string]int{}}, nil
	}
	return t, nil
}

type hsds struct {
	c                                                                *collector
	orgs, locs, addrs, phones, services, sal, langs, capacity, units *table
}

type hsdsPhone struct {
	number, ext, kind, desc string
}

func (h *hsds) build(ctx context.Context) error {
	c := h.c
	org := map[string]tableRow{}
	h.orgs.each(func(r tableRow) { org[h.orgs.get(r, "id")] = r })
	svc := map[string]tableRow{}
	h.services.each(func(r tableRow) {
		switch strings.ToLower(h.services.get(r, "status")) {
		case "inactive", "defunct":
			return
		}
		svc[h.services.get(r, "id")] = r
	})
	svcAt := map[string][]string{}  // location → services
	locsOf := map[string][]string{} // service → locations
	salOf := map[string][]string{}  // location → service_at_location ids
	h.sal.each(func(r tableRow) {
		loc, s := h.sal.get(r, "location_id"), h.sal.get(r, "service_id")
		if _, ok := svc[s]; !ok || loc == "" {
			return
		}
		svcAt[loc] = append(svcAt[loc], s)
		locsOf[s] = append(locsOf[s], loc)
		salOf[loc] = append(salOf[loc], h.sal.get(r, "id"))
	})
	addr := map[string]tableRow{}
	h.addrs.each(func(r tableRow) {
		loc := h.addrs.get(r, "location_id")
		kind := strings.ToLower(h.addrs.get(r, "address_type"))
		if loc == "" || kind == "virtual" {
			return
		}
		if prev, ok := addr[loc]; !ok || kind != "postal" && strings.ToLower(h.addrs.get(prev, "address_type")) == "postal" {
			addr[loc] = r
		}
	})
	phonesBy := map[string][]hsdsPhone{} // "loc:", "sal:", "svc:", "org:" + id
	h.phones.each(func(r tableRow) {
		p := hsdsPhone{number: h.phones.get(r, "number"), ext: h.phones.get(r, "extension"),
			kind: strings.ToLower(h.phones.get(r, "type")), desc: strings.ToLower(h.phones.get(r, "description"))}
		for _, k := range []struct{ col, prefix string }{{"location_id", "loc:"}, {"service_at_location_id", "sal:"},
			{"service_id", "svc:"}, {"organization_id", "org:"}} {
			if id := h.phones.get(r, k.col); id != "" {
				phonesBy[k.prefix+id] = append(phonesBy[k.prefix+id], p)
				return // the most specific link only
			}
		}
	})
	langsBy := map[string][]string{}
	h.langs.each(func(r tableRow) {
		code := langCode(h.langs.get(r, "code"))
		if code == "" {
			code = langCode(h.langs.get(r, "name"))
		}
		if code == "" {
			return
		}
		for _, col := range []string{"location_id", "service_id"} {
			if id := h.langs.get(r, col); id != "" {
				langsBy[col+":"+id] = append(langsBy[col+":"+id], code)
			}
		}
	})

	keyOf := map[string]string{} // location id → facility key
	c.file = h.locs.file
	for i, r := range h.locs.rows {
		if err := ctxEvery(ctx, i); err != nil {
			return err
		}
		c.res.Rows++
		id := h.locs.get(r, "id")
		if strings.EqualFold(h.locs.get(r, "location_type"), "virtual") {
			c.problem(r.line, "", "a virtual location (online or by phone), not a place to go", true)
			continue
		}
		o, hasOrg := org[h.locs.get(r, "organization_id")]
		if !hasOrg && len(svcAt[id]) > 0 {
			o, hasOrg = org[h.services.get(svc[svcAt[id][0]], "organization_id")]
		}
		orgName := ""
		var f data.Facility
		if hasOrg {
			orgName = h.orgs.get(o, "name")
			f.Website = h.orgs.get(o, "website")
		}
		locName := h.locs.get(r, "name")
		switch {
		case locName == "":
			f.Name = orgName
		case orgName == "" || strings.Contains(strings.ToLower(locName), strings.ToLower(orgName)):
			f.Name = locName
		default:
			f.Name, f.Name2 = orgName, locName
		}
		if f.Name == "" {
			c.problem(r.line, "name", "no name: neither the location nor its organization has one", true)
			continue
		}
		if a, ok := addr[id]; ok {
			f.Street, f.Street2 = h.addrs.get(a, "address_1"), h.addrs.get(a, "address_2")
			f.City, f.State, f.ZIP = h.addrs.get(a, "city"), h.addrs.get(a, "state_province"), h.addrs.get(a, "postal_code")
		}
		f.Lat, f.Lon = c.parseLatLon(r.line, h.locs.get(r, "latitude"), h.locs.get(r, "longitude"))

		// Candidates from the most to the least specific link; a few of
		// each are plenty.
		var cands []hsdsPhone
		some := func(ps []hsdsPhone) { cands = append(cands, ps[:min(len(ps), 8)]...) }
		some(phonesBy["loc:"+id])
		for _, s := range salOf[id][:min(len(salOf[id]), 8)] {
			some(phonesBy["sal:"+s])
		}
		for _, s := range svcAt[id][:min(len(svcAt[id]), 8)] {
			some(phonesBy["svc:"+s])
		}
		if hasOrg {
			some(phonesBy["org:"+h.orgs.get(o, "id")])
		}
		f.Phone, f.IntakePhone = pickPhones(cands)

		f.Services = append(f.Services, langsBy["location_id:"+id]...)
		for _, s := range svcAt[id] {
			sr := svc[s]
			f.Services = append(f.Services, hsdsCodes(h.services.get(sr, "name"), h.services.get(sr, "alternate_name"),
				h.services.get(sr, "description"), h.services.get(sr, "fees_description"), h.services.get(sr, "eligibility_description"))...)
			f.Services = append(f.Services, langsBy["service_id:"+s]...)
			if f.Website == "" {
				f.Website = h.services.get(sr, "url")
			}
		}
		c.cleanFacility(&f, r.line)
		if why := checkPlace(&f); why != "" {
			c.problem(r.line, "zip", why+" (no address in addresses.csv?)", true)
			continue
		}
		if key, ok := c.add(Facility{Facility: f}, r.line); ok {
			keyOf[id] = key
		}
	}
	h.readCapacity(svcAt, locsOf, keyOf)
	return nil
}

// pickPhones chooses the main and the intake number among a location's
// phones: intake is the first voice number described as intake, admission
// or referral; main is the first other voice number (or the intake one).
func pickPhones(cands []hsdsPhone) (main, intake string) {
	var first string
	for _, p := range cands {
		switch p.kind {
		case "fax", "text", "sms", "pager", "textphone", "video", "tty":
			continue
		}
		n := p.number
		if n == "" {
			continue
		}
		if p.ext != "" {
			n += " x" + p.ext
		}
		if first == "" {
			first = n
		}
		isIntake := strings.Contains(p.desc, "intake") || strings.Contains(p.desc, "admission") || strings.Contains(p.desc, "referral")
		switch {
		case isIntake && intake == "":
			intake = n
		case !isIntake && main == "":
			main = n
		}
	}
	if main == "" {
		main = first
	}
	return main, intake
}

// bedUnits are the capacity units that count as open slots for a person.
var bedUnits = map[string]bool{"bed": true, "beds": true, "slot": true, "slots": true, "place": true, "places": true,
	"space": true, "spaces": true, "opening": true, "openings": true, "seat": true, "seats": true, "client": true,
	"clients": true, "person": true, "people": true, "admission": true, "admissions": true}

// readCapacity adds up the open beds or slots of each facility's services.
// A service offered at several locations does not say how its capacity is
// shared, so it is not counted; several figures for the same service and
// unit: the newest counts.
func (h *hsds) readCapacity(svcAt, locsOf map[string][]string, keyOf map[string]string) {
	if h.capacity == nil {
		return
	}
	c := h.c
	c.file = h.capacity.file
	unitName := map[string]string{}
	h.units.each(func(r tableRow) { unitName[h.units.get(r, "id")] = strings.ToLower(h.units.get(r, "name")) })
	type figure struct {
		n       int
		updated time.Time
	}
	best := map[[2]string]figure{} // service, unit
	var order [][2]string          // the keys of best as first seen
	for _, r := range h.capacity.rows {
		s, unit := h.capacity.get(r, "service_id"), h.capacity.get(r, "unit_id")
		locs := locsOf[s]
		switch {
		case s == "" || len(locs) == 0:
			c.problem(r.line, "service_id", fmt.Sprintf("service %q is not offered at any location here; not counted", s), true)
			continue
		case len(locs) > 1:
			c.problem(r.line, "service_id", fmt.Sprintf("service %q is offered at %d locations and the capacity does not say where; not counted", s, len(locs)), true)
			continue
		}
		if u, known := unitName[unit]; known && !bedUnits[u] && !bedUnits[strings.TrimSuffix(u, "s")] {
			c.problem(r.line, "unit_id", fmt.Sprintf("capacity in %q, not beds or slots; not counted", u), true)
			continue
		}
		av := h.capacity.get(r, "available")
		v, err := strconv.ParseFloat(av, 64)
		if err != nil || v < 0 || v > 1e6 || v != math.Trunc(v) {
			c.problem(r.line, "available", fmt.Sprintf("available %q is not a count; not counted", av), true)
			continue
		}
		up := h.capacity.get(r, "updated")
		t, ok := parseTime(up)
		if !ok {
			c.problem(r.line, "updated", fmt.Sprintf("updated %q is not a date and time; a figure without one cannot be trusted, not counted", up), true)
			continue
		}
		k := [2]string{s, unit}
		prev, seen := best[k]
		if !seen {
			order = append(order, k)
		}
		if !seen || t.After(prev.updated) {
			best[k] = figure{n: int(v), updated: t}
		}
	}
	for _, k := range order {
		fig := best[k]
		key, ok := keyOf[locsOf[k[0]][0]]
		if !ok {
			continue // the location was skipped
		}
		if c.res.Capacity == nil {
			c.res.Capacity, c.res.CapacityUpdated = map[string]int{}, map[string]time.Time{}
		}
		c.res.Capacity[key] += fig.n
		if prev, ok := c.res.CapacityUpdated[key]; !ok || fig.updated.Before(prev) {
			c.res.CapacityUpdated[key] = fig.updated
		}
	}
}
