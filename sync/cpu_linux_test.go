//go:build linux

package sync_test

import (
	"syscall"
	"time"
)

// cpuTime is the processor time the process has used: on a machine that
// others share, it says what a benchmark costs better than the clock does.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
