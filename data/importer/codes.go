package importer

import (
	_ "embed"
	"encoding/json"
	"maps"
	"math/bits"
	"regexp"
	"slices"
	"strings"
)

// Our attribute codes are SAMHSA's service codes from the 2017 National
// Directory (NP, SS, OTP, RES...), the standard vocabulary of treatment
// directories. FindTreatment.gov labels and HSDS service names are mapped
// onto them. Languages other than Spanish are "LANG:xx" with the ISO 639-1
// code (LANG:pl, LANG:de); Spanish is always SP, never LANG:es. SAMHSA's
// language codes (F66 for Polish...) become LANG:xx where the language has
// an ISO 639-1 code and stay as they are otherwise (F15 Chaldean).

//go:embed samhsa-directory-2017-codes.json
var codeKeyJSON []byte

// Codes maps each attribute code to a clean English label: the 2017 code
// key with its ligature damage repaired, the commas the scrape put between
// words removed, and the labels it cut short completed. It also holds the
// codes the key lacks but the directory uses (BUM, CMHA, F25, F49) and a
// LANG:xx entry for each language.
var Codes map[string]string

// keyCodes maps each code that may appear in a directory row's Keys to
// ours: the same code, LANG:xx for a language, or a facility type.
var keyCodes map[string]keyCode

type keyCode struct {
	code   string
	isType bool // a facility type (SAF...), for Facility.Type
}

// samhsaLang maps a SAMHSA language code to ours: F66 → LANG:pl, SP → SP.
var samhsaLang map[string]string

// facilityTypeCodes are the 2017 facility-type codes; they go into
// Facility.Type, not Services.
var facilityTypeCodes = map[string]bool{"SAF": true, "MHSAF": true, "MHF": true, "GHF": true}

// labelFixes completes or corrects labels of the key: some were cut at the
// end of a PDF line, a few were shifted, two languages ran together.
var labelFixes = map[string]string{
	"BM":    "Buprenorphine maintenance",
	"BUM":   "Buprenorphine maintenance",
	"BMW":   "Buprenorphine maintenance for predetermined time",
	"BU":    "Buprenorphine used in treatment",
	"MMW":   "Methadone maintenance for predetermined time",
	"UBN":   "Prescribes/administers buprenorphine and/or naltrexone",
	"CMI":   "Contingency management/motivational incentives",
	"ODT":   "Outpatient day treatment or partial hospitalization",
	"OMB":   "Outpatient methadone/buprenorphine or naltrexone treatment",
	"FSA":   "Federal, or any government funding for substance abuse programs",
	"SI":    "State-financed insurance (other than Medicaid)",
	"MI":    "Military insurance (e.g., VA, TRICARE)",
	"PA":    "Payment assistance (check with facility for details)",
	"SS":    "Sliding fee scale (fee is based on income and other factors)",
	"NP":    "No payment accepted",
	"SF":    "Cash or self-payment",
	"CO":    "Persons with co-occurring mental and substance use disorders",
	"CARF":  "Commission on Accreditation of Rehabilitation Facilities",
	"HEOH":  "Health education services other than HIV/AIDS or hepatitis",
	"CSAA":  "Comprehensive substance abuse assessment",
	"CMHA":  "Comprehensive mental health assessment",
	"MHSAF": "Mix of mental health and substance abuse treatment services",
	"JC":    "The Joint Commission",
	"VAMC":  "U.S. Department of Veterans Affairs",
	"F102":  "Edo",
	"F25":   "Farsi",
	"F48":   "Lao",
	"F49":   "Latvian",
	"F118":  "Pashto",
	"F163":  "Mai Mai",
	"N35":   "Tohono O'odham",
	"SAMF":  "State funds for substance use treatment",
	"ATR":   "Access to Recovery (ATR) vouchers",
}

