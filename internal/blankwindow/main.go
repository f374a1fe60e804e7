// Command blankwindow opens an empty Fyne window the size of ConnectPoint's
// and runs until it is closed: the floor that scripts/startup.sh measures
// ConnectPoint's start and memory against (DESIGN §7). It is built the way
// bin/connectpoint is (go build, the same Go, Fyne and build tags) and
// marks its start with the same code, so the difference between the two is
// ConnectPoint's own work.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	_ "connectpoint/internal/locale" // as in ConnectPoint: no locale noise on stderr
	"connectpoint/internal/startmark"
)

func main() {
	a := app.NewWithID("org.connectpoint.blankwindow")
	w := a.NewWindow("Blank Fyne window")
	w.Resize(fyne.NewSize(1100, 720)) // gui.New's size: the same pixels to draw
	startmark.Arm()
	w.ShowAndRun()
}
