package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"connectpoint/assets"
)

// appID is the application's ID: Fyne's preferences, the Linux .desktop file and icons
// (packaging/linux), FyneApp.toml.
const appID = "org.connectpoint.app"

// setAppMetadata tells Fyne the app's name, ID, version (from git, as `connectpoint version`
// prints it) and icon, so the window can show them: fyne.CurrentApp().Metadata().Version.
//
// Fyne reads FyneApp.toml only for binaries that its own `fyne` tool builds, or that run from
// the source folder; ours are built by `go build`, so the metadata is set here. Migrations
// are left empty, as a plain `go build` binary has always had them.
func setAppMetadata() {
	app.SetMetadata(fyne.AppMetadata{
		ID:      appID,
		Name:    "ConnectPoint",
		Version: version,
		Build:   1,
		Icon:    assets.Icon,
	})
}