// langISO maps English language names to ISO 639-1 codes, for the
// languages of the 2017 key and FindTreatment.gov.
var langISO = map[string]string{
	"akan": "ak", "albanian": "sq", "amharic": "am", "arabic": "ar", "armenian": "hy", "belarusan": "be",
	"belarusian": "be", "bengali": "bn", "bosnian": "bs", "bulgarian": "bg", "burmese": "my", "chinese": "zh",
	"cantonese": "zh", "mandarin": "zh", "croatian": "hr", "czech": "cs", "danish": "da", "dutch": "nl",
	"dzongkha": "dz", "english": "en", "farsi": "fa", "persian": "fa", "fijian": "fj", "french": "fr",
	"fula": "ff", "georgian": "ka", "german": "de", "greek": "el", "gujarati": "gu", "gujurati": "gu",
	"haitian creole": "ht", "hausa": "ha", "hebrew": "he", "hindi": "hi", "hungarian": "hu", "igbo": "ig",
	"inupiaq": "ik", "italian": "it", "japanese": "ja", "kannada": "kn", "khmer": "km", "kinyarwand": "rw",
	"kinyarwanda": "rw", "kirundi": "rn", "korean": "ko", "kurdish": "ku", "lao": "lo", "latvian": "lv",
	"lingala": "ln", "lithuanian": "lt", "macedonian": "mk", "malay": "ms", "malayalam": "ml", "marathi": "mr",
	"mongolian": "mn", "navajo": "nv", "nepali": "ne", "norwegian": "no", "ojibwa": "oj", "oroma": "om",
	"oromo": "om", "pashto": "ps", "polish": "pl", "portuguese": "pt", "punjabi": "pa", "romanian": "ro",
	"russian": "ru", "samoan": "sm", "serbian": "sr", "slovak": "sk", "somali": "so", "spanish": "es",
	"swahili": "sw", "swedish": "sv", "tagalog": "tl", "tamil": "ta", "telugu": "te", "thai": "th",
	"tigrinya": "ti", "tongan": "to", "turkish": "tr", "ukrainian": "uk", "urdu": "ur", "vietnamese": "vi",
	"yiddish": "yi", "yoruba": "yo", "zulu": "zu", "ilocano": "", "american sign language": "",
}

// langCode turns a language name or ISO 639-1 code into our code: SP for
// Spanish, LANG:xx for the others, "" when unknown.
func langCode(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	iso, ok := langISO[s]
	if !ok && len(s) == 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z' {
		iso, ok = s, true
	}
	switch {
	case !ok || iso == "":
		return ""
	case iso == "es":
		return "SP"
	}
	return "LANG:" + iso
}

var langCodeRE = regexp.MustCompile(`^LANG:[a-z]{2}$`)

func init() {
	var raw map[string]string
	if err := json.Unmarshal(codeKeyJSON, &raw); err != nil {
		panic("importer: embedded code key: " + err.Error())
	}
	Codes = make(map[string]string, len(raw)+len(langISO))
	keyCodes = make(map[string]keyCode, len(raw)+8)
	samhsaLang = map[string]string{}
	for code, label := range raw {
		if code == "AIDS" { // the second half of HEOH's label, not a code
			continue
		}
		Codes[code] = cleanLabel(label)
		keyCodes[code] = keyCode{code: code}
	}
	for code, label := range labelFixes {
		Codes[code] = label
		keyCodes[code] = keyCode{code: code}
	}
	isoName := map[string]string{}
	for code, label := range Codes {
		if code == "SP" || len(code) > 1 && (code[0] == 'F' || code[0] == 'N') && code[1] >= '0' && code[1] <= '9' {
			if c := langCode(label); c != "" {
				samhsaLang[code] = c
				keyCodes[code] = keyCode{code: c}
				if strings.HasPrefix(c, "LANG:") {
					isoName[c] = label
				}
			}
		}
	}
	for name, iso := range langISO {
		c := "LANG:" + iso
		if iso != "" && iso != "es" && isoName[c] == "" {
			isoName[c] = strings.ToUpper(name[:1]) + name[1:]
		}
	}
	for c, name := range isoName {
		Codes[c] = name
	}
	for code := range facilityTypeCodes {
		keyCodes[code] = keyCode{code: code, isType: true}
	}
	codeList = slices.Sorted(maps.Keys(Codes))
	codeIndex = make(map[string]int, len(codeList))
	for i, c := range codeList {
		codeIndex[c] = i
	}
	labelCode = make(map[string]string, len(Codes))
	for code, label := range Codes {
		if strings.HasPrefix(code, "LANG:") {
			continue
		}
		l := normLabel(label)
		if prev, ok := labelCode[l]; !ok || code < prev {
			labelCode[l] = code
		}
	}
}

