package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"connectpoint/data"
)

// The real files of shared/data, beside the repository.
var (
	samhsaFile = filepath.Join("..", "..", "..", "shared", "data", "facilities", "samhsa-directory-2017-illinois.csv")
	ftFile     = filepath.Join("..", "..", "..", "shared", "data", "facilities", "findtreatment-locator-charlottesville-va.json")
	hsdsDir    = filepath.Join("testdata", "hsds")
)

func readFile(t testing.TB, path string) *Result {
	t.Helper()
	res, err := ReadFile(context.Background(), path, Auto, Options{})
	if err != nil {
		t.Fatalf("ReadFile(%s): %v", path, err)
	}
	return res
}

func readBytes(t testing.TB, name string, b []byte, f Format, opt Options) (*Result, error) {
	t.Helper()
	return Read(context.Background(), name, bytes.NewReader(b), f, opt)
}

func byName(t testing.TB, res *Result, name, city string) Facility {
	t.Helper()
	for _, f := range res.Facilities {
		if f.Name == name && (city == "" || f.City == city) {
			return f
		}
	}
	t.Fatalf("no facility %q in %q", name, city)
	return Facility{}
}

func problemsAt(res *Result, line int) []Problem {
	var out []Problem
	for _, p := range res.Problems {
		if p.Line == line {
			out = append(out, p)
		}
	}
	return out
}

func hasProblem(res *Result, line int, field, reasonPart string, skipped bool) bool {
	for _, p := range problemsAt(res, line) {
		if p.Field == field && strings.Contains(p.Reason, reasonPart) && p.Skipped == skipped {
			return true
		}
	}
	return false
}

func TestReadRealFiles(t *testing.T) {
	tests := []struct {
		name                             string
		path                             string
		format                           Format
		rows, facilities, skipped, dups  int
		split, ligatures, cutNames, page int
	}{
		// 607 rows; 5 more facilities that the scrape ran into other rows'
		// Keys; Safe Haven listed twice (Kingston Avenue and Street).
		{"SAMHSAIllinois", samhsaFile, SAMHSA2017, 607, 611, 0, 1, 5, 63, 4, 0},
		// One page of 30 rows of an export of 22,949.
		{"FindTreatmentCharlottesville", ftFile, FindTreatment, 30, 30, 0, 0, 0, 0, 0, 1},
		// 7 locations, one of them virtual.
		{"HSDSFixture", hsdsDir, HSDS, 7, 6, 3, 0, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := readFile(t, tt.path)
			if res.Format != tt.format || res.Rows != tt.rows || len(res.Facilities) != tt.facilities || res.Skipped() != tt.skipped {
				t.Errorf("format %s, rows %d, facilities %d, skipped %d; want %s, %d, %d, %d",
					res.Format, res.Rows, len(res.Facilities), res.Skipped(), tt.format, tt.rows, tt.facilities, tt.skipped)
			}
			count := func(part string) int {
				n := 0
				for _, p := range res.Problems {
					if strings.Contains(p.Reason, part) {
						n++
					}
				}
				return n
			}
			for _, c := range []struct {
				what string
				got  int
				want int
			}{
				{"duplicates", count("merged into it"), tt.dups},
				{"split out", count("split out"), tt.split},
				{"ligature repairs", count("repaired PDF ligatures"), tt.ligatures},
				{"cut names", count("looks cut off"), tt.cutNames},
				{"page notes", count("this file is page"), tt.page},
			} {
				if c.got != c.want {
					t.Errorf("%s: %d problems, want %d", c.what, c.got, c.want)
				}
			}
			keys := map[string]bool{}
			for _, f := range res.Facilities {
				if f.Key == "" || keys[f.Key] {
					t.Errorf("line %d: key %q empty or not unique", f.Line, f.Key)
				}
				keys[f.Key] = true
				if err := f.Validate(); err != nil {
					t.Errorf("line %d: %v", f.Line, err)
				}
				for _, s := range f.Services {
					if !knownCode(s) {
						t.Errorf("line %d: unknown service code %q", f.Line, s)
					}
				}
				if strings.ContainsAny(f.Name+f.Street+f.City, "˛˜˝ˆ˚ˇ˙") {
					t.Errorf("line %d: ligature damage left in %q %q %q", f.Line, f.Name, f.Street, f.City)
				}
			}
		})
	}
}

