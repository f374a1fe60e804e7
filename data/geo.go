package data

import (
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
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

// ZIPTable locates ZIP codes by their census centroids. It is kept small
// (about 400 KB for the 33,000 ZCTAs, where maps of strings took several
// MB): the ZIP codes as numbers, sorted for a binary search, and beside
// them their centroids in micro-degrees, which hold the census file's six
// decimals exactly.
type ZIPTable struct {
	zips   []uint32     // five-digit ZIP codes, sorted, each once
	at     [][2]int32   // zips[i]'s latitude and longitude in micro-degrees
	prefix [1000]LatLon // three-digit prefix -> mean of its ZIPs; zero for none
}

// LoadZIPs reads "zip,lat,lon" lines (the census ZCTA centroids). A ZIP
// listed twice is where its last line puts it.
func LoadZIPs(r io.Reader) (*ZIPTable, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	type row struct {
		zip uint32
		at  [2]int32
	}
	var rows []row
	var sums [1000][3]float64
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
		zip, ok := zipNumber(rec[0])
		if err1 != nil || err2 != nil || !ok || len(rec[0]) != 5 || math.IsNaN(lat) || math.IsNaN(lon) || math.Abs(lat) > 90 || math.Abs(lon) > 180 {
			return nil, fmt.Errorf("ZIP centroids line %d: bad row %q", line, strings.Join(rec, ","))
		}
		rows = append(rows, row{zip, [2]int32{int32(math.Round(lat * 1e6)), int32(math.Round(lon * 1e6))}})
		s := &sums[zip/100]
		s[0], s[1], s[2] = s[0]+lat, s[1]+lon, s[2]+1
	}
	// Stable, so that of a ZIP listed twice the last line comes last.
	slices.SortStableFunc(rows, func(a, b row) int { return cmp.Compare(a.zip, b.zip) })
	t := &ZIPTable{zips: make([]uint32, 0, len(rows)), at: make([][2]int32, 0, len(rows))}
	for i, r := range rows {
		if i+1 < len(rows) && rows[i+1].zip == r.zip {
			continue
		}
		t.zips = append(t.zips, r.zip)
		t.at = append(t.at, r.at)
	}
	for k, s := range sums {
		if s[2] > 0 {
			t.prefix[k] = LatLon{s[0] / s[2], s[1] / s[2]}
		}
	}
	return t, nil
}

// zipNumber reads a string of decimal digits (at most nine).
func zipNumber(s string) (uint32, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	var n uint32
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + uint32(s[i]-'0')
	}
	return n, true
}

// Locate returns where a ZIP code is. A ZIP without a centroid of its own
// (a PO box, a company's unique ZIP) falls back to the middle of its
// three-digit area, and approx says so.
func (t *ZIPTable) Locate(zip string) (p LatLon, approx, ok bool) {
	if t == nil || len(zip) < 5 {
		return LatLon{}, false, false
	}
	if n, ok := zipNumber(zip[:5]); ok {
		if i, found := slices.BinarySearch(t.zips, n); found {
			// A micro-degree count over 1e6 is the nearest float64 to the
			// decimal the file had, as ParseFloat would give.
			return LatLon{float64(t.at[i][0]) / 1e6, float64(t.at[i][1]) / 1e6}, false, true
		}
	}
	if n, ok := zipNumber(zip[:3]); ok && t.prefix[n] != (LatLon{}) {
		return t.prefix[n], true, true
	}
	return LatLon{}, false, false
}

// Len returns how many ZIP codes the table knows.
func (t *ZIPTable) Len() int { return len(t.zips) }
