package data

import (
	"context"
	"net/url"
	"strings"
)

// FacilityEditFields are the fields of a listing a coordinator may correct
// by hand: who the facility is, where, and how to reach it. Services and
// coordinates come from directory files.
var FacilityEditFields = []string{"name", "name2", "street", "street2", "city", "state", "zip", "phone", "intake_phone", "website"}

// UpdateFacility corrects fields of a facility's listing, by the names of
// FacilityEditFields. Values are given as people type them: phones are
// written as (630) 555-0142, a ZIP as five digits (or ZIP+4), a state as
// two letters, a website with its https://. Every value is checked before
// anything is written; an empty value clears the field (the name cannot be
// cleared). A later import leaves the correction alone unless the file
// itself changes the field.
func (sess *Session) UpdateFacility(ctx context.Context, id string, values map[string]string) error {
	if err := sess.require(ctx, ActDirectoryEdit, EntFacility, id); err != nil {
		return err
	}
	if len(values) == 0 {
		return Errorf(EINVALID, "nothing to change")
	}
	old, err := sess.FacilityByID(ctx, id)
	if err != nil {
		return err
	}
	fields := toFields(old)
	changed := map[string]string{}
	for _, name := range sortedKeys(values) {
		if !contains(FacilityEditFields, name) {
			return Errorf(EINVALID, "facility field %q cannot be changed here: use one of %s", name, strings.Join(FacilityEditFields, ", "))
		}
		v, err := NormalizeFacilityValue(name, values[name])
		if err != nil {
			return err
		}
		if v != fields[name] {
			changed[name] = v
		}
	}
	if len(changed) == 0 {
		return nil
	}
	return sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		if err := writeRecord(w, EntFacility, id, changed); err != nil {
			return err
		}
		return sess.audit(w, "directory.edit", EntFacility, id, strings.Join(sortedKeys(changed), ","))
	})
}

// NormalizeFacilityValue checks one typed value of a FacilityEditFields
// field and writes it the way the directory keeps it; the error says what
// is wrong in words, starting with the field ("ZIP: use five digits...").
func NormalizeFacilityValue(name, v string) (string, error) {
	v = strings.Join(strings.Fields(v), " ")
	if len(v) > 300 {
		return "", Errorf(EINVALID, "%s: at most 300 characters", facilityFieldLabel(name))
	}
	switch name {
	case "name":
		if v == "" {
			return "", Errorf(EINVALID, "name: a facility needs a name")
		}
	case "phone", "intake_phone":
		if v == "" {
			return "", nil
		}
		p, err := NormalizePhone(v)
		if err != nil {
			// NormalizePhone says `phone "555-0142": a phone number has...`.
			msg := ErrorMessage(err)
			if i := strings.Index(msg, ": "); i >= 0 {
				msg = msg[i+2:]
			}
			return "", Errorf(EINVALID, "%s: %s", facilityFieldLabel(name), msg)
		}
		return p, nil
	case "zip":
		if v == "" || isZIP(v) {
			return v, nil
		}
		if len(v) == 10 && v[5] == '-' && isZIP(v[:5]) && plusFour(v[6:]) {
			return v, nil
		}
		return "", Errorf(EINVALID, "ZIP: use five digits, like 60540")
	case "state":
		v = strings.ToUpper(v)
		if v != "" && (len(v) != 2 || v[0] < 'A' || v[0] > 'Z' || v[1] < 'A' || v[1] > 'Z') {
			return "", Errorf(EINVALID, "state: use two letters, like IL")
		}
	case "website":
		if v == "" {
			return "", nil
		}
		if !strings.Contains(v, "://") {
			v = "https://" + v
		}
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !strings.Contains(u.Host, ".") || strings.ContainsAny(v, " ") {
			return "", Errorf(EINVALID, "website: use an address like www.example.org")
		}
	}
	return v, nil
}

func facilityFieldLabel(name string) string {
	switch name {
	case "intake_phone":
		return "intake phone"
	case "name2":
		return "second name"
	case "street2":
		return "street, second line"
	}
	return name
}

// plusFour reports whether s is the four digits after a ZIP's hyphen.
func plusFour(s string) bool {
	if len(s) != 4 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
