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
	size := fs.String("size", "", "add made-up cases and facilities: small, county or state")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	spec, ok := demoSizes[*size]
	if !ok {
		return usagef("--size: use small, county or state, not %q", *size)
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
	if spec.Cases > 0 {
		if err := c.demoGenerate(s, pw, spec); err != nil {
			s.Close()
			removeFailedInit(c.dataDir)
			return err
		}
		fmt.Fprintf(c.stdout, "Added %d made-up cases, %d facilities and %d coaches (--size %s).\n", spec.Cases, spec.Facilities, spec.Coaches, *size)
	}
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

// demoSizes are the sizes of DESIGN §7 that `demo --size` adds on top of the
// demo program, for trying (and measuring: scripts/startup.sh) the window
// with a county's or a state's data. "" adds nothing.
var demoSizes = map[string]data.GenerateSpec{
	"": {}, "small": data.SizeSmall, "county": data.SizeCounty, "state": data.SizeState,
}

// demoGenerate adds generated data as the demo's administrator, saying how
// far it got on stderr: the state size takes minutes.
func (c *cli) demoGenerate(s *data.Store, pw string, spec data.GenerateSpec) error {
	admin, err := s.Login(c.ctx, data.DemoUsers[0].Username, pw)
	if err != nil {
		return err
	}
	last := -1
	return admin.Generate(c.ctx, spec, func(done, total int) {
		if pct := done * 100 / total; pct/10 != last/10 {
			last = pct
			fmt.Fprintf(c.stderr, "generating: %d%%\n", pct)
		}
	})
}
