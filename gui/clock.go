package gui

import (
	"strconv"
	"time"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// The case clock's thresholds (DESIGN §1: a placement within two hours):
// device-local settings, in minutes, so a program can set its own.
const (
	amberSetting = "amber_minutes"
	redSetting   = "red_minutes"
)

// clockLimits are the ages at which a case's clock turns amber and red.
type clockLimits struct {
	amber, red time.Duration
}

var defaultClockLimits = clockLimits{amber: time.Hour, red: 2 * time.Hour}

// clockLimits reads this computer's thresholds, the defaults when unset.
func (a *App) clockLimits() clockLimits {
	l := defaultClockLimits
	l.amber = a.minutesSetting(amberSetting, l.amber)
	l.red = a.minutesSetting(redSetting, l.red)
	if l.red < l.amber {
		l.red = l.amber
	}
	return l
}

// minutesSetting reads a device-local setting in whole minutes (1 to a
// day), def when unset or unreadable.
func (a *App) minutesSetting(key string, def time.Duration) time.Duration {
	if a.store == nil {
		return def
	}
	v, err := a.store.Setting(a.ctx(), key)
	if err != nil {
		a.log.Error("read setting", "key", key, "err", err)
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 24*60 {
		return def
	}
	return time.Duration(n) * time.Minute
}

// state is how a clock of age is shown: its colour and, so that colour is
// never the only sign, a word.
func (l clockLimits) state(age time.Duration) (widget.Importance, string) {
	switch {
	case age >= l.red:
		return widget.DangerImportance, lang.L("late")
	case age >= l.amber && l.amber%time.Hour == 0:
		return widget.WarningImportance, lang.L("{{.Hours}} h+", map[string]int{"Hours": int(l.amber / time.Hour)})
	case age >= l.amber:
		return widget.WarningImportance, lang.L("{{.Minutes}} min+", map[string]int{"Minutes": int(l.amber / time.Minute)})
	}
	return widget.MediumImportance, ""
}
