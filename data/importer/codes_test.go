package importer

import (
	"slices"
	"strings"
	"testing"

	"connectpoint/data"
)

func TestCodes(t *testing.T) {
	for code, label := range Codes {
		if label == "" || strings.ContainsAny(label, "˛˜˝ˆ˚ˇ˙™Š®") || strings.Contains(label, ", ,") || strings.HasSuffix(label, ",") {
			t.Errorf("%s: label %q is not clean", code, label)
		}
	}
	tests := []struct{ code, label string }{
		{"NP", "No payment accepted"},
		{"SF", "Cash or self-payment"},
		{"SS", "Sliding fee scale (fee is based on income and other factors)"},
		{"MI", "Military insurance (e.g., VA, TRICARE)"},
		{"DT", "Detoxification"},
		{"RL", "Long-term residential (more than 30 days)"},
		{"ACC", "Aftercare/continuing care"},
		{"FCO", "Family counseling offered"},
		{"JC", "The Joint Commission"},
		{"NCQA", "National Committee for Quality Assurance"},
		{"DSF", "Disulfiram (Antabuse)"},
		{"GL", "Lesbian, gay, bisexual, or transgender (LGBT)"},
		{"BC", "Residential beds for clients' children"},
		{"F86", "Thai"},
		{"BUM", "Buprenorphine maintenance"},
		{"LANG:pl", "Polish"},
		{"LANG:de", "German"},
	}
	for _, tt := range tests {
		if got := Codes[tt.code]; got != tt.label {
			t.Errorf("Codes[%s] = %q, want %q", tt.code, got, tt.label)
		}
	}
	if _, ok := Codes["AIDS"]; ok {
		t.Error(`"AIDS" is half of HEOH's label, not a code`)
	}
	// Every code the README names for placement is there.
	for _, c := range strings.Fields("DT HH RES RS RL RD HI HID HIT OP OD ODT OIT ORT OMB OTP MM BU BUM NXN VTRL MOA NMOA " +
		"NP SS PA SF MD MC PI SI MI FSA SAMF ITU FEM MALE ADLT CHLD YAD PW VET CJ SP") {
		if _, ok := Codes[c]; !ok {
			t.Errorf("no code %s", c)
		}
	}
	if samhsaLang["F66"] != "LANG:pl" || samhsaLang["SP"] != "SP" || samhsaLang["F15"] != "" {
		t.Errorf("language codes: F66 %q, SP %q, F15 %q", samhsaLang["F66"], samhsaLang["SP"], samhsaLang["F15"])
	}
	if Label("LANG:pl") != "Polish" || Label("XYZ") != "XYZ" {
		t.Error("Label")
	}
}

func TestLevelSettings(t *testing.T) {
	tests := []struct {
		level string
		want  []string
	}{
		{"0.5", []string{"ORT", "OP"}},
		{"1", []string{"ORT", "OP"}},
		{"2.1", []string{"OIT"}},
		{"2.5", []string{"ODT"}},
		{"3.1", []string{"RS", "RL", "RES", "HH"}},
		{"3.3", []string{"RS", "RL", "RES"}},
		{"3.5", []string{"RS", "RL", "RES"}},
		{"3.7", []string{"HI", "HID", "HIT"}},
		{"4", []string{"HI", "HID", "HIT"}},
		{"WM", []string{"DT", "OD", "RD", "HID"}},
		{"wm", []string{"DT", "OD", "RD", "HID"}},
		{"OTP", []string{"OTP", "OMB"}},
		{"", nil},
		{"5", nil},
	}
	for _, tt := range tests {
		t.Run(tt.level, func(t *testing.T) {
			if got := LevelSettings(tt.level); !slices.Equal(got, tt.want) {
				t.Errorf("LevelSettings(%q) = %v, want %v", tt.level, got, tt.want)
			}
		})
	}
	for _, l := range data.Levels {
		if LevelSettings(l) == nil {
			t.Errorf("level %s of data.Levels has no settings", l)
		}
	}
}

