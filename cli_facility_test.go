package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const illinois = "../shared/data/facilities/samhsa-directory-2017-illinois.csv"

func TestFacilityCommands(t *testing.T) {
	if _, err := os.Stat(illinois); err != nil {
		t.Skipf("the shared data folder is not beside the repository: %v", err)
	}
	c := newCP(t)
	c.setUp()
	dry := c.must("facility", "import", illinois, "--dry-run")
	if !strings.Contains(dry, "would import") || !strings.Contains(dry, "611 added") {
		t.Fatalf("dry run said:\n%s", dry[:min(len(dry), 400)])
	}
	if out := c.must("facility", "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Fatal("a dry run wrote facilities")
	}
	out := c.must("facility", "import", illinois)
	if !strings.Contains(out, "611 added, 0 changed, 0 unchanged") {
		t.Fatalf("import said:\n%s", out[:min(len(out), 400)])
	}
	if out := c.must("facility", "import", illinois); !strings.Contains(out, "0 added, 0 changed, 611 unchanged") {
		t.Fatalf("re-import said:\n%s", out[:min(len(out), 400)])
	}
	var list []map[string]any
	if err := json.Unmarshal([]byte(c.must("facility", "list", "--state", "IL", "--json")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 611 {
		t.Fatalf("%d facilities listed", len(list))
	}
	var gateway string
	for _, f := range list {
		if strings.HasPrefix(f["name"].(string), "Gateway") && f["city"] == "Aurora" {
			gateway = f["id"].(string)
		}
	}
	c.must("facility", "avail", gateway, "--open", "2", "--note", "men's beds")
	var matches []map[string]any
	if err := json.Unmarshal([]byte(c.must("facility", "match", "--level", "3.5", "--payment", "none", "--gender", "male", "--near", "60540", "--limit", "5", "--json")), &matches); err != nil {
		t.Fatal(err)
	}
	if len(matches) == 0 || matches[0]["id"] != gateway || matches[0]["open_slots"] != float64(2) {
		t.Fatalf("first match %v, want Gateway Aurora with 2 open", matches[:min(1, len(matches))])
	}
	for _, key := range []string{"id", "name", "address", "city", "state", "zip", "phone", "distance_miles", "open_slots", "reasons"} {
		if _, ok := matches[0][key]; !ok {
			t.Errorf("match JSON lacks %q", key)
		}
	}
	for _, m := range matches {
		for _, r := range m["reasons"].([]any) {
			if r == "cash" {
				t.Errorf("%s offered to a man with no money", m["name"])
			}
		}
	}
}

func TestFacilityBadInput(t *testing.T) {
	c := newCP(t)
	c.setUp()
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.csv")
	os.WriteFile(empty, nil, 0o600)
	truncated := filepath.Join(dir, "cut.json")
	os.WriteFile(truncated, []byte(`{"page":1,"rows":[{"frid":"x","name1":"A`), 0o600)
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"Missing", []string{"facility", "import", filepath.Join(dir, "nope.csv")}, 1, "nope.csv"},
		{"Empty", []string{"facility", "import", empty}, 1, "empty"},
		{"Truncated", []string{"facility", "import", truncated}, 1, "cut.json"},
		{"BadFormat", []string{"facility", "import", empty, "--format", "xls"}, 2, "--format"},
		{"AvailNoOpen", []string{"facility", "avail", "ABCDEF"}, 2, "--open"},
		{"MatchBadLevel", []string{"facility", "match", "--level", "9"}, 1, "--level"},
		{"MatchBadNear", []string{"facility", "match", "--near", "99999x"}, 1, "--near"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := c.run(tt.args...)
			if code != tt.code || !strings.Contains(strings.ToLower(errs), strings.ToLower(tt.msg)) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, tt.code, tt.msg)
			}
		})
	}
	if out := c.must("facility", "list", "--json"); strings.TrimSpace(out) != "[]" {
		t.Fatal("bad input wrote facilities")
	}
}

func TestDemo(t *testing.T) {
	c := newCP(t)
	c.env["CONNECTPOINT_PASSWORD"] = "demo-password"
	out := c.must("demo")
	if !strings.Contains(out, "611 facilities") {
		t.Fatalf("demo said %s", out)
	}
	for _, u := range []string{"officer", "coach", "coordinator"} {
		c.env["CONNECTPOINT_USER"] = u
		if out := c.must("case", "list"); !strings.Contains(out, "Daniel R.") {
			t.Errorf("%s does not see the late walk-in:\n%s", u, out)
		}
	}
	if code, _, errs := c.run("demo"); code != 1 || !strings.Contains(errs, "already") {
		t.Errorf("second demo: exit %d %q", code, errs)
	}
}
