package importer

import (
	"flag"
	"os"
	"testing"
)

// TestMain caps the time the fuzzer spends minimising each new input at 5
// seconds unless -fuzzminimizetime is given. The default, a minute, is
// longer than a 30-second fuzzing run, and minimising takes time that grows
// with the square of the input's size: with it, a run that finds a new
// input early spends the rest of its time minimising it.
func TestMain(m *testing.M) {
	flag.Parse()
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "test.fuzzminimizetime" })
	if !set {
		flag.Set("test.fuzzminimizetime", "5s")
	}
	os.Exit(m.Run())
}
