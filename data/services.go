package data

import (
	"math/bits"
	"strings"
)

// A facility's services are SAMHSA service codes (the vocabulary of the
// National Directory and of FindTreatment.gov): importers map every
// format's labels onto them, and matching reads them here.

// levelSettings maps an ASAM level of care to the settings that provide
// it (the data README's rough map).
var levelSettings = map[string][]string{
	"0.5": {"ORT", "OP"},
	"1":   {"ORT", "OP"},
	"2.1": {"OIT"},
	"2.5": {"ODT"},
	"3.1": {"RS", "RL", "RES", "HH"},
	"3.3": {"RS", "RL", "RES"},
	"3.5": {"RS", "RL", "RES"},
	"3.7": {"HI", "HID", "HIT"},
	"4":   {"HI", "HID", "HIT"},
	"WM":  {"DT", "OD", "RD", "HID"},
	"OTP": {"OTP", "OMB"},
}

// LevelSettings returns the service codes of the settings that provide an
// ASAM level of care, nil for an unknown level.
func LevelSettings(level string) []string { return levelSettings[level] }

// Payment codes.
var (
	// freeOrPublic is what a person with no insurance and no money can use:
	// free care, a sliding fee, payment assistance, public funding. Cash
	// (SF) is not among them.
	freeOrPublic  = []string{"NP", "SS", "PA", "FSA", "SAMF"}
	insuranceCode = map[string]string{
		"medicaid": "MD", "medicare": "MC", "private": "PI", "va": "MI", "other": "SI",
	}
	// otherPayers are the other payers the directory names.
	otherPayers = setOf("SI", "ITU")
)

// matchCodes are the service codes matching reads; each has a bit in a
// ServiceSet, so that filtering 20,000 facilities is bit arithmetic.
var matchCodes = []string{
	"DT", "HH", "RES", "RS", "RL", "RD", "HI", "HID", "HIT", "OP", "OD", "ODT", "OIT", "ORT", "OMB",
	"OTP", "MM", "METH", "BU", "BUM", "BM", "UBN", "NXN", "VTRL", "RPN", "MOA", "NMOA",
	"NP", "SS", "PA", "SF", "MD", "MC", "PI", "SI", "MI", "FSA", "SAMF", "ITU",
	"FEM", "MALE", "ADLT", "CHLD", "YAD", "PW", "VET", "CJ", "SP",
}

var matchBit = func() map[string]ServiceSet {
	m := make(map[string]ServiceSet, len(matchCodes))
	for i, c := range matchCodes {
		m[c] = 1 << i
	}
	return m
}()

// ServiceSet is the matching-relevant part of a facility's services.
type ServiceSet uint64

// NewServiceSet collects the codes matching knows; others are ignored.
func NewServiceSet(codes []string) ServiceSet {
	var s ServiceSet
	for _, c := range codes {
		s |= matchBit[c]
	}
	return s
}

func setOf(codes ...string) ServiceSet { return NewServiceSet(codes) }

// Has reports whether s holds code.
func (s ServiceSet) Has(code string) bool { b := matchBit[code]; return b != 0 && s&b != 0 }

// Any reports whether s holds any code of m.
func (s ServiceSet) Any(m ServiceSet) bool { return s&m != 0 }

// Len returns how many codes s holds.
func (s ServiceSet) Len() int { return bits.OnesCount64(uint64(s)) }

var (
	freeOrPublicSet = setOf(freeOrPublic...)
	adultSet        = setOf("ADLT")
	youthSet        = setOf("CHLD", "YAD")
	femSet, maleSet = setOf("FEM"), setOf("MALE")
)

// PaymentOK reports whether a facility with these services takes a person
// with this insurance ("none" for no insurance and no money). Free, sliding
// fee, assistance and publicly funded programs take everyone; otherwise the
// facility must accept the person's insurance. An empty insurance does not
// filter; cash only (SF) never passes for anyone who asked.
func (s ServiceSet) PaymentOK(insurance string) bool {
	if insurance == "" || s.Any(freeOrPublicSet) {
		return true
	}
	if insurance == "other" {
		return s.Any(otherPayers)
	}
	code, ok := insuranceCode[insurance]
	return ok && s.Has(code)
}

// GenderOK reports whether a facility takes a person of this gender: a
// women-only house is never offered to a man, nor a men-only one to a
// woman. Facilities that do not say take everyone.
func (s ServiceSet) GenderOK(gender string) bool {
	switch gender {
	case "male":
		return s.Any(maleSet) || !s.Any(femSet)
	case "female":
		return s.Any(femSet) || !s.Any(maleSet)
	}
	return true
}

// AdultOK reports whether a facility takes adults: one that lists only
// children or young adults does not.
func (s ServiceSet) AdultOK() bool { return s.Any(adultSet) || !s.Any(youthSet) }

// moudCodes are the services that provide each medication.
var moudCodes = map[string][]string{
	"methadone":     {"MM", "OTP", "METH"},
	"buprenorphine": {"BU", "BUM", "BM", "UBN", "OTP"},
	"naltrexone":    {"NXN", "VTRL", "RPN"},
}

// MOUDOK reports whether a facility provides the medication a person wants
// (methadone, buprenorphine, naltrexone) and does not refuse medication.
// "none", "undecided" and "" do not filter.
func (s ServiceSet) MOUDOK(moud string) bool {
	codes, ok := moudCodes[moud]
	if !ok {
		return true
	}
	return s.Any(setOf(codes...)) && !s.Has("NMOA")
}

// serviceLabels are the words results use to say why a facility matched.
var serviceLabels = map[string]string{
	"NP": "free", "SS": "sliding fee", "PA": "payment assistance", "FSA": "public funding", "SAMF": "public funding",
	"MD": "Medicaid", "MC": "Medicare", "PI": "private insurance", "MI": "military insurance",
	"RES": "residential", "RS": "short-term residential", "RL": "long-term residential", "HH": "recovery home",
	"HI": "hospital inpatient", "HID": "hospital detox", "HIT": "hospital inpatient", "DT": "detox", "RD": "residential detox",
	"OD": "outpatient detox", "OP": "outpatient", "ORT": "outpatient", "OIT": "intensive outpatient",
	"ODT": "day treatment", "OTP": "opioid treatment program", "OMB": "methadone/buprenorphine clinic",
	"MM": "methadone", "BU": "buprenorphine", "NXN": "naltrexone", "VTRL": "injectable naltrexone",
	"PW": "pregnant women", "VET": "veterans", "SP": "Spanish",
}

// lowerLabels pairs each labelled service with its label in lower case.
// Every labelled code is one that matching knows (TestLabelledCodesHaveBits),
// so a ServiceSet can say which labels a facility has.
var lowerLabels = func() []labelBit {
	out := make([]labelBit, 0, len(serviceLabels))
	for c, l := range serviceLabels {
		out = append(out, labelBit{matchBit[c], strings.ToLower(l)})
	}
	return out
}()

type labelBit struct {
	bit   ServiceSet
	label string
}

// LabelsContaining returns the services whose label, in lower case,
// contains word: a search can then find "methadone" in a facility's
// services without a copy of their labels for each facility.
func LabelsContaining(word string) ServiceSet {
	var s ServiceSet
	for _, l := range lowerLabels {
		if strings.Contains(l.label, word) {
			s |= l.bit
		}
	}
	return s
}

// ServiceLabel returns a short word for a service code, or the code.
func ServiceLabel(code string) string {
	if l, ok := serviceLabels[code]; ok {
		return l
	}
	return code
}
