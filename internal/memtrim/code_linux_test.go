package memtrim

import (
	"crypto/sha256"
	"fmt"
	"os"
	"strings"
	"testing"
)

// written at run time: lives in a writable mapping, which must keep it.
var written = map[string]int{}

func TestReleaseCodeKeepsTheProgramWorking(t *testing.T) {
	for i := range 1000 {
		written[fmt.Sprint(i)] = i
	}
	before := readOnlyExeRSS(t)
	if before == 0 {
		t.Fatal("no resident read-only mapping of the test executable")
	}
	released := releaseCode()
	if released == 0 {
		t.Fatal("releaseCode released nothing")
	}
	if after := readOnlyExeRSS(t); after >= before {
		t.Errorf("resident read-only mappings of the executable: %d kB before, %d kB after", before>>10, after>>10)
	}
	// Code and data come back from the file when used again; what the
	// program wrote is still there.
	if got := fmt.Sprintf("%x", sha256.Sum256([]byte("abc"))); got != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("sha256 after release = %s", got)
	}
	for i := range 1000 {
		if written[fmt.Sprint(i)] != i {
			t.Fatalf("written[%d] = %d after release", i, written[fmt.Sprint(i)])
		}
	}
}

// readOnlyExeRSS sums Rss over the executable's mappings that cannot be written.
func readOnlyExeRSS(t *testing.T) uint64 {
	t.Helper()
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("/proc/self/smaps")
	if err != nil {
		t.Fatal(err)
	}
	var sum uint64
	mine := false
	for _, line := range strings.Split(string(b), "\n") {
		if _, _, perms, path, ok := mappingHeader([]byte(line)); ok {
			mine = path == exe && perms[1] != 'w'
			continue
		}
		if v, ok := smapsKB([]byte(line), "Rss:"); ok && mine {
			sum += v << 10
		}
	}
	return sum
}

func TestMappingHeader(t *testing.T) {
	lo, hi, perms, path, ok := mappingHeader([]byte("00405000-017d6000 r-xp 00005000 fd:01 1234      /opt/Connect Point/bin/connectpoint"))
	if !ok || lo != 0x405000 || hi != 0x17d6000 || perms != "r-xp" || path != "/opt/Connect Point/bin/connectpoint" {
		t.Errorf("got %x %x %q %q %v", lo, hi, perms, path, ok)
	}
	if _, _, _, path, ok := mappingHeader([]byte("7ffd1000-7ffd3000 rw-p 00000000 00:00 0")); !ok || path != "" {
		t.Errorf("anonymous mapping: path %q ok %v", path, ok)
	}
	for _, line := range []string{"Rss:                 124 kB", "VmFlags: rd ex mr mw me dw", ""} {
		if _, _, _, _, ok := mappingHeader([]byte(line)); ok {
			t.Errorf("%q read as a mapping", line)
		}
	}
}