func TestSAMHSAFacilities(t *testing.T) {
	res := readFile(t, samhsaFile)
	tests := []struct {
		name, label, city  string
		street, zip        string
		phone, intake, typ string
		services           []string // must be among them
		notServices        []string
	}{
		{"Intakes", "About Change Counseling", "Aurora", "2121 West Galena Boulevard", "60506",
			"(630) 892-7980", "(630) 669-7161", "SAF", []string{"MOA", "OP", "OIT"}, nil},
		{"Extensions", "Association House of Chicago", "Chicago", "1116 North Kedzie Avenue", "60651",
			"(773) 772-8009 x6902", "(773) 772-8009 x6004", "MHSAF", []string{"SP", "NOOP"}, nil},
		{"LigatureInName", "Soft Landing Interventions", "Naperville", "1601 Bond Street Suite 201", "60563",
			"(630) 261-9220", "", "SAF", []string{"OTP", "MM", "BUM", "VTRL"}, nil},
		{"LigatureInCity", "Perry County Counseling Center Inc Outpatient Treatment Services", "Du Quoin", "1016 South Madison Street", "62832",
			"(618) 542-4357", "(618) 542-4327", "MHSAF", []string{"MOA"}, nil},
		{"LigatureWithDebris", "Quad Cities Intervention Services Inc", "Moline", "2200 52nd Avenue Suite 1", "61265",
			"(309) 517-6491", "", "SAF", []string{"NOOP"}, nil},
		// Line 83 lists it again at "7346 South Kingston Street": merged,
		// its NP joins line 82's SF and HH.
		{"Duplicate", "Safe Haven", "Chicago", "7346 South Kingston Avenue", "60649",
			"(312) 372-6707 x132", "(773) 435-8300", "SAF", []string{"HH", "SF", "NP", "FSA"}, nil},
		// Split out of line 439's Keys ("... DU AHNICASA NFP 1401 South Lake
		// Street Mundelein, IL 60060 (847) 546-6450 SAF SA MOA ...").
		{"SplitOut", "NICASA NFP", "Mundelein", "1401 South Lake Street", "60060",
			"(847) 546-6450", "", "SAF", []string{"MOA", "SP", "SS", "FSA"}, nil},
		// The host row keeps its own codes only.
		{"HostOfSplit", "and Addiction Counseling Center", "Mundelein", "333 East Route 83 Suite B-7", "60060",
			"(847) 949-4596", "(847) 949-4597", "SAF", []string{"NOOP", "DU", "AH"}, []string{"MOA", "SP", "SS"}},
		// The city heading DANVILLE is not part of the name.
		{"SplitOutAfterCityHeading", "Alpha/Omega Counseling Services", "Danville", "120 North Vermilion Street", "61832",
			"(217) 274-7336", "", "SAF", []string{"NMOA", "DU"}, nil},
		// F66 → LANG:pl, F70 → LANG:ru.
		{"Languages", "Counseling Center of Illinois Inc", "Palos Hills", "10661 South Roberts Road Suite 101", "60465",
			"(773) 777-6767", "", "SAF", []string{"LANG:pl", "SP"}, []string{"F66"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := byName(t, res, tt.label, tt.city)
			got := []string{f.Street, f.ZIP, f.State, f.Phone, f.IntakePhone, f.Type}
			want := []string{tt.street, tt.zip, "IL", tt.phone, tt.intake, tt.typ}
			if !slices.Equal(got, want) {
				t.Errorf("street, zip, state, phone, intake, type = %q, want %q", got, want)
			}
			for _, s := range tt.services {
				if !slices.Contains(f.Services, s) {
					t.Errorf("services %v lack %s", f.Services, s)
				}
			}
			for _, s := range tt.notServices {
				if slices.Contains(f.Services, s) {
					t.Errorf("services %v have %s", f.Services, s)
				}
			}
			if !strings.HasPrefix(f.Key, "nameaddr:") {
				t.Errorf("key %q", f.Key)
			}
		})
	}
	t.Run("DuplicateProblem", func(t *testing.T) {
		if !hasProblem(res, 83, "key", "same facility as line 82", false) {
			t.Errorf("no duplicate problem on line 83: %v", problemsAt(res, 83))
		}
	})
	t.Run("LigatureProblem", func(t *testing.T) {
		if !hasProblem(res, 449, "name", `"Soˆ Landing Interventions" → "Soft Landing Interventions"`, false) {
			t.Errorf("no ligature problem on line 449: %v", problemsAt(res, 449))
		}
	})
	t.Run("ThreeIntakeNumbers", func(t *testing.T) {
		main, intakes := splitIntake("(773) 722-7900x4051 Intakes: (773) 722-7900x4064 (773) 722- 7900x4084")
		if main != "(773) 722-7900x4051" || len(intakes) != 2 {
			t.Fatalf("splitIntake = %q, %q", main, intakes)
		}
		if p, _ := normPhone(intakes[1]); p != "(773) 722-7900 x4084" {
			t.Errorf("second intake %q → %q", intakes[1], p)
		}
	})
}

