package gui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
	cpsync "connectpoint/sync"
)

// SyncHandle is a running sync as the window sees it: its status, "Sync
// now", and a stop (which runs a last round) when the session ends.
type SyncHandle interface {
	Status() cpsync.Status
	RunNow()
	Stop(ctx context.Context)
}

// SyncStarter starts sync for a logged-in session; main builds it, so that
// the window never opens a target or touches a key itself. It returns nil
// and no error on a device where sync is not set up; onChange is called
// from sync's goroutines.
type SyncStarter func(ctx context.Context, store *data.Store, sess *data.Session, onChange func(cpsync.Status)) (SyncHandle, error)

// SetSyncStarter gives the window the way to start sync after a login.
func (a *App) SetSyncStarter(s SyncStarter) { a.syncStarter = s }

// SyncSettings is what Settings → Sync asks of sync; main hands it over
// (a *cpsync.Service), so that the window never opens a target or touches
// a key itself. Every method may touch the disk or the network, so the
// window calls them away from the UI goroutine. Each checks the session's
// role through data, which audits a refusal.
type SyncSettings interface {
	Network(ctx context.Context, sess *data.Session) (cpsync.Network, error)
	SetTarget(ctx context.Context, sess *data.Session, url string) (cpsync.SetUpResult, error)
	SetSchedule(ctx context.Context, sess *data.Session, spec string) error
	Enroll(ctx context.Context, sess *data.Session, name, passphrase string) ([]byte, error)
	Revoke(ctx context.Context, sess *data.Session, device string) error
}

// SetSyncSettings gives the window what Settings → Sync needs.
func (a *App) SetSyncSettings(s SyncSettings) { a.syncSettings = s }

// syncStatus is the header's sync state: "Synced 2 min ago", "Offline,
// retrying", with operations and conflicts waiting, and "Sync now".
type syncStatus struct {
	app   *App
	label *widget.Label
	now   *widget.Button
	box   *fyne.Container
	last  cpsync.Status
	// told is the round whose notice was shown: a notice is said once.
	told time.Time
}

// startSync starts sync for the session and puts its status in the header.
func (a *App) startSync() {
	if a.syncStarter == nil || a.shell == nil || a.sync != nil {
		return
	}
	st := &syncStatus{app: a, label: widget.NewLabel("")}
	st.now = widget.NewButtonWithIcon(lang.L("Sync now"), theme.ViewRefreshIcon(), func() {
		if a.sync != nil {
			a.sync.RunNow()
		}
	})
	st.now.Importance = widget.LowImportance
	st.box = container.NewHBox(st.label, st.now)
	h, err := a.syncStarter(a.ctx(), a.store, a.sess, func(s cpsync.Status) {
		fyne.Do(func() { st.show(s) })
	})
	if err != nil {
		a.log.Error("start sync", "err", err)
		st.label.SetText(lang.L("Sync is not working: an administrator sees why in Settings → Sync"))
		a.shell.syncSpot.Objects = []fyne.CanvasObject{st.label}
		a.shell.syncSpot.Refresh()
		return
	}
	if h == nil {
		return // not set up on this device: nothing to show
	}
	a.sync, a.syncView = h, st
	st.show(h.Status())
	a.shell.syncSpot.Objects = []fyne.CanvasObject{st.box}
	a.shell.syncSpot.Refresh()
}

// restartSync stops the running sync, away from the window (its last
// round may wait for a target that is not there), and starts it again on
// the saved target: after the target changed.
func (a *App) restartSync() {
	old := a.sync
	a.sync, a.syncView = nil, nil
	if a.shell != nil {
		a.shell.syncSpot.RemoveAll()
	}
	a.background(func() {
		if old != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			old.Stop(ctx)
			cancel()
		}
		fyne.Do(func() {
			if a.shell != nil && a.sync == nil {
				a.startSync()
			}
		})
	})
}

// stopSync runs the last round and stops sync (logout, window closed).
func (a *App) stopSync() {
	if a.sync == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	a.sync.Stop(ctx)
	a.sync, a.syncView = nil, nil
}

// show puts a status into words; the state is a word, never only a colour.
func (st *syncStatus) show(s cpsync.Status) {
	st.last = s
	now := st.app.now()
	var text string
	switch s.State {
	case cpsync.StateSyncing:
		text = lang.L("● Syncing…")
		st.label.Importance = widget.MediumImportance
	case cpsync.StateOffline:
		text = lang.L("● Offline, working locally")
		st.label.Importance = widget.WarningImportance
	case cpsync.StateError:
		text = lang.L("● Sync error")
		st.label.Importance = widget.DangerImportance
	default:
		if s.LastSuccess.IsZero() {
			text = lang.L("● Not synced yet")
		} else {
			text = lang.L("● Synced {{.Ago}}", map[string]string{"Ago": data.Ago(now.Sub(s.LastSuccess))})
		}
		st.label.Importance = widget.SuccessImportance
	}
	if s.Pending > 0 {
		text += " · " + lang.L("{{.Count}} to send", map[string]int{"Count": s.Pending})
	}
	st.label.SetText(text)
	if n := s.Last.Notice; n != "" && s.State != cpsync.StateSyncing && !s.LastAttempt.Equal(st.told) {
		// Rare and worth a moment's attention (a restore from an older
		// backup): said once, in a dialog, and the round's log keeps it.
		st.told = s.LastAttempt
		dialog.ShowInformation(lang.L("Sync"), capitalize(n)+".", st.app.win)
	}
	// The conflicts have their own place in the header: a way to them.
	if st.app.shell != nil {
		st.app.shell.setConflicts(s.Conflicts)
		if sec := st.app.shell.currentSection(); sec != nil && sec.id == "conflicts" && s.Conflicts != st.app.shell.shownConflicts() {
			sec.screen.onShow()
		}
	}
}
