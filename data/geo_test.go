package data_test

import (
	"encoding/csv"
	"os"
	"strconv"
	"strings"
	"testing"

	"connectpoint/data"
)

// TestZIPTableEveryRow checks the compact table against the census file
// itself: every ZIP is where its line says, to the last bit of what
// ParseFloat reads, and every three-digit prefix falls back to the mean of
// its ZIPs.
func TestZIPTableEveryRow(t *testing.T) {
	f, err := os.Open("../assets/geo/us-zcta-centroids.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	recs = recs[1:] // the header
	z := loadZIPs(t)
	if z.Len() != len(recs) {
		t.Errorf("%d ZIPs in the table, %d lines in the file", z.Len(), len(recs))
	}
	sums := map[string][3]float64{}
	for _, r := range recs {
		lat, _ := strconv.ParseFloat(r[1], 64)
		lon, _ := strconv.ParseFloat(r[2], 64)
		p, approx, ok := z.Locate(r[0])
		if !ok || approx || p != (data.LatLon{Lat: lat, Lon: lon}) {
			t.Fatalf("%s: %v approx=%v ok=%v, want %v,%v", r[0], p, approx, ok, lat, lon)
		}
		if p2, _, _ := z.Locate(r[0] + "-1234"); p2 != p {
			t.Fatalf("%s-1234: %v, want %v", r[0], p2, p)
		}
		s := sums[r[0][:3]]
		sums[r[0][:3]] = [3]float64{s[0] + lat, s[1] + lon, s[2] + 1}
	}
	exact := map[string]bool{}
	for _, r := range recs {
		exact[r[0]] = true
	}
	for n := 0; n < 1000; n++ {
		pre := strconv.Itoa(1000 + n)[1:]
		zip := pre + "00"
		for i := 0; i < 100 && exact[zip]; i++ {
			zip = pre + strconv.Itoa(100 + i)[1:]
		}
		if exact[zip] {
			continue // every ZIP of the prefix has a centroid
		}
		p, approx, ok := z.Locate(zip)
		s, known := sums[pre]
		switch {
		case !known && ok:
			t.Errorf("%s located at %v, its prefix has no ZIPs", zip, p)
		case known && (!ok || !approx || p != (data.LatLon{Lat: s[0] / s[2], Lon: s[1] / s[2]})):
			t.Errorf("%s: %v approx=%v ok=%v, want the mean of %s", zip, p, approx, ok, pre)
		}
	}
}

func TestLoadZIPs(t *testing.T) {
	z, err := data.LoadZIPs(strings.NewReader("zip,lat,lon\n60540,41.766,-88.149\n01001,42.062,-72.625\n60540,41.5,-88.5\n60541,41.7,-88.1\n"))
	if err != nil {
		t.Fatal(err)
	}
	if z.Len() != 3 {
		t.Errorf("Len %d, want 3", z.Len())
	}
	mean := func(xs ...float64) float64 {
		var s float64
		for _, x := range xs {
			s += x
		}
		return s / float64(len(xs))
	}
	area := data.LatLon{Lat: mean(41.766, 41.5, 41.7), Lon: mean(-88.149, -88.5, -88.1)}
	for _, c := range []struct {
		zip        string
		want       data.LatLon
		approx, ok bool
	}{
		{"60540", data.LatLon{Lat: 41.5, Lon: -88.5}, false, true}, // the last line wins
		{"01001", data.LatLon{Lat: 42.062, Lon: -72.625}, false, true},
		{"60599", area, true, true},
		{"605AB", area, true, true},
		{"01002", data.LatLon{Lat: 42.062, Lon: -72.625}, true, true},
		{"99999", data.LatLon{}, false, false},
		{"6054", data.LatLon{}, false, false},
		{"AB540", data.LatLon{}, false, false},
		{"", data.LatLon{}, false, false},
	} {
		p, approx, ok := z.Locate(c.zip)
		if p != c.want || approx != c.approx || ok != c.ok {
			t.Errorf("Locate(%q) = %v, %v, %v; want %v, %v, %v", c.zip, p, approx, ok, c.want, c.approx, c.ok)
		}
	}
	for _, bad := range []string{"6054,41,-88\n", "6054A,41,-88\n", "60540,x,-88\n", "60540,41\n"} {
		if _, err := data.LoadZIPs(strings.NewReader(bad)); err == nil {
			t.Errorf("%q loaded", bad)
		}
	}
	var none *data.ZIPTable
	if _, _, ok := none.Locate("60540"); ok {
		t.Error("a nil table located a ZIP")
	}
}
