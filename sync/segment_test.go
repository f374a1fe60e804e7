package sync

import (
	"bytes"
	"compress/flate"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"connectpoint/data"
)

type testKeys struct {
	network string
	netKey  []byte
	pubs    map[string]ed25519.PublicKey
	privs   map[string]ed25519.PrivateKey
}

func newTestKeys(t testing.TB, devices ...string) *testKeys {
	k := &testKeys{network: "net-1", pubs: map[string]ed25519.PublicKey{}, privs: map[string]ed25519.PrivateKey{}}
	var err error
	if k.netKey, err = data.NewKey(); err != nil {
		t.Fatal(err)
	}
	for _, d := range devices {
		pub, priv, _ := ed25519.GenerateKey(nil)
		k.pubs[d], k.privs[d] = pub, priv
	}
	return k
}

func (k *testKeys) verifier() *SegmentVerifier {
	return &SegmentVerifier{Network: k.network,
		NetKey: func(e uint32) ([]byte, bool) { return k.netKey, e == 1 },
		PublicKey: func(d string, last int64) (ed25519.PublicKey, bool) {
			p, ok := k.pubs[d]
			return p, ok
		}}
}

// sampleOps makes n operations of device dev from seq first: register
// writes, sealed-looking values, set adds and append-only records.
func sampleOps(dev string, first int64, n int) []*data.Op {
	var ops []*data.Op
	row := "0193a1b2-0000-7000-8000-00000000c0de"
	for i := 0; i < n; i++ {
		seq := first + int64(i)
		op := &data.Op{HLC: data.HLC(int64(1764270120000+i) << 16), Device: dev, Seq: seq,
			Entity: data.EntCase, Row: row, User: "0193a1b2-0000-7000-8000-0000000000aa"}
		switch i % 4 {
		case 0:
			op.Field, op.Value = "status", []byte("open")
		case 1:
			op.Field, op.Value = "substances", []byte("+heroin")
		case 2:
			op.Entity, op.Field = data.EntPerson, "phone"
			op.Value = bytes.Repeat([]byte{byte(i)}, 40+12)
			op.Prev = []data.OpID{{Device: dev, Seq: seq - 1}}
		case 3:
			op.Entity, op.Row = data.EntNote, fmt.Sprintf("0193a1b2-0000-7000-8000-%012d", i)
			op.Value = []byte(`{"case_id":"` + row + `","text":"c2VhbGVk"}`)
		}
		ops = append(ops, op)
	}
	return ops
}

func TestSegmentRoundTrip(t *testing.T) {
	k := newTestKeys(t, "dev-a")
	ops := sampleOps("dev-a", 1, 50)
	b, _, err := EncodeSegment(k.network, 1, k.netKey, k.privs["dev-a"], [32]byte{}, ops)
	if err != nil {
		t.Fatal(err)
	}
	seg, err := k.verifier().DecodeSegment(segmentName("dev-a", 1, 50), b, [32]byte{})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := json.Marshal(seg.Ops)
	want, _ := json.Marshal(ops)
	if !bytes.Equal(got, want) {
		t.Fatalf("round trip changed the operations:\n got %s\nwant %s", got, want)
	}
	// Sealing the same operations again gives other bytes but the same
	// chain hash, so that a lost segment can be published again.
	b1, h1, _ := EncodeSegment(k.network, 1, k.netKey, k.privs["dev-a"], [32]byte{}, ops)
	if bytes.Equal(b1, b) || h1 != seg.Hash {
		t.Fatal("re-encoding: want new bytes and the same chain hash")
	}
	// The next segment must name this one.
	ops2 := sampleOps("dev-a", 51, 3)
	b2, _, _ := EncodeSegment(k.network, 1, k.netKey, k.privs["dev-a"], seg.Hash, ops2)
	if _, err := k.verifier().DecodeSegment(segmentName("dev-a", 51, 53), b2, seg.Hash); err != nil {
		t.Fatal(err)
	}
}

