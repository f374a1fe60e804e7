package main

import (
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"connectpoint/assets"
	"connectpoint/data"
	"connectpoint/data/importer"
)

func (c *cli) cmdFacilityImport(args []string) error {
	fs := flag.NewFlagSet("facility import", flag.ContinueOnError)
	format := fs.String("format", "auto", "")
	dryRun := fs.Bool("dry-run", false, "")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one file to import")
	}
	switch importer.Format(*format) {
	case importer.Auto, importer.FindTreatment, importer.SAMHSA2017, importer.HSDS, importer.CSV:
	default:
		return usagef("--format %q: use auto, findtreatment, samhsa-2017, hsds or csv", *format)
	}
	s, sess, err := c.login()
	if err != nil {
		return err
	}
	defer s.Close()
	if !sess.Can(data.ActDirectoryEdit) {
		// Let data refuse and audit it, before reading a large file for nothing.
		_, err := sess.ImportFacilities(c.ctx, nil, true)
		return err
	}
	start := time.Now()
	res, err := importer.ReadFile(c.ctx, pos[0], importer.Format(*format), importer.Options{})
	if err != nil {
		return err
	}
	facilities := make([]data.Facility, len(res.Facilities))
	for i, f := range res.Facilities {
		facilities[i] = f.Facility
	}
	sum, err := sess.ImportFacilities(c.ctx, facilities, *dryRun)
	if err != nil {
		return err
	}
	skipped := 0
	for _, p := range res.Problems {
		if p.Skipped {
			skipped++
		}
	}
	verb := "Imported"
	if *dryRun {
		verb = "Dry run, nothing written: would import"
	}
	fmt.Fprintf(c.stdout, "%s %s (%s, %d rows): %d added, %d changed, %d unchanged, %d rows skipped, in %.1fs.\n",
		verb, pos[0], res.Format, res.Rows, len(sum.Added), len(sum.Changed), sum.Unchanged, skipped, time.Since(start).Seconds())
	if *dryRun {
		for _, n := range sum.Added {
			fmt.Fprintf(c.stdout, "  add     %s\n", n)
		}
		for _, ch := range sum.Changed {
			fmt.Fprintf(c.stdout, "  change  %s (%s)\n", ch.Name, strings.Join(ch.Fields, ", "))
		}
	}
	for _, p := range res.Problems {
		what := "note"
		if p.Skipped {
			what = "skipped"
		}
		field := ""
		if p.Field != "" {
			field = " " + p.Field + ":"
		}
		fmt.Fprintf(c.stdout, "  line %d %s:%s %s\n", p.Line, what, field, p.Reason)
	}
	return nil
}

// facilityJSON is one facility as `facility list --json` and `facility
// match --json` print it.
func facilityJSON(f *data.Facility) map[string]any {
	services := f.Services
	if services == nil {
		services = []string{}
	}
	return map[string]any{"id": f.ID, "short": data.ShortID(f.ID), "name": f.Name, "address": strings.TrimSpace(f.Street + " " + f.Street2),
		"city": f.City, "state": f.State, "zip": f.ZIP, "phone": f.Phone, "intake_phone": f.IntakePhone,
		"website": f.Website, "services": services}
}

func (c *cli) cmdFacilityList(args []string) error {
	fs := flag.NewFlagSet("facility list", flag.ContinueOnError)
	state := fs.String("state", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	s, sess, err := c.login()
	if err != nil {
		return err
	}
	defer s.Close()
	list, err := sess.Facilities(c.ctx, data.FacilityFilter{State: *state})
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]map[string]any, len(list))
		for i := range list {
			out[i] = facilityJSON(&list[i])
		}
		return c.printJSON(out)
	}
	if len(list) == 0 {
		fmt.Fprintln(c.stdout, "The directory is empty. Import one with: connectpoint facility import FILE")
		return nil
	}
	for _, f := range list {
		fmt.Fprintf(c.stdout, "%s  %-50s  %-18s %s  %s\n", data.ShortID(f.ID), f.Name, f.City, f.State, f.Phone)
	}
	return nil
}

func (c *cli) cmdFacilityAvail(args []string) error {
	fs := flag.NewFlagSet("facility avail", flag.ContinueOnError)
	open := fs.Int("open", -1, "")
	note := fs.String("note", "", "")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one facility ID")
	}
	if *open < 0 {
		return usagef("--open N is required: how many slots are open now")
	}
	s, sess, err := c.login()
	if err != nil {
		return err
	}
	defer s.Close()
	id, err := sess.ResolveFacilityID(c.ctx, pos[0])
	if err != nil {
		return err
	}
	if _, err := sess.ReportAvailability(c.ctx, id, *open, *note); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Recorded: %d open at %s.\n", *open, data.ShortID(id))
	return nil
}