func TestFindTreatmentFacilities(t *testing.T) {
	res := readFile(t, ftFile)
	f := res.Facilities[0]
	want := data.Facility{Name: "Region Ten Community Services Board", Name2: "Mohr Center", Street: "1014 East Market Street",
		City: "Charlottesville", State: "VA", ZIP: "22902", Phone: "(434) 979-8871", IntakePhone: "(434) 972-1800",
		Website: "http://www.regionten.org", Lat: 38.0282239, Lon: -78.4725231, Type: "SA",
		FRID: "811a908f82269778a2fe2a8bc603afa08df868f3e2fa56aa62e214d03997dea1"}
	got := f.Facility
	got.Services = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("first row:\n got %+v\nwant %+v", got, want)
	}
	if f.Key != "frid:"+want.FRID || f.Line != 6 {
		t.Errorf("key %q line %d", f.Key, f.Line)
	}
	// "Residential; Short-term residential", "Accepts clients on opioid
	// medication", payment "...Medicaid; Private health insurance; Cash or
	// self-payment", "Sliding fee scale", "Adult men", "Young adults".
	for _, s := range []string{"RES", "RS", "MOA", "FSA", "MD", "PI", "SF", "SS", "MN", "ADLT", "YAD", "MALE", "CBT"} {
		if !slices.Contains(f.Services, s) {
			t.Errorf("services %v lack %s", f.Services, s)
		}
	}
	tests := []struct {
		name          string
		frid          string
		phone, intake string
		has, hasNot   []string
	}{
		// "434-971-8454 x1" as intake; a substance use program.
		{"IntakeExtension", "ab7407016d", "(434) 971-8454", "(434) 971-8454 x1", []string{"SA"}, nil},
		// A methadone clinic: OTP, methadone, buprenorphine, Medicare; only
		// clients in the OTP (EXCL) and DUI: exclusive categories.
		{"OTP", "708bf1891f", "(434) 220-0080", "", []string{"OTP", "MM", "BU", "OMB"}, []string{"DUO"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f *Facility
			for i := range res.Facilities {
				if strings.HasPrefix(res.Facilities[i].FRID, tt.frid) {
					f = &res.Facilities[i]
				}
			}
			if f == nil {
				t.Fatalf("no frid %s", tt.frid)
			}
			if f.Phone != tt.phone || f.IntakePhone != tt.intake {
				t.Errorf("phone %q intake %q", f.Phone, f.IntakePhone)
			}
			for _, s := range tt.has {
				if !slices.Contains(f.Services, s) {
					t.Errorf("services %v lack %s", f.Services, s)
				}
			}
			for _, s := range tt.hasNot {
				if slices.Contains(f.Services, s) {
					t.Errorf("services %v have %s", f.Services, s)
				}
			}
		})
	}
	langs := map[string]int{}
	for _, f := range res.Facilities {
		for _, s := range f.Services {
			if s == "SP" || strings.HasPrefix(s, "LANG:") {
				langs[s]++
			}
		}
	}
	if langs["SP"] != 8 || langs["LANG:de"] != 1 || len(langs) != 2 {
		t.Errorf("languages %v, want SP in 8 and LANG:de in 1", langs)
	}
}