func TestSegmentRejects(t *testing.T) {
	k := newTestKeys(t, "dev-a", "dev-b")
	ops := sampleOps("dev-a", 1, 20)
	good, _, err := EncodeSegment(k.network, 1, k.netKey, k.privs["dev-a"], [32]byte{}, ops)
	if err != nil {
		t.Fatal(err)
	}
	name := segmentName("dev-a", 1, 20)
	flip := func(i int) []byte { b := bytes.Clone(good); b[i] ^= 2; return b }
	newer := bytes.Clone(good)
	newer[5] = 9
	otherNet := *k.verifier()
	otherNet.Network = "net-2"
	wrongKey := *k.verifier()
	otherKey, _ := data.NewKey()
	wrongKey.NetKey = func(uint32) ([]byte, bool) { return otherKey, true }
	for _, tc := range []struct {
		name string
		file string
		b    []byte
		v    *SegmentVerifier
		prev [32]byte
		want string
	}{
		{"Truncated", name, good[:len(good)-10], nil, [32]byte{}, "truncated"},
		{"TruncatedHeader", name, good[:20], nil, [32]byte{}, "truncated"},
		{"Empty", name, nil, nil, [32]byte{}, "not a ConnectPoint segment"},
		{"FlippedBody", name, flip(len(good) - 100), nil, [32]byte{}, "signature does not verify"},
		{"FlippedSignature", name, flip(len(good) - 1), nil, [32]byte{}, "signature does not verify"},
		{"FlippedHeaderSeq", name, flip(8 + 1 + 5 + 1 + 5 + 7), nil, [32]byte{}, "is named"},
		{"NewerVersion", name, newer, nil, [32]byte{}, "newer version"},
		{"ReplayedUnderOtherDevice", segmentName("dev-b", 1, 20), good, nil, [32]byte{}, "replayed under another device's name"},
		{"RenamedRange", segmentName("dev-a", 2, 21), good, nil, [32]byte{}, "is named 2-21"},
		{"OtherNetwork", name, good, &otherNet, [32]byte{}, "belongs to network"},
		{"WrongNetworkKey", name, good, &wrongKey, [32]byte{}, "does not open under the network key"},
		{"BrokenChain", name, good, nil, [32]byte{1}, "chain hash mismatch"},
		{"NotASegmentName", "log/dev-a/x.seg", good, nil, [32]byte{}, "not a segment name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.v
			if v == nil {
				v = k.verifier()
			}
			seg, err := v.DecodeSegment(tc.file, tc.b, tc.prev)
			if err == nil {
				t.Fatalf("accepted: %d operations", len(seg.Ops))
			}
			var se *SegmentError
			if !errors.As(err, &se) || se.Name != tc.file {
				t.Fatalf("error does not name the file: %v", err)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.file) {
				t.Fatalf("got %q, want it to say %q and name %s", err, tc.want, tc.file)
			}
		})
	}
	// A device that is not enrolled is refused even with a good signature.
	v := k.verifier()
	delete(k.pubs, "dev-a")
	if _, err := v.DecodeSegment(name, good, [32]byte{}); err == nil || !strings.Contains(err.Error(), "not enrolled") {
		t.Fatalf("unenrolled device: %v", err)
	}
}

// TestOpCodecSize compares the binary encoding with JSON, both compressed.
func TestOpCodecSize(t *testing.T) {
	ops := sampleOps("0193a1b2-0000-7000-8000-0000000000dd", 1, 400)
	bin := deflated(encodeOps(ops))
	js, _ := json.Marshal(ops)
	jz := deflated(js)
	t.Logf("400 operations: binary %d bytes compressed (%.1f/op), JSON %d bytes compressed (%.1f/op)",
		len(bin), float64(len(bin))/400, len(jz), float64(len(jz))/400)
	if len(bin) >= len(jz) {
		t.Fatalf("binary encoding (%d) is not smaller than JSON (%d)", len(bin), len(jz))
	}
}

func deflated(b []byte) []byte {
	var z bytes.Buffer
	w, _ := flate.NewWriter(&z, flate.DefaultCompression)
	w.Write(b)
	w.Close()
	return z.Bytes()
}