func TestPaymentOK(t *testing.T) {
	s := func(codes string) []string { return strings.Fields(codes) }
	tests := []struct {
		name      string
		services  []string
		insurance string
		want      bool
	}{
		{"NoneFree", s("RES NP"), "none", true},
		{"NoneSlidingFee", s("OP SS"), "none", true},
		{"NonePaymentAssistance", s("OP PA"), "none", true},
		{"NoneFederalFunds", s("OP FSA"), "none", true},
		{"NoneStateFunds", s("OP SAMF"), "none", true},
		{"NoneCashOnly", s("OP SF"), "none", false},
		{"NoneInsuranceOnly", s("OP MD MC PI SI MI"), "none", false},
		{"NoneTribalFundsOnly", s("OP ITU"), "none", false},
		{"NoneNoPaymentCodes", s("OP"), "none", false},
		{"MedicaidTaken", s("OP MD"), "medicaid", true},
		{"MedicaidViaSlidingFee", s("OP SS PI"), "medicaid", true},
		{"MedicaidNotTaken", s("OP PI SF"), "medicaid", false},
		{"Medicare", s("OP MC"), "medicare", true},
		{"MedicareNotTaken", s("OP MD"), "medicare", false},
		{"Private", s("OP PI SF"), "private", true},
		{"PrivateNotTaken", s("OP MD"), "private", false},
		{"VAMilitaryInsurance", s("OP MI"), "va", true},
		{"VAVeteransProgramOnly", s("OP VET SF"), "va", false},
		{"VAVeteransProgramSlidingFee", s("OP VET SS"), "va", true},
		{"OtherStateInsurance", s("OP SI"), "other", true},
		{"OtherTribal", s("OP ITU"), "other", true},
		{"OtherPrivateOnly", s("OP PI"), "other", false},
		{"NotRecorded", s("OP"), "", true},
		{"Unrecognised", s("OP MD"), "cash", false},
		{"CaseInsensitive", s("OP MD"), "Medicaid", true},
		{"NoServices", nil, "none", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := PaymentOK(tt.services, tt.insurance); got != tt.want {
				t.Errorf("PaymentOK(%v, %q) = %v, want %v", tt.services, tt.insurance, got, tt.want)
			}
		})
	}
	for _, ins := range data.Insurances {
		if !PaymentOK([]string{"NP"}, ins) {
			t.Errorf("a free facility refuses insurance %q", ins)
		}
	}
}

func TestFindTreatmentValues(t *testing.T) {
	tests := []struct {
		cat, value string
		want       []string
	}{
		{"SET", "Intensive outpatient treatment", []string{"OIT"}},
		{"SET", "Outpatient methadone/buprenorphine or naltrexone treatment", []string{"OMB"}},
		{"PAY", "Cash or self-payment", []string{"SF"}},
		{"PYAS", "Sliding fee scale (fee is based on income and other factors)", []string{"SS"}},
		{"PAY", "U.S. Department of VA funds", []string{"MI"}},
		{"PAY", "State education funds", nil},
		{"SG", "DUI/DWI clients", []string{"DU"}},
		{"EXCL", "DUI/DWI clients", []string{"DUO"}},
		{"PHR", "Buprenorphine with naloxone  (Suboxone®)", []string{"BU"}},
		{"PHR", "Extended-release, injectable Naltrexone (Vivitrol®)", []string{"VTRL"}},
		{"TAP", "Cognitive behavioral therapy", []string{"CBT"}},
		{"OL", "Spanish", []string{"SP"}},
		{"OL", "German", []string{"LANG:de"}},
		{"OL", "Klingon", nil},
		{"GN", " Female ", []string{"FEM"}},
		{"TAP", "Activity therapy", nil},
		{"FT", "Substance Abuse Treatment Services", nil}, // a facility-type label, not a service
	}
	for _, tt := range tests {
		t.Run(tt.cat+"/"+tt.value, func(t *testing.T) {
			if got := ftCodes(tt.cat, tt.value); !slices.Equal(got, tt.want) {
				t.Errorf("ftCodes(%q, %q) = %v, want %v", tt.cat, tt.value, got, tt.want)
			}
		})
	}
}

func TestHSDSPhrases(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Residential Treatment", []string{"RES"}},
		{"Withdrawal management (detox), 24/7.", []string{"DT"}},
		{"Intensive Outpatient Program", []string{"OIT", "OP"}},
		{"Medicaid accepted. We do not accept Medicare.", []string{"MD"}},
		{"No buprenorphine on site.", nil},
		{"Recovery home for women, pregnant women welcome", []string{"HH", "PW"}},
		{"Detoxification-free zone", nil}, // not a whole word
		{"Free of charge for those who cannot pay", nil},
		{"Free of charge for residents without income", []string{"PA"}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := sortedSet(hsdsCodes(tt.text)); !slices.Equal(got, sortedSet(tt.want)) {
				t.Errorf("hsdsCodes(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}
