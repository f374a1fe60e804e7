package main

import (
	"context"
	"log/slog"
	"os"
	"runtime/debug"
	"time"

	"fyne.io/fyne/v2/app"

	"connectpoint/data"
	"connectpoint/gui"
	"connectpoint/internal/memtrim"
	"connectpoint/internal/startmark"
	cpsync "connectpoint/sync"
)

// startGUI opens the window on the data folder and returns when it closes.
// Sync is handed to the window as a service: it starts the scheduler after
// a login (every 5 minutes unless Settings says otherwise, at start, at
// exit, on "Sync now") and does what Settings → Sync asks.
func startGUI(dir string) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go memtrim.Watch(ctx, 5*time.Second) // give back what a burst of work left behind
	if os.Getenv("GOGC") == "" {
		// Collect when the heap has grown by half, not doubled: the
		// window's loads come in bursts (the case list, the check-ins due)
		// and at the state size this takes the peak from 450 MB to 320 MB,
		// for collections that an idle window hardly notices.
		debug.SetGCPercent(50)
	}
	setAppMetadata()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	w := gui.New(app.NewWithID(appID), dir, data.Options{Logger: log})
	sv := cpsync.NewService(cpsync.ServiceOptions{Logger: log})
	w.SetSyncStarter(func(ctx context.Context, s *data.Store, sess *data.Session, onChange func(cpsync.Status)) (gui.SyncHandle, error) {
		r, err := sv.Start(ctx, s, sess, onChange)
		if r == nil {
			return nil, err // a nil *Running is not a nil handle
		}
		return r, err
	})
	w.SetSyncSettings(sv)
	w.SetVersion(version)
	startmark.Arm() // for scripts/startup.sh; nothing unless asked
	w.ShowAndRun()
	return nil
}