func TestHSDS(t *testing.T) {
	dirRes := readFile(t, hsdsDir)

	// The same files as a zip, inside a folder as zips often are.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	entries, err := os.ReadDir(hsdsDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(hsdsDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		w, _ := zw.Create("export-2026-01/" + e.Name())
		w.Write(b)
	}
	zw.Close()
	zipPath := filepath.Join(t.TempDir(), "hsds.zip")
	if err := os.WriteFile(zipPath, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	zipRes := readFile(t, zipPath)
	if zipRes.Format != HSDS || len(zipRes.Facilities) != len(dirRes.Facilities) {
		t.Fatalf("zip: %s with %d facilities, folder: %d", zipRes.Format, len(zipRes.Facilities), len(dirRes.Facilities))
	}
	for i := range dirRes.Facilities {
		if zipRes.Facilities[i].Key != dirRes.Facilities[i].Key {
			t.Errorf("facility %d: zip key %q, folder key %q", i, zipRes.Facilities[i].Key, dirRes.Facilities[i].Key)
		}
	}

	res := dirRes
	tests := []struct {
		name, label, name2, city string
		zip, phone, intake       string
		services                 []string // exactly
		capacity                 int      // -1: none reported
		updated                  string
	}{
		// Two services with beds: 3 + 1, updated as of the older figure.
		{"BedsAddUp", "Prairie Path Recovery Services NFP", "Naperville Campus", "Naperville", "60540", "(630) 555-0142", "",
			[]string{"DT", "MD", "RES", "RS", "SS"}, 4, "2026-01-10T08:15:00-06:00"},
		// No location name: the organization's; intake by its description;
		// Spanish from languages.csv.
		{"IntakePhone", "Prairie Path Recovery Services NFP", "", "Aurora", "60506", "(630) 555-0150", "(630) 555-0151",
			[]string{"MD", "OIT", "OP", "PI", "SP"}, -1, ""},
		// "We do not accept Medicare": no MC. A fax is not the phone; the
		// organization's switchboard is. Counseling at two locations: its
		// slots are not counted.
		{"Negation", "Fox River Behavioral Health Elgin Clinic", "", "Elgin", "60120", "(847) 555-0100", "",
			[]string{"BU", "LANG:pl", "OP", "PA", "VTRL"}, -1, ""},
		{"ZIPPlus4", "Fox River Behavioral Health", "St. Charles Office", "St. Charles", "60174-1902", "(630) 555-0174", "",
			[]string{"OP"}, -1, ""},
		// Coaching hours are not beds.
		{"HoursNotBeds", "Riverbend Recovery Homes", "Riverbend Recovery Home for Women", "Joliet", "60432", "(815) 555-0123 x12", "",
			[]string{"HH", "PA", "PW"}, 2, "2026-01-05T10:00:00-06:00"},
		// Two figures for the same service and unit: the newest. The
		// inactive residential detox adds nothing.
		{"NewestFigure", "Lakeshore Hope Center", "", "Waukegan", "60085", "(847) 555-0177", "",
			[]string{"BU", "MC", "MD", "METH", "MM", "OTP"}, 5, "2026-01-12T07:00:00-06:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := byName(t, res, tt.label, tt.city)
			got := []string{f.Name2, f.ZIP, f.State, f.Phone, f.IntakePhone}
			want := []string{tt.name2, tt.zip, "IL", tt.phone, tt.intake}
			if !slices.Equal(got, want) {
				t.Errorf("name2, zip, state, phone, intake = %q, want %q", got, want)
			}
			if !slices.Equal(f.Services, tt.services) {
				t.Errorf("services %v, want %v", f.Services, tt.services)
			}
			n, ok := res.Capacity[f.Key]
			if !ok {
				n = -1
			}
			if n != tt.capacity {
				t.Errorf("capacity %d, want %d", n, tt.capacity)
			}
			if tt.updated != "" {
				want, _ := time.Parse(time.RFC3339, tt.updated)
				if got := res.CapacityUpdated[f.Key]; !got.Equal(want) {
					t.Errorf("capacity updated %v, want %v", got, want)
				}
			}
		})
	}
	for _, p := range []struct {
		file  string
		line  int
		field string
		part  string
	}{
		{"locations.csv", 6, "", "virtual location"},
		{"service_capacity.csv", 4, "service_id", "offered at 2 locations"},
		{"service_capacity.csv", 6, "unit_id", `capacity in "hours"`},
	} {
		found := false
		for _, q := range res.Problems {
			if q.File == p.file && q.Line == p.line && q.Field == p.field && strings.Contains(q.Reason, p.part) && q.Skipped {
				found = true
			}
		}
		if !found {
			t.Errorf("no problem %s line %d %q; have %v", p.file, p.line, p.part, res.Problems)
		}
	}
}

