package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"connectpoint/data"
)

// A FindTreatment.gov locator export (exportsAsJson/v2):
//
//	{"page": 1, "totalPages": 765, "recordCount": 22949,
//	 "rows": [{"frid": ..., "name1": ..., "services": [{"f1": label, "f2": code, "f3": "value; value"}]}]}
//
// It is read as a stream: one row in memory at a time.

// jsonText accepts a JSON string, number, boolean or null as text, since
// exports are not consistent about "38.02" and 38.02.
type jsonText string

func (t *jsonText) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*t = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*t = jsonText(s)
	case b[0] == '{' || b[0] == '[':
		return errors.New("an object or list where text belongs")
	default:
		*t = jsonText(b)
	}
	return nil
}

type ftService struct {
	Label jsonText `json:"f1"`
	Code  jsonText `json:"f2"`
	Value jsonText `json:"f3"`
}

type ftRow struct {
	FRID      jsonText    `json:"frid"`
	Name1     jsonText    `json:"name1"`
	Name2     jsonText    `json:"name2"`
	Street1   jsonText    `json:"street1"`
	Street2   jsonText    `json:"street2"`
	City      jsonText    `json:"city"`
	State     jsonText    `json:"state"`
	ZIP       jsonText    `json:"zip"`
	Phone     jsonText    `json:"phone"`
	Intake1   jsonText    `json:"intake1"`
	Website   jsonText    `json:"website"`
	Latitude  jsonText    `json:"latitude"`
	Longitude jsonText    `json:"longitude"`
	Type      jsonText    `json:"typeFacility"`
	Services  []ftService `json:"services"`
}

func readFindTreatment(ctx context.Context, name string, r io.Reader) (*Result, error) {
	lc := &lineCounter{r: r, line: 1}
	dec := json.NewDecoder(lc)
	c := newCollector()
	// jsonErr turns a decoding error into a whole-file error with its line.
	jsonErr := func(err error) error {
		var se *json.SyntaxError
		switch {
		case errors.Is(err, errTooBig):
			return err
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
			return invalid("%s line %d: the JSON ends too soon: the file is truncated", name, lc.endLine())
		case errors.As(err, &se):
			return invalid("%s line %d: not valid JSON: %v", name, lc.lineAt(se.Offset-1), se)
		}
		var de *data.Error
		if errors.As(err, &de) {
			return err
		}
		return fmt.Errorf("read %s: %w", name, err)
	}
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, invalid("%s: empty file", name)
		}
		return nil, jsonErr(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, invalid("%s line %d: not a FindTreatment.gov export: expected an object with \"rows\"", name, lc.lineAt(0))
	}
	var (
		sawRows            bool
		page, pages, count int
	)
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, jsonErr(err)
		}
		key, _ := tok.(string)
		switch key {
		case "rows":
			sawRows = true
			if err := readFTRows(ctx, name, dec, lc, c, jsonErr); err != nil {
				return nil, err
			}
		case "page", "totalPages", "recordCount":
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, jsonErr(err)
			}
			v, _ := strconv.Atoi(string(bytes.TrimSpace(raw))) // not a number: 0, unknown
			switch key {
			case "page":
				page = v
			case "totalPages":
				pages = v
			default:
				count = v
			}
		default:
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return nil, jsonErr(err)
			}
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return nil, jsonErr(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return nil, invalid("%s line %d: more JSON after the export's end", name, lc.lineAt(dec.InputOffset()))
		}
		return nil, jsonErr(err)
	}
	if !sawRows {
		return nil, invalid("%s: not a FindTreatment.gov export: no \"rows\"", name)
	}
	if pages > 1 || count > c.res.Rows {
		c.res.Problems = append([]Problem{{Line: 0, Field: "page", Reason: fmt.Sprintf(
			"this file is page %d of %d of an export of %d facilities; it holds %d rows", page, pages, count, c.res.Rows)}},
			c.res.Problems...)
	}
	return c.res, nil
}

func readFTRows(ctx context.Context, name string, dec *json.Decoder, lc *lineCounter, c *collector, jsonErr func(error) error) error {
	tok, err := dec.Token()
	if err != nil {
		return jsonErr(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return invalid("%s line %d: \"rows\" must be a list", name, lc.lineAt(dec.InputOffset()))
	}
	for dec.More() {
		if err := ctxEvery(ctx, c.res.Rows); err != nil {
			return err
		}
		line := lc.lineAt(dec.InputOffset())
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return jsonErr(err)
		}
		if !utf8.Valid(raw) {
			return invalid("%s line %d: not UTF-8 text; JSON must be UTF-8 (save the export again as UTF-8)", name, line+invalidLineOffset(raw))
		}
		c.res.Rows++
		var row ftRow
		if err := json.Unmarshal(raw, &row); err != nil {
			field := ""
			var te *json.UnmarshalTypeError
			if errors.As(err, &te) {
				field = te.Field
			}
			c.problem(line, field, "not a facility row: "+err.Error(), true)
			continue
		}
		c.addFTRow(line, &row)
	}
	if _, err := dec.Token(); err != nil { // ']'
		return jsonErr(err)
	}
	return nil
}

func (c *collector) addFTRow(line int, row *ftRow) {
	f := data.Facility{
		Name: string(row.Name1), Name2: string(row.Name2),
		Street: string(row.Street1), Street2: string(row.Street2),
		City: string(row.City), State: string(row.State), ZIP: string(row.ZIP),
		Phone: string(row.Phone), IntakePhone: string(row.Intake1),
		Website: string(row.Website), Type: string(row.Type), FRID: string(row.FRID),
	}
	if strings.TrimSpace(f.Name) == "" {
		c.problem(line, "name", "no name (name1)", true)
		return
	}
	f.Lat, f.Lon = c.parseLatLon(line, string(row.Latitude), string(row.Longitude))
	c.cleanFacility(&f, line)
	if why := checkPlace(&f); why != "" {
		c.problem(line, "zip", why, true)
		return
	}
	for _, s := range row.Services {
		cat := strings.TrimSpace(string(s.Code))
		for _, v := range strings.Split(string(s.Value), ";") {
			f.Services = append(f.Services, ftCodes(cat, v)...)
		}
	}
	c.add(Facility{Facility: f}, line)
}

// parseLatLon reads a coordinate pair; a bad or missing one is 0, 0
// (unknown), with a problem when something was written there.
func (c *collector) parseLatLon(line int, slat, slon string) (float64, float64) {
	slat, slon = strings.TrimSpace(slat), strings.TrimSpace(slon)
	if slat == "" && slon == "" {
		return 0, 0
	}
	lat, err1 := strconv.ParseFloat(slat, 64)
	lon, err2 := strconv.ParseFloat(slon, 64)
	if err1 != nil || err2 != nil || lat != lat || lon != lon || lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		c.problem(line, "lat", fmt.Sprintf("coordinates %q, %q are not a place on Earth; left out", slat, slon), false)
		return 0, 0
	}
	return lat, lon
}

// invalidLineOffset counts the lines in b before its first byte that is not
// UTF-8.
func invalidLineOffset(b []byte) int {
	return max(firstInvalidUTF8(b)-1, 0)
}