// cleanLabel repairs a label of the code key: ligatures, and the comma the
// scrape put after every word ("Sliding, fee, scale" → "Sliding fee
// scale"). When every space follows a comma, one comma per gap is removed,
// so "(e.g.,, VA,, TRICARE)" keeps its real commas.
func cleanLabel(s string) string {
	s, _ = repairLigatures(s, ligaturesKey)
	s = strings.ReplaceAll(s, "®", "")
	gaps, commaGaps := strings.Count(s, " "), strings.Count(s, ", ")
	if gaps > 0 && gaps == commaGaps {
		s = strings.ReplaceAll(s, ", ", " ")
	}
	return cleanText(s)
}

// Label returns the English label of an attribute code, or the code itself
// when it is not known.
func Label(code string) string {
	if l, ok := Codes[code]; ok {
		return l
	}
	return code
}

// knownCode reports whether code is one of our attribute codes.
func knownCode(code string) bool {
	_, ok := Codes[code]
	return ok || langCodeRE.MatchString(code)
}

// FindTreatment.gov service values → our codes. Keys are "CATEGORY|value"
// (for values whose meaning depends on the category) or "*|value", with the
// value lower-cased, "®" removed and spaces collapsed. Values not listed
// here are looked up by label in Codes (so "Cognitive behavioral therapy"
// gives CBT); anything else is left out.
var ftValues = map[string][]string{
	// Service settings.
	"*|outpatient":                                                 {"OP"},
	"*|regular outpatient treatment":                               {"ORT"},
	"*|intensive outpatient treatment":                             {"OIT"},
	"*|outpatient day treatment or partial hospitalization":        {"ODT"},
	"*|partial hospitalization/day treatment":                      {"ODT"},
	"*|outpatient detoxification":                                  {"OD"},
	"*|outpatient methadone/buprenorphine or naltrexone treatment": {"OMB"},
	"*|residential":                                                {"RES"},
	"*|residential/24-hour residential":                            {"RES"},
	"*|short-term residential":                                     {"RS"},
	"*|long-term residential":                                      {"RL"},
	"*|residential detoxification":                                 {"RD"},
	"*|hospital inpatient":                                         {"HI"},
	"*|hospital inpatient detoxification":                          {"HID"},
	"*|hospital inpatient treatment":                               {"HIT"},
	"*|detoxification":                                             {"DT"},
	"*|transitional housing, halfway house, or sober home":         {"HH"},
	"*|computerized treatment/telemedicine":                        {"CT"},
	// Opioid treatment and medications.
	"*|accepts clients on opioid medication":                                 {"MOA"},
	"*|do not use medication for opioid addiction":                           {"NMOA"},
	"*|does not use medication for opioid addiction":                         {"NMOA"},
	"*|does not treat opioid addiction":                                      {"NOOP"},
	"*|buprenorphine maintenance":                                            {"BUM"},
	"*|buprenorphine maintenance for predetermined time":                     {"BMW"},
	"*|buprenorphine used in treatment":                                      {"BU"},
	"*|buprenorphine detoxification":                                         {"DB"},
	"*|prescribes/administers buprenorphine":                                 {"UBN", "BU"},
	"*|prescribes/administers naltrexone":                                    {"UBN"},
	"*|methadone maintenance":                                                {"MM"},
	"*|methadone maintenance for predetermined time":                         {"MMW"},
	"*|methadone detoxification":                                             {"DM"},
	"*|methadone used in treatment":                                          {"METH"},
	"*|methadone":                                                            {"METH"},
	"*|relapse prevention from naltrexone":                                   {"RPN"},
	"*|relapse prevention with naltrexone":                                   {"RPN"},
	"*|samhsa-certified opioid treatment program":                            {"OTP"},
	"*|use methadone/buprenorphine for pain management or emergency dosing":  {"PAIN"},
	"*|naltrexone (oral)":                                                    {"NXN"},
	"*|extended-release, injectable naltrexone (vivitrol)":                   {"VTRL"},
	"*|buprenorphine with naloxone (suboxone)":                               {"BU"},
	"*|buprenorphine without naloxone":                                       {"BU"},
	"*|buprenorphine (extended-release, injectable, for example, sublocade)": {"BU"},
	"*|disulfiram (antabuse)":                                                {"DSF"},
	"*|acamprosate (campral)":                                                {"ACM"},
	"*|medications for psychiatric disorders":                                {"MPD"},
	// Payment.
	"*|cash or self-payment":     {"SF"},
	"*|medicaid":                 {"MD"},
	"*|medicare":                 {"MC"},
	"*|private health insurance": {"PI"},
	"*|state-financed health insurance plan other than medicaid":                {"SI"},
	"*|military insurance (e.g., tricare)":                                      {"MI"},
	"*|u.s. department of va funds":                                             {"MI"},
	"*|federal, or any government funding for substance abuse programs":         {"FSA"},
	"*|federal, or any government funding for substance use treatment programs": {"FSA"},
	"*|ihs/tribal/urban (itu) funds":                                            {"ITU"},
	"*|it/u funds":                                                              {"ITU"},
	"*|no payment accepted":                                                     {"NP"},
	"*|access to recovery (atr) vouchers":                                       {"ATR"},
	// State and local money that pays for people without insurance.
	"*|other state funds":                                                    {"SAMF"},
	"*|county or local government funds":                                     {"SAMF"},
	"*|sliding fee scale (fee is based on income and other factors)":         {"SS"},
	"*|sliding fee scale":                                                    {"SS"},
	"*|payment assistance (check with facility for details)":                 {"PA"},
	"*|treatment at no charge or minimal payment for clients who cannot pay": {"PA"},
	// Populations.
	"*|adult men":            {"MN"},
	"*|adult women":          {"WN"},
	"*|adolescents":          {"AD"},
	"*|active duty military": {"ADM"},
	"*|military families":    {"MF"},
	"*|clients referred from the court/judicial system":                           {"CJ"},
	"*|criminal justice clients":                                                  {"CJ"},
	"*|criminal justice (other than dui/dwi)":                                     {"CJ"},
	"*|lesbian, gay, bisexual, or transgender (lgbt) clients":                     {"GL"},
	"*|persons who have experienced intimate partner violence, domestic violence": {"DV"},
	"*|persons who have experienced sexual abuse":                                 {"XA"},
	"*|persons who have experienced trauma":                                       {"TRMA"},
	"*|persons with hiv or aids":                                                  {"HV"},
	"*|persons with co-occurring mental and substance use disorders":              {"CO"},
	"*|pregnant/postpartum women":                                                 {"PW"},
	"*|seniors or older adults":                                                   {"SE"},
	"*|transitional age young adults":                                             {"TAY"},
	"*|veterans":                                                                  {"VET"},
	"*|dui/dwi clients":                                                           {"DU"},
	"*|adults":                                                                    {"ADLT"},
	"*|children/adolescents":                                                      {"CHLD"},
	"*|young adults":                                                              {"YAD"},
	"*|seniors (65 or older)":                                                     {"SE"},
	"*|female":                                                                    {"FEM"},
	"*|male":                                                                      {"MALE"},
	// Exclusive services: a facility that serves only these clients.
	"EXCL|dui/dwi clients":                          {"DUO"},
	"EXCL|all clients in opioid treatment program":  {"OTPA"},
	"EXCL|methadone and buprenorphine clients only": {"BMO"},
	// Other.
	"*|services for the deaf and hard of hearing": {"AH"},
	"*|aftercare/continuing care":                 {"ACC"},
	"*|discharge planning":                        {"DP"},
	"*|general hospital (including va hospital)":  {"GH"},
	"*|psychiatric hospital":                      {"PSYH"},
	"*|substance use treatment":                   {"SA"},
}

