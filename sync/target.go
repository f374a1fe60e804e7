package sync

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
)

// Target is where a network's devices meet: a flat namespace of immutable
// files named by slash-separated paths. It is deliberately small (like
// litestream's ReplicaClient) so that a folder and an object store can both
// implement it faithfully.
type Target interface {
	// List returns the files whose names start with prefix, sorted by name.
	List(ctx context.Context, prefix string) ([]Entry, error)
	// Get returns a file's bytes; ErrNotFound when there is none.
	Get(ctx context.Context, name string) ([]byte, error)
	// Put creates a file. It never replaces one: when name exists it fails
	// with ErrExist and leaves the existing file alone.
	Put(ctx context.Context, name string, data []byte) error
	// Delete removes a file; deleting a missing file is not an error.
	Delete(ctx context.Context, name string) error
	// String describes the target for messages (never with credentials).
	String() string
	// Close releases connections.
	Close() error
}

// Entry is a file on a target.
type Entry struct {
	Name string
	Size int64
}

var (
	// ErrNotFound is returned by Get for a file that does not exist.
	ErrNotFound = errors.New("not found")
	// ErrExist is returned by Put for a file that already exists.
	ErrExist = errors.New("already exists")
	// ErrOffline marks errors that mean the target cannot be reached now
	// (no network, share not mounted, server down). The scheduler retries
	// those with backoff and shows "offline" instead of an error.
	ErrOffline = errors.New("sync target unreachable")
)

// offline wraps err so that errors.Is(err, ErrOffline) holds.
func offline(target string, err error) error {
	return &offlineError{target: target, err: err}
}

type offlineError struct {
	target string
	err    error
}

func (e *offlineError) Error() string {
	return fmt.Sprintf("%s is not reachable: %v", e.target, e.err)
}
func (e *offlineError) Unwrap() []error { return []error{ErrOffline, e.err} }

// IsOffline reports whether err means the target could not be reached.
func IsOffline(err error) bool { return errors.Is(err, ErrOffline) }

var (
	// ErrTargetReadOnly marks writes refused because the target is
	// read-only or this device's account may not write there.
	ErrTargetReadOnly = errors.New("sync target is read-only")
	// ErrTargetFull marks writes refused because the target is out of
	// space (or over its quota).
	ErrTargetFull = errors.New("sync target is full")
)

// unwritable wraps err, a refused write, as ErrTargetReadOnly or
// ErrTargetFull (kind), with a sentence that says what to do.
func unwritable(target string, kind error, err error) error {
	return &unwritableError{target: target, kind: kind, err: err}
}

type unwritableError struct {
	target string
	kind   error
	err    error
}

func (e *unwritableError) Error() string {
	what := "is read-only, or this computer's account may not write there"
	if e.kind == ErrTargetFull {
		what = "is full: free space there"
	}
	return fmt.Sprintf("%s %s; nothing was published, and this device's work is kept and goes out once it can write (%v)", e.target, what, e.err)
}
func (e *unwritableError) Unwrap() []error { return []error{e.kind, e.err} }

// isUnwritable reports whether err means the target refuses writes.
func isUnwritable(err error) bool {
	return errors.Is(err, ErrTargetReadOnly) || errors.Is(err, ErrTargetFull)
}

// OpenTarget opens the target a URL names:
//
//	/srv/share/connectpoint, \\server\share\cp, C:\Sync  a folder
//	file:///srv/share/connectpoint                      a folder
//	s3://bucket?endpoint=https://minio:9000&region=us-east-1&use_path_style=true
//	azblob://container                                  Azure Blob (account from the environment)
//
// Object-store credentials come from the environment, the way each cloud's
// tools expect them (AWS_ACCESS_KEY_ID..., AZURE_STORAGE_ACCOUNT...), never
// from the URL, so that the URL can be shown and stored.
func OpenTarget(ctx context.Context, rawURL string) (Target, error) {
	s := strings.TrimSpace(rawURL)
	if s == "" {
		return nil, fmt.Errorf("sync target: no URL given")
	}
	if isLocalPath(s) {
		return NewFolderTarget(s)
	}
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("sync target %q: %w", s, err)
	}
	switch u.Scheme {
	case "file":
		p := u.Path
		if u.Host != "" && u.Host != "localhost" {
			// file://server/share is a UNC path.
			p = `\\` + u.Host + filepath.FromSlash(u.Path)
		}
		return NewFolderTarget(p)
	case "s3", "azblob":
		return OpenBlobTarget(ctx, s)
	}
	return nil, fmt.Errorf("sync target %q: unknown kind %q (use a folder path, file://, s3:// or azblob://)", s, u.Scheme)
}

// isLocalPath tells a plain path (POSIX, Windows drive or UNC) from a URL.
func isLocalPath(s string) bool {
	switch {
	case strings.HasPrefix(s, "/"), strings.HasPrefix(s, `\\`), strings.HasPrefix(s, "."):
		return true
	case len(s) >= 3 && s[1] == ':' && (s[2] == '\\' || s[2] == '/'):
		return true // C:\ or C:/
	}
	return !strings.Contains(s, "://")
}

// checkName refuses names that could escape the target's root or that a
// folder cannot hold, so that a name read from a listing or built from a
// device ID is always safe to use as a path.
func checkName(name string) error {
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, `\`) || strings.Contains(name, "\x00") {
		return fmt.Errorf("bad file name %q", name)
	}
	for _, part := range strings.Split(name, "/") {
		if part == "" || part == "." || part == ".." {
			return fmt.Errorf("bad file name %q", name)
		}
	}
	return nil
}
