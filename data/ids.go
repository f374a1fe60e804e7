package data

import (
	"github.com/google/uuid"
)

// NewID returns a random, time-ordered identifier (UUIDv7). IDs must be
// unique across devices that never talked to each other, so nothing here is
// ever an autoincrement.
func NewID() string {
	id, err := uuid.NewV7()
	if err != nil {
		// uuid.NewV7 fails only when the system's random source does,
		// and then nothing secure can be done anyway.
		panic("read random source: " + err.Error())
	}
	return id.String()
}

// ShortID returns the part of an ID a person reads aloud or types: the last
// six characters, upper case ("case 4F2K9A").
func ShortID(id string) string {
	if len(id) < 6 {
		return id
	}
	b := []byte(id[len(id)-6:])
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}
