// Package assets holds what ConnectPoint embeds in its binary: the app icon
// and the translations of every string the window shows (English in
// translations/en.json; another language is another file beside it).
package assets

import (
	"embed"

	"fyne.io/fyne/v2"
)

// Translations holds translations/<lang>.json, for
// lang.AddTranslationsFS(assets.Translations, "translations").
//
//go:embed translations
var Translations embed.FS

//go:embed icon.png
var iconPNG []byte

// Icon is the application icon, 256×256 PNG.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