// labelCode maps a normalised label of Codes to its code.
var labelCode map[string]string

func normLabel(s string) string {
	return strings.ToLower(cleanText(strings.ReplaceAll(s, "®", "")))
}

// ftCodes maps one FindTreatment.gov service value of category cat.
func ftCodes(cat, value string) []string {
	v := normLabel(value)
	if v == "" {
		return nil
	}
	if c, ok := ftValues[cat+"|"+v]; ok {
		return c
	}
	if c, ok := ftValues["*|"+v]; ok {
		return c
	}
	if cat == "OL" {
		if c := langCode(v); c != "" {
			return []string{c}
		}
		return nil
	}
	if c, ok := labelCode[v]; ok && !facilityTypeCodes[c] {
		return []string{c}
	}
	return nil
}

// HSDS service names and descriptions → our codes. Matching is by whole
// words, and conservative: only phrases that name a setting, medication or
// payment without doubt, and never in a sentence that negates ("no", "not",
// "does not"...).
var hsdsPhrases = []struct {
	phrase string
	codes  []string
}{
	{"withdrawal management", []string{"DT"}},
	{"detoxification", []string{"DT"}},
	{"detox", []string{"DT"}},
	{"residential detox", []string{"RD"}},
	{"residential detoxification", []string{"RD"}},
	{"outpatient detox", []string{"OD"}},
	{"outpatient detoxification", []string{"OD"}},
	{"residential", []string{"RES"}},
	{"short-term residential", []string{"RS"}},
	{"long-term residential", []string{"RL"}},
	{"recovery home", []string{"HH"}},
	{"recovery housing", []string{"HH"}},
	{"halfway house", []string{"HH"}},
	{"sober living", []string{"HH"}},
	{"intensive outpatient", []string{"OIT", "OP"}},
	{"partial hospitalization", []string{"ODT", "OP"}},
	{"day treatment", []string{"ODT", "OP"}},
	{"outpatient", []string{"OP"}},
	{"opioid treatment program", []string{"OTP"}},
	{"methadone maintenance", []string{"MM"}},
	{"methadone", []string{"METH"}},
	{"buprenorphine", []string{"BU"}},
	{"suboxone", []string{"BU"}},
	{"vivitrol", []string{"VTRL"}},
	{"extended-release naltrexone", []string{"VTRL"}},
	{"oral naltrexone", []string{"NXN"}},
	{"sliding fee", []string{"SS"}},
	{"sliding scale", []string{"SS"}},
	{"payment assistance", []string{"PA"}},
	// "Free" is usually "free for those who cannot pay": payment
	// assistance, not "no payment accepted".
	{"free of charge", []string{"PA"}},
	{"at no cost", []string{"PA"}},
	{"medicaid", []string{"MD"}},
	{"medicare", []string{"MC"}},
	{"private insurance", []string{"PI"}},
	{"pregnant", []string{"PW"}},
	{"postpartum", []string{"PW"}},
	{"veterans", []string{"VET"}},
}

