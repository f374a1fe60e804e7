package data

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// OpID names an operation: the device that wrote it and its sequence number
// there. Sequence numbers start at 1 and have no gaps.
type OpID struct {
	Device string
	Seq    int64
}

func (id OpID) String() string { return id.Device + "/" + strconv.FormatInt(id.Seq, 10) }

// ParseOpID reads the "device/seq" form of an OpID.
func ParseOpID(s string) (OpID, error) {
	i := strings.LastIndexByte(s, '/')
	if i <= 0 {
		return OpID{}, fmt.Errorf("operation id %q: want device/seq", s)
	}
	seq, err := strconv.ParseInt(s[i+1:], 10, 64)
	if err != nil || seq < 1 {
		return OpID{}, fmt.Errorf("operation id %q: bad sequence number", s)
	}
	return OpID{Device: s[:i], Seq: seq}, nil
}

// MarshalText writes the "device/seq" form.
func (id OpID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText reads the "device/seq" form.
func (id *OpID) UnmarshalText(b []byte) error {
	v, err := ParseOpID(string(b))
	if err != nil {
		return err
	}
	*id = v
	return nil
}

// Op is one change to one field of one record: the unit of the operation
// log and of sync.
//
// For a register field, Value is the new value and Prev the operations the
// writer saw as the field's value. For a set field, Value is "+elem" or
// "-elem"; a remove's Prev lists the add operations it saw. An append-only
// record is written by one operation with an empty Field whose Value is the
// JSON object of all its fields. Sealed values are ciphertext.
type Op struct {
	HLC    HLC    `json:"hlc"`
	Device string `json:"device"`
	Seq    int64  `json:"seq"`
	Entity string `json:"entity"`
	Row    string `json:"row"`
	Field  string `json:"field,omitempty"`
	Value  []byte `json:"value,omitempty"`
	Prev   []OpID `json:"prev,omitempty"`
	User   string `json:"user"`
}

// ID returns the operation's name.
func (op *Op) ID() OpID { return OpID{Device: op.Device, Seq: op.Seq} }

// Validate checks that op is well formed against the schema, so that a
// damaged or foreign operation is refused before it touches anything.
func (op *Op) Validate() error {
	if op.Device == "" || op.Seq < 1 || op.Row == "" || op.HLC <= 0 {
		return fmt.Errorf("operation %s: device, sequence, row and clock are required", op.ID())
	}
	e, ok := Entity(op.Entity)
	if !ok {
		return fmt.Errorf("operation %s: unknown entity %q", op.ID(), op.Entity)
	}
	if e.Append {
		if op.Field != "" {
			return fmt.Errorf("operation %s: append-only %s takes no field", op.ID(), op.Entity)
		}
		var m map[string]string
		if err := json.Unmarshal(op.Value, &m); err != nil {
			return fmt.Errorf("operation %s: %s record: %v", op.ID(), op.Entity, err)
		}
		for k := range m {
			if _, ok := e.Field(k); !ok {
				return fmt.Errorf("operation %s: %s has no field %q", op.ID(), op.Entity, k)
			}
		}
		return nil
	}
	if op.Field == FieldTombstone {
		return nil
	}
	f, ok := e.Field(op.Field)
	if !ok {
		return fmt.Errorf("operation %s: %s has no field %q", op.ID(), op.Entity, op.Field)
	}
	if f.Kind == Set && (len(op.Value) < 1 || (op.Value[0] != '+' && op.Value[0] != '-')) {
		return fmt.Errorf("operation %s: set %s.%s needs +elem or -elem", op.ID(), op.Entity, op.Field)
	}
	return nil
}

func encodePrev(prev []OpID) string {
	if len(prev) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(prev)
	return string(b)
}

func decodePrev(s string) ([]OpID, error) {
	var prev []OpID
	if s == "" || s == "[]" {
		return nil, nil
	}
	err := json.Unmarshal([]byte(s), &prev)
	return prev, err
}