func (c *cli) cmdFacilityMatch(args []string) error {
	fs := flag.NewFlagSet("facility match", flag.ContinueOnError)
	caseRef := fs.String("case", "", "")
	level := fs.String("level", "", "")
	payment := fs.String("payment", "", "")
	gender := fs.String("gender", "", "")
	near := fs.String("near", "", "")
	moud := fs.String("moud", "", "")
	limit := fs.Int("limit", 20, "")
	asJSON := fs.Bool("json", false, "")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	q := data.MatchQuery{Level: strings.ToUpper(*level), Insurance: strings.ToLower(*payment),
		Gender: strings.ToLower(*gender), MOUD: strings.ToLower(*moud), Limit: *limit, Adult: true}
	if q.Level != "" && data.LevelSettings(q.Level) == nil {
		return data.Errorf(data.EINVALID, "--level %q: use one of %s", *level, strings.Join(data.Levels, ", "))
	}
	if q.Insurance != "" && !slices.Contains(data.Insurances, q.Insurance) {
		return data.Errorf(data.EINVALID, "--payment %q: use one of %s", *payment, strings.Join(data.Insurances, ", "))
	}
	zips, err := assets.ZIPs()
	if err != nil {
		return err
	}
	s, sess, err := c.login()
	if err != nil {
		return err
	}
	defer s.Close()
	q.Now = s.Now()
	var originZIP string
	if *caseRef != "" {
		id, err := sess.ResolveCaseID(c.ctx, *caseRef)
		if err != nil {
			return err
		}
		rec, err := sess.Case(c.ctx, id)
		if err != nil {
			return err
		}
		fromCase(&q, rec, q.Now)
		originZIP = rec.Person.ZIP
	}
	switch {
	case *near != "":
		if q.Origin, err = parseNear(*near, zips); err != nil {
			return err
		}
	case originZIP != "":
		q.Origin, _, _ = zips.Locate(originZIP)
	default:
		if a, err := sess.Agency(c.ctx); err == nil && a.ZIP != "" {
			q.Origin, _, _ = zips.Locate(a.ZIP)
		}
	}
	dir, err := sess.LoadDirectory(c.ctx, zips)
	if err != nil {
		return err
	}
	matches := dir.Match(q)
	if *asJSON {
		out := make([]map[string]any, len(matches))
		for i, m := range matches {
			j := facilityJSON(m.Facility)
			j["distance_miles"] = nil
			if m.DistanceMiles >= 0 {
				j["distance_miles"] = float64(int(m.DistanceMiles*10+0.5)) / 10
				j["distance_approximate"] = m.Approx
			}
			j["open_slots"] = nil
			if m.Open >= 0 {
				j["open_slots"] = m.Open
				j["open_reported_at"] = data.FormatTime(m.OpenAt)
			}
			j["reasons"] = m.Reasons
			out[i] = j
		}
		return c.printJSON(out)
	}
	if len(matches) == 0 {
		fmt.Fprintln(c.stdout, "No facility fits. Loosen a filter (--level, --payment, --gender, --moud) or import a directory.")
		return nil
	}
	for _, m := range matches {
		phone := m.Facility.IntakePhone
		if phone == "" {
			phone = m.Facility.Phone
		}
		fmt.Fprintf(c.stdout, "%s  %-44s  %-16s  %s\n", data.ShortID(m.Facility.ID), m.Facility.Name, phone, m.Describe())
	}
	return nil
}

// fromCase takes the match filters from a case: level, insurance, gender,
// medication, pregnancy, veteran status and age.
func fromCase(q *data.MatchQuery, rec *data.CaseRecord, now time.Time) {
	if q.Level == "" {
		q.Level = rec.Case.Level
	}
	if q.Insurance == "" {
		q.Insurance = rec.Case.Insurance
	}
	if q.Gender == "" {
		q.Gender = rec.Person.Gender
	}
	if q.MOUD == "" {
		q.MOUD = rec.Case.MOUD
	}
	q.Pregnant, q.Veteran = rec.Case.Pregnant, rec.Case.Veteran
	if dob, err := time.Parse(data.DateLayout, rec.Person.DOB); err == nil {
		q.Adult = !dob.AddDate(18, 0, 0).After(now)
	}
}

// parseNear reads --near: a ZIP or "LAT,LON".
func parseNear(s string, zips *data.ZIPTable) (data.LatLon, error) {
	if lat, lon, ok := strings.Cut(s, ","); ok {
		la, err1 := strconv.ParseFloat(strings.TrimSpace(lat), 64)
		lo, err2 := strconv.ParseFloat(strings.TrimSpace(lon), 64)
		p := data.LatLon{Lat: la, Lon: lo}
		if err1 != nil || err2 != nil || !p.Valid() {
			return data.LatLon{}, data.Errorf(data.EINVALID, "--near %q: use a ZIP like 60540 or LAT,LON like 41.77,-88.15", s)
		}
		return p, nil
	}
	zip := strings.TrimSpace(s)
	p, _, ok := zips.Locate(zip)
	if len(zip) != 5 || strings.Trim(zip, "0123456789") != "" || !ok {
		return data.LatLon{}, data.Errorf(data.EINVALID, "--near %q: unknown ZIP code", s)
	}
	return p, nil
}
