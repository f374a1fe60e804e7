// ConnectPoint is the desktop application of police-assisted addiction
// recovery programs. With no command it opens the window; with a command it
// serves administrators and automated tests (see usage, and the README).
//
// main wires things together and nothing else does: it opens the store and
// hands it to the GUI or to a command.
package main

import (
	"fmt"
	"io"
	"os"

	_ "connectpoint/internal/locale" // before Fyne reads the locale
)

// version is set at build time from git (see the Makefile).
var version = "dev"

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr))
}

// Exit codes, a contract with scripts.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

// run is the whole program minus the process: tests call it directly.
func run(args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	c, code, ok := parseGlobal(args, getenv, stdin, stdout, stderr)
	if !ok {
		return code
	}
	if len(c.args) == 0 {
		if err := startGUI(c.dataDir); err != nil {
			fmt.Fprintln(stderr, "connectpoint:", err)
			return exitFail
		}
		return exitOK
	}
	return c.dispatch()
}
