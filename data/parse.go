package data

import (
	"strconv"
	"strings"
	"time"
)

// ParseDate reads a calendar date the way people type one: 3/14/86,
// 03/14/1986, 1986-03-14 or 3-14-1986. Two-digit years are taken as the
// most recent such year not after now. It returns YYYY-MM-DD.
func ParseDate(s string, now time.Time) (string, error) {
	s = strings.TrimSpace(s)
	bad := Errorf(EINVALID, "date %q: use a date like 03/14/1986", s)
	if s == "" {
		return "", bad
	}
	if t, err := time.Parse(DateLayout, s); err == nil {
		return t.Format(DateLayout), nil
	}
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' })
	if len(parts) != 3 {
		return "", bad
	}
	m, err1 := strconv.Atoi(parts[0])
	d, err2 := strconv.Atoi(parts[1])
	y, err3 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || err3 != nil {
		return "", bad
	}
	switch len(parts[2]) {
	case 2:
		y += now.Year() / 100 * 100
		if y > now.Year() {
			y -= 100
		}
	case 4:
	default:
		return "", bad
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return "", Errorf(EINVALID, "date %q: there is no such day", s)
	}
	return t.Format(DateLayout), nil
}

// NormalizePhone writes a North American phone number as (630) 555-0142,
// keeping an extension as " x224". Anything that is not ten digits (after
// an optional leading 1) is refused with a message that says so.
func NormalizePhone(s string) (string, error) {
	raw := strings.TrimSpace(s)
	main, ext := raw, ""
	lower := strings.ToLower(raw)
	for _, sep := range []string{" ext.", " ext", "ext.", "ext", " x", "x", "#"} {
		if i := strings.LastIndex(lower, sep); i > 0 {
			main, ext = raw[:i], strings.TrimSpace(raw[i+len(sep):])
			break
		}
	}
	var digits []byte
	for i := 0; i < len(main); i++ {
		c := main[i]
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case strings.IndexByte(" ()-.+/", c) >= 0:
		default:
			return "", Errorf(EINVALID, "phone %q: use a number like (630) 555-0142", s)
		}
	}
	if len(digits) == 11 && digits[0] == '1' {
		digits = digits[1:]
	}
	if len(digits) != 10 {
		return "", Errorf(EINVALID, "phone %q: a phone number has 10 digits, like (630) 555-0142", s)
	}
	for i := 0; i < len(ext); i++ {
		if ext[i] < '0' || ext[i] > '9' {
			return "", Errorf(EINVALID, "phone %q: the extension must be digits", s)
		}
	}
	out := "(" + string(digits[:3]) + ") " + string(digits[3:6]) + "-" + string(digits[6:])
	if ext != "" {
		out += " x" + ext
	}
	return out, nil
}
