package importer

import (
	"bytes"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"connectpoint/data"
)

// PDF ligature damage. The 2017 directory was scraped from a PDF whose fonts
// drew ligatures (fi, ff, Th...) as single glyphs; the scrape turned each
// into an unrelated spacing accent. The directory body and the code key were
// set in different fonts, so the same accent means different letters in each:
// the tables below were read off the real files (Springfield, Jefferson,
// Office, Soft Landing, Quincy, Theodore; the key's "o˙ered", "˜e Joint
// Commission", "˚uality").

// ligaturesCSV is the damage in the directory rows.
var ligaturesCSV = map[rune]string{
	'˛': "th",  // U+02DB: ˛eodore, ˛erapy, ˛e Harbor
	'˜': "ff",  // U+02DC: Je˜erson, Bu˜alo, Blu˜
	'˝': "fi",  // U+02DD: Spring˝eld, Detoxi˝cation
	'ˆ': "ft",  // U+02C6: Soˆ Landing
	'˚': "ffi", // U+02DA: O˚ce, Gri˚n, E˚ngham
	'ˇ': "q",   // U+02C7: ˇuincy, Du ˇuoin
	'˙': "ff",  // U+02D9: not in the Illinois rows; the key's font uses it for ff
	'™': "'",   // U+2122: clients™ children
	'Š': "-",   // U+0160: services—family
}

// ligaturesKey is the damage in the code key's labels.
var ligaturesKey = map[rune]string{
	'˜': "th", // ˜e Joint Commission, ˜ai
	'˙': "ff", // o˙ered, A˙airs, sta˙
	'˝': "fi", // detoxi˝cation, ˝nanced
	'ˆ': "ft", // Aˆercare
	'˚': "q",  // ˚uality, ˚uiche
	'˛': "th", // not seen in the key; as in the rows
	'ˇ': "q",  // not seen in the key; as in the rows
	'™': "'",  // clients™ children, Tohono O™odham
	'Š': "-",  // servicesŠfamily
}

// repairLigatures replaces the damaged glyphs in s using table and reports
// whether anything changed. Case follows the context: a glyph that starts a
// word in a capitalised context (first word, or a neighbouring word that
// starts with a capital or a digit) gives "Th", "Fi", "Q"; inside a word it
// gives "th", "fi", "q"; before a capital letter it gives "TH", "FI".
// A lone capital letter stuck before a capitalised "Q" or "Thr" is scrape
// debris and is dropped: "Uˇuad Cities" is Quad Cities, "P˛resholds" is
// Thresholds.
func repairLigatures(s string, table map[rune]string) (string, bool) {
	if !hasLigature(s, table) {
		return s, false
	}
	rs := []rune(s)
	out := make([]rune, 0, len(rs)+8)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		rep, ok := table[r]
		if !ok {
			out = append(out, r)
			continue
		}
		if !unicode.IsLetter([]rune(rep)[0]) { // punctuation stand-ins
			out = append(out, []rune(rep)...)
			continue
		}
		var next rune
		if i+1 < len(rs) {
			next = rs[i+1]
		}
		var after rune
		if i+2 < len(rs) {
			after = rs[i+2]
		}
		atStart := len(out) == 0 || !unicode.IsLetter(out[len(out)-1])
		// Debris: a single capital letter, alone at a word start, before a
		// glyph that would start a capitalised word.
		if !atStart && (rep == "q" || rep == "th" && next == 'r') {
			n := len(out)
			if unicode.IsUpper(out[n-1]) && (n == 1 || !unicode.IsLetter(out[n-2])) && unicode.IsLower(next) {
				out = out[:n-1]
				atStart = true
			}
		}
		switch {
		case unicode.IsUpper(next) && (after == 0 || !unicode.IsLower(after)):
			out = append(out, []rune(strings.ToUpper(rep))...)
		case atStart && capitalContext(rs, out, i):
			rr := []rune(rep)
			out = append(out, unicode.ToUpper(rr[0]))
			out = append(out, rr[1:]...)
		default:
			out = append(out, []rune(rep)...)
		}
	}
	return string(out), true
}

func hasLigature(s string, table map[rune]string) bool {
	for _, r := range s {
		if r >= 0x80 {
			if _, ok := table[r]; ok {
				return true
			}
		}
	}
	return false
}

// capitalContext says whether a word starting at rs[i] (out holds what is
// already written) reads as a capitalised word: it is the first word, or
// the word before or after starts with a capital letter or a digit. Words
// are looked at up to maxWord runes, so that a long run without spaces
// costs no more than a short one.
func capitalContext(rs, out []rune, i int) bool {
	prev := lastWord(out)
	if prev == "" {
		return true
	}
	if startsCapital(prev) {
		return true
	}
	// The word after this one.
	j, stop := i+1, min(len(rs), i+1+maxWord)
	for j < stop && !unicode.IsSpace(rs[j]) {
		j++
	}
	for j < len(rs) && j < stop+maxWord && unicode.IsSpace(rs[j]) {
		j++
	}
	return j < len(rs) && startsCapital(string(rs[j]))
}

