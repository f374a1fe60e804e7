package assets

import (
	"bytes"
	_ "embed"
	"sync"

	"connectpoint/data"
)

// zipCentroids is the census ZCTA centroids file ("zip,lat,lon"), public
// domain; see ../shared/data/README.md for its source.
//
//go:embed geo/us-zcta-centroids.csv
var zipCentroids []byte

var (
	zipsOnce  sync.Once
	zipsTable *data.ZIPTable
	zipsErr   error
)

// ZIPs returns the embedded ZIP centroids, parsed once on first use.
func ZIPs() (*data.ZIPTable, error) {
	zipsOnce.Do(func() {
		zipsTable, zipsErr = data.LoadZIPs(bytes.NewReader(zipCentroids))
	})
	return zipsTable, zipsErr
}
