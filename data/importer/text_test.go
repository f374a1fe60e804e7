package importer

import (
	"strings"
	"testing"

	"connectpoint/data"
)

func TestRepairLigatures(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Addictions Associates ˛erapy Inc", "Addictions Associates Therapy Inc"},
		{"Alexian Brothers ˛e Harbor", "Alexian Brothers The Harbor"},
		{"˛ompson Counseling Services", "Thompson Counseling Services"},
		{"406 ˛eodore Street", "406 Theodore Street"},
		{"P˛resholds", "Thresholds"},
		{"O˛resholds West", "Thresholds West"},
		{"Soˆ Landing", "Soft Landing"},
		{"Spring˝eld", "Springfield"},
		{"Je˜erson Street", "Jefferson Street"},
		{"Alton O˚ce", "Alton Office"},
		{"Du ˇuoin", "Du Quoin"},
		{"Uˇuad Cities", "Quad Cities"},
		{"medically assisted detoxi˝cation", "medically assisted detoxification"},
		{"with ˛e family", "with the family"},
		{"˛E CENTER", "THE CENTER"},
		{"No damage here", "No damage here"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, changed := repairLigatures(tt.in, ligaturesCSV)
			if got != tt.want || changed != (tt.in != tt.want) {
				t.Errorf("repairLigatures(%q) = %q, %v; want %q", tt.in, got, changed, tt.want)
			}
		})
	}
}

func TestKeys(t *testing.T) {
	tests := []struct {
		name string
		a, b data.Facility
		same bool
	}{
		{"Abbreviations", data.Facility{Name: "Hope House, Inc.", Street: "1014 East Market Street", ZIP: "22902"},
			data.Facility{Name: "HOPE HOUSE", Street: "1014 E Market St Suite 2", ZIP: "22902-1234"}, true},
		{"StreetTypeIgnored", data.Facility{Name: "Safe Haven", Street: "7346 South Kingston Avenue", ZIP: "60649"},
			data.Facility{Name: "Safe Haven", Street: "7346 South Kingston Street", ZIP: "60649"}, true},
		{"NorthAvenueIsAName", data.Facility{Name: "Harbor", Street: "826 North Avenue", ZIP: "60085"},
			data.Facility{Name: "Harbor", Street: "826 North Street", ZIP: "60085"}, false},
		{"OtherNumber", data.Facility{Name: "Hope", Street: "469 North Lake Street", ZIP: "60506"},
			data.Facility{Name: "Hope", Street: "479 North Lake Street", ZIP: "60506"}, false},
		{"FRIDWins", data.Facility{Name: "A", FRID: "ABC"}, data.Facility{Name: "B", FRID: "abc"}, true},
		{"Ampersand", data.Facility{Name: "Drug & Alcohol Center", ZIP: "60540"},
			data.Facility{Name: "Drug and Alcohol Center", ZIP: "60540"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ka, kb := makeKey(&tt.a), makeKey(&tt.b)
			if (ka == kb) != tt.same {
				t.Errorf("keys %q and %q: same = %v, want %v", ka, kb, ka == kb, tt.same)
			}
		})
	}
}

// TestLargeRows makes sure that what would be quadratic in a row's or a
// file's size is not: each case would take minutes if it were.
func TestLargeRows(t *testing.T) {
	const samhsaHeader = "Year,Page,Center_name,Street_address,City,State,Postal_code,Phone,Keys\n"
	tests := []struct {
		name, file string
		input      string
		facilities int
	}{
		{"ManyJSONRows", "many.json", `{"rows": [` + strings.Repeat(`{"name1": "A", "zip": "22902", "street1": "1 Main St"},`+"\n", 100000) +
			`{"name1": "B", "zip": "22902"}]}`, 2},
		{"LongLigatureRun", "lig.csv", samhsaHeader + "2017,1,A" + strings.Repeat("˝", 200000) + ",1 Main St,Aurora,IL,60505,,SAF\n", 1},
		// Entries run into Keys are followed 8 deep; all are "X" at the same
		// address, so one facility besides A.
		{"LongKeys", "keys.csv", samhsaHeader + "2017,1,A,1 Main St,Aurora,IL,60505,,\"" +
			strings.Repeat("SAF X 1 Main Street Aurora, IL 60505 (630) 555-0100 ", 20000) + "\"\n", 2},
		{"LongPhone", "phone.csv", samhsaHeader + "2017,1,A,1 Main St,Aurora,IL,60505,(630) 555-0100 Intakes: " +
			strings.Repeat("(630) 555-0101 ", 50000) + ",SAF\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := readBytes(t, tt.file, []byte(tt.input), Auto, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Facilities) != tt.facilities {
				t.Errorf("%d facilities, want %d", len(res.Facilities), tt.facilities)
			}
		})
	}
}
