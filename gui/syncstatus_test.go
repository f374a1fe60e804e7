package gui

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"connectpoint/data"
	cpsync "connectpoint/sync"
)

// fakeSync is a running sync whose status the test sets.
type fakeSync struct {
	mu       sync.Mutex
	status   cpsync.Status
	runs     int
	stopped  bool
	onChange func(cpsync.Status)
}

func (f *fakeSync) Status() cpsync.Status { f.mu.Lock(); defer f.mu.Unlock(); return f.status }
func (f *fakeSync) RunNow()               { f.mu.Lock(); f.runs++; f.mu.Unlock() }
func (f *fakeSync) Stop(context.Context)  { f.mu.Lock(); f.stopped = true; f.mu.Unlock() }
func (f *fakeSync) set(s cpsync.Status) {
	f.mu.Lock()
	f.status = s
	f.mu.Unlock()
	f.onChange(s)
}

// loggedInWithFakeSync is a coordinator's window whose sync is fake.
func loggedInWithFakeSync(t *testing.T) (*App, *fakeSync, *data.FixedClock) {
	t.Helper()
	opt, clk := testOptions()
	dir := filepath.Join(t.TempDir(), "data")
	program(t, dir, opt)
	fake := &fakeSync{status: cpsync.Status{State: cpsync.StateSynced}}
	fa := test.NewTempApp(t)
	a := newApp(fa, dir, opt)
	a.background = func(f func()) { f() }
	a.SetSyncStarter(func(_ context.Context, _ *data.Store, _ *data.Session, onChange func(cpsync.Status)) (SyncHandle, error) {
		fake.onChange = onChange
		return fake, nil
	})
	a.start()
	t.Cleanup(a.win.Close)
	test.Type(a.login.username, "coordinator")
	test.Type(a.login.password, testPassword)
	test.Tap(a.login.submit)
	return a, fake, clk
}

func TestSyncStatusInTheHeader(t *testing.T) {
	a, fake, clk := loggedInWithFakeSync(t)
	if a.syncView == nil {
		t.Fatal("no sync status in the header")
	}
	if got := a.syncView.label.Text; got != "● Not synced yet" {
		t.Errorf("before any round: %q", got)
	}
	fake.set(cpsync.Status{State: cpsync.StateSynced, LastSuccess: clk.Now().Add(-2 * time.Minute), Pending: 3, Conflicts: 1})
	waitFor(t, func() bool { return a.syncView.label.Text == "● Synced 2 min ago · 3 to send" }, func() string { return a.syncView.label.Text })
	// The conflicts have a button of their own, to the Conflicts screen.
	if c := a.shell.conflicts; !c.Visible() || c.Text != "1 conflict waiting" {
		t.Errorf("the header's conflicts: %q, shown %v", c.Text, c.Visible())
	}
	test.Tap(a.shell.conflicts)
	if current(a.shell) != "conflicts" {
		t.Errorf("the conflicts button opened %q", current(a.shell))
	}
	fake.set(cpsync.Status{State: cpsync.StateOffline})
	waitFor(t, func() bool { return a.syncView.label.Text == "● Offline, working locally" }, func() string { return a.syncView.label.Text })
	test.Tap(a.syncView.now)
	if fake.runs != 1 {
		t.Errorf("Sync now ran %d rounds", fake.runs)
	}
	a.endSession()
	if !fake.stopped {
		t.Error("logging out did not stop sync (and run its last round)")
	}
}

// waitFor polls cond, as fyne.Do runs on the test app's loop.
func waitFor(t *testing.T, cond func() bool, got func() string) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("got %q", got())
}

// A round that did something out of the ordinary (a restore from an older
// backup) says so once, in a dialog.
func TestSyncNoticeShownOnce(t *testing.T) {
	a, fake, clk := loggedInWithFakeSync(t)
	notice := "this computer was restored from an older backup: took back 3 of its own changes from the sync target; nothing was lost"
	round := clk.Now()
	done := cpsync.Status{State: cpsync.StateSynced, LastSuccess: round, LastAttempt: round, Last: cpsync.Result{TakenBack: 3, Notice: notice}}
	dialogs := func() int { return overlaysSaying(a, "This computer was restored from an older backup") }
	fake.set(done)
	waitFor(t, func() bool { return dialogs() == 1 }, func() string { return fmt.Sprint(dialogs(), " dialogs") })
	fake.set(cpsync.Status{State: cpsync.StateSyncing, Last: done.Last, LastAttempt: round})
	fake.set(done) // the same round's status again: not said twice
	time.Sleep(50 * time.Millisecond)
	if n := dialogs(); n != 1 {
		t.Errorf("%d dialogs after the same round's status came again", n)
	}
}
