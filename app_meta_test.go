package main

import (
	"testing"

	"fyne.io/fyne/v2/app"
)

// The window can show what `connectpoint version` prints.
func TestAppMetadataCarriesVersion(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir()) // Fyne's preferences of the app, not the user's
	setAppMetadata()
	a := app.NewWithID(appID) // not run: no window, no display needed
	m := a.Metadata()
	if m.Version != version || m.Name != "ConnectPoint" || m.ID != appID || m.Icon == nil {
		t.Fatalf("metadata = %+v, want version %q, name ConnectPoint, ID %s, an icon", m, version, appID)
	}
}
