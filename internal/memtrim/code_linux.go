package memtrim

import (
	"bufio"
	"bytes"
	"golang.org/x/sys/unix"
	"os"
	"strconv"
)

// releaseCode hands back the pages of the program's own code and
// read-only data, returning how many bytes were resident in them before.
//
// The executable is mapped from its file, and Linux maps a page of it in
// the first time it is run or read. At the start the package initialisers
// of every library run once (the cloud storage clients alone have
// thousands), and a burst of work such as a report runs code the window
// then leaves alone: at the state size some 40 MB of a 70 MB program stayed
// resident, of which an idle window uses about 13 MB. MADV_PAGEOUT reclaims
// those pages (Linux 5.4 and later; elsewhere the call fails and nothing
// changes); code that runs again is read back from the file on its first
// use. MADV_DONTNEED would only unmap them, and Linux maps a page back
// with its cached neighbours (fault-around), which brought nearly all of
// it back within seconds.
//
// Only mappings of the executable that cannot be written and hold no
// private copy of a page (the "Anonymous:" line of smaps is 0) are
// released: a page the dynamic linker relocated before making it read-only
// is such a copy, and it must not be given up.
func releaseCode() uint64 {
	exe, err := os.Readlink("/proc/self/exe")
	if err != nil {
		return 0
	}
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return 0
	}
	defer f.Close()
	var (
		released        uint64
		lo, hi          uintptr
		mine            bool // a read-only mapping of the executable
		rss, anonymous  uint64
		haveRSS, haveAn bool
	)
	flush := func() {
		if mine && haveRSS && haveAn && anonymous == 0 && rss > 0 {
			_, _, errno := unix.Syscall(unix.SYS_MADVISE, lo, hi-lo, unix.MADV_PAGEOUT)
			if errno == 0 {
				released += rss
			}
		}
		mine, haveRSS, haveAn = false, false, false
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Bytes()
		if start, end, perms, path, ok := mappingHeader(line); ok {
			flush()
			lo, hi = start, end
			mine = path == exe && len(perms) == 4 && perms[1] != 'w'
			continue
		}
		if !mine {
			continue
		}
		if v, ok := smapsKB(line, "Rss:"); ok {
			rss, haveRSS = v<<10, true
		} else if v, ok := smapsKB(line, "Anonymous:"); ok {
			anonymous, haveAn = v, true
		}
	}
	flush()
	return released
}

// mappingHeader parses the first line of a mapping in smaps:
// "00405000-017d6000 r-xp 00005000 fd:01 1234   /path/to/file".
func mappingHeader(line []byte) (lo, hi uintptr, perms, path string, ok bool) {
	fields := bytes.Fields(line)
	if len(fields) < 5 {
		return 0, 0, "", "", false
	}
	dash := bytes.IndexByte(fields[0], '-')
	if dash < 0 {
		return 0, 0, "", "", false
	}
	a, err1 := strconv.ParseUint(string(fields[0][:dash]), 16, 64)
	b, err2 := strconv.ParseUint(string(fields[0][dash+1:]), 16, 64)
	if err1 != nil || err2 != nil || b <= a {
		return 0, 0, "", "", false
	}
	if len(fields) >= 6 { // the path is the rest of the line; it may hold spaces
		path = string(bytes.TrimSpace(line[bytes.Index(line, fields[5]):]))
	}
	return uintptr(a), uintptr(b), string(fields[1]), path, true
}

// smapsKB parses a line such as "Rss:   1234 kB".
func smapsKB(line []byte, key string) (uint64, bool) {
	if !bytes.HasPrefix(line, []byte(key)) {
		return 0, false
	}
	fields := bytes.Fields(line[len(key):])
	if len(fields) < 1 {
		return 0, false
	}
	v, err := strconv.ParseUint(string(fields[0]), 10, 64)
	return v, err == nil
}
