// Package locale reads a C or POSIX locale as English before Fyne looks.
//
// Fyne parses the process's locale in its package initialisers and logs
// an error for "C" (the locale of servers, containers and CI), three lines
// on stderr for every command. Go initialises packages in import-path
// order once their dependencies are ready, so this package, which needs
// only the standard library, runs first: importing it for its side effect
// from main is enough.
package locale

import "os"

func init() {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		switch v := os.Getenv(k); v {
		case "C", "POSIX", "C.UTF-8", "C.utf8":
			os.Setenv(k, "en_US.UTF-8")
		case "":
			continue
		}
		return // the first one set decides, as in the C library
	}
}
