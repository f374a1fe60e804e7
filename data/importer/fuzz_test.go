package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"connectpoint/data"
)

// Fuzzing: no input may panic, and whatever comes out must hold together.
// Run each for a while with
//
//	go test -run '^$' -fuzz FuzzReadSAMHSA -fuzztime 30s ./data/importer/
//
// Inputs that once failed are kept under testdata/fuzz and run with every
// go test.

const fuzzMax = 1 << 20

// checkResult is what every import must satisfy, whatever the input.
func checkResult(t *testing.T, res *Result, err error) {
	t.Helper()
	if err != nil {
		var de *data.Error
		if !errors.As(err, &de) || de.Code != data.EINVALID || de.Message == "" {
			t.Fatalf("error %v (%T) is not a data.Error with code %s", err, err, data.EINVALID)
		}
		return
	}
	keys := map[string]bool{}
	for _, f := range res.Facilities {
		if strings.TrimSpace(f.Name) == "" {
			t.Fatalf("line %d: a facility without a name", f.Line)
		}
		if !strings.HasPrefix(f.Key, "frid:") && !strings.HasPrefix(f.Key, "nameaddr:") || keys[f.Key] {
			t.Fatalf("line %d: key %q bad or not unique", f.Line, f.Key)
		}
		keys[f.Key] = true
		if err := f.Validate(); err != nil {
			t.Fatalf("line %d: invalid facility: %v", f.Line, err)
		}
		if !sort.StringsAreSorted(f.Services) {
			t.Fatalf("line %d: services not sorted: %v", f.Line, f.Services)
		}
	}
	for _, p := range res.Problems {
		if p.Line < 0 || p.Reason == "" {
			t.Fatalf("problem %+v", p)
		}
	}
	for k, n := range res.Capacity {
		if !keys[k] || n < 0 {
			t.Fatalf("capacity %d for %q", n, k)
		}
	}
	if res.Rows < 0 || len(res.Facilities) > res.Rows*8+8 {
		t.Fatalf("%d facilities from %d rows", len(res.Facilities), res.Rows)
	}
}

// seedLines adds the first lines of a real file as seeds. Seeds are kept
// to a few rows: whole files are read by the ordinary tests, and as seeds
// they slow the fuzzer to a crawl (each new input is minimised byte by
// byte, which for 200 KB takes longer than the whole run).
func seedLines(f *testing.F, path string, lines ...int) {
	b, err := os.ReadFile(path)
	if err != nil {
		f.Fatalf("seed: %v", err)
	}
	all := bytes.SplitAfter(b, []byte("\n"))
	for _, n := range lines {
		f.Add(bytes.Join(all[:min(n, len(all))], nil))
	}
}

// seedRows adds one seed: the header and the given lines of a real file.
func seedRows(f *testing.F, path string, lines ...int) {
	b, err := os.ReadFile(path)
	if err != nil {
		f.Fatalf("seed: %v", err)
	}
	all := bytes.SplitAfter(b, []byte("\n"))
	seed := slices.Clone(all[0])
	for _, n := range lines {
		seed = append(seed, all[n-1]...)
	}
	f.Add(seed)
}

// seedFindTreatment adds the real export cut to its first rows, as JSON.
func seedFindTreatment(f *testing.F, rows ...int) {
	b, err := os.ReadFile(ftFile)
	if err != nil {
		f.Fatalf("seed: %v", err)
	}
	var export map[string]any
	if err := json.Unmarshal(b, &export); err != nil {
		f.Fatal(err)
	}
	all := export["rows"].([]any)
	for _, n := range rows {
		export["rows"] = all[:min(n, len(all))]
		out, _ := json.MarshalIndent(export, "", " ")
		f.Add(out)
	}
}

