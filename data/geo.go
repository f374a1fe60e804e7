package data

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// LatLon is a point on Earth in degrees.
type LatLon struct{ Lat, Lon float64 }

// Valid reports whether p is a real coordinate (0,0 stands for unknown).
func (p LatLon) Valid() bool {
	return !(p.Lat == 0 && p.Lon == 0) && p.Lat >= -90 && p.Lat <= 90 && p.Lon >= -180 && p.Lon <= 180
}

// Miles returns the great-circle distance between two points.
func Miles(a, b LatLon) float64 {
	const earthMiles = 3958.8
	rad := math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthMiles * math.Asin(math.Min(1, math.Sqrt(h)))
}

// ZIPTable locates ZIP codes by their census centroids.
type ZIPTable struct {
	exact  map[string]LatLon
	prefix map[string]LatLon // three-digit prefix -> mean of its ZIPs
}

// LoadZIPs reads "zip,lat,lon" lines (the census ZCTA centroids).
func LoadZIPs(r io.Reader) (*ZIPTable, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	t := &ZIPTable{exact: map[string]LatLon{}, prefix: map[string]LatLon{}}
	sums := map[string][3]float64{}
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("ZIP centroids line %d: %w", line, err)
		}
		if line == 1 && rec[0] == "zip" {
			continue
		}
		if len(rec) < 3 {
			return nil, fmt.Errorf("ZIP centroids line %d: want zip,lat,lon", line)
		}
		lat, err1 := strconv.ParseFloat(rec[1], 64)
		lon, err2 := strconv.ParseFloat(rec[2], 64)
		if err1 != nil || err2 != nil || len(rec[0]) != 5 {
			return nil, fmt.Errorf("ZIP centroids line %d: bad row %q", line, strings.Join(rec, ","))
		}
		p := LatLon{lat, lon}
		t.exact[rec[0]] = p
		s := sums[rec[0][:3]]
		sums[rec[0][:3]] = [3]float64{s[0] + lat, s[1] + lon, s[2] + 1}
	}
	for k, s := range sums {
		t.prefix[k] = LatLon{s[0] / s[2], s[1] / s[2]}
	}
	return t, nil
}

// Locate returns where a ZIP code is. A ZIP without a centroid of its own
// (a PO box, a company's unique ZIP) falls back to the middle of its
// three-digit area, and approx says so.
func (t *ZIPTable) Locate(zip string) (p LatLon, approx, ok bool) {
	if t == nil || len(zip) < 5 {
		return LatLon{}, false, false
	}
	zip = zip[:5]
	if p, ok := t.exact[zip]; ok {
		return p, false, true
	}
	if p, ok := t.prefix[zip[:3]]; ok {
		return p, true, true
	}
	return LatLon{}, false, false
}

// Len returns how many ZIP codes the table knows.
func (t *ZIPTable) Len() int { return len(t.exact) }
