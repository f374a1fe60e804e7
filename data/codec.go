package data

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Records travel as maps of field name to text: that is what operations
// carry and what the tables hold. The domain structs map onto them through
// `cp:"field"` tags, so that each type is declared once.

// TimeLayout is how instants are written: UTC with milliseconds, so that
// text order is time order.
const TimeLayout = "2006-01-02T15:04:05.000Z"

// DateLayout is how calendar dates (birth dates, due dates) are written.
const DateLayout = "2006-01-02"

// FormatTime writes t in TimeLayout, "" for the zero time.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(TimeLayout)
}

// ParseTime reads TimeLayout or RFC 3339.
func ParseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(TimeLayout, s); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339Nano, s)
}

type codecField struct {
	name  string
	index int
}

var codecCache sync.Map // reflect.Type -> []codecField

func codecFields(t reflect.Type) []codecField {
	if v, ok := codecCache.Load(t); ok {
		return v.([]codecField)
	}
	var fs []codecField
	for i := 0; i < t.NumField(); i++ {
		if tag := t.Field(i).Tag.Get("cp"); tag != "" && tag != "-" {
			fs = append(fs, codecField{name: tag, index: i})
		}
	}
	codecCache.Store(t, fs)
	return fs
}

// toFields returns the tagged fields of the struct v points to, as text.
// Sets are joined with commas; zero values (false, 0, the zero time) are "".
func toFields(v any) map[string]string {
	rv := reflect.ValueOf(v).Elem()
	out := map[string]string{}
	for _, f := range codecFields(rv.Type()) {
		fv := rv.Field(f.index)
		var s string
		switch x := fv.Interface().(type) {
		case string:
			s = x
		case bool:
			// false is the absent value: a new record writes nothing for it.
			if x {
				s = "true"
			}
		case int:
			if x != 0 {
				s = strconv.Itoa(x)
			}
		case float64:
			if x != 0 {
				s = strconv.FormatFloat(x, 'f', -1, 64)
			}
		case time.Time:
			s = FormatTime(x)
		case []string:
			s = strings.Join(x, ",")
		default:
			if fv.Kind() == reflect.String {
				s = fv.String()
			} else {
				panic(fmt.Sprintf("codec: field %s has unsupported type %s", f.name, fv.Type()))
			}
		}
		out[f.name] = s
	}
	return out
}

// fromFields fills the struct v points to from text fields. Text that does
// not parse (a damaged or newer value) leaves the field at its zero value
// rather than failing the whole record.
func fromFields(m map[string]string, v any) {
	rv := reflect.ValueOf(v).Elem()
	for _, f := range codecFields(rv.Type()) {
		s, ok := m[f.name]
		if !ok {
			continue
		}
		fv := rv.Field(f.index)
		switch fv.Interface().(type) {
		case bool:
			fv.SetBool(s == "true")
		case int:
			n, _ := strconv.Atoi(s)
			fv.SetInt(int64(n))
		case float64:
			x, _ := strconv.ParseFloat(s, 64)
			fv.SetFloat(x)
		case time.Time:
			t, _ := ParseTime(s)
			fv.Set(reflect.ValueOf(t))
		case []string:
			if s == "" {
				fv.Set(reflect.Zero(fv.Type()))
			} else {
				fv.Set(reflect.ValueOf(strings.Split(s, ",")))
			}
		default:
			fv.SetString(s)
		}
	}
}

// FieldNames returns the field names of a domain struct, in declaration order.
func FieldNames(v any) []string {
	var names []string
	for _, f := range codecFields(reflect.TypeOf(v).Elem()) {
		names = append(names, f.name)
	}
	return names
}

// FieldValues returns the tagged fields of a domain struct for JSON:
// booleans as booleans, numbers as numbers, sets as arrays, instants in
// TimeLayout; empty text and zero times are left out.
func FieldValues(v any) map[string]any {
	rv := reflect.ValueOf(v).Elem()
	out := map[string]any{}
	for _, f := range codecFields(rv.Type()) {
		switch x := rv.Field(f.index).Interface().(type) {
		case bool, int, float64:
			out[f.name] = x
		case time.Time:
			if !x.IsZero() {
				out[f.name] = FormatTime(x)
			}
		case []string:
			if x == nil {
				x = []string{}
			}
			out[f.name] = x
		default:
			if s := rv.Field(f.index).String(); s != "" {
				out[f.name] = s
			}
		}
	}
	return out
}
