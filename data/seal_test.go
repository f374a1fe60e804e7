package data

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func mustKey(t testing.TB) []byte {
	t.Helper()
	k, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	if len(k) != KeySize {
		t.Fatalf("NewKey returned %d bytes, want %d", len(k), KeySize)
	}
	return k
}

func TestSealOpenRoundTrip(t *testing.T) {
	key := mustKey(t)
	tests := []struct {
		name      string
		plaintext []byte
		ad        []byte
	}{
		{"empty", []byte{}, nil},
		{"short", []byte("hello"), nil},
		{"with ad", []byte("case notes"), []byte("cases.notes:42")},
		{"long", bytes.Repeat([]byte{0xAB}, 10000), []byte("x")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sealed, err := Seal(key, tt.plaintext, tt.ad)
			if err != nil {
				t.Fatal(err)
			}
			if want := 24 + len(tt.plaintext) + 16; len(sealed) != want {
				t.Errorf("sealed length %d, want %d", len(sealed), want)
			}
			got, err := Unseal(key, sealed, tt.ad)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tt.plaintext) {
				t.Errorf("Open = %q, want %q", got, tt.plaintext)
			}
		})
	}
}

func TestSealFreshNonce(t *testing.T) {
	key := mustKey(t)
	a, err := Seal(key, []byte("same"), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Seal(key, []byte("same"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a[:24], b[:24]) {
		t.Error("two seals used the same nonce")
	}
	if bytes.Equal(a, b) {
		t.Error("two seals of the same plaintext are equal")
	}
}

func TestOpenFails(t *testing.T) {
	key := mustKey(t)
	ad := []byte("ad")
	sealed, err := Seal(key, []byte("secret"), ad)
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) []byte {
		s := bytes.Clone(sealed)
		s[i] ^= 1
		return s
	}
	tests := []struct {
		name      string
		key       []byte
		sealed    []byte
		ad        []byte
		wrongKey  bool // want errors.Is(err, ErrWrongKey)
		errSubstr string
	}{
		{"tampered nonce", key, flip(0), ad, true, ""},
		{"tampered ciphertext", key, flip(24), ad, true, ""},
		{"tampered tag", key, flip(len(sealed) - 1), ad, true, ""},
		{"wrong key", mustKey(t), sealed, ad, true, ""},
		{"wrong ad", key, sealed, []byte("other"), true, ""},
		{"missing ad", key, sealed, nil, true, ""},
		{"truncated", key, sealed[:len(sealed)-1], ad, true, ""},
		{"short input", key, sealed[:39], ad, false, "too short"},
		{"empty input", key, nil, ad, false, "too short"},
		{"bad key size", key[:16], sealed, ad, false, "key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Unseal(tt.key, tt.sealed, tt.ad)
			if err == nil {
				t.Fatalf("Open succeeded with %q", got)
			}
			if errors.Is(err, ErrWrongKey) != tt.wrongKey {
				t.Errorf("errors.Is(%v, ErrWrongKey) = %v, want %v", err, !tt.wrongKey, tt.wrongKey)
			}
			if !strings.Contains(err.Error(), tt.errSubstr) {
				t.Errorf("error %q does not mention %q", err, tt.errSubstr)
			}
		})
	}
}

