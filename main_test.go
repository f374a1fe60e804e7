package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"connectpoint/data"
)

func TestMain(m *testing.M) {
	kdf := data.TestKDF
	kdfOverride = &kdf
	os.Exit(m.Run())
}

// cp runs the command line in-process with its own environment.
type cp struct {
	t   *testing.T
	env map[string]string
}

func newCP(t *testing.T) *cp {
	return &cp{t: t, env: map[string]string{
		"CONNECTPOINT_DATA":     filepath.Join(t.TempDir(), "data"),
		"CONNECTPOINT_USER":     "admin",
		"CONNECTPOINT_PASSWORD": "admin-password",
	}}
}

func (c *cp) run(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, func(k string) string { return c.env[k] }, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// must runs a command that must succeed and returns its output.
func (c *cp) must(args ...string) string {
	c.t.Helper()
	code, out, errs := c.run(args...)
	if code != 0 {
		c.t.Fatalf("%v: exit %d: %s", args, code, errs)
	}
	return out
}

func (c *cp) setUp() {
	c.t.Helper()
	out := c.must("init", "--agency", "Naperville PD", "--admin", "admin", "--zip", "60540")
	if !strings.Contains(out, "RECOVERY KEY") {
		c.t.Fatalf("init did not print the recovery key:\n%s", out)
	}
}

func TestVersionAndHelp(t *testing.T) {
	c := newCP(t)
	if out := c.must("version"); !strings.HasPrefix(out, "connectpoint ") {
		t.Errorf("version printed %q", out)
	}
	if out := c.must("--help"); !strings.Contains(out, "case set ID FIELD=VALUE") {
		t.Errorf("help lacks the commands:\n%s", out)
	}
}

func TestCaseRoundTrip(t *testing.T) {
	c := newCP(t)
	c.setUp()
	id := strings.TrimSpace(c.must("case", "new", "--first", "Daniel", "--last", "Reyes", "--dob", "3/14/86",
		"--phone", "630.555.0101", "--insurance", "none", "--substance", "heroin,Fentanyl"))
	if len(id) != 36 {
		t.Fatalf("case new printed %q, want an ID", id)
	}
	c.must("case", "set", data.ShortID(id), "level=3.5", "veteran=yes", "language=es")
	c.must("case", "note", id, "Brother", "will", "drive")
	var got map[string]any
	if err := json.Unmarshal([]byte(c.must("case", "show", id, "--json")), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"first": "Daniel", "last": "Reyes", "dob": "1986-03-14", "phone": "(630) 555-0101",
		"insurance": "none", "level": "3.5", "veteran": true, "language": "es", "status": "open"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	if subs, _ := json.Marshal(got["substances"]); string(subs) != `["fentanyl","heroin"]` {
		t.Errorf("substances = %s", subs)
	}
	if notes, _ := got["notes"].([]any); len(notes) != 1 {
		t.Errorf("notes = %v", got["notes"])
	}
	// Every field show prints can be set back by the same name.
	for k := range got {
		switch k {
		case "id", "short", "person_id", "notes", "intake_by", "review":
			continue
		}
		if !contains(data.CaseFieldNames(), k) {
			t.Errorf("case show prints %q, which case set does not take", k)
		}
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(c.must("case", "list", "--json")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0]["name"] != "Daniel R." || list[0]["waiting_for"] != "coach" {
		t.Errorf("case list = %v", list)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestBadInput(t *testing.T) {
	c := newCP(t)
	c.setUp()
	id := strings.TrimSpace(c.must("case", "new", "--first", "Daniel", "--last", "Reyes", "--dob", "1986-03-14"))
	before := c.must("case", "show", id, "--json")
	tests := []struct {
		name string
		env  map[string]string
		args []string
		code int
		msg  string
	}{
		{"UnknownCommand", nil, []string{"launch"}, 2, "unknown command"},
		{"UnknownFlag", nil, []string{"case", "list", "--colour"}, 2, "flag provided but not defined"},
		{"InitMissingFlags", nil, []string{"init", "--agency", "X"}, 2, "--admin"},
		{"UnknownField", nil, []string{"case", "set", id, "colour=red"}, 1, `unknown field "colour"`},
		{"NotFieldEqualsValue", nil, []string{"case", "set", id, "level"}, 2, "FIELD=VALUE"},
		{"InvalidDate", nil, []string{"case", "set", id, "dob=31/31/1999"}, 1, "date of birth: use a date like"},
		{"InvalidDateOnNew", nil, []string{"case", "new", "--first", "X", "--dob", "yesterday"}, 1, "--dob"},
		{"WrongRole", map[string]string{"CONNECTPOINT_NEW_PASSWORD": "long-enough"}, []string{"user", "add", "bob", "--role", "chief"}, 1, `role "chief"`},
		{"WrongPassword", map[string]string{"CONNECTPOINT_PASSWORD": "nope"}, []string{"case", "list"}, 1, "wrong user name or password"},
		{"NoPasswordNoTerminal", map[string]string{"CONNECTPOINT_PASSWORD": ""}, []string{"case", "list"}, 1, "no terminal"},
		{"UnknownCase", nil, []string{"case", "show", "ZZZZZZ"}, 1, "no case ZZZZZZ"},
		{"InitTwice", nil, []string{"init", "--agency", "X", "--admin", "admin"}, 1, "already holds"},
		{"ShortPassword", map[string]string{"CONNECTPOINT_NEW_PASSWORD": "short"}, []string{"user", "add", "bob", "--role", "officer"}, 1, "at least 8"},
		{"ExportWithoutFormat", nil, []string{"export"}, 2, "--json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			saved := map[string]string{}
			for k, v := range tt.env {
				saved[k] = c.env[k]
				c.env[k] = v
			}
			defer func() {
				for k, v := range saved {
					c.env[k] = v
				}
			}()
			code, _, errs := c.run(tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, errs)
			}
			if !strings.Contains(errs, tt.msg) {
				t.Errorf("stderr %q does not say %q", errs, tt.msg)
			}
			if code == 1 && strings.Count(strings.TrimSpace(errs), "\n") != 0 {
				t.Errorf("failure message is not one line: %q", errs)
			}
		})
	}
	if after := c.must("case", "show", id, "--json"); after != before {
		t.Errorf("bad input changed the case:\n%s\n---\n%s", before, after)
	}
}

func TestNotOurFolder(t *testing.T) {
	c := newCP(t)
	dir := c.env["CONNECTPOINT_DATA"]
	os.MkdirAll(dir, 0o700)
	os.WriteFile(filepath.Join(dir, "budget.xlsx"), []byte("numbers"), 0o600)
	for _, args := range [][]string{{"case", "list"}, {"init", "--agency", "X", "--admin", "admin"}} {
		code, _, errs := c.run(args...)
		if code != 1 || !strings.Contains(errs, "not") {
			t.Errorf("%v: exit %d, %q", args, code, errs)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "budget.xlsx")); string(b) != "numbers" {
		t.Fatal("a file that is not ours was changed")
	}
}

func TestNewerDatabase(t *testing.T) {
	c := newCP(t)
	c.setUp()
	s, err := data.Open(t.Context(), c.env["CONNECTPOINT_DATA"], data.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.DB().Exec("PRAGMA user_version = 99")
	s.Close()
	code, _, errs := c.run("case", "list")
	if code != 1 || !strings.Contains(errs, "newer version") {
		t.Fatalf("exit %d, %q", code, errs)
	}
}

func TestExportTwiceSameBytes(t *testing.T) {
	c := newCP(t)
	c.setUp()
	c.must("case", "new", "--first", "Maria", "--last", "Santos", "--channel", "phone")
	c.env["CONNECTPOINT_NEW_PASSWORD"] = "coordinator-pw"
	c.must("user", "add", "coord", "--role", "coordinator", "--name", "Cora Ordinator")
	c.must("coach", "add", "Ana P.", "--phone", "630-555-0177", "--languages", "en,es")
	a := c.must("export", "--json")
	b := c.must("export", "--json")
	if a != b {
		t.Fatal("export differs between two runs")
	}
	out := filepath.Join(t.TempDir(), "export.json")
	c.must("export", "--json", "--out", out)
	if f, _ := os.ReadFile(out); string(f) != a {
		t.Fatal("export --out wrote something else")
	}
	if !strings.Contains(c.must("audit", "list"), "export") {
		t.Error("the export is not in the audit trail")
	}
}

func TestOfficerCannotExport(t *testing.T) {
	c := newCP(t)
	c.setUp()
	c.env["CONNECTPOINT_NEW_PASSWORD"] = "officer-pw"
	c.must("user", "add", "ofc", "--role", "officer")
	c.env["CONNECTPOINT_USER"], c.env["CONNECTPOINT_PASSWORD"] = "ofc", "officer-pw"
	code, out, errs := c.run("export", "--json")
	if code != 1 || out != "" || !strings.Contains(errs, "may not") {
		t.Fatalf("exit %d, out %q, err %q", code, out, errs)
	}
}
