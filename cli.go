package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"connectpoint/data"

	"golang.org/x/term"
)

const usage = `Usage: connectpoint [--data DIR] [--user NAME] [COMMAND]

With no command, ConnectPoint opens its window.

Commands:
  version                                   print the version
  init --agency NAME --admin USERNAME [--name "Full Name"] [--zip ZIP] [--target URL]
                                            set up a new program; prints the recovery key once
  user add USERNAME --role officer|coach|coordinator|admin [--name "Full Name"]
  case new [--first F] [--last L] [--dob YYYY-MM-DD] [--phone P] [--channel C]
           [--insurance I] [--substance S,...]
                                            record an intake; prints the new case's ID
  case set ID FIELD=VALUE...                change fields of a case or its person
  case note ID TEXT                         add a note
  case show ID [--json]                     the whole case (audited)
  case list [--status open|placed|closed] [--json]
  coach add NAME [--phone P] [--languages en,es]
  coach list [--json]
  facility import FILE [--format auto|findtreatment|samhsa-2017|hsds|csv] [--dry-run]
  facility list [--state ST] [--json]
  facility match [--case ID] [--level L] [--payment P] [--gender G] [--near ZIP|LAT,LON]
                 [--moud M] [--limit N] [--json]
                                            treatment slots that fit, best first, with why
  facility avail ID --open N [--note TEXT]  report open slots
  target set URL | target show              where this device syncs: a folder path, file:///...,
                                            s3://bucket?endpoint=...&region=..., azblob://...
  sync                                      one round; prints pushed, pulled, conflicts
  sync status                               operations waiting, conflicts waiting
  enroll --out FILE [--device-name NAME]    an enrolment file for a new device (administrator);
                                            passphrase: CONNECTPOINT_ENROLL_PASSPHRASE or asked
  join FILE                                 this data folder becomes a device of that network
  device list [--json]                      the devices of the network (administrator)
  device revoke ID                          remove a lost or stolen device from the network
                                            (administrator, on an administrator's device); what
                                            it writes from then on is refused everywhere
  export --json [--out FILE]                the whole logical state, canonical JSON
  report [--from DATE] [--to DATE] [--agency NAME] [--format text|csv|pdf] [--public] [--out FILE]
                                            the program's figures (coordinators and administrators;
                                            each report is audited). Default period: this month so far
                                            and the three months before it. --public hides counts under
                                            11 and names no facility. A PDF goes to --out, else to
                                            connectpoint-report-FROM-to-TO.pdf
  demo [--size small|county|state]          a realistic demo program in a new data folder; users
                                            admin, officer, coach, coordinator, all with the password
                                            from CONNECTPOINT_PASSWORD (else one is made and printed).
                                            --size adds made-up cases and facilities: county 5,000
                                            and 2,000, state 100,000 and 20,000 (takes minutes)
  audit list [--json]                       the audit trail

Global flags:
  --data DIR   the data folder (default: your config folder/ConnectPoint; env CONNECTPOINT_DATA)
  --user NAME  log in as NAME (env CONNECTPOINT_USER); the password comes from
               CONNECTPOINT_PASSWORD, else it is asked on the terminal

A case or facility ID may be given whole or as the six characters shown in lists.
Exit codes: 0 success, 1 failure (one line on stderr), 2 bad usage.
`

// kdfOverride lets tests make passwords cheap to hash; nil in the program.
var kdfOverride *data.KDFParams

// cli is one invocation of a command.
type cli struct {
	ctx     context.Context
	dataDir string
	user    string
	args    []string
	getenv  func(string) string
	stdin   io.Reader
	stdout  io.Writer
	stderr  io.Writer
	opt     data.Options
}

// usageError is bad usage: exit 2 with a hint.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

