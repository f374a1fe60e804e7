package data_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"connectpoint/data"
)

func TestUpdateFacility(t *testing.T) {
	p, ids := directory(t)
	coord := p.sessions[data.RoleCoordinator]
	id := ids["Gateway Aurora"]

	t.Run("Corrects", func(t *testing.T) {
		err := coord.UpdateFacility(ctx, id, map[string]string{"name": "  Gateway  Aurora ", "phone": "630.966.7400",
			"intake_phone": "1-630-966-7401 ext 12", "website": "gatewayfoundation.org", "zip": "60506-1234", "state": "il"})
		if err != nil {
			t.Fatal(err)
		}
		f, err := coord.FacilityByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name != "Gateway Aurora" || f.Phone != "(630) 966-7400" || f.IntakePhone != "(630) 966-7401 x12" ||
			f.Website != "https://gatewayfoundation.org" || f.ZIP != "60506-1234" || f.State != "IL" {
			t.Errorf("after the edit: %+v", f)
		}
		if !slices.Contains(f.Services, "RES") || f.Lat != 41.7606 {
			t.Errorf("the edit touched what it did not name: services %v, lat %v", f.Services, f.Lat)
		}
	})
	t.Run("ClearsAField", func(t *testing.T) {
		if err := coord.UpdateFacility(ctx, id, map[string]string{"intake_phone": ""}); err != nil {
			t.Fatal(err)
		}
		if f, _ := coord.FacilityByID(ctx, id); f.IntakePhone != "" {
			t.Errorf("intake phone %q after clearing it", f.IntakePhone)
		}
	})
	t.Run("ImportKeepsTheCorrection", func(t *testing.T) {
		// The same file again (without a phone) leaves the hand-typed phone.
		again := []data.Facility{{Name: "Gateway Aurora", Street: "400 Mercy Ln", City: "Aurora", State: "IL", ZIP: "60506",
			Services: []string{"RES", "RS", "SS", "MD", "MALE", "FEM", "ADLT"}}}
		if _, err := coord.ImportFacilities(ctx, again, false); err != nil {
			t.Fatal(err)
		}
		if f, _ := coord.FacilityByID(ctx, id); f.Phone != "(630) 966-7400" {
			t.Errorf("phone %q after a re-import without one", f.Phone)
		}
	})

	for _, c := range []struct {
		name   string
		values map[string]string
		want   string
	}{
		{"ErrEmptyName", map[string]string{"name": "  "}, "name: a facility needs a name"},
		{"ErrPhone", map[string]string{"phone": "555-0142"}, "phone: a phone number has 10 digits, like (630) 555-0142"},
		{"ErrIntakePhone", map[string]string{"intake_phone": "call us"}, "intake phone: use a number like (630) 555-0142"},
		{"ErrZIP", map[string]string{"zip": "6054"}, "ZIP: use five digits"},
		{"ErrState", map[string]string{"state": "Illinois"}, "state: use two letters"},
		{"ErrWebsite", map[string]string{"website": "not a site"}, "website: use an address like www.example.org"},
		{"ErrField", map[string]string{"services": "RES"}, "facility field \"services\" cannot be changed here"},
		{"ErrNothing", map[string]string{}, "nothing to change"},
	} {
		t.Run(c.name, func(t *testing.T) {
			before, _ := coord.FacilityByID(ctx, id)
			err := coord.UpdateFacility(ctx, id, c.values)
			if data.ErrorCode(err) != data.EINVALID || !strings.Contains(data.ErrorMessage(err), c.want) {
				t.Fatalf("got %v, want EINVALID %q", err, c.want)
			}
			after, _ := coord.FacilityByID(ctx, id)
			if after.Name != before.Name || after.Phone != before.Phone || after.ZIP != before.ZIP {
				t.Errorf("a refused edit changed the facility")
			}
		})
	}
	t.Run("ErrNotFound", func(t *testing.T) {
		if err := coord.UpdateFacility(ctx, "nope", map[string]string{"name": "x"}); data.ErrorCode(err) != data.ENOTFOUND {
			t.Errorf("got %v", err)
		}
	})
	for _, r := range []data.Role{data.RoleOfficer, data.RoleCoach} {
		t.Run("Forbidden/"+string(r), func(t *testing.T) {
			err := p.sessions[r].UpdateFacility(ctx, id, map[string]string{"name": "Mine now"})
			if data.ErrorCode(err) != data.EFORBIDDEN {
				t.Errorf("a %s edited a facility: %v", r, err)
			}
		})
	}
	t.Run("Admin", func(t *testing.T) {
		if err := p.sessions[data.RoleAdmin].UpdateFacility(ctx, id, map[string]string{"city": "North Aurora"}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestListingsAndNearest(t *testing.T) {
	p, ids := directory(t)
	coord := p.sessions[data.RoleCoordinator]
	officer := p.sessions[data.RoleOfficer]
	// Gateway: 2 open 40 min ago; No Coordinates: 3 open but 13 h ago;
	// Far Free: 1 open 2 h ago; Serenity: full 10 min ago.
	p.clock.Advance(-13 * time.Hour)
	report := func(name string, open int) {
		t.Helper()
		if _, err := officer.ReportAvailability(ctx, ids[name], open, ""); err != nil {
			t.Fatal(err)
		}
	}
	report("No Coordinates Free House", 3)
	p.clock.Advance(11 * time.Hour)
	report("Far Free Residential", 1)
	p.clock.Advance(80 * time.Minute)
	report("Gateway Aurora", 2)
	p.clock.Advance(30 * time.Minute)
	report("Serenity Women's House", 0)
	p.clock.Advance(10 * time.Minute)
	now := p.clock.Now()

	zips := loadZIPs(t)
	dir, err := coord.LoadDirectory(ctx, zips)
	if err != nil {
		t.Fatal(err)
	}
	origin, _, _ := zips.Locate("60540")
	ls := dir.Listings(origin)
	if len(ls) != dir.Len() {
		t.Fatalf("%d listings of %d", len(ls), dir.Len())
	}
	by := map[string]data.Listing{}
	for _, l := range ls {
		by[l.Facility.Name] = l
	}
	if l := by["Gateway Aurora"]; l.Slots == nil || l.Slots.Open != 2 || now.Sub(l.Slots.At) != 40*time.Minute || l.Approx || l.DistanceMiles < 5 {
		t.Errorf("Gateway: %+v", l)
	}
	if l := by["No Coordinates Free House"]; l.Slots == nil || l.Slots.Open != 3 || !l.Approx || l.Slots.AgencyName != "Naperville PD" {
		t.Errorf("a stale report is still the latest, and a ZIP is approximate: %+v %+v", l, l.Slots)
	}
	if l := by["Nowhere Free House"]; l.DistanceMiles != -1 || l.Slots != nil {
		t.Errorf("Nowhere: %+v", l)
	}
	if !by["Methadone Clinic"].Services.Has("OTP") {
		t.Error("services are in the listing")
	}
	if l := dir.Listings(data.LatLon{}); l[0].DistanceMiles != -1 {
		t.Error("no origin, no distance")
	}

	near := dir.Nearest(origin, now, 12*time.Hour, 0)
	var got []string
	for _, l := range near {
		got = append(got, l.Facility.Name)
	}
	if want := "Gateway Aurora,Far Free Residential"; strings.Join(got, ",") != want {
		t.Errorf("nearest open %v, want %s (fresh, open, nearest first)", got, want)
	}
	if n := dir.Nearest(origin, now, 12*time.Hour, 1); len(n) != 1 {
		t.Errorf("limit 1: %d", len(n))
	}
}

func TestGroupServices(t *testing.T) {
	// As a directory file lists them: sorted by code.
	got := data.GroupServices([]string{"ADLT", "BU", "CBT", "FEM", "LANG:pl", "MD", "NMOA", "OP", "RES", "SP", "SS", "TRC", "VET"})
	want := []data.ServiceGroup{
		{Group: data.GroupSetting, Codes: []string{"RES", "OP"}},
		{Group: data.GroupPayment, Codes: []string{"SS", "MD"}},
		{Group: data.GroupMedication, Codes: []string{"BU", "NMOA"}},
		{Group: data.GroupPopulation, Codes: []string{"FEM", "ADLT", "VET"}},
		{Group: data.GroupLanguage, Codes: []string{"SP", "LANG:pl"}},
		{Group: data.GroupOther, Codes: []string{"CBT", "TRC"}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i].Group != want[i].Group || !slices.Equal(got[i].Codes, want[i].Codes) {
			t.Errorf("group %d: got %v, want %v", i, got[i], want[i])
		}
	}
	if g := data.GroupServices(nil); len(g) != 0 {
		t.Errorf("no services: %v", g)
	}
}
