package main

import (
	"context"
	"errors"
	"log/slog"
	"os"

	"fyne.io/fyne/v2/app"

	"connectpoint/data"
	"connectpoint/gui"
	cpsync "connectpoint/sync"
)

// startGUI opens the window on the data folder and returns when it closes.
func startGUI(dir string) error {
	setAppMetadata()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	w := gui.New(app.NewWithID(appID), dir, data.Options{Logger: log})
	w.SetSyncStarter(func(ctx context.Context, s *data.Store, sess *data.Session, onChange func(cpsync.Status)) (gui.SyncHandle, error) {
		return startSync(ctx, s, sess, onChange, log)
	})
	w.ShowAndRun()
	return nil
}

// startSync opens this device's syncer on its saved target and starts the
// scheduler (every 5 minutes, at start, at exit, on "Sync now"). A device
// without a target or sync keys runs without sync.
func startSync(ctx context.Context, s *data.Store, sess *data.Session, onChange func(cpsync.Status), log *slog.Logger) (gui.SyncHandle, error) {
	url, err := s.Setting(ctx, cpsync.SettingTarget)
	if err != nil || url == "" {
		return nil, err
	}
	t, err := cpsync.OpenTarget(ctx, url)
	if err != nil {
		return nil, err
	}
	sy, err := cpsync.New(ctx, s, sess.DataKey(), t, cpsync.Options{Logger: log})
	if errors.Is(err, cpsync.ErrNotSetUp) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	spec, _ := s.Setting(ctx, "sync_schedule")
	sc, err := cpsync.NewScheduler(sy, cpsync.SchedulerOptions{Spec: spec, OnChange: onChange, Logger: log})
	if err != nil {
		return nil, err
	}
	sc.Start()
	return sc, nil
}