func TestReadTwiceSameKeys(t *testing.T) {
	for _, path := range []string{samhsaFile, ftFile, hsdsDir} {
		t.Run(filepath.Base(path), func(t *testing.T) {
			a, b := readFile(t, path), readFile(t, path)
			if len(a.Facilities) != len(b.Facilities) {
				t.Fatalf("%d then %d facilities", len(a.Facilities), len(b.Facilities))
			}
			for i := range a.Facilities {
				if a.Facilities[i].Key != b.Facilities[i].Key {
					t.Errorf("facility %d: key %q then %q", i, a.Facilities[i].Key, b.Facilities[i].Key)
				}
			}
		})
	}
}

// wantInvalid checks that err is a *data.Error with code EINVALID whose
// message has every part.
func wantInvalid(t *testing.T, err error, parts ...string) {
	t.Helper()
	var de *data.Error
	if !errors.As(err, &de) || de.Code != data.EINVALID {
		t.Fatalf("error %v (%T), want a data.Error with code %s", err, err, data.EINVALID)
	}
	for _, p := range parts {
		if !strings.Contains(de.Message, p) {
			t.Errorf("error %q lacks %q", de.Message, p)
		}
	}
}

func TestWholeFileErrors(t *testing.T) {
	ftHead := `{"page": 1, "totalPages": 1, "recordCount": 2, "rows": [` + "\n" +
		`{"frid": "a1", "name1": "One", "city": "Joliet", "state": "IL", "zip": "60432"},` + "\n"
	tests := []struct {
		name   string
		file   string
		input  string
		format Format
		opt    Options
		parts  []string
	}{
		{"EmptyAuto", "empty.csv", "", Auto, Options{}, []string{"empty.csv", "empty file"}},
		{"BlankAuto", "blank.json", " \n\n", Auto, Options{}, []string{"empty file"}},
		{"EmptyCSV", "e.csv", "", CSV, Options{}, []string{"e.csv", "empty file"}},
		{"EmptySAMHSA", "e.csv", "\xef\xbb\xbf", SAMHSA2017, Options{}, []string{"empty file"}},
		{"EmptyJSON", "e.json", "", FindTreatment, Options{}, []string{"empty file"}},
		{"TruncatedJSON", "cut.json", ftHead + `{"frid": "a2", "name1": "Tw`, Auto, Options{}, []string{"cut.json line 3", "truncated"}},
		{"TruncatedAfterRows", "cut.json", ftHead, FindTreatment, Options{}, []string{"line 3", "truncated"}},
		{"BadJSON", "bad.json", ftHead + `{"frid": "a2", "name1": Two}]}`, FindTreatment, Options{}, []string{"bad.json line 3", "not valid JSON"}},
		{"JSONNotUTF8", "latin1.json", ftHead + "{\"frid\": \"a2\", \"name1\": \"Caf\xe9\", \"zip\": \"60432\"}]}", Auto, Options{},
			[]string{"latin1.json line 3", "not UTF-8"}},
		{"JSONOtherShape", "other.json", `{"facilities": []}`, Auto, Options{}, []string{"unknown format", "FindTreatment"}},
		{"JSONWithoutRows", "norows.json", `{"page": 1}`, FindTreatment, Options{}, []string{"no \"rows\""}},
		{"Binary", "x.bin", "\x00\x01\x02abc", Auto, Options{}, []string{"unknown format", "binary"}},
		{"PDF", "dir.pdf", "%PDF-1.4\n...", Auto, Options{}, []string{"unknown format", "PDF"}},
		{"Workbook", "dir.xlsx", "PK\x03\x04....[Content_Types].xml", Auto, Options{}, []string{"unknown format", "CSV"}},
		{"NotAZip", "x.zip", "PK\x03\x04 nothing", HSDS, Options{}, []string{"not a zip"}},
		{"UnknownFormatName", "x.csv", "name,zip\n", "xml", Options{}, []string{"unknown format", "findtreatment"}},
		{"CSVMissingColumns", "m.csv", "name,street,phone\nA,1 Main St,630-555-0100\n", CSV, Options{},
			[]string{"m.csv line 1", "missing columns", "zip (or lat and lon, or city and state)"}},
		{"CSVMissingName", "m.csv", "facility_id,zip\n1,60540\n", CSV, Options{}, []string{"missing columns: name (the header has: facility_id, zip)"}},
		{"CSVOnlyLat", "m.csv", "name,lat\nA,41.7\n", CSV, Options{}, []string{"missing columns: zip"}},
		{"MappingUnknownField", "m.csv", "Facility,Zip\n", CSV, Options{Mapping: map[string]string{"title": "Facility"}},
			[]string{"unknown fields title"}},
		{"MappingAbsentColumn", "m.csv", "Facility,Zip\n", CSV, Options{Mapping: map[string]string{"name": "Program"}},
			[]string{"m.csv line 1", `no column "Program" (for name)`}},
		{"SAMHSAMissingColumns", "s.csv", "Year,Page,Center_name,City,Keys\n", SAMHSA2017, Options{},
			[]string{"s.csv line 1", "street_address", "postal_code", "phone"}},
		{"TooBigCSV", "big.csv", "name,zip\n" + strings.Repeat("Hope House,60540\n", 100), Auto, Options{MaxBytes: 1000},
			[]string{"big.csv", "larger than 1000 bytes"}},
		{"TooBigJSON", "big.json", ftHead + strings.Repeat(`{"name1": "x", "zip": "60540"},`, 100) + `{}]}`, FindTreatment,
			Options{MaxBytes: 2 << 10}, []string{"big.json", "larger than 2 KB"}},
		{"TooBigZip", "big.zip", "PK\x03\x04" + strings.Repeat("x", 5000), Auto, Options{MaxBytes: 4 << 10}, []string{"larger than 4 KB"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := readBytes(t, tt.file, []byte(tt.input), tt.format, tt.opt)
			if err == nil {
				t.Fatalf("no error; %d facilities, problems %v", len(res.Facilities), res.Problems)
			}
			wantInvalid(t, err, tt.parts...)
		})
	}
	t.Run("TooBigFile", func(t *testing.T) {
		p := filepath.Join(t.TempDir(), "big.csv")
		os.WriteFile(p, []byte("name,zip\n"+strings.Repeat("Hope House,60540\n", 1000)), 0o600)
		_, err := ReadFile(context.Background(), p, Auto, Options{MaxBytes: 10 << 10})
		wantInvalid(t, err, "big.csv", "larger than 10 KB")
	})
	t.Run("NoSuchFile", func(t *testing.T) {
		_, err := ReadFile(context.Background(), filepath.Join(t.TempDir(), "nope.csv"), Auto, Options{})
		wantInvalid(t, err, "nope.csv", "no such file")
	})
	t.Run("FolderWithoutHSDS", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "locations.csv"), []byte("id,name\n"), 0o600)
		_, err := ReadFile(context.Background(), dir, Auto, Options{})
		wantInvalid(t, err, "not an HSDS package", "organizations.csv")
	})
	t.Run("FolderAsCSV", func(t *testing.T) {
		_, err := ReadFile(context.Background(), hsdsDir, CSV, Options{})
		wantInvalid(t, err, "a folder")
	})
	t.Run("Cancelled", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := ReadFile(ctx, samhsaFile, Auto, Options{})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("error %v, want context.Canceled", err)
		}
	})
}

