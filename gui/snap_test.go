package gui

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
)

// snap saves what the window shows as a PNG in the folder CP_SNAP names,
// for a person to look at a screen the way a test drove it:
// CP_SNAP=/tmp/snap go test ./gui -run TestRevokeConsentOnTheCase
// Without CP_SNAP it does nothing.
func snap(t *testing.T, a *App, name string) {
	dir := os.Getenv("CP_SNAP")
	if dir == "" {
		return
	}
	a.win.Resize(fyne.NewSize(1230, 720))
	img := a.win.Canvas().Capture()
	f, err := os.Create(filepath.Join(dir, name+".png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}