func TestHashCheckPassword(t *testing.T) {
	encoded, kek, err := HashPassword("correct horse", TestKDF)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(encoded, "argon2id$v=19$t=1,m=1024,p=1$") {
		t.Errorf("encoded = %q, want argon2id$v=19$t=1,m=1024,p=1$...", encoded)
	}
	if len(kek) != KeySize {
		t.Fatalf("kek is %d bytes, want %d", len(kek), KeySize)
	}
	if strings.Contains(encoded, string(kek)) {
		t.Error("encoded contains the kek")
	}

	tests := []struct {
		name     string
		password string
		wantErr  bool
	}{
		{"right password", "correct horse", false},
		{"wrong password", "correct horse!", true},
		{"empty password", "", true},
		{"case differs", "Correct horse", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CheckPassword(encoded, tt.password)
			if tt.wantErr {
				if !errors.Is(err, ErrWrongKey) {
					t.Fatalf("err = %v, want ErrWrongKey", err)
				}
				if got != nil {
					t.Error("kek returned with error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, kek) {
				t.Error("kek from CheckPassword differs from kek from HashPassword")
			}
		})
	}
}

func TestHashPasswordFreshSalt(t *testing.T) {
	a, kekA, err := HashPassword("pw", TestKDF)
	if err != nil {
		t.Fatal(err)
	}
	b, kekB, err := HashPassword("pw", TestKDF)
	if err != nil {
		t.Fatal(err)
	}
	if a == b || bytes.Equal(kekA, kekB) {
		t.Error("two hashes of the same password are equal")
	}
}

func TestHashPasswordBadParams(t *testing.T) {
	tests := []struct {
		name string
		p    KDFParams
	}{
		{"zero time", KDFParams{Time: 0, MemoryKiB: 1024, Threads: 1}},
		{"zero threads", KDFParams{Time: 1, MemoryKiB: 1024, Threads: 0}},
		{"too little memory", KDFParams{Time: 1, MemoryKiB: 8, Threads: 2}},
		{"too much memory", KDFParams{Time: 1, MemoryKiB: 1 << 30, Threads: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := HashPassword("pw", tt.p); err == nil {
				t.Error("HashPassword succeeded")
			}
		})
	}
}

func TestCheckPasswordMalformed(t *testing.T) {
	encoded, _, err := HashPassword("pw", TestKDF)
	if err != nil {
		t.Fatal(err)
	}
	f := strings.Split(encoded, "$")
	salt, verifier := f[3], f[4]
	join := func(parts ...string) string { return strings.Join(parts, "$") }
	tests := []struct {
		name      string
		encoded   string
		errSubstr string
	}{
		{"empty", "", "5 fields"},
		{"too few fields", join("argon2id", "v=19", "t=1,m=1024,p=1", salt), "5 fields"},
		{"too many fields", encoded + "$x", "5 fields"},
		{"leading dollar", "$" + encoded, "5 fields"},
		{"other algorithm", join("argon2i", "v=19", "t=1,m=1024,p=1", salt, verifier), "algorithm"},
		{"other version", join("argon2id", "v=16", "t=1,m=1024,p=1", salt, verifier), "version"},
		{"params out of order", join("argon2id", "v=19", "m=1024,t=1,p=1", salt, verifier), "params"},
		{"params missing", join("argon2id", "v=19", "t=1,m=1024", salt, verifier), "params"},
		{"param not a number", join("argon2id", "v=19", "t=x,m=1024,p=1", salt, verifier), "param t"},
		{"param negative", join("argon2id", "v=19", "t=-1,m=1024,p=1", salt, verifier), "param t"},
		{"threads overflow", join("argon2id", "v=19", "t=1,m=1024,p=256", salt, verifier), "param p"},
		{"zero time", join("argon2id", "v=19", "t=0,m=1024,p=1", salt, verifier), "time"},
		{"huge memory", join("argon2id", "v=19", "t=1,m=4294967295,p=1", salt, verifier), "memory"},
		{"salt not base64", join("argon2id", "v=19", "t=1,m=1024,p=1", "!!!!", verifier), "salt"},
		{"salt padded", join("argon2id", "v=19", "t=1,m=1024,p=1", salt+"==", verifier), "salt"},
		{"salt too short", join("argon2id", "v=19", "t=1,m=1024,p=1", salt[:8], verifier), "salt"},
		{"verifier too short", join("argon2id", "v=19", "t=1,m=1024,p=1", salt, verifier[:20]), "verifier"},
		{"verifier empty", join("argon2id", "v=19", "t=1,m=1024,p=1", salt, ""), "verifier"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := CheckPassword(tt.encoded, "pw")
			if err == nil {
				t.Fatal("CheckPassword succeeded")
			}
			if errors.Is(err, ErrWrongKey) {
				t.Errorf("malformed hash reported as wrong password: %v", err)
			}
			if !strings.Contains(err.Error(), "malformed") || !strings.Contains(err.Error(), tt.errSubstr) {
				t.Errorf("error %q should say malformed and mention %q", err, tt.errSubstr)
			}
		})
	}
}

func TestWrapUnwrapKey(t *testing.T) {
	kek, dataKey := mustKey(t), mustKey(t)
	wrapped, err := WrapKey(kek, dataKey)
	if err != nil {
		t.Fatal(err)
	}
	got, err := UnwrapKey(kek, wrapped)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, dataKey) {
		t.Error("unwrapped key differs")
	}

	t.Run("wrong kek", func(t *testing.T) {
		if _, err := UnwrapKey(mustKey(t), wrapped); !errors.Is(err, ErrWrongKey) {
			t.Errorf("err = %v, want ErrWrongKey", err)
		}
	})
	t.Run("plain seal is not a wrapped key", func(t *testing.T) {
		// The key-wrap ad keeps other sealed values from passing as keys.
		sealed, err := Seal(kek, dataKey, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := UnwrapKey(kek, sealed); !errors.Is(err, ErrWrongKey) {
			t.Errorf("err = %v, want ErrWrongKey", err)
		}
	})
	t.Run("data key wrong size", func(t *testing.T) {
		if _, err := WrapKey(kek, dataKey[:16]); err == nil {
			t.Error("WrapKey accepted a 16-byte data key")
		}
	})
	t.Run("password kek", func(t *testing.T) {
		encoded, kek, err := HashPassword("pw", TestKDF)
		if err != nil {
			t.Fatal(err)
		}
		wrapped, err := WrapKey(kek, dataKey)
		if err != nil {
			t.Fatal(err)
		}
		kek2, err := CheckPassword(encoded, "pw")
		if err != nil {
			t.Fatal(err)
		}
		got, err := UnwrapKey(kek2, wrapped)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, dataKey) {
			t.Error("unwrapped key differs")
		}
	})
}