const maxWord = 64

func lastWord(out []rune) string {
	end := len(out)
	for end > 0 && len(out)-end < maxWord && !unicode.IsLetter(out[end-1]) && !unicode.IsDigit(out[end-1]) {
		end--
	}
	start := end
	for start > 0 && end-start < maxWord && !unicode.IsSpace(out[start-1]) {
		start--
	}
	return string(out[start:end])
}

func startsCapital(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// Identity keys. Two listings of the same place should give the same key
// across sources: "1014 East Market Street, Suite 2" and "1014 E Market St"
// both become "1014 e market".

var (
	corpSuffixes = map[string]bool{"inc": true, "incorporated": true, "llc": true, "ltd": true, "corp": true,
		"corporation": true, "pc": true, "nfp": true, "pllc": true, "lp": true}
	directionals = map[string]string{"north": "n", "south": "s", "east": "e", "west": "w",
		"northeast": "ne", "northwest": "nw", "southeast": "se", "southwest": "sw"}
	streetTypes = map[string]bool{"street": true, "st": true, "avenue": true, "ave": true, "av": true,
		"road": true, "rd": true, "drive": true, "dr": true, "boulevard": true, "blvd": true, "lane": true,
		"ln": true, "court": true, "ct": true, "place": true, "pl": true, "way": true, "parkway": true,
		"pkwy": true, "trail": true, "trl": true, "plaza": true, "plz": true, "circle": true, "cir": true,
		"square": true, "sq": true, "terrace": true, "ter": true}
	streetWords = map[string]string{"hwy": "highway", "rte": "route", "rt": "route", "mt": "mount",
		"ft": "fort", "pkwy": "parkway", "expy": "expressway"}
	unitWords = map[string]bool{"suite": true, "ste": true, "unit": true, "apt": true, "room": true,
		"rm": true, "floor": true, "fl": true, "bldg": true, "building": true}
)

// makeKey is the identity key of a facility: "frid:<frid>" when there is a
// FindTreatment ID, else "nameaddr:<name>|<street>|<zip5>" with each part
// normalised by normName, normStreet and zip5.
func makeKey(f *data.Facility) string {
	if id := strings.TrimSpace(f.FRID); id != "" {
		return "frid:" + strings.ToLower(id)
	}
	return "nameaddr:" + normName(f.Name) + "|" + normStreet(f.Street) + "|" + zip5(f.ZIP)
}

// words lower-cases s, folds common accented letters, turns "&" into "and"
// and splits on anything that is not a letter or digit.
func words(s string) []string {
	s = strings.ToLower(strings.ReplaceAll(s, "&", " and "))
	return strings.FieldsFunc(foldAccents(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// normName: lower case, punctuation dropped, trailing corporate suffixes
// (Inc, LLC, Ltd, NFP...) dropped.
func normName(s string) string {
	w := words(strings.ReplaceAll(s, "'", ""))
	for len(w) > 1 && corpSuffixes[w[len(w)-1]] {
		w = w[:len(w)-1]
	}
	return strings.Join(w, " ")
}

// normStreet: lower case; everything from a unit word (Suite, Unit, Floor,
// #...) on dropped; directionals abbreviated; a final street type (Street,
// Ave...) dropped; a few abbreviations inside the name spelled out.
func normStreet(s string) string {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		s = s[:i]
	}
	w := words(strings.ReplaceAll(s, "'", ""))
	for i, t := range w {
		if unitWords[t] && i > 0 {
			w = w[:i]
			break
		}
	}
	for i, t := range w {
		if d, ok := directionals[t]; ok {
			w[i] = d
		}
	}
	// "826 North Avenue" keeps its Avenue: North is the name.
	if n := len(w); n > 2 && streetTypes[w[n-1]] && !isDirectional(w[n-2]) {
		w = w[:n-1]
	}
	for i, t := range w {
		if x, ok := streetWords[t]; ok {
			w[i] = x
		}
	}
	return strings.Join(w, " ")
}

func isDirectional(w string) bool {
	switch w {
	case "n", "s", "e", "w", "ne", "nw", "se", "sw":
		return true
	}
	return false
}

// zip5 is the first five digits of a ZIP code, or its digits if fewer.
func zip5(s string) string {
	var b []byte
	for i := 0; i < len(s) && len(b) < 5; i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b = append(b, s[i])
		} else if len(b) > 0 && s[i] == '-' {
			break
		}
	}
	return string(b)
}

// cleanZIP turns "60540", "60540-1234", "605401234" and "2134" (a New
// England ZIP that lost its leading zero in a spreadsheet) into 12345 or
// 12345-6789. ok is false when it is none of these; the input is then
// returned trimmed.
func cleanZIP(s string) (string, bool) {
	s = strings.TrimSpace(s)
	var d []byte
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			d = append(d, c)
		case c == '-' || c == ' ':
		default:
			return s, false
		}
	}
	switch len(d) {
	case 5:
		return string(d), true
	case 9:
		return string(d[:5]) + "-" + string(d[5:]), true
	case 4:
		return "0" + string(d), true
	case 8:
		return "0" + string(d[:4]) + "-" + string(d[4:]), true
	}
	return s, false
}

