// Package startmark tells scripts/startup.sh when a window has started, so
// that the start of ConnectPoint's login window and of a blank Fyne window
// are measured at the same point, by the same code (DESIGN §7).
//
// That point is the first function Fyne's event loop runs. Fyne maps the
// window and draws its first frame inside ShowAndRun's Show, before the
// loop starts, so by then the first screen is on the display and the
// window answers keys and clicks. Nothing is written unless the variable
// Env names a file: a normal start costs one environment lookup.
package startmark

import (
	"os"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
)

// Env names the file the start time is written to.
const Env = "CONNECTPOINT_STARTED_FILE"

// Arm arranges for the start time to be written, as Unix microseconds and
// a newline, to the file that Env names. Call it just before ShowAndRun.
func Arm() {
	path := os.Getenv(Env)
	if path == "" {
		return
	}
	// fyne.Do from another goroutine queues the function for the event
	// loop; called on the main goroutine before Run, it would run at once.
	// The file is written away from the loop: it may be a pipe.
	go fyne.Do(func() {
		t := time.Now()
		go write(path, t)
	})
}

func write(path string, t time.Time) {
	if err := os.WriteFile(path, []byte(strconv.FormatInt(t.UnixMicro(), 10)+"\n"), 0o600); err != nil {
		fyne.LogError("write the start mark", err)
	}
}
