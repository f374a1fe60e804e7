package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestDemoSize(t *testing.T) {
	c := newCP(t)
	c.env["CONNECTPOINT_PASSWORD"] = "demo-password"
	if code, _, errs := c.run("demo", "--size", "city"); code != exitUsage || !strings.Contains(errs, "small, county or state") {
		t.Fatalf("demo --size city: exit %d %q", code, errs)
	}
	plain := newCP(t)
	plain.env["CONNECTPOINT_PASSWORD"] = "demo-password"
	plain.must("demo")

	out := c.must("demo", "--size", "small")
	if !strings.Contains(out, "Added 200 made-up cases, 60 facilities") {
		t.Fatalf("demo --size small said %s", out)
	}
	for _, what := range [][]string{{"case", "list", "--json"}, {"facility", "list", "--json"}} {
		count := func(c *cp) int {
			c.env["CONNECTPOINT_USER"] = "coordinator"
			var rows []json.RawMessage
			if err := json.Unmarshal([]byte(c.must(what...)), &rows); err != nil {
				t.Fatalf("%v: %v", what, err)
			}
			return len(rows)
		}
		want := map[string]int{"case": 200, "facility": 60}[what[0]]
		if got, base := count(c), count(plain); got != base+want {
			t.Errorf("%v: %d with --size small, %d without; want %d more", what, got, base, want)
		}
	}
}
