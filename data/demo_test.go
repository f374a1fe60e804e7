package data_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"connectpoint/data"
)

func TestSetUpDemo(t *testing.T) {
	clock := &data.FixedClock{T: time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)}
	s, err := data.Create(ctx, filepath.Join(t.TempDir(), "demo"), opts(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	dir := []data.Facility{
		{Name: "Gateway Foundation Aurora", Street: "400 Mercy Ln", City: "Aurora", State: "IL", ZIP: "60506", Services: []string{"RES", "RS", "NP", "SS"}},
		{Name: "Serenity House", Street: "891 S Rohlwing Rd", City: "Naperville", State: "IL", ZIP: "60540", Services: []string{"HH", "RES", "SS"}},
		{Name: "Far Away Clinic", Street: "1 Main", City: "Cairo", State: "IL", ZIP: "62914", Services: []string{"OP"}},
	}
	if err := s.SetUpDemo(ctx, "demo-password", dir); err != nil {
		t.Fatal(err)
	}
	for _, u := range data.DemoUsers {
		if _, err := s.Login(ctx, u.Username, "demo-password"); err != nil {
			t.Errorf("%s cannot log in: %v", u.Username, err)
		}
	}
	coord, _ := s.Login(ctx, "coordinator", "demo-password")
	list, err := coord.ListCases(ctx, data.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	byWait := map[string]int{}
	status := map[string]int{}
	late := 0
	for _, c := range list {
		byWait[c.WaitingFor]++
		status[c.Status]++
		if c.Status == data.StatusOpen && clock.Now().Sub(c.OpenedAt) > data.PlacedWithin-15*time.Minute {
			late++
		}
	}
	if byWait["bed"] == 0 || byWait["coach"] == 0 || byWait["assessment"] == 0 || byWait[data.WaitCoachOnWay] == 0 || status[data.StatusPlaced] < 4 || status[data.StatusClosed] < 2 || late == 0 {
		t.Errorf("demo lacks a step: waiting %v, status %v, late %d", byWait, status, late)
	}
	revoked := 0
	for _, c := range list {
		ks, err := coord.Consents(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ks) == 0 && c.Status == data.StatusPlaced {
			t.Errorf("placed case %s has no consent", c.Display)
		}
		for _, k := range ks {
			if k.State(clock.Now()) == data.ConsentRevoked {
				revoked++
			}
		}
	}
	if revoked != 1 {
		t.Errorf("%d revoked consents, want 1 to show what a revocation does", revoked)
	}
	coach, _ := s.Login(ctx, "coach", "demo-password")
	due, err := coach.MyCheckIns(ctx, clock.Now(), 7*24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	states := map[string]int{}
	for _, d := range due {
		states[d.State]++
	}
	if states[data.CheckInOverdue] == 0 || states[data.CheckInDue] == 0 {
		t.Errorf("check-ins: %v, want some overdue and some due", states)
	}
	cs, err := coord.Conflicts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, c := range cs {
		if len(c.Values) != 2 || c.CaseID == "" || c.Values[0].Who != "Ofc. Jo Ortiz" || c.Values[1].Who != "Ana Pérez" {
			t.Errorf("conflict %s.%s of %s: case %q, values %+v", c.Entity, c.Field, c.Subject, c.CaseID, c.Values)
		}
		got[c.Subject+" "+c.Field+": "+c.Values[0].Value+" / "+c.Values[1].Value] = true
	}
	for _, want := range []string{"Daniel R. phone: (630) 555-0188 / (630) 555-0123", "Kevin M. insurance: none / medicaid"} {
		if !got[want] {
			t.Errorf("demo conflicts %v lack %q", got, want)
		}
	}
	on, _ := coord.OnCall(ctx, clock.Now())
	all, _ := coord.Coaches(ctx)
	if len(on) == 0 || len(on) == len(all) {
		t.Errorf("%d of %d coaches on call; want some on and some off", len(on), len(all))
	}
}

// TestDemoFolder: the window's demo lives in a folder inside the data
// folder, which does not stop the real program from being set up there,
// and goes away whole.
func TestDemoFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "ConnectPoint")
	clock := &data.FixedClock{T: time.Date(2026, 11, 27, 3, 0, 0, 0, time.UTC)}
	demo, err := data.Create(ctx, data.DemoDir(dir), opts(clock))
	if err != nil {
		t.Fatal(err)
	}
	beds := []data.Facility{{Name: "Serenity House", Street: "891 S Rohlwing Rd", City: "Naperville", State: "IL", ZIP: "60540", Services: []string{"HH", "RES", "SS"}}}
	if err := demo.SetUpDemo(ctx, "demo-password", beds); err != nil {
		t.Fatal(err)
	}
	if data.Exists(dir) {
		t.Fatal("the demo made a program in the real data folder")
	}
	if _, err := data.Open(ctx, dir, opts(clock)); data.ErrorCode(err) != data.ENOTFOUND {
		t.Errorf("opening a data folder that holds only the demo: %v, want ENOTFOUND", err)
	}
	real, err := data.Create(ctx, dir, opts(clock))
	if err != nil {
		t.Fatalf("the demo folder stops the real setup: %v", err)
	}
	real.Close()
	demo.Close()
	if err := data.RemoveDemo(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(data.DemoDir(dir)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the demo folder is still there: %v", err)
	}
	if !data.Exists(dir) {
		t.Error("removing the demo removed the real program")
	}
	if err := data.RemoveDemo(dir); err != nil {
		t.Errorf("removing a demo that is gone: %v", err)
	}
	// Someone else's file in the demo folder is left alone, and so is the folder.
	if err := os.MkdirAll(data.DemoDir(dir), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data.DemoDir(dir), "notes.txt"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := data.RemoveDemo(dir); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(data.DemoDir(dir), "notes.txt")); err != nil {
		t.Errorf("a file ConnectPoint did not write was removed: %v", err)
	}
}
