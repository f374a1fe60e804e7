package main

import (
	"flag"
	"fmt"
	"sort"
	"strings"
	"time"

	"connectpoint/data"
)

func (c *cli) cmdCaseNew(args []string) error {
	fs := flag.NewFlagSet("case new", flag.ContinueOnError)
	first := fs.String("first", "", "")
	last := fs.String("last", "", "")
	alias := fs.String("alias", "", "")
	dob := fs.String("dob", "", "")
	phone := fs.String("phone", "", "")
	channel := fs.String("channel", "walk-in", "")
	insurance := fs.String("insurance", "", "")
	substances := fs.String("substance", "", "")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q (flags take values: --first NAME)", pos[0])
	}
	s, sess, err := c.login()
	if err != nil {
		return err
	}
	defer s.Close()
	in := data.NewCase{Person: data.Person{First: *first, Last: *last, Alias: *alias, Phone: *phone}}
	now := s.Now()
	if *dob != "" {
		d, err := data.ParseDate(*dob, now)
		if err != nil {
			return data.Errorf(data.EINVALID, "--dob: use a date like 1986-03-14 or 03/14/1986")
		}
		in.Person.DOB = d
	}
	in.Case.Channel = strings.ToLower(*channel)
	in.Case.Insurance = strings.ToLower(*insurance)
	for _, sub := range strings.Split(*substances, ",") {
		if sub = strings.ToLower(strings.TrimSpace(sub)); sub != "" {
			in.Case.Substances = append(in.Case.Substances, sub)
		}
	}
	sort.Strings(in.Case.Substances)
	id, err := sess.CreateCase(c.ctx, in)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, id)
	return nil
}

func (c *cli) cmdCaseSet(args []string) error {
	if len(args) < 2 {
		return usagef("give a case ID and at least one FIELD=VALUE")
	}
	values := map[string]string{}
	for _, a := range args[1:] {
		k, v, ok := strings.Cut(a, "=")
		if !ok || k == "" {
			return usagef("%q: write FIELD=VALUE", a)
		}
		values[strings.TrimSpace(k)] = v
	}
	s, sess, err := c.login()
	if err != nil {
		return err
	}
	defer s.Close()
	id, err := sess.ResolveCaseID(c.ctx, args[0])
	if err != nil {
		return err
	}
	return sess.SetCaseFields(c.ctx, id, values)
}

func (c *cli) cmdCaseNote(args []string) error {
	if len(args) < 2 {
		return usagef("give a case ID and the note's text")
	}
	s, sess, err := c.login()
	if err != nil {
		return err
	}
	defer s.Close()
	id, err := sess.ResolveCaseID(c.ctx, args[0])
	if err != nil {
		return err
	}
	nid, err := sess.AddNote(c.ctx, id, strings.Join(args[1:], " "))
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, nid)
	return nil
}

func (c *cli) cmdCaseShow(args []string) error {
	fs := flag.NewFlagSet("case show", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one case ID")
	}
	s, sess, err := c.login()
	if err != nil {
		return err
	}
	defer s.Close()
	id, err := sess.ResolveCaseID(c.ctx, pos[0])
	if err != nil {
		return err
	}
	rec, err := sess.Case(c.ctx, id)
	if err != nil {
		return err
	}
	var notes []data.Note
	if sess.Can(data.ActNoteView) {
		if notes, err = sess.Notes(c.ctx, id); err != nil {
			return err
		}
	}
	m := caseJSON(rec, notes)
	if *asJSON {
		return c.printJSON(m)
	}
	now := s.Now()
	fmt.Fprintf(c.stdout, "Case %s  %s  %s\n", data.ShortID(rec.Case.ID), rec.Case.Status, data.FormatAge(rec.Case.Age(now)))
	keys := make([]string, 0, len(m))
	for k := range m {
		if k != "notes" && k != "id" && k != "short" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(c.stdout, "  %-18s %v\n", k, m[k])
	}
	for _, n := range notes {
		fmt.Fprintf(c.stdout, "  note %s  %s\n", data.FormatTime(n.At), n.Text)
	}
	return nil
}

// caseJSON is what `case show --json` prints: the case's and the person's
// fields by the names `case set` takes, without hidden fields.
func caseJSON(rec *data.CaseRecord, notes []data.Note) map[string]any {
	m := map[string]any{"id": rec.Case.ID, "short": data.ShortID(rec.Case.ID), "person_id": rec.Person.ID}
	add := func(v any) {
		for k, val := range data.FieldValues(v) {
			m[k] = val
		}
	}
	add(&rec.Person)
	add(&rec.Case)
	delete(m, "person")
	for _, h := range rec.Hidden {
		delete(m, h)
	}
	if rec.Case.Review {
		m["review"] = true
	}
	if notes != nil {
		ns := make([]map[string]string, len(notes))
		for i, n := range notes {
			ns[i] = map[string]string{"id": n.ID, "at": data.FormatTime(n.At), "author": n.Author, "text": n.Text}
		}
		m["notes"] = ns
	}
	return m
}

func (c *cli) cmdCaseList(args []string) error {
	fs := flag.NewFlagSet("case list", flag.ContinueOnError)
	status := fs.String("status", "", "")
	asJSON := fs.Bool("json", false, "")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	s, sess, err := c.login()
	if err != nil {
		return err
	}
	defer s.Close()
	list, err := sess.ListCases(c.ctx, data.CaseFilter{Status: strings.ToLower(*status)})
	if err != nil {
		return err
	}
	now := s.Now()
	if *asJSON {
		out := make([]map[string]any, len(list))
		for i, cs := range list {
			out[i] = map[string]any{"id": cs.ID, "short": cs.Short, "name": cs.Display, "status": cs.Status,
				"channel": cs.Channel, "opened_at": data.FormatTime(cs.OpenedAt), "waiting_for": cs.WaitingFor,
				"age_minutes": int(age(cs, now) / time.Minute)}
		}
		return c.printJSON(out)
	}
	if len(list) == 0 {
		fmt.Fprintln(c.stdout, "No cases. Record an intake with: connectpoint case new --first NAME")
		return nil
	}
	for _, cs := range list {
		wait := ""
		if cs.WaitingFor != "" {
			wait = "waiting for: " + cs.WaitingText(time.Local)
		}
		fmt.Fprintf(c.stdout, "%6s  %s  %-20s  %-8s  %-7s  %s\n", data.FormatAge(age(cs, now)), cs.Short, cs.Display, cs.Channel, cs.Status, wait)
	}
	return nil
}

func age(cs data.CaseSummary, now time.Time) time.Duration {
	c := data.Case{OpenedAt: cs.OpenedAt, PlacedAt: cs.PlacedAt, ClosedAt: cs.ClosedAt}
	return c.Age(now)
}
