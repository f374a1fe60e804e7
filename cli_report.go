package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"connectpoint/data"
)

// defaultPeriod is what a coordinator is usually asked for: this month so
// far and the three full months before it (on November 27: August 1 to
// November 27).
func defaultPeriod(now time.Time) (from, to string) {
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location()).AddDate(0, -3, 0)
	return first.Format(data.DateLayout), now.Format(data.DateLayout)
}

func (c *cli) cmdReport(args []string) error {
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fromFlag := fs.String("from", "", "")
	toFlag := fs.String("to", "", "")
	format := fs.String("format", "text", "")
	public := fs.Bool("public", false, "")
	out := fs.String("out", "", "")
	agency := fs.String("agency", "", "")
	if pos, err := parseFlags(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	f, err := data.ParseReportFormat(*format)
	if err != nil {
		return usagef("--format %q: use text, csv or pdf", *format)
	}
	s, sess, err := c.login()
	if err != nil {
		return err
	}
	defer s.Close()
	now := s.Now().In(time.Local)
	from, to := defaultPeriod(now)
	if *fromFlag != "" {
		if from, err = data.ParseDate(*fromFlag, now); err != nil {
			return data.Errorf(data.EINVALID, "--from %q: use a date like 08/01/2026", *fromFlag)
		}
	}
	if *toFlag != "" {
		if to, err = data.ParseDate(*toFlag, now); err != nil {
			return data.Errorf(data.EINVALID, "--to %q: use a date like 10/31/2026", *toFlag)
		}
	}
	q := data.ReportQuery{From: from, To: to, Public: *public, Location: time.Local}
	if *agency != "" {
		if q.Agency, err = c.resolveAgency(sess, *agency); err != nil {
			return err
		}
	}
	r, err := sess.Report(c.ctx, q)
	if err != nil {
		return err
	}
	b, err := sess.ExportReport(c.ctx, r, f)
	if err != nil {
		return err
	}
	path := *out
	if path == "" && f == data.ReportPDF {
		// A PDF is not for the terminal.
		path = "connectpoint-report-" + from + "-to-" + to
		if *public {
			path += "-public"
		}
		path += ".pdf"
	}
	if path == "" {
		_, err = c.stdout.Write(b)
		return err
	}
	if err := writeFileAtomic(path, b); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "Report for %s written to %s.\n", r.Span(), path)
	return nil
}

// resolveAgency finds an agency the session may report on by ID, the six
// characters lists show, or name.
func (c *cli) resolveAgency(sess *data.Session, ref string) (string, error) {
	ags, err := sess.ReportAgencies(c.ctx)
	if err != nil {
		return "", err
	}
	var names []string
	for _, a := range ags {
		if a.ID == ref || strings.EqualFold(data.ShortID(a.ID), ref) || strings.EqualFold(a.Name, ref) {
			return a.ID, nil
		}
		names = append(names, a.Name)
	}
	return "", data.Errorf(data.ENOTFOUND, "--agency %q: you may report on %s", ref, strings.Join(names, ", "))
}
