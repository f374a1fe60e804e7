package sync_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"connectpoint/data"
	cpsync "connectpoint/sync"
)

// TestTargetRefusesWrites: a share that has turned read-only or full. The
// round says so once, in words a person can act on; it still pulls;
// nothing local changes; work goes on offline and goes out once the share
// takes writes again.
func TestTargetRefusesWrites(t *testing.T) {
	for _, tc := range []struct {
		name  string
		errno syscall.Errno
		kind  error
		say   string
	}{
		{"ReadOnly", syscall.EROFS, cpsync.ErrTargetReadOnly, "is read-only"},
		{"PermissionDenied", syscall.EACCES, cpsync.ErrTargetReadOnly, "may not write there"},
		{"Full", syscall.ENOSPC, cpsync.ErrTargetFull, "is full"},
		{"OverQuota", syscall.EDQUOT, cpsync.ErrTargetFull, "is full"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := cpsync.NewMemoryTarget()
			devs := newNetwork(t, m, 2)
			a, b := devs[0], devs[1]
			converge(t, devs)
			settle(t, devs)
			fromB := b.newCase("Marisol", "Quintanilla")
			b.mustRound()
			local := a.newCase("Daniel", "Reyes")
			// The error a folder on such a share gives.
			m.FailWrites(cpsync.ClassifyFolderErr("sync folder /mnt/share", "write", "x",
				&fs.PathError{Op: "open", Path: "/mnt/share/x", Err: tc.errno}))
			res, err := a.round()
			var re *cpsync.RoundError
			if !errors.As(err, &re) || len(re.Problems) != 1 || !errors.Is(err, tc.kind) {
				t.Fatalf("round: %v; want one problem that is %v", err, tc.kind)
			}
			if msg := err.Error(); !strings.Contains(msg, "/mnt/share") || !strings.Contains(msg, tc.say) || !strings.Contains(msg, "nothing was published") {
				t.Fatalf("message %q: want the share named and %q", msg, tc.say)
			}
			if res.Pushed != 0 || res.Pending == 0 || !a.hasCase(fromB) {
				t.Fatalf("round %+v: want nothing pushed, work pending, the other device's case pulled", res)
			}
			if !a.hasCase(local) {
				t.Fatal("local work lost")
			}
			// Work goes on.
			later := a.newCase("Thaddeus", "Okonkwo")
			m.FailWrites(nil)
			converge(t, devs)
			for _, id := range []string{local, later} {
				if !b.hasCase(id) {
					t.Fatal("work done while the share refused writes did not go out")
				}
			}
		})
	}
}

func TestFolderErrors(t *testing.T) {
	for _, tc := range []struct {
		op    string
		errno syscall.Errno
		want  func(error) bool
	}{
		{"write", syscall.EROFS, func(err error) bool { return errors.Is(err, cpsync.ErrTargetReadOnly) }},
		{"rename into", syscall.EACCES, func(err error) bool { return errors.Is(err, cpsync.ErrTargetReadOnly) }},
		{"write", syscall.ENOSPC, func(err error) bool { return errors.Is(err, cpsync.ErrTargetFull) }},
		{"flush", syscall.EDQUOT, func(err error) bool { return errors.Is(err, cpsync.ErrTargetFull) }},
		{"read", syscall.ESTALE, cpsync.IsOffline},
		// A file this account may not read is not a read-only share.
		{"read", syscall.EACCES, func(err error) bool { return !errors.Is(err, cpsync.ErrTargetReadOnly) && !cpsync.IsOffline(err) }},
	} {
		err := cpsync.ClassifyFolderErr("sync folder /mnt/share", tc.op, "net/x", &fs.PathError{Op: "open", Path: "/mnt/share/net/x", Err: tc.errno})
		if !tc.want(err) {
			t.Errorf("%s, %v: got %v", tc.op, tc.errno, err)
		}
	}
}

// TestUnmountedShare: the folder target's share goes away (unmounted, the
// server down): the round is offline with one clear message, local work
// goes on, and the next round after the share is back converges.
func TestUnmountedShare(t *testing.T) {
	root := t.TempDir()
	share := filepath.Join(root, "share")
	os.MkdirAll(share, 0o700)
	tg, err := cpsync.OpenTarget(ctx, share)
	if err != nil {
		t.Fatal(err)
	}
	devs := newNetwork(t, tg, 2)
	a, b := devs[0], devs[1]
	converge(t, devs)
	if err := os.Rename(share, share+".away"); err != nil {
		t.Fatal(err)
	}
	id := a.newCase("Daniel", "Reyes")
	_, err = a.round()
	if !cpsync.IsOffline(err) || !strings.Contains(err.Error(), share) || !strings.Contains(err.Error(), "not reachable") {
		t.Fatalf("round with the share gone: %v", err)
	}
	if _, err := os.Stat(share); err == nil {
		t.Fatal("the round made the share's folder on the local disk")
	}
	if !a.hasCase(id) {
		t.Fatal("local work lost")
	}
	a.newCase("Marisol", "Quintanilla")
	if err := os.Rename(share+".away", share); err != nil {
		t.Fatal(err)
	}
	converge(t, devs)
	if !b.hasCase(id) {
		t.Fatal("work done while the share was away did not arrive")
	}
}

