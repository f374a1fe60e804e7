package data_test

import (
	"strings"
	"testing"
	"time"

	"connectpoint/assets"
	"connectpoint/data"
)

// loadZIPs returns the census ZIP centroids the application embeds.
func loadZIPs(t testing.TB) *data.ZIPTable {
	t.Helper()
	z, err := assets.ZIPs()
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func TestZIPTable(t *testing.T) {
	z := loadZIPs(t)
	if z.Len() < 30000 {
		t.Fatalf("%d ZIPs loaded", z.Len())
	}
	naperville, approx, ok := z.Locate("60540")
	if !ok || approx {
		t.Fatal("60540 not found exactly")
	}
	aurora, _, _ := z.Locate("60505")
	if d := data.Miles(naperville, aurora); d < 3 || d > 12 {
		t.Errorf("Naperville to Aurora %.1f mi", d)
	}
	// 60566 is a PO-box ZIP in Naperville with no centroid of its own.
	if p, approx, ok := z.Locate("60566"); !ok || !approx || data.Miles(p, naperville) > 60 {
		t.Errorf("60566: %v approx=%v ok=%v", p, approx, ok)
	}
	if _, _, ok := z.Locate("00000"); ok {
		t.Error("00000 located")
	}
}

// directory sets up a program with a small hand-made directory around
// Naperville and returns a coordinator's session.
func directory(t *testing.T) (*program, map[string]string) {
	p := newProgram(t)
	coord := p.sessions[data.RoleCoordinator]
	fs := []data.Facility{
		{Name: "Gateway Aurora", Street: "400 Mercy Ln", City: "Aurora", State: "IL", ZIP: "60506", Lat: 41.7606, Lon: -88.3201, Services: []string{"RES", "RS", "SS", "MD", "MALE", "FEM", "ADLT"}},
		{Name: "Serenity Women's House", Street: "1 Oak St", City: "Naperville", State: "IL", ZIP: "60540", Lat: 41.77, Lon: -88.15, Services: []string{"RES", "RL", "NP", "FEM", "PW", "ADLT"}},
		{Name: "Cash Only Residential", Street: "2 Elm St", City: "Wheaton", State: "IL", ZIP: "60187", Lat: 41.86, Lon: -88.1, Services: []string{"RES", "SF", "MALE", "ADLT"}},
		{Name: "Insurance Only Residential", Street: "3 Elm St", City: "Wheaton", State: "IL", ZIP: "60187", Lat: 41.86, Lon: -88.1, Services: []string{"RES", "PI", "MD", "MALE", "ADLT"}},
		{Name: "Far Free Residential", Street: "9 Main St", City: "Springfield", State: "IL", ZIP: "62701", Lat: 39.80, Lon: -89.65, Services: []string{"RES", "NP", "ADLT"}},
		{Name: "No Coordinates Free House", Street: "5 Pine St", City: "Joliet", State: "IL", ZIP: "60432", Services: []string{"HH", "RES", "NP", "ADLT"}},
		{Name: "Nowhere Free House", Street: "6 Pine St", City: "Nowhere", State: "IL", ZIP: "", Services: []string{"RES", "NP", "ADLT"}},
		{Name: "Methadone Clinic", Street: "7 Lake St", City: "Aurora", State: "IL", ZIP: "60505", Lat: 41.75, Lon: -88.3, Services: []string{"OTP", "OMB", "MM", "SS", "ADLT"}},
		{Name: "Youth Residential", Street: "8 Lake St", City: "Aurora", State: "IL", ZIP: "60505", Lat: 41.75, Lon: -88.3, Services: []string{"RES", "NP", "CHLD", "YAD"}},
	}
	sum, err := coord.ImportFacilities(ctx, fs, false)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, f := range fs {
		ids[f.Name] = sum.IDs[data.FacilityIdentity(&f)]
	}
	return p, ids
}

func names(ms []data.Match) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Facility.Name)
	}
	return out
}

