package gui

import (
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"connectpoint/data"
)

// The words the workflow shows for the codes data stores.

func insuranceName(code, payer string) string {
	var s string
	switch code {
	case "none":
		return lang.L("no insurance")
	case "medicaid":
		s = lang.L("Medicaid")
	case "medicare":
		s = lang.L("Medicare")
	case "private":
		s = lang.L("private insurance")
	case "va":
		s = lang.L("VA")
	case "other":
		s = lang.L("other insurance")
	case "":
		return lang.L("insurance not known")
	default:
		s = code
	}
	if payer != "" {
		s += " (" + payer + ")"
	}
	return s
}

// insuranceLabels are the intake's answers, in data.Insurances order.
func insuranceLabels() []string {
	return []string{lang.L("None"), lang.L("Medicaid"), lang.L("Medicare"), lang.L("Private"), lang.L("VA"), lang.L("Other insurance")}
}

func genderLabels() []string {
	return []string{lang.L("Man"), lang.L("Woman"), lang.L("Nonbinary"), lang.L("Another gender")}
}

func genderName(code string) string {
	if i := indexOf(data.Genders, code); i >= 0 {
		return strings.ToLower(genderLabels()[i])
	}
	return code
}

func channelLabels() []string {
	return []string{lang.L("Walk-in"), lang.L("Phone"), lang.L("Emergency dept."), lang.L("Outreach"), lang.L("Family")}
}

// The languages the intake offers first: those most spoken at home in the
// program's area after English. Anything else is typed.
var intakeLanguages = []string{"en", "es", "pl", "ar", "hi", "zh", "other"}

func languageLabels() []string {
	out := make([]string, len(intakeLanguages))
	for i, c := range intakeLanguages {
		if c == "other" {
			out[i] = lang.L("Another language")
		} else {
			out[i] = languageName(c)
		}
	}
	return out
}

// levelLabel is an ASAM level with its name in plain words.
func levelLabel(level string) string {
	name := ""
	switch level {
	case "0.5":
		name = lang.L("early intervention")
	case "1":
		name = lang.L("outpatient")
	case "2.1":
		name = lang.L("intensive outpatient")
	case "2.5":
		name = lang.L("partial hospitalization (day program)")
	case "3.1":
		name = lang.L("clinically managed low-intensity residential (halfway house)")
	case "3.3":
		name = lang.L("clinically managed population-specific high-intensity residential")
	case "3.5":
		name = lang.L("clinically managed high-intensity residential")
	case "3.7":
		name = lang.L("medically monitored intensive inpatient")
	case "4":
		name = lang.L("medically managed intensive inpatient (hospital)")
	case "WM":
		return lang.L("WM — withdrawal management (detox)")
	case "OTP":
		return lang.L("OTP — opioid treatment program (methadone clinic)")
	default:
		return level
	}
	return level + " — " + name
}

func moudLabels() []string {
	return []string{lang.L("Methadone"), lang.L("Buprenorphine"), lang.L("Naltrexone"), lang.L("No medication"), lang.L("Not decided")}
}

func moudName(code string) string {
	if i := indexOf(data.MOUDs, code); i >= 0 {
		return strings.ToLower(moudLabels()[i])
	}
	return code
}

func transportLabels() []string {
	return []string{lang.L("Coach drives"), lang.L("Family"), lang.L("Facility picks up"), lang.L("Police"), lang.L("Taxi or ride"), lang.L("Ambulance"), lang.L("On their own"), lang.L("Another way")}
}

func situationLabels() []string {
	return []string{lang.L("In treatment"), lang.L("Completed treatment"), lang.L("In recovery support"), lang.L("Relapsed"),
		lang.L("Re-entered treatment"), lang.L("Lost contact"), lang.L("Deceased")}
}

// clockText is a duration as the clocks show it, 1:47.
func clockText(d time.Duration) string { return data.FormatAge(d) }

// minutesText is "20 min".
func minutesText(n int) string {
	return lang.L("{{.Count}} min", map[string]string{"Count": strconv.Itoa(n)})
}

// timeText is a moment as lists show it: 19:02 today, else 11/26 19:02.
func timeText(t, now time.Time) string {
	t, now = t.Local(), now.Local()
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return t.Format("15:04")
	}
	if t.Year() == now.Year() {
		return t.Format("1/2 15:04")
	}
	return t.Format("1/2/2006 15:04")
}

// dateText is a calendar date (YYYY-MM-DD) as people in the US read it.
func dateText(d string) string {
	t, err := time.Parse(data.DateLayout, d)
	if err != nil {
		return d
	}
	return t.Format("01/02/2006")
}

// ageYears is the age in whole years of someone born on dob at now, -1
// when dob is not a date.
func ageYears(dob string, now time.Time) int {
	b, err := time.Parse(data.DateLayout, dob)
	if err != nil {
		return -1
	}
	y := now.Year() - b.Year()
	if now.Month() < b.Month() || now.Month() == b.Month() && now.Day() < b.Day() {
		y--
	}
	return y
}
