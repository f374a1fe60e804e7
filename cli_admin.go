package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"connectpoint/data"
)

func (c *cli) cmdInit(args []string) error {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	agency := fs.String("agency", "", "")
	admin := fs.String("admin", "", "")
	name := fs.String("name", "", "")
	zip := fs.String("zip", "", "")
	target := fs.String("target", "", "")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *agency == "" || *admin == "" {
		return usagef("--agency and --admin are required")
	}
	pw := c.getenv("CONNECTPOINT_PASSWORD")
	if pw == "" {
		if pw, err = c.newPassword("CONNECTPOINT_PASSWORD", *admin); err != nil {
			return err
		}
	}
	// Check what can be checked before anything is created on disk.
	if err := (&data.Agency{Name: *agency, ZIP: *zip}).Validate(); err != nil {
		return err
	}
	if err := (&data.User{Username: *admin, Role: data.RoleAdmin}).Validate(); err != nil {
		return err
	}
	if len([]rune(pw)) < data.MinPasswordLength {
		return data.Errorf(data.EINVALID, "password: use at least %d characters", data.MinPasswordLength)
	}
	s, err := data.Create(c.ctx, c.dataDir, c.opt)
	if err != nil {
		return err
	}
	defer s.Close()
	sess, recovery, err := s.Initialize(c.ctx, data.Setup{Agency: *agency, AgencyZIP: *zip,
		AdminUsername: *admin, AdminName: *name, AdminPassword: pw})
	if err != nil {
		s.Close()
		removeFailedInit(c.dataDir)
		return err
	}
	fmt.Fprintf(c.stdout, "Program %q set up in %s with administrator %s.\n\n", *agency, c.dataDir, *admin)
	fmt.Fprintf(c.stdout, "RECOVERY KEY (shown only this once):\n\n    %s\n\n", recovery)
	fmt.Fprintln(c.stdout, "Write it down and keep it locked away. Without it, a forgotten administrator")
	fmt.Fprintln(c.stdout, "password cannot be recovered and the program's records cannot be opened.")
	if *target != "" {
		fmt.Fprintln(c.stdout)
		return c.setUpSync(sess, *target)
	}
	return nil
}

// removeFailedInit removes the database a failed init created, so that the
// folder is as empty as it was and init can be run again.
func removeFailedInit(dir string) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		os.Remove(dir + string(os.PathSeparator) + data.DBFile + suffix)
	}
}

func (c *cli) cmdUserAdd(args []string) error {
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	role := fs.String("role", "", "")
	name := fs.String("name", "", "")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one user name")
	}
	if *role == "" {
		return usagef("--role is required (officer, coach, coordinator or admin)")
	}
	r, err := data.ParseRole(*role)
	if err != nil {
		return err
	}
	s, sess, err := c.login()
	if err != nil {
		return err
	}
	defer s.Close()
	if !sess.Can(data.ActUsers) {
		// Ask for no password a refused command would not use; data
		// audits the refusal.
		_, err := sess.AddUser(c.ctx, data.User{Username: pos[0], Role: r}, "")
		return err
	}
	pw, err := c.newPassword("CONNECTPOINT_NEW_PASSWORD", pos[0])
	if err != nil {
		return err
	}
	u, err := sess.AddUser(c.ctx, data.User{Username: pos[0], Role: r, Name: *name}, pw)
	if err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "User %s added as %s.\n", u.Username, u.Role)
	return nil
}

func (c *cli) cmdCoachAdd(args []string) error {
	fs := flag.NewFlagSet("coach add", flag.ContinueOnError)
	phone := fs.String("phone", "", "")
	langs := fs.String("languages", "", "")
	gender := fs.String("gender", "", "")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give the coach's name, in quotes if it has spaces")
	}
	s, sess, err := c.login()
	if err != nil {
		return err
	}
	defer s.Close()
	co := data.Coach{Name: pos[0], Phone: *phone, Gender: *gender}
	if *langs != "" {
		co.Languages = strings.Split(*langs, ",")
	}
	id, err := sess.AddCoach(c.ctx, co)
	if err != nil {
		return err
	}
	fmt.Fprintln(c.stdout, id)
	return nil
}

func (c *cli) cmdCoachList(args []string) error {
	fs := flag.NewFlagSet("coach list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	s, sess, err := c.login()
	if err != nil {
		return err
	}
	defer s.Close()
	coaches, err := sess.Coaches(c.ctx)
	if err != nil {
		return err
	}
	onCall, err := sess.OnCall(c.ctx, s.Now())
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]map[string]any, len(coaches))
		for i, co := range coaches {
			langs := co.Languages
			if langs == nil {
				langs = []string{}
			}
			out[i] = map[string]any{"id": co.ID, "name": co.Name, "phone": co.Phone, "languages": langs,
				"gender": co.Gender, "active": co.Active, "on_call": onCall[co.ID]}
		}
		return c.printJSON(out)
	}
	if len(coaches) == 0 {
		fmt.Fprintln(c.stdout, "No coaches on the roster yet. Add one with: connectpoint coach add NAME --phone P")
		return nil
	}
	for _, co := range coaches {
		state := ""
		if onCall[co.ID] {
			state = "on call"
		}
		if !co.Active {
			state = "inactive"
		}
		fmt.Fprintf(c.stdout, "%-6s  %-24s  %-16s  %-8s  %s\n", data.ShortID(co.ID), co.Name, co.Phone, strings.Join(co.Languages, " "), state)
	}
	return nil
}

func (c *cli) cmdExport(args []string) error {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	out := fs.String("out", "", "")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	if !*asJSON {
		return usagef("say the format: export --json")
	}
	s, sess, err := c.login()
	if err != nil {
		return err
	}
	defer s.Close()
	b, err := sess.Export(c.ctx)
	if err != nil {
		return err
	}
	if *out == "" {
		_, err = c.stdout.Write(b)
		return err
	}
	return writeFileAtomic(*out, b)
}

// writeFileAtomic writes a file whole or not at all: a failed export never
// leaves half a file where a good one was.
func writeFileAtomic(path string, b []byte) error {
	tmp, err := os.CreateTemp(dirOf(path), ".export-*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func dirOf(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[:i+1]
	}
	return "."
}

func (c *cli) cmdAuditList(args []string) error {
	fs := flag.NewFlagSet("audit list", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "")
	if err := parseNoArgs(fs, args); err != nil {
		return err
	}
	s, sess, err := c.login()
	if err != nil {
		return err
	}
	defer s.Close()
	evs, err := sess.AuditEvents(c.ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]map[string]any, len(evs))
		for i, e := range evs {
			out[i] = map[string]any{"id": e.ID, "at": data.FormatTime(e.At), "user": e.UserID, "device": e.Device,
				"action": e.Action, "entity": e.Entity, "row": e.RowID, "detail": e.Detail}
		}
		return c.printJSON(out)
	}
	for _, e := range evs {
		fmt.Fprintf(c.stdout, "%s  %-16s  user %-6s  %s %s %s\n", data.FormatTime(e.At), e.Action,
			data.ShortID(e.UserID), e.Entity, data.ShortID(e.RowID), e.Detail)
	}
	return nil
}