// TestNewerSegmentFormat: a device that has not been updated meets a
// segment written by a newer version: it is refused by name with a
// sentence that says to update, and nothing of it is applied.
func TestNewerSegmentFormat(t *testing.T) {
	damagedRead(t, func(m *cpsync.MemoryTarget, name string) func() {
		m.OnRead(func(got string, b []byte) []byte {
			if got == name {
				b[5] = cpsync.SegmentVersion + 1 // the format version's low byte
			}
			return b
		})
		return func() { m.OnRead(nil) }
	}, "was written by a newer version of ConnectPoint")
}

// TestSegmentOfAnotherNetwork: a segment of another program's network
// copied into this network's folder (a share that holds both) is refused
// by name and applied nowhere.
func TestSegmentOfAnotherNetwork(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	devs := newNetwork(t, m, 2)
	a, b := devs[0], devs[1]
	converge(t, devs)
	other := newNetwork(t, cpsync.NewMemoryTarget(), 1)[0]
	stranger := other.newCase("Lucinda", "Abernathy")
	other.mustRound()
	var seg []byte
	var segName string
	for _, n := range other.target.(*cpsync.MemoryTarget).Names() {
		if strings.Contains(n, "/log/") {
			segName = n
			seg, _ = other.target.Get(ctx, n)
			break // its first
		}
	}
	// Under the other device's own name, inside this network's folder.
	copied := a.sy.Network() + segName[strings.Index(segName, "/log/"):]
	m.Replace(copied, seg)
	_, err := b.round()
	wantRefused(t, err, copied, "belongs to network")
	if b.hasCase(stranger) {
		t.Fatal("a case of another network was applied")
	}
}

// TestJoinMistakes: a wrong passphrase, a folder that is already a device
// (of this network or another), and a damaged file: each is one clear
// message, and nothing is left behind or changed.
func TestJoinMistakes(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	a := newNetwork(t, m, 1)[0]
	bundle, err := a.sy.Enroll(ctx, "laptop", passphrase, data.TestKDF)
	if err != nil {
		t.Fatal(err)
	}
	join := func(dir string, b []byte, pass string) error {
		s, _, _, err := cpsync.Join(ctx, dir, b, pass, cpsync.JoinOptions{Store: storeOpts(nil), Target: m, Sync: syncOpts})
		if s != nil {
			s.Close()
		}
		return err
	}

	dir := filepath.Join(t.TempDir(), "new")
	if err := join(dir, bundle, "not the passphrase"); data.ErrorCode(err) != data.EAUTH || !strings.Contains(err.Error(), "wrong passphrase") {
		t.Fatalf("wrong passphrase: %v", err)
	}
	if _, err := os.Stat(dir); err == nil {
		t.Fatal("a join with the wrong passphrase left a folder behind")
	}

	// A folder that is already a device of another program's network.
	other := newNetwork(t, cpsync.NewMemoryTarget(), 1)[0]
	before := other.export()
	err = join(other.dir, bundle, passphrase)
	if data.ErrorCode(err) != data.ECONFLICT || !strings.Contains(err.Error(), "already holds a ConnectPoint program") {
		t.Fatalf("join into a device of another network: %v", err)
	}
	if got := other.export(); !bytes.Equal(got, before) {
		t.Fatal("the other network's device changed")
	}

	damaged := bytes.Replace(bundle, []byte(`"sealed": "`), []byte(`"sealed": "AAAA`), 1)
	if err := join(filepath.Join(t.TempDir(), "d"), damaged, passphrase); data.ErrorCode(err) != data.EINVALID || !strings.Contains(err.Error(), "damaged enrolment file") {
		t.Fatalf("damaged bundle: %v", err)
	}
	if err := join(filepath.Join(t.TempDir(), "e"), []byte(`{"format":"something else"}`), passphrase); err == nil || !strings.Contains(err.Error(), "not a ConnectPoint enrolment file") {
		t.Fatalf("not a bundle: %v", err)
	}
}
