package sync

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"time"
)

// FolderTarget keeps the files in a folder: a local disk, a mounted SMB or
// NFS share, a UNC path, or a folder a cloud-drive client syncs. It uses
// plain files and the os package only; a database is never opened on a
// share, because SQLite's locking over network file systems is unreliable.
type FolderTarget struct {
	root string
	// retries and retryWait govern renames, which antivirus scanners on
	// Windows make fail briefly while they hold a new file open.
	retries   int
	retryWait time.Duration
}

// tempPrefix starts the name of a file being written. Listings skip such
// files: one left behind by a crash between write and rename is never
// mistaken for a finished one.
const tempPrefix = ".tmp-"

// NewFolderTarget returns a target in the folder root. The folder must
// exist: a share that is not mounted must read as offline, not be
// recreated on the local disk.
func NewFolderTarget(root string) (*FolderTarget, error) {
	if root == "" {
		return nil, fmt.Errorf("sync folder: no path given")
	}
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("sync folder %s: %w", root, err)
	}
	return &FolderTarget{root: abs, retries: 5, retryWait: 40 * time.Millisecond}, nil
}

func (f *FolderTarget) String() string { return "sync folder " + f.root }

// Close does nothing: a folder holds no connection.
func (f *FolderTarget) Close() error { return nil }

func (f *FolderTarget) path(name string) string {
	return filepath.Join(f.root, filepath.FromSlash(name))
}

// reachable checks the root; an error from it is an offline error.
func (f *FolderTarget) reachable() error {
	fi, err := os.Stat(f.root)
	if err != nil {
		return offline(f.String(), err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("%s is not a folder", f.root)
	}
	return nil
}

// classify turns an error into an offline error when the folder itself has
// gone (an unmounted share) or the error is one a network file system gives
// when its server is away.
func (f *FolderTarget) classify(op, name string, err error) error {
	if err == nil {
		return nil
	}
	if rerr := f.reachable(); rerr != nil {
		return rerr
	}
	return classifyFolderErr(f.String(), op, name, err)
}

// classifyFolderErr sorts an error of the os package on a reachable
// folder: what a network file system says when its server is away is
// offline; a refused write is read-only or full; the rest keeps its text.
func classifyFolderErr(target, op, name string, err error) error {
	writing := op != "list" && op != "read"
	var errno syscall.Errno
	if errors.As(err, &errno) {
		switch errno {
		case syscall.EIO, syscall.ENOTCONN, syscall.EHOSTDOWN, syscall.EHOSTUNREACH,
			syscall.ETIMEDOUT, syscall.ESTALE, syscall.ENETDOWN, syscall.ENETUNREACH:
			return offline(target, err)
		case syscall.EROFS:
			return unwritable(target, ErrTargetReadOnly, err)
		case syscall.ENOSPC, syscall.EDQUOT, syscall.EFBIG:
			return unwritable(target, ErrTargetFull, err)
		}
	}
	if writing && errors.Is(err, fs.ErrPermission) { // EACCES, EPERM; ERROR_ACCESS_DENIED on Windows
		return unwritable(target, ErrTargetReadOnly, err)
	}
	return fmt.Errorf("%s %s: %w", op, name, err)
}

// List implements Target.
func (f *FolderTarget) List(ctx context.Context, prefix string) ([]Entry, error) {
	if err := f.reachable(); err != nil {
		return nil, err
	}
	dir := prefix
	if i := strings.LastIndexByte(prefix, '/'); i >= 0 {
		dir = prefix[:i]
	} else {
		dir = ""
	}
	start := f.path(dir)
	var out []Entry
	err := filepath.WalkDir(start, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // nothing written under this prefix yet
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		rel, err := filepath.Rel(f.root, p)
		if err != nil {
			return err
		}
		name := filepath.ToSlash(rel)
		if !strings.HasPrefix(name, prefix) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // deleted while we walked
			}
			return err
		}
		out = append(out, Entry{Name: name, Size: info.Size()})
		return nil
	})
	if err != nil {
		return nil, f.classify("list", prefix, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Get implements Target.
func (f *FolderTarget) Get(ctx context.Context, name string) ([]byte, error) {
	if err := checkName(name); err != nil {
		return nil, err
	}
	b, err := os.ReadFile(f.path(name))
	if errors.Is(err, fs.ErrNotExist) {
		if rerr := f.reachable(); rerr != nil {
			return nil, rerr
		}
		return nil, fmt.Errorf("%s: %w", name, ErrNotFound)
	}
	if err != nil {
		return nil, f.classify("read", name, err)
	}
	return b, nil
}

// Put implements Target: a temporary file in the same folder, fsync,
// rename into place (retried), then the file is read back and compared.
// Create-only is check-then-rename: rename replaces on POSIX, but every
// name on a target has a single writer (the device it belongs to), so the
// check cannot race another writer.
func (f *FolderTarget) Put(ctx context.Context, name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	if err := f.reachable(); err != nil {
		return err
	}
	final := f.path(name)
	if _, err := os.Lstat(final); err == nil {
		return fmt.Errorf("%s: %w", name, ErrExist)
	}
	dir := filepath.Dir(final)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return f.classify("create folder for", name, err)
	}
	tmp, err := os.CreateTemp(dir, tempPrefix+"*")
	if err != nil {
		return f.classify("write", name, err)
	}
	tmpName := tmp.Name()
	ok := false
	defer func() {
		if !ok {
			tmp.Close()
			os.Remove(tmpName)
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return f.classify("write", name, err)
	}
	if err := tmp.Sync(); err != nil {
		return f.classify("flush", name, err)
	}
	if err := tmp.Close(); err != nil {
		return f.classify("close", name, err)
	}
	if err := f.rename(tmpName, final); err != nil {
		return f.classify("rename into", name, err)
	}
	ok = true
	syncDir(dir)
	back, err := os.ReadFile(final)
	if err != nil {
		return f.classify("read back", name, err)
	}
	if !bytes.Equal(back, data) {
		os.Remove(final)
		return fmt.Errorf("write %s: the file read back differs from what was written", name)
	}
	return nil
}

func (f *FolderTarget) rename(from, to string) error {
	var err error
	for i := 0; i <= f.retries; i++ {
		if _, serr := os.Lstat(to); serr == nil {
			return ErrExist
		}
		if err = os.Rename(from, to); err == nil {
			return nil
		}
		time.Sleep(f.retryWait << i)
	}
	return err
}

// syncDir flushes a folder's entries so that a rename survives a power
// cut. Windows has no such call; there NTFS journals the rename.
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// Delete implements Target.
func (f *FolderTarget) Delete(ctx context.Context, name string) error {
	if err := checkName(name); err != nil {
		return err
	}
	err := os.Remove(f.path(name))
	if err == nil || errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return f.classify("delete", name, err)
}