var accentFold = strings.NewReplacer("á", "a", "à", "a", "â", "a", "ä", "a", "ã", "a", "å", "a",
	"é", "e", "è", "e", "ê", "e", "ë", "e", "í", "i", "ì", "i", "î", "i", "ï", "i",
	"ó", "o", "ò", "o", "ô", "o", "ö", "o", "õ", "o", "ú", "u", "ù", "u", "û", "u", "ü", "u",
	"ñ", "n", "ç", "c", "ý", "y", "ÿ", "y")

func foldAccents(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return accentFold.Replace(s)
		}
	}
	return s
}

// cleanText trims s and collapses runs of white space (PDF scrapes and
// spreadsheets leave doubled spaces and stray tabs).
func cleanText(s string) string {
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\t' || c == '\n' || c == '\r' || c == ' ' && i+1 < len(s) && s[i+1] == ' ' {
			return strings.Join(strings.Fields(s), " ")
		}
	}
	return s
}

// Phone numbers inside text: "(773) 722- 7900x4084", "434-971-8454 x1".
var phoneRE = regexp.MustCompile(`\(?\b?\d{3}\)?[\s.-]*\d{3}[\s.-]*\d{4}(?:\s*(?:x|ext\.?)\s*\d{1,6})?`)

// splitIntake splits a directory phone cell such as
// "(630) 892-7980x12 Intakes: (630) 669-7161 (847) 668-8969" into the main
// part and the list of intake numbers as written.
func splitIntake(s string) (main string, intakes []string) {
	low := strings.ToLower(s)
	i := strings.Index(low, "intake")
	if i < 0 {
		return strings.TrimSpace(s), nil
	}
	main = strings.TrimSpace(s[:i])
	rest := s[i:]
	if j := strings.IndexByte(rest, ':'); j >= 0 {
		rest = rest[j+1:]
	} else {
		rest = rest[len("intake"):]
	}
	return main, phoneRE.FindAllString(rest, -1)
}

// normPhone normalises a phone number with data.NormalizePhone, after
// closing gaps such as "(773) 722- 7900". ok is false when it is not a
// phone number; s is then returned trimmed.
func normPhone(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	if p, err := data.NormalizePhone(s); err == nil {
		return p, true
	}
	if m := phoneRE.FindString(s); m != "" {
		if p, err := data.NormalizePhone(m); err == nil {
			return p, true
		}
	}
	return s, false
}

// Windows-1252 bytes 0x80–0x9F; the rest of the high half is Latin-1.
var cp1252 = [32]rune{
	'€', '\uFFFD', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\uFFFD', 'Ž', '\uFFFD',
	'\uFFFD', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\uFFFD', 'ž', 'Ÿ',
}

// decodeWindows1252 reads b as Windows-1252 text.
func decodeWindows1252(b []byte) []byte {
	var out strings.Builder
	out.Grow(len(b) + len(b)/8)
	for _, c := range b {
		switch {
		case c < 0x80:
			out.WriteByte(c)
		case c < 0xA0:
			out.WriteRune(cp1252[c-0x80])
		default:
			out.WriteRune(rune(c))
		}
	}
	return []byte(out.String())
}

// firstInvalidUTF8 returns the 1-based line of the first byte that is not
// UTF-8, or 0 when b is valid.
func firstInvalidUTF8(b []byte) int {
	if utf8.Valid(b) {
		return 0
	}
	line := 1
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return line
		}
		if b[i] == '\n' {
			line++
		}
		i += n
	}
	return line
}

// lineCounter wraps the reader a json.Decoder reads from and turns decoder
// offsets into line numbers. It keeps only the bytes between the last
// offset asked about and what the decoder has read ahead.
type lineCounter struct {
	r    interface{ Read([]byte) (int, error) }
	buf  []byte
	pos  int   // buf[:pos] is counted already
	base int64 // offset of buf[pos]
	line int   // line at base, 1-based
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.pos > 0 && c.pos >= len(c.buf)/2 { // drop what is counted, now and then
		c.buf = append(c.buf[:0], c.buf[c.pos:]...)
		c.pos = 0
	}
	c.buf = append(c.buf, p[:n]...)
	return n, err
}

// lineAt returns the line of offset off (which never goes backwards), after
// skipping white space and commas: the line where the next value starts.
func (c *lineCounter) lineAt(off int64) int {
	end := c.pos + int(min(max(off-c.base, 0), int64(len(c.buf)-c.pos)))
	for end < len(c.buf) && (c.buf[end] == ' ' || c.buf[end] == '\t' || c.buf[end] == '\r' || c.buf[end] == '\n' || c.buf[end] == ',') {
		end++
	}
	c.line += bytes.Count(c.buf[c.pos:end], []byte{'\n'})
	c.base += int64(end - c.pos)
	c.pos = end
	return c.line
}

// endLine is the line of the last byte read so far.
func (c *lineCounter) endLine() int {
	return c.lineAt(c.base + int64(len(c.buf)-c.pos))
}
