package importer

import (
	"slices"
	"testing"
	"time"
)

func TestCSV(t *testing.T) {
	const header = "name,street,city,state,zip,phone,intake_phone,website,lat,lon,services,frid\n"
	tests := []struct {
		name       string
		input      string
		opt        Options
		facilities int
		rows       int
		problems   []Problem // each must be among the problems
		check      func(t *testing.T, res *Result)
	}{
		{"OwnFormat", header +
			"Hope House,1 Main St,Naperville,IL,60540,630-555-0142,,https://hope.example,41.77,-88.15,RES;RS SS MD lang:PL,\n" +
			"Gateway,,,,,,,,41.8,-88.2,OP,\n",
			Options{}, 2, 2, nil,
			func(t *testing.T, res *Result) {
				f := res.Facilities[0]
				if f.Phone != "(630) 555-0142" || f.Lat != 41.77 || !slices.Equal(f.Services, []string{"LANG:pl", "MD", "RES", "RS", "SS"}) {
					t.Errorf("%+v", f)
				}
				if f.Key != "nameaddr:hope house|1 main|60540" {
					t.Errorf("key %q", f.Key)
				}
			}},
		{"HeadersAnyCase", "NAME,Zip Code,Latitude,Longitude\nHope House,60540,,\n", Options{}, 1, 1, nil, nil},
		{"Mapping", "Program,Addr,Town,St,Postal,Tel,Codes\nHope House,1 Main St,Naperville,IL,60540,(630) 555-0142,NP\n",
			Options{Mapping: map[string]string{"name": "Program", "street": "Addr", "city": "Town", "state": "St",
				"zip": "Postal", "phone": "Tel", "services": "Codes"}}, 1, 1, nil,
			func(t *testing.T, res *Result) {
				f := res.Facilities[0]
				if f.Street != "1 Main St" || f.City != "Naperville" || f.ZIP != "60540" || !slices.Equal(f.Services, []string{"NP"}) {
					t.Errorf("%+v", f)
				}
			}},
		{"FRIDKey", header + "Hope House,,,,60540,,,,,,,ABC123\n", Options{}, 1, 1, nil,
			func(t *testing.T, res *Result) {
				if k := res.Facilities[0].Key; k != "frid:abc123" {
					t.Errorf("key %q", k)
				}
			}},
		{"MissingAndExtraCells", header +
			"Hope House,1 Main St,Naperville,IL,60540,,,,,,,\n" +
			"Short Row,1 Oak St,Aurora,IL\n" +
			"Long Row,1 Elm St,Aurora,IL,60505,,,,,,,,extra\n" +
			"Gateway,2 Main St,Naperville,IL,60540,,,,,,,\n",
			Options{}, 2, 4, []Problem{
				{Line: 3, Reason: "the row has 4 cells, the header 12", Skipped: true},
				{Line: 4, Reason: "the row has 13 cells, the header 12", Skipped: true},
			}, nil},
		{"BadQuoteSkipsOneRow", "name,zip\nHope \"House,60540\nGateway,60540\n", Options{}, 1, 2,
			[]Problem{{Line: 2, Reason: "not valid CSV", Skipped: true}}, nil},
		{"RowsThatCannotBePlaced", "name,zip,city,state\n,60540,,\nNowhere,,Aurora,\n", Options{}, 0, 2, []Problem{
			{Line: 2, Field: "name", Reason: "no name", Skipped: true},
			{Line: 3, Field: "zip", Reason: "no ZIP, coordinates, or city and state", Skipped: true},
		}, nil},
		{"Repairs", "name,zip,phone,lat,lon,services\nHope House,2134,call us,91,10,RES XYZ\n", Options{}, 1, 1, []Problem{
			{Line: 2, Field: "zip", Reason: `ZIP "2134" lost its leading zero; read as 02134`},
			{Line: 2, Field: "phone", Reason: "not a 10-digit phone number"},
			{Line: 2, Field: "lat", Reason: "not a place on Earth"},
			{Line: 2, Field: "services", Reason: "unknown codes left out: XYZ"},
		}, nil},
		{"Duplicate", "name,street,zip\nHope House Inc,1 Main Street Suite 2,60540\nHOPE HOUSE,1 Main St.,60540-1234\n", Options{}, 1, 2,
			[]Problem{{Line: 3, Field: "key", Reason: "same facility as line 2"}}, nil},
		{"WindowsLatin", "name,zip\n\x93Caf\xe9 Hope\x94,60540\n", Options{}, 1, 1,
			[]Problem{{Line: 0, Reason: "file is not UTF-8 (first at line 2); read as Windows-1252"}},
			func(t *testing.T, res *Result) {
				if n := res.Facilities[0].Name; n != "“Café Hope”" {
					t.Errorf("name %q", n)
				}
			}},
		{"Semicolons", "name;zip;services\nHope House;60540;RES,SS\n", Options{}, 1, 1, nil,
			func(t *testing.T, res *Result) {
				if s := res.Facilities[0].Services; !slices.Equal(s, []string{"RES", "SS"}) {
					t.Errorf("services %v", s)
				}
			}},
		{"QuotedMultiline", "name,street,zip\n\"Hope\nHouse\",\"1 Main St\",60540\nGateway,2 Main St,60540\n", Options{}, 2, 2, nil,
			func(t *testing.T, res *Result) {
				if f := res.Facilities[1]; f.Line != 4 || res.Facilities[0].Name != "Hope House" {
					t.Errorf("line %d, name %q", f.Line, res.Facilities[0].Name)
				}
			}},
		{"VerifiedAt", "name,zip,verified_at\nHope,60540,2025-03-14\nGate,60541,yesterday\n", Options{}, 2, 2,
			[]Problem{{Line: 3, Field: "verified_at", Reason: "not a date"}},
			func(t *testing.T, res *Result) {
				if v := res.Facilities[0].VerifiedAt; !v.Equal(time.Date(2025, 3, 14, 0, 0, 0, 0, time.UTC)) {
					t.Errorf("verified %v", v)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := readBytes(t, "f.csv", []byte(tt.input), Auto, tt.opt)
			if err != nil {
				t.Fatal(err)
			}
			if res.Format != CSV || len(res.Facilities) != tt.facilities || res.Rows != tt.rows {
				t.Errorf("format %s, %d facilities, %d rows; want %d, %d; problems %v", res.Format, len(res.Facilities), res.Rows, tt.facilities, tt.rows, res.Problems)
			}
			for _, want := range tt.problems {
				if !hasProblem(res, want.Line, want.Field, want.Reason, want.Skipped) {
					t.Errorf("no problem %+v among %v", want, res.Problems)
				}
			}
			if tt.check != nil && len(res.Facilities) == tt.facilities {
				tt.check(t, res)
			}
		})
	}
}