func FuzzReadFindTreatment(f *testing.F) {
	seedFindTreatment(f, 1, 3)
	f.Add([]byte(`{"page":1,"totalPages":1,"recordCount":1,"rows":[{"frid":"a","name1":"A","zip":"22902","latitude":"38","longitude":"-78","services":[{"f1":"x","f2":"PAY","f3":"Medicaid; Cash or self-payment"}]}]}`))
	f.Add([]byte(`{"rows":[{"frid":null,"name1":1,"zip":22902.5,"latitude":true,"services":[{"f2":"OL","f3":"German"}]}],"rows":[]}`))
	f.Add([]byte(`{"rows":[[],{},"x",1,null]}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		res, err := Read(context.Background(), "f.json", bytes.NewReader(in), FindTreatment, Options{MaxBytes: fuzzMax})
		checkResult(t, res, err)
	})
}

func FuzzReadSAMHSA(f *testing.F) {
	seedLines(f, samhsaFile, 3)
	seedRows(f, samhsaFile, 15, 100)  // intakes, extensions
	seedRows(f, samhsaFile, 82, 83)   // the same facility twice
	seedRows(f, samhsaFile, 439)      // an entry run into Keys
	seedRows(f, samhsaFile, 449, 426) // ligatures
	f.Add([]byte("Year,Page,Center_name,Street_address,City,State,Postal_code,Phone,Keys\n" +
		"2017,1,˛e P˛resholds O˚ce,1 ˛eodore St,Uˇuincy,IL,60000,(630) 555-0100x1 Intakes: (630) 555-0101 (630) 555- 0102x3,SAF SA NP DUCCHC 1 Main Street Aurora, IL 60505 (630) 555-0199 Intake: (630) 555-0198 MHSAF SS\n"))
	f.Add([]byte("Center_name,Keys,Street_address,City,State,Postal_code,Phone\nA,SAF AH1 2 3 Street X, IL 12345 (111) 111-1111,,,,,\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		res, err := Read(context.Background(), "s.csv", bytes.NewReader(in), SAMHSA2017, Options{MaxBytes: fuzzMax})
		checkResult(t, res, err)
	})
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("name,street,city,state,zip,phone,intake_phone,website,lat,lon,services,frid\n"+
		"Hope House,1 Main St,Naperville,IL,60540,630-555-0142,,https://hope.example,41.77,-88.15,RES;RS SS MD lang:PL,\n"+
		"\"Gate\nway\",,,,,,,,41.8,-88.2,OP,\n"), false)
	f.Add([]byte("Program;Addr;Postal;Codes\nHope;1 Main St;2134;NP\n"), true)
	f.Add([]byte("name,zip\n\x93Caf\xe9\x94,60540\nA,\"6\"0540\n"), false)
	f.Add([]byte("NAME\tLatitude\tLongitude\tverified_at\nHope\t91\t-200\t2025-01-02\n"), false)
	f.Fuzz(func(t *testing.T, in []byte, mapped bool) {
		opt := Options{MaxBytes: fuzzMax}
		if mapped {
			opt.Mapping = map[string]string{"name": "Program", "street": "Addr", "zip": "Postal", "services": "Codes"}
		}
		res, err := Read(context.Background(), "c.csv", bytes.NewReader(in), CSV, opt)
		checkResult(t, res, err)
	})
}

// FuzzReadHSDS replaces one file of the fixture package (chosen by which)
// with the fuzzed bytes.
func FuzzReadHSDS(f *testing.F) {
	entries, err := os.ReadDir(hsdsDir)
	if err != nil {
		f.Fatal(err)
	}
	// The package is the fixture cut to its header and first three rows
	// per file, and the seeds are those cuts: each run reads the whole
	// package, and the fuzzer minimises every new input in time that grows
	// with the square of its size, so small files let it get on with
	// fuzzing.
	base := fstest.MapFS{}
	var names []string
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(hsdsDir, e.Name()))
		if err != nil {
			f.Fatal(err)
		}
		lines := bytes.SplitAfter(b, []byte("\n"))
		base[e.Name()] = &fstest.MapFile{Data: bytes.Join(lines[:min(4, len(lines))], nil)}
		names = append(names, e.Name())
	}
	sort.Strings(names)
	for i, n := range names {
		f.Add(base[n].Data, uint8(i))
	}
	f.Add([]byte("id,service_id,unit_id,available,maximum,description,updated\nx,e5b0c1d2-0000-4000-9000-000000000001,,NaN,,,2026-01-01\n"), uint8(slices.Index(names, "service_capacity.csv")))
	f.Fuzz(func(t *testing.T, in []byte, which uint8) {
		fsys := fstest.MapFS{}
		for k, v := range base {
			fsys[k] = v
		}
		fsys[names[int(which)%len(names)]] = &fstest.MapFile{Data: in}
		res, err := readHSDS(context.Background(), "pkg", fsys, fuzzMax)
		checkResult(t, res, err)
	})
}