// fixedKey is used where a test must not depend on chance: with a random
// key, a changed character would pass the 20-bit checksum once in a million.
var fixedKey = func() []byte {
	k := make([]byte, KeySize)
	for i := range k {
		k[i] = byte(i*37 + 11)
	}
	return k
}()

func TestRecoveryKeyFormat(t *testing.T) {
	key, printable, err := NewRecoveryKey()
	if err != nil {
		t.Fatal(err)
	}
	if printable != FormatRecoveryKey(key) {
		t.Error("NewRecoveryKey's printable differs from FormatRecoveryKey")
	}
	groups := strings.Split(printable, "-")
	if len(groups) != 14 {
		t.Fatalf("%q has %d groups, want 14", printable, len(groups))
	}
	for _, g := range groups {
		if len(g) != 4 {
			t.Errorf("group %q is not 4 characters", g)
		}
		if strings.ContainsAny(g, "ILOU") {
			t.Errorf("group %q has a letter Crockford leaves out", g)
		}
	}
}

func TestParseRecoveryKeyAccepts(t *testing.T) {
	s := FormatRecoveryKey(fixedKey)
	// Make a version with confusables: every 0 as O, every 1 alternately as I and l.
	var conf strings.Builder
	ones := 0
	for _, r := range s {
		switch r {
		case '0':
			conf.WriteRune('O')
		case '1':
			conf.WriteRune([]rune("Il")[ones%2])
			ones++
		default:
			conf.WriteRune(r)
		}
	}
	if conf.String() == s {
		t.Fatalf("test key %q has no 0 or 1; pick another", s)
	}
	tests := []struct {
		name  string
		input string
	}{
		{"as printed", s},
		{"lower case", strings.ToLower(s)},
		{"no dashes", strings.ReplaceAll(s, "-", "")},
		{"spaces", strings.ReplaceAll(s, "-", " ")},
		{"surrounding space", "  " + s + "\n"},
		{"confusables", conf.String()},
		{"confusables lower case", strings.ToLower(conf.String())},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseRecoveryKey(tt.input)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, fixedKey) {
				t.Error("parsed key differs")
			}
		})
	}
	t.Run("random round trip", func(t *testing.T) {
		for range 100 {
			key, printable, err := NewRecoveryKey()
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseRecoveryKey(printable)
			if err != nil {
				t.Fatalf("%q: %v", printable, err)
			}
			if !bytes.Equal(got, key) {
				t.Fatalf("%q: parsed key differs", printable)
			}
		}
	})
}

func TestParseRecoveryKeyRejects(t *testing.T) {
	s := FormatRecoveryKey(fixedKey)
	noDash := strings.ReplaceAll(s, "-", "")
	tests := []struct {
		name      string
		input     string
		errSubstr string
	}{
		{"empty", "", "wrong length"},
		{"group missing", s[:len(s)-5], "wrong length"},
		{"character missing", noDash[1:], "wrong length"},
		{"character extra", noDash + "0", "wrong length"},
		{"two keys", s + s, "wrong length"},
		{"letter U", "U" + noDash[1:], "not a valid character"},
		{"punctuation", noDash[:10] + "." + noDash[11:], "not a valid character"},
		{"swapped characters", noDash[1:2] + noDash[:1] + noDash[2:], "checksum"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.input == s || strings.EqualFold(tt.input, noDash) {
				t.Fatal("test input is the valid key")
			}
			_, err := ParseRecoveryKey(tt.input)
			if err == nil {
				t.Fatal("ParseRecoveryKey succeeded")
			}
			if !strings.HasPrefix(err.Error(), "recovery key: ") || !strings.Contains(err.Error(), tt.errSubstr) {
				t.Errorf("error %q, want it to mention %q", err, tt.errSubstr)
			}
		})
	}
}

// TestParseRecoveryKeySingleChange changes each character of a printed key
// to every other character of the alphabet; all must fail the checksum.
// This includes the last key character, whose low 4 bits are padding.
func TestParseRecoveryKeySingleChange(t *testing.T) {
	const alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	s := FormatRecoveryKey(fixedKey)
	for i := range len(s) {
		if s[i] == '-' {
			continue
		}
		for _, c := range alphabet {
			if byte(c) == s[i] {
				continue
			}
			typo := s[:i] + string(c) + s[i+1:]
			_, err := ParseRecoveryKey(typo)
			if err == nil || err.Error() != "recovery key: checksum does not match (typo?)" {
				t.Errorf("position %d changed to %c: err = %v, want checksum error", i, c, err)
			}
		}
	}
}

func TestFormatRecoveryKeyPanicsOnWrongSize(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("FormatRecoveryKey did not panic on a 16-byte key")
		}
	}()
	FormatRecoveryKey(make([]byte, 16))
}

func BenchmarkSeal(b *testing.B) {
	key := mustKey(b)
	plaintext := make([]byte, 64)
	b.SetBytes(int64(len(plaintext)))
	for b.Loop() {
		if _, err := Seal(key, plaintext, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHashPasswordDefault(b *testing.B) {
	for b.Loop() {
		if _, _, err := HashPassword("correct horse battery staple", DefaultKDF); err != nil {
			b.Fatal(err)
		}
	}
}
