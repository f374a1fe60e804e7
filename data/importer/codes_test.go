package importer

import (
	"slices"
	"strings"
	"testing"
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