func TestMatchFilters(t *testing.T) {
	p, _ := directory(t)
	coord := p.sessions[data.RoleCoordinator]
	dir, err := coord.LoadDirectory(ctx, loadZIPs(t))
	if err != nil {
		t.Fatal(err)
	}
	origin, _, _ := loadZIPs(t).Locate("60540")
	now := p.clock.Now()
	tests := []struct {
		name string
		q    data.MatchQuery
		want string
	}{
		{"UninsuredMan35", data.MatchQuery{Level: "3.5", Insurance: "none", Gender: "male", Adult: true},
			"Gateway Aurora,No Coordinates Free House,Far Free Residential,Nowhere Free House"},
		{"UninsuredWoman", data.MatchQuery{Level: "3.5", Insurance: "none", Gender: "female", Adult: true},
			"Serenity Women's House,Gateway Aurora,No Coordinates Free House,Far Free Residential,Nowhere Free House"},
		{"PrivateMan", data.MatchQuery{Level: "3.5", Insurance: "private", Gender: "male", Adult: true},
			"Insurance Only Residential,Gateway Aurora,No Coordinates Free House,Far Free Residential,Nowhere Free House"},
		{"Methadone", data.MatchQuery{Level: "OTP", Insurance: "none", MOUD: "methadone", Adult: true}, "Methadone Clinic"},
		{"RecoveryHome31", data.MatchQuery{Level: "3.1", Insurance: "none", Gender: "male", Adult: true, Text: "joliet"}, "No Coordinates Free House"},
		// Text looks in the names, the city and the ZIP, not the street.
		{"TextNameCity", data.MatchQuery{Text: "AURORA gate"}, "Gateway Aurora"},
		{"TextZIP", data.MatchQuery{Text: "60187"}, "Cash Only Residential,Insurance Only Residential"},
		{"TextStreet", data.MatchQuery{Text: "mercy"}, ""},
		{"TextStreets", data.MatchQuery{Text: "st"}, ""},
		{"TextAcrossFields", data.MatchQuery{Text: "aurora\n605"}, "Methadone Clinic,Youth Residential,Gateway Aurora"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.Origin, tt.q.Now = origin, now
			if got := strings.Join(names(dir.Match(tt.q)), ","); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestMatchRanksFreshSlotsFirst(t *testing.T) {
	p, ids := directory(t)
	coord := p.sessions[data.RoleCoordinator]
	officer := p.sessions[data.RoleOfficer]
	// Far Free has 2 open, reported 40 minutes ago; Gateway reported full;
	// No Coordinates had 3 open, but 13 hours ago: stale, so unknown.
	p.clock.Advance(-13 * time.Hour)
	if _, err := officer.ReportAvailability(ctx, ids["No Coordinates Free House"], 3, ""); err != nil {
		t.Fatal(err)
	}
	p.clock.Advance(13*time.Hour - 40*time.Minute)
	if _, err := officer.ReportAvailability(ctx, ids["Far Free Residential"], 2, "male beds"); err != nil {
		t.Fatal(err)
	}
	if _, err := officer.ReportAvailability(ctx, ids["Gateway Aurora"], 0, ""); err != nil {
		t.Fatal(err)
	}
	p.clock.Advance(40 * time.Minute)
	zips := loadZIPs(t)
	dir, err := coord.LoadDirectory(ctx, zips)
	if err != nil {
		t.Fatal(err)
	}
	origin, _, _ := zips.Locate("60540")
	ms := dir.Match(data.MatchQuery{Level: "3.5", Insurance: "none", Gender: "male", Adult: true, Origin: origin, Now: p.clock.Now()})
	want := "Far Free Residential,No Coordinates Free House,Nowhere Free House,Gateway Aurora"
	if got := strings.Join(names(ms), ","); got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if got := ms[0].Describe(); !strings.HasPrefix(got, "free · residential · ") || !strings.HasSuffix(got, " mi · 2 open 40 min ago") {
		t.Errorf("reasons %q", got)
	}
	if got := ms[1].Describe(); !strings.Contains(got, "distance approximate") || !strings.Contains(got, "open slots unknown") {
		t.Errorf("located by ZIP, stale report: %q", got)
	}
	if got := ms[2].Describe(); !strings.Contains(got, "distance unknown") {
		t.Errorf("unlocated: %q", got)
	}
	if got := ms[3].Describe(); !strings.Contains(got, "full 40 min ago") {
		t.Errorf("full: %q", got)
	}
	reports, err := coord.SlotReports(ctx, ids["Far Free Residential"])
	if err != nil || len(reports) != 1 {
		t.Fatalf("reports %v %v", reports, err)
	}
	if got := reports[0].Describe(p.clock.Now()); got != "2 open · 40 min ago · reported by Naperville PD" {
		t.Errorf("report reads %q", got)
	}
}

func TestImportUpdatesInPlace(t *testing.T) {
	p, ids := directory(t)
	coord := p.sessions[data.RoleCoordinator]
	again := []data.Facility{
		{Name: "GATEWAY AURORA", Street: "400 Mercy Lane", City: "Aurora", State: "IL", ZIP: "60506", Phone: "(630) 966-7400", Services: []string{"RES", "RS", "SS", "MD", "MALE", "FEM", "ADLT"}},
		{Name: "Serenity Women's House", Street: "1 Oak St", City: "Naperville", State: "IL", ZIP: "60540", Lat: 41.77, Lon: -88.15, Services: []string{"RES", "RL", "NP", "FEM", "PW", "ADLT"}},
		{Name: "Brand New Place", Street: "10 New St", City: "Elgin", State: "IL", ZIP: "60120"},
	}
	dry, err := coord.ImportFacilities(ctx, again, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(dry.Added) != 1 || len(dry.Changed) != 1 || dry.Unchanged != 1 {
		t.Fatalf("dry run: %d added, %d changed, %d unchanged", len(dry.Added), len(dry.Changed), dry.Unchanged)
	}
	if got := strings.Join(dry.Changed[0].Fields, ","); got != "name,phone,street" {
		t.Errorf("changed fields %s", got)
	}
	before, _ := coord.Facilities(ctx, data.FacilityFilter{})
	if _, err := coord.ImportFacilities(ctx, again, false); err != nil {
		t.Fatal(err)
	}
	after, _ := coord.Facilities(ctx, data.FacilityFilter{})
	if len(after) != len(before)+1 {
		t.Fatalf("%d facilities after re-import, want %d", len(after), len(before)+1)
	}
	f, err := coord.FacilityByID(ctx, ids["Gateway Aurora"])
	if err != nil {
		t.Fatal(err)
	}
	if f.Phone != "(630) 966-7400" || f.Lat != 41.7606 {
		t.Errorf("updated in place: phone %q, lat kept %v", f.Phone, f.Lat)
	}
	if _, err := p.sessions[data.RoleOfficer].ImportFacilities(ctx, again, false); data.ErrorCode(err) != data.EFORBIDDEN {
		t.Errorf("officer import: %v", err)
	}
}
