package data

import (
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
	"golang.org/x/crypto/chacha20poly1305"
)

// KeySize is the size of data keys and key-encryption keys.
const KeySize = 32

// ErrWrongKey is returned when authentication fails: a wrong password, a
// wrong key, or sealed data that was changed. The three cannot be told apart,
// and a person can only act on the first two.
var ErrWrongKey = errors.New("wrong password or key")

// NewKey returns a fresh random 32-byte key.
func NewKey() ([]byte, error) {
	key := make([]byte, KeySize)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("new key: %w", err)
	}
	return key, nil
}

// Seal encrypts plaintext with XChaCha20-Poly1305 under key, with a fresh
// random 24-byte nonce in front of the ciphertext. ad is associated data
// (may be nil): it is authenticated but not stored, so Open must be given
// the same ad. XChaCha's 24-byte nonce is long enough that random nonces
// never collide in practice, so no nonce counter has to be kept anywhere.
func Seal(key, plaintext, ad []byte) ([]byte, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, fmt.Errorf("seal value: %w", err)
	}
	// Allocate once for nonce, ciphertext and tag.
	out := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	if _, err := rand.Read(out); err != nil {
		return nil, fmt.Errorf("seal value: %w", err)
	}
	return aead.Seal(out, out, plaintext, ad), nil
}

// opener opens many values sealed under one key, making the cipher once.
type opener struct {
	aead cipher.AEAD
	ad   []byte // scratch for the associated data
}

func newOpener(key []byte) (*opener, error) {
	aead, err := chacha20poly1305.NewX(key)
	if err != nil {
		return nil, fmt.Errorf("open sealed value: %w", err)
	}
	return &opener{aead: aead}, nil
}

// open is Unseal for the value of entity.field of row.
func (o *opener) open(sealed []byte, entity, field, row string) ([]byte, error) {
	o.ad = appendSealAD(o.ad[:0], entity, field, row)
	return o.openAD(sealed, o.ad)
}

// openAD is Unseal with the opener's key.
func (o *opener) openAD(sealed, ad []byte) ([]byte, error) {
	ns := o.aead.NonceSize()
	if minLen := ns + o.aead.Overhead(); len(sealed) < minLen {
		return nil, fmt.Errorf("open sealed value: too short (%d bytes, need at least %d)", len(sealed), minLen)
	}
	plaintext, err := o.aead.Open(nil, sealed[:ns], sealed[ns:], ad)
	if err != nil {
		// The AEAD's own error says nothing more than "authentication failed".
		return nil, fmt.Errorf("open sealed value: %w", ErrWrongKey)
	}
	return plaintext, nil
}

// Unseal reverses Seal. It returns an error wrapping ErrWrongKey when the key
// or ad is wrong or sealed was changed, and a different error when sealed is
// too short to have come from Seal at all.
func Unseal(key, sealed, ad []byte) ([]byte, error) {
	o, err := newOpener(key)
	if err != nil {
		return nil, err
	}
	return o.openAD(sealed, ad)
}

// KDFParams are Argon2id parameters (see argon2.IDKey).
type KDFParams struct {
	Time      uint32 // passes over memory
	MemoryKiB uint32 // memory in KiB
	Threads   uint8  // parallelism
}

// DefaultKDF is used for real passwords. It follows the RFC 9106 second
// recommended option (64 MiB) but with two passes, which costs well under a
// second on a desktop while making guessing expensive.
var DefaultKDF = KDFParams{Time: 2, MemoryKiB: 64 * 1024, Threads: 2}

// TestKDF is cheap parameters for tests and benchmarks. Never use it for
// real passwords.
var TestKDF = KDFParams{Time: 1, MemoryKiB: 1024, Threads: 1}

// Limits on parameters read back from an encoded password. The encoded
// string lives in the database, which can arrive from other devices, so a
// corrupt or hostile value must not make us allocate gigabytes or spin for
// minutes before failing.
const (
	maxKDFTime      = 64
	maxKDFMemoryKiB = 1024 * 1024 // 1 GiB
)

const (
	saltSize     = 16
	verifierSize = 32
	kdfPrefix    = "argon2id"
)

func (p KDFParams) check() error {
	switch {
	case p.Time < 1 || p.Time > maxKDFTime:
		return fmt.Errorf("time %d out of range 1..%d", p.Time, maxKDFTime)
	case p.Threads < 1:
		return fmt.Errorf("threads must be at least 1")
	case p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxKDFMemoryKiB:
		// Argon2 needs 8 KiB per thread; below that argon2.IDKey silently
		// raises it, so the stored params would not be the ones used.
		return fmt.Errorf("memory %d KiB out of range %d..%d", p.MemoryKiB, 8*uint32(p.Threads), maxKDFMemoryKiB)
	}
	return nil
}

