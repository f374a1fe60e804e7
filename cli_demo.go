package main

import (
	"crypto/rand"
	"flag"
	"fmt"

	"connectpoint/data"
	"connectpoint/data/importer"
)

func (c *cli) cmdDemo(args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	pw := c.getenv("CONNECTPOINT_PASSWORD")
	generated := pw == ""
	if generated {
		pw = rand.Text()[:12]
	}
	if len([]rune(pw)) < data.MinPasswordLength {
		return data.Errorf(data.EINVALID, "password: use at least %d characters", data.MinPasswordLength)
	}
	facilities, err := importer.DemoDirectory(c.ctx)
	if err != nil {
		return err
	}
	s, err := data.Create(c.ctx, c.dataDir, c.opt)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := s.SetUpDemo(c.ctx, pw, facilities); err != nil {
		s.Close()
		removeFailedInit(c.dataDir)
		return err
	}
	fmt.Fprintf(c.stdout, "Demo program set up in %s: Naperville Police Department, %d facilities of the Illinois directory.\n", c.dataDir, len(facilities))
	fmt.Fprintln(c.stdout, "Every person in it is made up. Log in as any of:")
	for _, u := range data.DemoUsers {
		fmt.Fprintf(c.stdout, "  %-12s %s\n", u.Username, u.Role)
	}
	if generated {
		fmt.Fprintf(c.stdout, "Password for all of them: %s\n", pw)
	} else {
		fmt.Fprintln(c.stdout, "Password for all of them: the one in CONNECTPOINT_PASSWORD.")
	}
	return nil
}
