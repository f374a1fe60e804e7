package data

import (
	"errors"
	"syscall"
)

// isErrno reports whether err wraps the named errno (portable names only).
func isErrno(err error, name string) bool {
	var errno syscall.Errno
	if !errors.As(err, &errno) {
		return false
	}
	switch name {
	case "EROFS":
		return errno == syscall.EROFS
	case "ENOSPC":
		return errno == syscall.ENOSPC
	}
	return false
}