// derive returns the verifier and the key-encryption key for password.
// Both come from one Argon2id call so that checking a password costs the
// same as unlocking with it: an attacker who has the stored verifier gains
// nothing about the kek beyond what guessing the password gives.
func (p KDFParams) derive(password string, salt []byte) (verifier, kek []byte) {
	out := argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, verifierSize+KeySize)
	return out[:verifierSize], out[verifierSize:]
}

// HashPassword derives a verifier and a key-encryption key (kek) from
// password with Argon2id and a fresh 16-byte salt. encoded holds the params,
// salt and verifier, to be stored in the user record, in the form
//
//	argon2id$v=19$t=2,m=65536,p=2$<salt>$<verifier>
//
// (raw standard base64). The kek is never stored: it wraps the user's copy
// of the data key and is recovered by CheckPassword.
func HashPassword(password string, p KDFParams) (encoded string, kek []byte, err error) {
	if err := p.check(); err != nil {
		return "", nil, fmt.Errorf("hash password: %w", err)
	}
	salt := make([]byte, saltSize)
	if _, err := rand.Read(salt); err != nil {
		return "", nil, fmt.Errorf("hash password: %w", err)
	}
	verifier, kek := p.derive(password, salt)
	b64 := base64.RawStdEncoding
	encoded = fmt.Sprintf("%s$v=%d$t=%d,m=%d,p=%d$%s$%s",
		kdfPrefix, argon2.Version, p.Time, p.MemoryKiB, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(verifier))
	return encoded, kek, nil
}

// CheckPassword checks password against encoded (from HashPassword) and
// returns the key-encryption key. A wrong password gives an error wrapping
// ErrWrongKey; a malformed encoded string gives an error saying what is
// wrong with it.
func CheckPassword(encoded, password string) (kek []byte, err error) {
	p, salt, want, err := parsePasswordHash(encoded)
	if err != nil {
		return nil, fmt.Errorf("check password: malformed hash: %w", err)
	}
	verifier, kek := p.derive(password, salt)
	// Constant time so that response timing does not reveal how much of the
	// verifier a guess got right.
	if subtle.ConstantTimeCompare(verifier, want) != 1 {
		return nil, fmt.Errorf("check password: %w", ErrWrongKey)
	}
	return kek, nil
}

// parsePasswordHash splits an encoded hash into its parts. It is strict:
// only the exact form HashPassword writes is accepted, so that a damaged
// record is reported rather than half understood.
func parsePasswordHash(encoded string) (p KDFParams, salt, verifier []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 5 {
		return p, nil, nil, fmt.Errorf("want 5 fields separated by '$', got %d", len(parts))
	}
	if parts[0] != kdfPrefix {
		return p, nil, nil, fmt.Errorf("algorithm %q, want %q", parts[0], kdfPrefix)
	}
	if want := "v=" + strconv.Itoa(argon2.Version); parts[1] != want {
		return p, nil, nil, fmt.Errorf("version %q, want %q", parts[1], want)
	}

	params := strings.Split(parts[2], ",")
	if len(params) != 3 {
		return p, nil, nil, fmt.Errorf("params %q: want t=,m=,p=", parts[2])
	}
	var vals [3]uint64
	for i, name := range []string{"t", "m", "p"} {
		v, ok := strings.CutPrefix(params[i], name+"=")
		if !ok {
			return p, nil, nil, fmt.Errorf("params %q: want t=,m=,p=", parts[2])
		}
		bits := 32
		if name == "p" {
			bits = 8
		}
		// ParseUint rejects signs, spaces and overflow of the field's type.
		vals[i], err = strconv.ParseUint(v, 10, bits)
		if err != nil {
			return p, nil, nil, fmt.Errorf("param %s: %w", name, err)
		}
	}
	p = KDFParams{Time: uint32(vals[0]), MemoryKiB: uint32(vals[1]), Threads: uint8(vals[2])}
	if err := p.check(); err != nil {
		return p, nil, nil, err
	}

	// Strict: reject non-zero trailing bits so each value has one encoding.
	b64 := base64.RawStdEncoding.Strict()
	salt, err = b64.DecodeString(parts[3])
	if err != nil {
		return p, nil, nil, fmt.Errorf("salt: %w", err)
	}
	if len(salt) != saltSize {
		return p, nil, nil, fmt.Errorf("salt is %d bytes, want %d", len(salt), saltSize)
	}
	verifier, err = b64.DecodeString(parts[4])
	if err != nil {
		return p, nil, nil, fmt.Errorf("verifier: %w", err)
	}
	if len(verifier) != verifierSize {
		return p, nil, nil, fmt.Errorf("verifier is %d bytes, want %d", len(verifier), verifierSize)
	}
	return p, salt, verifier, nil
}

