package main

import (
	"log/slog"
	"os"

	"fyne.io/fyne/v2/app"

	"connectpoint/data"
	"connectpoint/gui"
)

// startGUI opens the window on the data folder and returns when it closes.
func startGUI(dir string) error {
	setAppMetadata()
	a := app.NewWithID(appID)
	gui.Run(a, dir, data.Options{
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo})),
	})
	return nil
}