// FuzzDecodeSegment feeds damaged segments to the decoder: it must refuse
// them with a SegmentError naming the file, and never panic.
func FuzzDecodeSegment(f *testing.F) {
	k := newTestKeys(f, "dev-a")
	for _, n := range []int{1, 7, 40} {
		b, _, _ := EncodeSegment(k.network, 1, k.netKey, k.privs["dev-a"], [32]byte{}, sampleOps("dev-a", 1, n))
		f.Add(b, int64(n))
	}
	f.Add([]byte("CPSG\x00\x01\x00\x00"), int64(1))
	v := k.verifier()
	f.Fuzz(func(t *testing.T, b []byte, last int64) {
		if last < 1 {
			last = 1
		}
		name := segmentName("dev-a", 1, last)
		seg, err := v.DecodeSegment(name, b, [32]byte{})
		if err != nil {
			var se *SegmentError
			if !errors.As(err, &se) || se.Name != name {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if int64(len(seg.Ops)) != last {
			t.Fatalf("accepted %d operations for a segment named 1-%d", len(seg.Ops), last)
		}
	})
}

// FuzzDecodeOps fuzzes the operation decoder below the signature, where a
// bug could otherwise only be reached with the keys.
func FuzzDecodeOps(f *testing.F) {
	f.Add(encodeOps(sampleOps("dev-a", 1, 9)), 9)
	f.Fuzz(func(t *testing.T, b []byte, n int) {
		if n < 0 || n > 1000 {
			return
		}
		decodeOps(b, "dev-a", 1, n)
	})
}

// FuzzDecodeSegmentSigned reaches past the signature and the seal: the
// fuzzer's bytes become the compressed body of a segment that is properly
// sealed and signed, so decompression, operation decoding and validation
// meet hostile input from an enrolled device.
func FuzzDecodeSegmentSigned(f *testing.F) {
	k := newTestKeys(f, "dev-a")
	f.Add(deflated(encodeOps(sampleOps("dev-a", 1, 5))), int64(5))
	f.Add([]byte{}, int64(1))
	v := k.verifier()
	f.Fuzz(func(t *testing.T, z []byte, last int64) {
		if last < 1 || last > 1000 {
			return
		}
		b := signedFrame(t, k, "dev-a", 1, last, z)
		name := segmentName("dev-a", 1, last)
		seg, err := v.DecodeSegment(name, b, [32]byte{})
		if err != nil {
			var se *SegmentError
			if !errors.As(err, &se) || se.Name != name {
				t.Fatalf("error does not name the file: %v", err)
			}
			return
		}
		if int64(len(seg.Ops)) != last {
			t.Fatalf("accepted %d operations for a segment named 1-%d", len(seg.Ops), last)
		}
	})
}

// signedFrame builds a segment around an arbitrary compressed body.
func signedFrame(t *testing.T, k *testKeys, dev string, first, last int64, z []byte) []byte {
	var hdr []byte
	hdr = append(hdr, byte(len(k.network)))
	hdr = append(hdr, k.network...)
	hdr = append(hdr, byte(len(dev)))
	hdr = append(hdr, dev...)
	hdr = binary.BigEndian.AppendUint64(hdr, uint64(first))
	hdr = binary.BigEndian.AppendUint64(hdr, uint64(last))
	hdr = append(hdr, make([]byte, 32)...)
	hdr = binary.BigEndian.AppendUint32(hdr, 1)
	out := []byte(segMagic)
	out = binary.BigEndian.AppendUint16(out, SegmentVersion)
	out = binary.BigEndian.AppendUint16(out, uint16(len(hdr)))
	out = append(out, hdr...)
	body, err := data.Seal(k.netKey, z, out)
	if err != nil {
		t.Fatal(err)
	}
	out = binary.BigEndian.AppendUint32(out, uint32(len(body)))
	out = append(out, body...)
	return append(out, ed25519.Sign(k.privs[dev], out)...)
}

// The chain hash is part of the format: chainOps, which reuses its hash
// and encoder, must give what the definition (chainNext's comment) says,
// operation by operation, for every published segment to keep verifying.
func TestChainOpsFollowsTheDefinition(t *testing.T) {
	ops := sampleOps("dev-a", 7, 50)
	var want [32]byte
	want[0] = 9 // any start
	start := want
	for _, op := range ops {
		h := sha256.New()
		h.Write([]byte("connectpoint chain v1\x00"))
		h.Write(want[:])
		h.Write([]byte(op.Device))
		var n [9]byte
		binary.BigEndian.PutUint64(n[1:], uint64(op.Seq))
		h.Write(n[:])
		h.Write(encodeOps([]*data.Op{op}))
		h.Sum(want[:0])
	}
	if got := chainOps(start, ops); got != want {
		t.Errorf("chainOps = %x, want %x", got, want)
	}
	if got := chainNext(start, ops[0]); got != chainOps(start, ops[:1]) {
		t.Errorf("chainNext and chainOps differ on one operation")
	}
}
