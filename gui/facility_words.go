package gui

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"connectpoint/data"
	"connectpoint/data/importer"
)

// The words the facility screens share: slot reports, distances, levels of
// care, payment, and service codes as people say them.

// slotWords says what a facility's latest slot report means now: "2 open
// · 40 min ago" when it is fresh, "full · 3 h ago", "3 open · 2 days ago
// (out of date)" when older than stale, or that there is none. The
// importance goes with it, so that fresh open slots stand out (and never
// by colour alone: the words say it).
func slotWords(r *data.SlotReport, now time.Time, stale time.Duration) (string, widget.Importance) {
	if r == nil {
		return lang.L("no slot report"), widget.LowImportance
	}
	age := now.Sub(r.At)
	ago := agoWords(age)
	switch {
	case age > stale:
		return lang.L("{{.Open}} open · {{.Ago}} (out of date)", map[string]any{"Open": r.Open, "Ago": ago}), widget.LowImportance
	case r.Open == 0:
		return lang.L("full · {{.Ago}}", map[string]any{"Ago": ago}), widget.WarningImportance
	}
	return lang.L("{{.Open}} open · {{.Ago}}", map[string]any{"Open": r.Open, "Ago": ago}), widget.SuccessImportance
}

// agoWords writes how long ago something was: "just now", "40 min ago",
// "3 h ago", "2 days ago".
func agoWords(d time.Duration) string {
	switch {
	case d < time.Minute:
		return lang.L("just now")
	case d < time.Hour:
		return lang.L("{{.N}} min ago", map[string]int{"N": int(d / time.Minute)})
	case d < 48*time.Hour:
		return lang.L("{{.N}} h ago", map[string]int{"N": int(d / time.Hour)})
	}
	return lang.L("{{.N}} days ago", map[string]int{"N": int(d / (24 * time.Hour))})
}

// shortAgo is agoWords without "ago", for tight columns: "40 min", "3 h".
func shortAgo(d time.Duration) string {
	switch {
	case d < time.Minute:
		return lang.L("now")
	case d < time.Hour:
		return lang.L("{{.N}} min", map[string]int{"N": int(d / time.Minute)})
	}
	return lang.L("{{.N}} h", map[string]int{"N": int(d / time.Hour)})
}

// distanceWords says how far a facility is: "11.7 mi"; "about 12 mi ·
// distance approximate" when it was placed on the map by its ZIP (the
// middle of a ZIP is only near the door, so no decimals); or "distance
// unknown".
func distanceWords(miles float64, approx bool) string {
	switch {
	case miles < 0:
		return lang.L("distance unknown")
	case approx:
		return lang.L("about {{.Miles}} mi · distance approximate", map[string]int{"Miles": max(1, int(miles+0.5))})
	}
	return lang.L("{{.Miles}} mi", map[string]string{"Miles": fmt.Sprintf("%.1f", miles)})
}

// careLevels are the ASAM levels of care, in order, for the filters.
var careLevels = data.Levels

// careLevelName names an ASAM level with what it is: "3.5 residential".
func careLevelName(level string) string {
	switch level {
	case "0.5":
		return lang.L("0.5 early intervention")
	case "1":
		return lang.L("1 outpatient")
	case "2.1":
		return lang.L("2.1 intensive outpatient")
	case "2.5":
		return lang.L("2.5 day treatment")
	case "3.1":
		return lang.L("3.1 halfway or recovery house")
	case "3.3":
		return lang.L("3.3 residential, population-specific")
	case "3.5":
		return lang.L("3.5 residential")
	case "3.7":
		return lang.L("3.7 medically monitored inpatient")
	case "4":
		return lang.L("4 hospital inpatient")
	case "WM":
		return lang.L("withdrawal management (detox)")
	case "OTP":
		return lang.L("opioid treatment program")
	}
	return level
}

// payments are the insurance choices of the payment filters.
var payments = data.Insurances

// paymentName is a payment filter: the person's insurance, which keeps
// the programs that would take them (free, sliding-fee and publicly funded
// programs take everyone).
func paymentName(ins string) string {
	switch ins {
	case "none":
		return lang.L("Uninsured: free, sliding fee, public funding")
	case "medicaid":
		return lang.L("Has Medicaid")
	case "medicare":
		return lang.L("Has Medicare")
	case "private":
		return lang.L("Has private insurance")
	case "va":
		return lang.L("Has VA or military insurance")
	case "other":
		return lang.L("Has state-financed insurance")
	}
	return ins
}

// insuranceWord is a person's insurance in a header: "uninsured", "Medicaid".
func insuranceWord(ins string) string {
	switch ins {
	case "none":
		return lang.L("uninsured")
	case "medicaid":
		return lang.L("Medicaid")
	case "medicare":
		return lang.L("Medicare")
	case "private":
		return lang.L("private insurance")
	case "va":
		return lang.L("VA insurance")
	case "other":
		return lang.L("other insurance")
	}
	return ins
}

// genderWord is a person's gender in a header.
func genderWord(g string) string {
	switch g {
	case "male":
		return lang.L("man")
	case "female":
		return lang.L("woman")
	}
	return ""
}

// medicationWord names a medication for opioid use disorder.
func medicationWord(m string) string {
	switch m {
	case "methadone":
		return lang.L("methadone")
	case "buprenorphine":
		return lang.L("buprenorphine")
	case "naltrexone":
		return lang.L("naltrexone")
	}
	return m
}