func TestFindTreatmentRows(t *testing.T) {
	in := `{"page": 1, "totalPages": 1, "recordCount": 4, "rows": [
 {"frid": "a1", "name1": "One", "zip": 22902, "latitude": 38.02, "longitude": "-78.47", "services": [{"f1": "x", "f2": "EXCL", "f3": "DUI/DWI clients"}]},
 {"frid": "a2", "name1": "", "zip": "22902"},
 {"frid": "a3", "name1": "Three", "zip": "22902", "services": "none"},
 {"frid": "a4", "name1": "Four", "zip": "22902", "latitude": "north", "longitude": "-78"},
 {"frid": "A1", "name1": "One again", "zip": "22902", "services": [{"f2": "GN", "f3": "Female"}]}
]}`
	res, err := readBytes(t, "ft.json", []byte(in), Auto, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Rows != 5 || len(res.Facilities) != 2 {
		t.Fatalf("%d rows, %d facilities; problems %v", res.Rows, len(res.Facilities), res.Problems)
	}
	one := res.Facilities[0]
	if one.ZIP != "22902" || one.Lat != 38.02 || one.Lon != -78.47 || !slices.Equal(one.Services, []string{"DUO", "FEM"}) {
		t.Errorf("first %+v", one)
	}
	for _, want := range []Problem{
		{Line: 3, Field: "name", Reason: "no name", Skipped: true},
		{Line: 4, Field: "services", Reason: "not a facility row", Skipped: true},
		{Line: 5, Field: "lat", Reason: "not a place on Earth"},
		{Line: 6, Field: "key", Reason: "same facility as line 2"},
	} {
		if !hasProblem(res, want.Line, want.Field, want.Reason, want.Skipped) {
			t.Errorf("no problem %+v among %v", want, res.Problems)
		}
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name, file, head string
		want             Format
		err              string
	}{
		{"FindTreatment", "x.json", `{"page":1,"rows":[{"frid":"1"`, FindTreatment, ""},
		{"FindTreatmentName1", "x.txt", "\xef\xbb\xbf  {\"rows\": [{\"name1\": \"A\"", FindTreatment, ""},
		{"SAMHSA", "x.csv", "Year,Page,Center_name,Street_address,City,State,Postal_code,Phone,Keys\n", SAMHSA2017, ""},
		{"SAMHSAQuoted", "x.csv", "\"Center_name\",\"Keys\",\"City\"\r\n", SAMHSA2017, ""},
		{"OurCSV", "x.csv", "name,zip\n", CSV, ""},
		{"OneColumn", "x.csv", "name\nHope\n", CSV, ""},
		{"Zip", "x.zip", "PK\x03\x04", HSDS, ""},
		{"Empty", "x.csv", "", "", "empty file"},
		{"OtherJSON", "x.json", `[{"a":1}]`, "", "unknown format"},
		{"Text", "notes.txt", "hello there\nhow are you", "", "unknown format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Detect(tt.file, []byte(tt.head))
			if tt.err != "" {
				wantInvalid(t, err, tt.file, tt.err)
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("Detect = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
