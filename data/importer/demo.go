package importer

import (
	"bytes"
	"context"

	"connectpoint/assets"
	"connectpoint/data"
)

// DemoDirectory reads the Illinois directory embedded in the program, the
// facilities of the demo program (`connectpoint demo` and the window's
// "Explore with demo data").
func DemoDirectory(ctx context.Context) ([]data.Facility, error) {
	res, err := Read(ctx, assets.IllinoisDirectoryName, bytes.NewReader(assets.IllinoisDirectory), SAMHSA2017, Options{})
	if err != nil {
		return nil, err
	}
	out := make([]data.Facility, len(res.Facilities))
	for i, f := range res.Facilities {
		out[i] = f.Facility
	}
	return out, nil
}
