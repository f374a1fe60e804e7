package data

import (
	"crypto/rand"
	"encoding/base32"
	"strings"

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

// NewActorID returns an identifier for an actor, a device or a user: 64 random
// bits in 13 characters. A program has dozens of each, never billions, so
// 64 bits keep them apart (two of a thousand devices collide with odds of
// about 3 in 10^14), and every operation in the log names its device and
// its author: at 13 characters instead of a UUID's 36 the log is a third
// smaller, and imports and sync rounds are that much faster.
func NewActorID() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("read random source: " + err.Error())
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:]))
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