// serviceName is a service code in words: a plain word for the codes
// people ask about ("women", "cash"), else the short word matching uses
// ("sliding fee"), else the directory's own label, lower-cased to sit in a
// list.
func serviceName(code string) string {
	if w := plainService(code); w != "" {
		return w
	}
	if l := data.ServiceLabel(code); l != code {
		return l
	}
	l := importer.Label(code)
	if code == "SP" || strings.HasPrefix(code, "LANG:") {
		return l // a language's name keeps its capital
	}
	r, n := utf8.DecodeRuneInString(l)
	if next, _ := utf8.DecodeRuneInString(l[n:]); unicode.IsUpper(r) && unicode.IsLower(next) {
		return string(unicode.ToLower(r)) + l[n:]
	}
	return l
}

// serviceNames is a list of codes in words, without repeats (OP and ORT
// are both "outpatient").
func serviceNames(codes []string) []string {
	var out []string
	for _, c := range codes {
		if n := serviceName(c); !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

func plainService(code string) string {
	switch code {
	case "FEM":
		return lang.L("women")
	case "MALE":
		return lang.L("men")
	case "WN":
		return lang.L("adult women")
	case "MN":
		return lang.L("adult men")
	case "ADLT":
		return lang.L("adults")
	case "CHLD":
		return lang.L("children and adolescents")
	case "AD":
		return lang.L("adolescents")
	case "YAD":
		return lang.L("young adults")
	case "TAY":
		return lang.L("young adults in transition")
	case "SE":
		return lang.L("seniors")
	case "PW":
		return lang.L("pregnant or postpartum women")
	case "VET":
		return lang.L("veterans")
	case "CO":
		return lang.L("people with a mental illness as well")
	case "SF":
		return lang.L("cash")
	case "SI":
		return lang.L("state-financed insurance")
	case "NMOA":
		return lang.L("does not use medication for opioid addiction")
	case "MOA":
		return lang.L("accepts people on opioid medication")
	case "NOOP":
		return lang.L("does not treat opioid addiction")
	}
	return ""
}

// settingWord is the kind of program a facility is, in one or two words,
// for tight rows: "residential", "detox", "outpatient".
func settingWord(s data.ServiceSet) string {
	switch {
	case s.Any(data.NewServiceSet([]string{"RES", "RS", "RL"})):
		return lang.L("residential")
	case s.Has("HH"):
		return lang.L("recovery home")
	case s.Any(data.NewServiceSet([]string{"DT", "RD", "HID", "OD"})):
		return lang.L("detox")
	case s.Any(data.NewServiceSet([]string{"HI", "HIT"})):
		return lang.L("hospital")
	case s.Any(data.NewServiceSet([]string{"OTP", "OMB"})):
		return lang.L("medication clinic")
	case s.Any(data.NewServiceSet([]string{"OP", "ORT", "OIT", "ODT"})):
		return lang.L("outpatient")
	}
	return ""
}

// cutLabel is a label whose text is cut to its width with an ellipsis. It
// measures with Fyne's cached text measure: a label's own truncation builds
// a new text shaper each time, too slow for a list redrawn on every
// keystroke.
type cutLabel struct {
	widget.Label
	full string
}

func newCutLabel() *cutLabel {
	l := &cutLabel{}
	l.ExtendBaseWidget(l)
	return l
}

// setFull sets the whole text, which is cut to fit.
func (l *cutLabel) setFull(text string) {
	l.full = text
	l.fit()
}

// MinSize lets the label be narrower than its text.
func (l *cutLabel) MinSize() fyne.Size {
	return fyne.NewSize(4*theme.InnerPadding(), l.Label.MinSize().Height)
}

func (l *cutLabel) Resize(s fyne.Size) {
	l.Label.Resize(s)
	l.fit()
}

func (l *cutLabel) fit() {
	size := l.SizeName
	if size == "" {
		size = theme.SizeNameText
	}
	text := cutToWidth(l.full, l.Size().Width-2*theme.InnerPadding(), theme.SizeForWidget(size, l), l.TextStyle)
	if text != l.Text {
		l.SetText(text)
	}
}

// cutLink is a hyperlink whose text is cut to its width, as cutLabel.
type cutLink struct {
	widget.Hyperlink
	full string
}

func newCutLink(onTapped func()) *cutLink {
	l := &cutLink{}
	l.OnTapped = onTapped
	l.ExtendBaseWidget(l)
	return l
}

func (l *cutLink) setFull(text string) {
	l.full = text
	l.fit()
}

func (l *cutLink) MinSize() fyne.Size {
	return fyne.NewSize(4*theme.InnerPadding(), l.Hyperlink.MinSize().Height)
}

func (l *cutLink) Resize(s fyne.Size) {
	l.Hyperlink.Resize(s)
	l.fit()
}

func (l *cutLink) fit() {
	text := cutToWidth(l.full, l.Size().Width-2*theme.InnerPadding(), theme.SizeForWidget(theme.SizeNameText, l), l.TextStyle)
	if text != l.Text {
		l.SetText(text)
	}
}

// cutToWidth cuts text to fit width with an ellipsis; a width of zero or
// less (not laid out yet) leaves it whole.
func cutToWidth(text string, width, size float32, style fyne.TextStyle) string {
	if width <= 0 || fyne.MeasureText(text, size, style).Width <= width {
		return text
	}
	runes := []rune(text)
	lo, hi := 0, len(runes) // the longest prefix that fits is in [lo, hi)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if fyne.MeasureText(string(runes[:mid])+"…", size, style).Width <= width {
			lo = mid
		} else {
			hi = mid
		}
	}
	return strings.TrimRight(string(runes[:lo]), " ") + "…"
}