// keyWrapAD binds wrapped keys to their purpose, so that a wrapped key
// cannot be passed off as some other sealed value under the same kek, or
// the other way round.
var keyWrapAD = []byte("connectpoint key wrap v1")

// WrapKey seals dataKey under kek (a key-encryption key from a password or
// a recovery key).
func WrapKey(kek, dataKey []byte) ([]byte, error) {
	if len(dataKey) != KeySize {
		return nil, fmt.Errorf("wrap key: data key is %d bytes, want %d", len(dataKey), KeySize)
	}
	wrapped, err := Seal(kek, dataKey, keyWrapAD)
	if err != nil {
		return nil, fmt.Errorf("wrap key: %w", err)
	}
	return wrapped, nil
}

// UnwrapKey reverses WrapKey. A wrong kek gives an error wrapping ErrWrongKey.
func UnwrapKey(kek, wrapped []byte) ([]byte, error) {
	dataKey, err := Unseal(kek, wrapped, keyWrapAD)
	if err != nil {
		return nil, fmt.Errorf("unwrap key: %w", err)
	}
	if len(dataKey) != KeySize {
		return nil, fmt.Errorf("unwrap key: data key is %d bytes, want %d", len(dataKey), KeySize)
	}
	return dataKey, nil
}

// Recovery keys are written down by a person and typed back in, possibly
// years later. Crockford base32 leaves out I, L, O and U so that what is
// read is not misread, and the checksum group catches typos before the key
// is tried (a wrong key would only say "wrong password or key").
//
// Layout: 32 bytes = 256 bits -> 52 characters (the last carries 4 zero
// padding bits), then 4 checksum characters = the first 20 bits of
// SHA-256(key); 56 characters in 14 groups of 4.
var crockford = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

const (
	recoveryKeyChars   = 52 // base32 characters for KeySize bytes
	recoveryCheckChars = 4
	recoveryGroup      = 4
)

// NewRecoveryKey returns a fresh random key and its printable form.
func NewRecoveryKey() (key []byte, printable string, err error) {
	key, err = NewKey()
	if err != nil {
		return nil, "", fmt.Errorf("new recovery key: %w", err)
	}
	return key, FormatRecoveryKey(key), nil
}

// recoveryChecksum returns the 4 checksum characters for key.
func recoveryChecksum(key []byte) string {
	sum := sha256.Sum256(key)
	// 3 bytes encode to 5 characters; the first 4 hold the first 20 bits.
	return crockford.EncodeToString(sum[:3])[:recoveryCheckChars]
}

// FormatRecoveryKey returns key in its printable form, e.g.
// "ABCD-EFGH-...-WXYZ". It panics if key is not KeySize bytes: that is a
// programming error, and printing an unusable recovery key would be worse.
func FormatRecoveryKey(key []byte) string {
	if len(key) != KeySize {
		panic(fmt.Sprintf("FormatRecoveryKey: key is %d bytes, want %d", len(key), KeySize))
	}
	s := crockford.EncodeToString(key) + recoveryChecksum(key)
	var b strings.Builder
	for i := 0; i < len(s); i += recoveryGroup {
		if i > 0 {
			b.WriteByte('-')
		}
		b.WriteString(s[i : i+recoveryGroup])
	}
	return b.String()
}

// ParseRecoveryKey reads a key typed by a person. It accepts lower case,
// spaces, missing or extra dashes, and O for 0 and I or L for 1. Its errors
// say what is wrong in words a person can act on.
func ParseRecoveryKey(s string) ([]byte, error) {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ' || r == '\t' || r == '\r' || r == '\n':
			// Separators: ignored.
		case r == 'O':
			b.WriteByte('0')
		case r == 'I' || r == 'L':
			b.WriteByte('1')
		case (r >= '0' && r <= '9') || (r >= 'A' && r <= 'Z' && r != 'U'):
			b.WriteRune(r)
		default:
			return nil, fmt.Errorf("recovery key: %q is not a valid character", r)
		}
	}
	norm := b.String()
	if want := recoveryKeyChars + recoveryCheckChars; len(norm) != want {
		return nil, fmt.Errorf("recovery key: wrong length (%d characters, want %d)", len(norm), want)
	}
	body, check := norm[:recoveryKeyChars], norm[recoveryKeyChars:]
	key, err := crockford.DecodeString(body)
	if err != nil {
		// Cannot happen after the checks above; kept so a bug shows.
		return nil, fmt.Errorf("recovery key: %w", err)
	}
	// The last body character carries 4 padding bits that decoding drops.
	// Re-encoding catches a typo that changed only those bits: the key
	// would decode fine, but the person typed something we never printed.
	if crockford.EncodeToString(key) != body || recoveryChecksum(key) != check {
		return nil, errors.New("recovery key: checksum does not match (typo?)")
	}
	return key, nil
}
