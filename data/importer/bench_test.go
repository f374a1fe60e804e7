package importer

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
)

// BenchmarkReadSAMHSAIllinois reads the 607 rows of the real 2017 file,
// repairs and all.
func BenchmarkReadSAMHSAIllinois(b *testing.B) {
	in, err := os.ReadFile(samhsaFile)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(in)))
	rows := 0
	for b.Loop() {
		res, err := Read(context.Background(), "il.csv", bytes.NewReader(in), Auto, Options{})
		if err != nil {
			b.Fatal(err)
		}
		rows += res.Rows
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// gen20k makes a 20,000-row CSV in our own format, the same every time.
func gen20k() []byte {
	var sb strings.Builder
	sb.WriteString("name,name2,street,street2,city,state,zip,phone,intake_phone,website,lat,lon,services,type,verified_at\n")
	words := []string{"Gateway", "Serenity", "Hope", "New Day", "Harbor", "Stepping Stones", "Lighthouse", "Pathways", "Renewal", "Bridge"}
	kinds := []string{"Recovery Center", "Treatment Services", "House", "Behavioral Health", "Clinic"}
	streets := []string{"Main Street", "Oak Avenue", "Washington Street", "Lake Street", "Ogden Avenue", "Roosevelt Road"}
	cities := []struct{ city, zip string }{{"Naperville", "60540"}, {"Aurora", "60505"}, {"Waukegan", "60085"},
		{"Joliet", "60432"}, {"Elgin", "60120"}, {"Chicago", "60612"}}
	services := []string{"RES;RS;SS;MD;MALE;ADLT", "OP;ORT;OIT;SS;MD;PI;ADLT;SP", "OTP OMB MM BU MD MC SF ADLT",
		"DT;RD;HID;MD;PI;MC;ADLT", "HH;SS;PA;MALE;ADLT;VET", "OP ODT BU NXN MD PI SF ADLT CHLD LANG:pl"}
	for i := 0; i < 20000; i++ {
		c := cities[i%len(cities)]
		fmt.Fprintf(&sb, "%s %s %d,,%d %s,Suite %d,%s,IL,%s,(630) 555-%04d,630-555-%04d x%d,https://f%d.example.org,%.5f,%.5f,%s,SAF,2025-%02d-%02d\n",
			words[i%len(words)], kinds[i/7%len(kinds)], i, 100+i%9000, streets[i/3%len(streets)], i%400, c.city, c.zip,
			i%10000, (i*7)%10000, i%100, i, 41.5+float64(i%800)/1000, -88.4+float64(i%700)/1000,
			services[i%len(services)], 1+i%12, 1+i%28)
	}
	return []byte(sb.String())
}

// BenchmarkRead20k parses a county-to-state-sized directory: the import of
// 20,000 rows, store included, has 2 s; parsing should take well under 0.5 s.
func BenchmarkRead20k(b *testing.B) {
	in := gen20k()
	b.SetBytes(int64(len(in)))
	rows := 0
	for b.Loop() {
		res, err := Read(context.Background(), "20k.csv", bytes.NewReader(in), CSV, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Facilities) != 20000 || len(res.Problems) != 0 {
			b.Fatalf("%d facilities, problems %v", len(res.Facilities), res.Problems[:min(3, len(res.Problems))])
		}
		rows += res.Rows
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