var negations = []string{"no", "not", "don't", "doesn't", "cannot", "can't", "except", "excluding", "never"}

// hsdsCodes finds our codes in the free text of an HSDS service.
func hsdsCodes(texts ...string) []string {
	var out []string
	var padded strings.Builder
	for _, t := range texts {
		if t == "" {
			continue
		}
		for _, sentence := range strings.FieldsFunc(strings.ToLower(t), isSentenceEnd) {
			ws := strings.FieldsFunc(sentence, isWordBreak)
			if slices.ContainsFunc(ws, isNegation) {
				continue
			}
			padded.Reset()
			padded.WriteByte(' ')
			for _, w := range ws {
				padded.WriteString(w)
				padded.WriteByte(' ')
			}
			p := padded.String()
			for i, ph := range hsdsPhrases {
				if strings.Contains(p, hsdsPadded[i]) {
					out = append(out, ph.codes...)
				}
			}
		}
	}
	return out
}

func isSentenceEnd(r rune) bool {
	return r == '.' || r == ';' || r == '!' || r == '?' || r == '\n'
}

func isWordBreak(r rune) bool {
	return r == ' ' || r == '\t' || r == '\r' || r == ',' || r == '(' || r == ')' || r == ':' || r == '"' || r == '/'
}

func isNegation(w string) bool { return slices.Contains(negations, w) }

// hsdsPadded holds each phrase with a space on either side.
var hsdsPadded = func() []string {
	out := make([]string, len(hsdsPhrases))
	for i, p := range hsdsPhrases {
		out[i] = " " + p.phrase + " "
	}
	return out
}()

// codeList is every code of Codes, sorted; codeIndex is the position of
// each.
var (
	codeList  []string
	codeIndex map[string]int
)

// sortedSet sorts codes in place and drops duplicates and blanks. Rows
// carry dozens of codes, so known codes are sorted by marking them in a
// bit set and reading it in order, which costs less than comparing strings.
func sortedSet(codes []string) []string {
	if len(codes) == 0 {
		return nil
	}
	var set [8]uint64
	known := len(codeList) <= len(set)*64
	for _, c := range codes {
		i, ok := codeIndex[c]
		if !ok {
			known = false
			break
		}
		set[i/64] |= 1 << (i % 64)
	}
	if known {
		out := codes[:0]
		for w, word := range set {
			for word != 0 {
				b := bits.TrailingZeros64(word)
				out = append(out, codeList[w*64+b])
				word &= word - 1
			}
		}
		return out
	}
	slices.Sort(codes)
	codes = slices.Compact(codes)
	if codes[0] == "" {
		codes = codes[1:]
	}
	if len(codes) == 0 {
		return nil
	}
	return codes
}