func parseGlobal(args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) (*cli, int, bool) {
	fs := flag.NewFlagSet("connectpoint", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dataDir := fs.String("data", getenv("CONNECTPOINT_DATA"), "")
	user := fs.String("user", getenv("CONNECTPOINT_USER"), "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return nil, exitOK, false
		}
		fmt.Fprintf(stderr, "connectpoint: %v\nRun \"connectpoint --help\" for usage.\n", err)
		return nil, exitUsage, false
	}
	c := &cli{ctx: context.Background(), dataDir: *dataDir, user: *user, args: fs.Args(),
		getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if c.dataDir == "" {
		dir, err := os.UserConfigDir()
		if err != nil {
			fmt.Fprintln(stderr, "connectpoint: no data folder: give --data DIR or set CONNECTPOINT_DATA")
			return nil, exitFail, false
		}
		c.dataDir = filepath.Join(dir, "ConnectPoint")
	}
	// Logs go to stderr and never hold personal data; the command line
	// shows only warnings so that its output stays clean for scripts.
	c.opt.KDF = kdfOverride
	c.opt.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	return c, 0, true
}

// commands maps a command (and subcommand) to its handler.
func (c *cli) commands() map[string]func([]string) error {
	return map[string]func([]string) error{
		"version":         c.cmdVersion,
		"help":            c.cmdHelp,
		"init":            c.cmdInit,
		"user add":        c.cmdUserAdd,
		"case new":        c.cmdCaseNew,
		"case set":        c.cmdCaseSet,
		"case note":       c.cmdCaseNote,
		"case show":       c.cmdCaseShow,
		"case list":       c.cmdCaseList,
		"coach add":       c.cmdCoachAdd,
		"coach list":      c.cmdCoachList,
		"export":          c.cmdExport,
		"target set":      c.cmdTargetSet,
		"target show":     c.cmdTargetShow,
		"sync":            c.cmdSync,
		"sync status":     c.cmdSyncStatus,
		"enroll":          c.cmdEnroll,
		"join":            c.cmdJoin,
		"device list":     c.cmdDeviceList,
		"device revoke":   c.cmdDeviceRevoke,
		"report":          c.cmdReport,
		"demo":            c.cmdDemo,
		"facility import": c.cmdFacilityImport,
		"facility list":   c.cmdFacilityList,
		"facility match":  c.cmdFacilityMatch,
		"facility avail":  c.cmdFacilityAvail,
		"audit list":      c.cmdAuditList,
	}
}

func (c *cli) dispatch() int {
	cmds := c.commands()
	// Two words first: "sync status" is not "sync" with an argument.
	name, rest := c.args[0], c.args[1:]
	h, ok := cmds[name]
	if len(rest) > 0 {
		if h2, ok2 := cmds[name+" "+rest[0]]; ok2 {
			name, rest, h, ok = name+" "+rest[0], rest[1:], h2, true
		}
	}
	if !ok {
		fmt.Fprintf(c.stderr, "connectpoint: unknown command %q\nRun \"connectpoint --help\" for usage.\n", strings.Join(c.args[:min(2, len(c.args))], " "))
		return exitUsage
	}
	err := h(rest)
	var ue usageError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		fmt.Fprintf(c.stderr, "connectpoint %s: %s\nRun \"connectpoint --help\" for usage.\n", name, ue.msg)
		return exitUsage
	default:
		fmt.Fprintf(c.stderr, "connectpoint %s: %s\n", name, message(err))
		return exitFail
	}
}

// message is the one line a person reads for err. The command line is for
// administrators, so an internal error keeps its detail (which never holds
// personal data); the window shows only "Internal error".
func message(err error) string {
	msg := data.ErrorMessage(err)
	if msg == "Internal error" {
		msg += ": " + err.Error()
	}
	return strings.ReplaceAll(msg, "\n", " ")
}

// flags parses a command's flags, which may come before or after its
// positional arguments ("case show ID --json").
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usagef("%v", err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// parseNoArgs parses a command's flags where it takes no other arguments.
func parseNoArgs(fs *flag.FlagSet, args []string) error {
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	return nil
}

// open opens the store of the data folder.
func (c *cli) open() (*data.Store, error) {
	return data.Open(c.ctx, c.dataDir, c.opt)
}

// login opens the store and logs in, asking for what the environment does
// not give.
func (c *cli) login() (*data.Store, *data.Session, error) {
	s, err := c.open()
	if err != nil {
		return nil, nil, err
	}
	user := c.user
	if user == "" {
		if user, err = c.ask("User name: ", false); err != nil {
			s.Close()
			return nil, nil, err
		}
	}
	pw := c.getenv("CONNECTPOINT_PASSWORD")
	if pw == "" {
		if pw, err = c.ask("Password for "+user+": ", true); err != nil {
			s.Close()
			return nil, nil, err
		}
	}
	sess, err := s.Login(c.ctx, user, pw)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, sess, nil
}

var errNoTerminal = data.Errorf(data.EINVALID, "no terminal to ask on: set the environment variable instead (see connectpoint --help)")

// ask reads a line from the terminal; secret lines are not echoed.
func (c *cli) ask(prompt string, secret bool) (string, error) {
	f, ok := c.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", errNoTerminal
	}
	fmt.Fprint(c.stderr, prompt)
	if secret {
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(c.stderr)
		return string(b), err
	}
	line, err := bufio.NewReader(f).ReadString('\n')
	return strings.TrimSpace(line), err
}

// newPassword takes a new password from env, else asks twice.
func (c *cli) newPassword(env, who string) (string, error) {
	if pw := c.getenv(env); pw != "" {
		return pw, nil
	}
	pw, err := c.ask("New password for "+who+": ", true)
	if err != nil {
		if errors.Is(err, errNoTerminal) {
			return "", fmt.Errorf("no password: set %s or run in a terminal", env)
		}
		return "", err
	}
	again, err := c.ask("Again: ", true)
	if err != nil {
		return "", err
	}
	if pw != again {
		return "", data.Errorf(data.EINVALID, "the two passwords differ")
	}
	return pw, nil
}

func (c *cli) printJSON(v any) error {
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func (c *cli) cmdVersion(args []string) error {
	if len(args) > 0 {
		return usagef("version takes no arguments")
	}
	fmt.Fprintln(c.stdout, "connectpoint", version)
	return nil
}

func (c *cli) cmdHelp([]string) error {
	fmt.Fprint(c.stdout, usage)
	return nil
}
