package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"connectpoint/data"
)

func TestReportCommand(t *testing.T) {
	c := newCP(t)
	c.env["CONNECTPOINT_PASSWORD"] = "demo-password"
	c.must("demo")
	c.env["CONNECTPOINT_USER"] = "coordinator"

	text := c.must("report")
	from, to := defaultPeriod(time.Now())
	for _, want := range []string{"Naperville Police Department", data.ConsentNotice, "Contacts", "RETENTION",
		time.Now().Format("Jan 2, 2006")} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(text, "PLACEMENTS BY FACILITY") {
		t.Errorf("the coordinator's report should name the facilities:\n%s", text)
	}

	public := c.must("report", "--public", "--from", "1/1/20", "--to", to)
	if !strings.Contains(public, "<11") || strings.Contains(public, "FACILITY") || strings.Contains(public, "Hope for Tomorrow") {
		t.Errorf("public report:\n%s", public)
	}
	if !strings.Contains(public, "Jan 1, 2020") {
		t.Errorf("--from 1/1/20 not read as January 1, 2020:\n%s", public[:200])
	}

	rows, err := csv.NewReader(strings.NewReader(c.must("report", "--format", "csv"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rows {
		got[r[0]+"/"+r[1]] = r[2]
	}
	if got["report/from"] != from || got["report/to"] != to || got["report/notice"] != data.ConsentNotice || got["contacts/contacts"] == "" {
		t.Errorf("CSV: from %q to %q notice %q contacts %q", got["report/from"], got["report/to"], got["report/notice"], got["contacts/contacts"])
	}

	dir := t.TempDir()
	out := filepath.Join(dir, "q.pdf")
	if msg := c.must("report", "--format", "pdf", "--out", out); !strings.Contains(msg, out) {
		t.Errorf("pdf said %q", msg)
	}
	pdf, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) || !bytes.Contains(pdf, []byte(data.ConsentNotice)) {
		t.Fatalf("PDF %d bytes, %v", len(pdf), err)
	}
	t.Chdir(dir)
	c.must("report", "--format", "PDF", "--public")
	if _, err := os.Stat("connectpoint-report-" + from + "-to-" + to + "-public.pdf"); err != nil {
		t.Errorf("no PDF under the default name: %v", err)
	}

	c.env["CONNECTPOINT_USER"] = "admin"
	if out := c.must("report", "--agency", "Naperville Police Department", "--from", from); !strings.Contains(out, "· Naperville Police Department") {
		t.Errorf("agency report:\n%s", out[:300])
	}
	var exports int
	for _, line := range strings.Split(c.must("audit", "list"), "\n") {
		if strings.Contains(line, "report.export") {
			exports++
		}
	}
	if exports != 6 {
		t.Errorf("%d report exports audited, want 6", exports)
	}
}

func TestReportCommandRefusedAndBadUsage(t *testing.T) {
	c := newCP(t)
	c.env["CONNECTPOINT_PASSWORD"] = "demo-password"
	c.must("demo")
	c.env["CONNECTPOINT_USER"] = "coordinator"
	tests := []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"BadFormat", []string{"report", "--format", "xls"}, 2, "--format"},
		{"Argument", []string{"report", "march"}, 2, "unexpected"},
		{"UnknownFlag", []string{"report", "--month", "3"}, 2, "month"},
		{"BadDate", []string{"report", "--from", "13/45/2026"}, 1, "--from"},
		{"Backwards", []string{"report", "--from", "2026-10-31", "--to", "2026-10-01"}, 1, "before"},
		{"NoSuchAgency", []string{"report", "--agency", "Elgin PD"}, 1, "Naperville"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errs := c.run(tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.msg) || strings.Count(strings.TrimSpace(errs), "\n") > 1 {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, tt.code, tt.msg)
			}
		})
	}
	for _, user := range []string{"officer", "coach"} {
		c.env["CONNECTPOINT_USER"] = user
		code, out, errs := c.run("report", "--format", "csv")
		if code != 1 || out != "" || !strings.Contains(errs, "may not") || strings.Contains(errs, "\n\n") {
			t.Errorf("%s: exit %d, out %q, stderr %q", user, code, out, errs)
		}
	}
	c.env["CONNECTPOINT_USER"] = "admin"
	refused := 0
	for _, line := range strings.Split(c.must("audit", "list"), "\n") {
		if strings.Contains(line, "refused") && strings.Contains(line, string(data.ActReports)) {
			refused++
		}
	}
	if refused != 2 {
		t.Errorf("%d refusals audited, want 2", refused)
	}
}
