package data_test

import (
	"slices"
	"strings"
	"testing"

	"connectpoint/data"
)

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
		{"OTP", []string{"OTP", "OMB"}},
		{"", nil},
		{"5", nil},
	}
	for _, tt := range tests {
		t.Run(tt.level, func(t *testing.T) {
			if got := data.LevelSettings(tt.level); !slices.Equal(got, tt.want) {
				t.Errorf("data.LevelSettings(%q) = %v, want %v", tt.level, got, tt.want)
			}
		})
	}
	for _, l := range data.Levels {
		if data.LevelSettings(l) == nil {
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
		{"NoServices", nil, "none", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := data.NewServiceSet(tt.services).PaymentOK(tt.insurance); got != tt.want {
				t.Errorf("PaymentOK(%v, %q) = %v, want %v", tt.services, tt.insurance, got, tt.want)
			}
		})
	}
	for _, ins := range data.Insurances {
		if !data.NewServiceSet([]string{"NP"}).PaymentOK(ins) {
			t.Errorf("a free facility refuses insurance %q", ins)
		}
	}
}
