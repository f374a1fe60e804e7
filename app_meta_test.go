package main

import (
	"os"
	"testing"

	"fyne.io/fyne/v2/app"
)

// The window can show what `connectpoint version` prints.
func TestAppMetadataCarriesVersion(t *testing.T) {
	// Fyne's preferences of the app go to a folder of the test's, not the
	// user's. Fyne may still be writing there when the test ends, so the
	// folder is removed by hand, without failing on a late file.
	dir, err := os.MkdirTemp("", "connectpoint-meta-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	t.Setenv("XDG_CONFIG_HOME", dir)
	setAppMetadata()
	a := app.NewWithID(appID) // not run: no window, no display needed
	m := a.Metadata()
	if m.Version != version || m.Name != "ConnectPoint" || m.ID != appID || m.Icon == nil {
		t.Fatalf("metadata = %+v, want version %q, name ConnectPoint, ID %s, an icon", m, version, appID)
	}
}
