package sync

import (
	"bytes"
	"compress/flate"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash"
	"io"
	"strconv"
	"strings"

	"connectpoint/data"
)

// A segment file is
//
//	"CPSG"            magic, 4 bytes
//	version           uint16, big endian: the segment format
//	header length     uint16
//	header            network, device (each a length byte and the text),
//	                  first and last sequence numbers (uint64 each),
//	                  the chain hash of this device's previous segment
//	                  (zero for the first), the network-key epoch (uint32)
//	body length       uint32
//	body              XChaCha20-Poly1305 (data.Seal) under the network key
//	                  of that epoch, of the compressed operations, with everything above
//	                  as associated data
//	signature         Ed25519 over everything above, by the device's key
//
// The header is readable without keys, so that a file can be named in a
// report, but nothing in it can be changed without breaking both the seal
// and the signature. The chain hash makes a missing or reordered segment
// detectable even when the listing hides it (see chainNext).
const (
	// SegmentVersion is the segment format this build writes and the
	// newest it reads.
	SegmentVersion = 1

	segMagic = "CPSG"
	// maxBody bounds what decompression may produce, so that a hostile
	// file cannot exhaust memory.
	maxBody = 64 << 20
	// maxOpBytes bounds one encoded operation.
	maxOpBytes = 64 << 10
	// MaxSegmentOps is the most operations one segment holds.
	MaxSegmentOps = 20000
)

// SegmentHeader is the clear, authenticated part of a segment.
type SegmentHeader struct {
	Version     int
	Network     string
	Device      string
	First, Last int64
	Prev        [32]byte
	// Epoch names the network key the body is sealed under: revoking a
	// device starts a new one.
	Epoch uint32
}

// Segment is a decoded, verified segment.
type Segment struct {
	Header SegmentHeader
	Ops    []*data.Op
	// Hash is the device's chain hash after this segment's last
	// operation: the next segment's Prev.
	Hash [32]byte
}

// SegmentError says which file (a segment, or a snapshot or one of its
// parts) failed verification and why. Every decode failure is one, so a
// report can always name the file.
type SegmentError struct {
	Name   string
	Reason string
	Err    error // the underlying cause, if any
	// Newer is set when the file was written by a newer format.
	Newer bool
}

func (e *SegmentError) Error() string {
	kind := "segment"
	if strings.Contains("/"+e.Name, "/snap/") {
		kind = "snapshot"
	}
	if e.Newer {
		return fmt.Sprintf("%s %s was written by a newer version of ConnectPoint (%s): update ConnectPoint on this device", kind, e.Name, e.Reason)
	}
	return fmt.Sprintf("%s %s: %s", kind, e.Name, e.Reason)
}

func (e *SegmentError) Unwrap() error { return e.Err }

// segmentName is where a segment lives, relative to the network's folder.
// Sequence numbers are zero-padded so that names sort in sequence order.
func segmentName(device string, first, last int64) string {
	return fmt.Sprintf("log/%s/%020d-%020d.seg", device, first, last)
}

// parseSegmentName reads a name segmentName wrote.
func parseSegmentName(name string) (device string, first, last int64, ok bool) {
	rest, found := strings.CutPrefix(name, "log/")
	if !found {
		return "", 0, 0, false
	}
	device, file, found := strings.Cut(rest, "/")
	if !found || device == "" || strings.Contains(file, "/") {
		return "", 0, 0, false
	}
	file, found = strings.CutSuffix(file, ".seg")
	a, b, found2 := strings.Cut(file, "-")
	if !found || !found2 || len(a) != 20 || len(b) != 20 {
		return "", 0, 0, false
	}
	f, err1 := strconv.ParseInt(a, 10, 64)
	l, err2 := strconv.ParseInt(b, 10, 64)
	if err1 != nil || err2 != nil || f < 1 || l < f {
		return "", 0, 0, false
	}
	return device, f, l, true
}

// EncodeSegment seals and signs ops (one device's, consecutive, starting
// at ops[0].Seq) as a segment following the segment whose hash is prev.
func EncodeSegment(network string, epoch uint32, netKey []byte, priv ed25519.PrivateKey, prev [32]byte, ops []*data.Op) ([]byte, [32]byte, error) {
	b, hash, err := encodeSegment(network, epoch, netKey, priv, prev, ops)
	if err != nil {
		return nil, hash, fmt.Errorf("encode segment: %w", err)
	}
	return b, hash, nil
}

func encodeSegment(network string, epoch uint32, netKey []byte, priv ed25519.PrivateKey, prev [32]byte, ops []*data.Op) ([]byte, [32]byte, error) {
	var none [32]byte
	if len(ops) == 0 {
		return nil, none, errors.New("no operations")
	}
	h := SegmentHeader{Version: SegmentVersion, Network: network, Device: ops[0].Device,
		First: ops[0].Seq, Last: ops[len(ops)-1].Seq, Prev: prev, Epoch: epoch}
	for i, op := range ops {
		if op.Device != h.Device || op.Seq != h.First+int64(i) {
			return nil, none, fmt.Errorf("operation %s out of sequence", op.ID())
		}
	}
	if len(h.Network) > 255 || len(h.Device) > 255 {
		return nil, none, errors.New("network or device ID too long")
	}
	var hdr []byte
	hdr = append(hdr, byte(len(h.Network)))
	hdr = append(hdr, h.Network...)
	hdr = append(hdr, byte(len(h.Device)))
	hdr = append(hdr, h.Device...)
	hdr = binary.BigEndian.AppendUint64(hdr, uint64(h.First))
	hdr = binary.BigEndian.AppendUint64(hdr, uint64(h.Last))
	hdr = append(hdr, h.Prev[:]...)
	hdr = binary.BigEndian.AppendUint32(hdr, h.Epoch)

	out := []byte(segMagic)
	out = binary.BigEndian.AppendUint16(out, SegmentVersion)
	out = binary.BigEndian.AppendUint16(out, uint16(len(hdr)))
	out = append(out, hdr...)

	raw := encodeOps(ops)
	var z bytes.Buffer
	fw, _ := flate.NewWriter(&z, flate.DefaultCompression)
	fw.Write(raw)
	if err := fw.Close(); err != nil {
		return nil, none, fmt.Errorf("compress: %w", err)
	}
	body, err := data.Seal(netKey, z.Bytes(), out)
	if err != nil {
		return nil, none, err
	}
	out = binary.BigEndian.AppendUint32(out, uint32(len(body)))
	out = append(out, body...)
	return append(out, ed25519.Sign(priv, out)...), chainOps(prev, ops), nil
}

// SegmentVerifier holds what decoding checks a segment against.
type SegmentVerifier struct {
	Network string
	// NetKey returns the network key of an epoch, false when this device
	// does not have it.
	NetKey func(epoch uint32) ([]byte, bool)
	// PublicKey returns the key a device's segment ending at sequence
	// number last must be signed with; false when the device is not
	// enrolled, or was revoked before last.
	PublicKey func(device string, last int64) (ed25519.PublicKey, bool)
}

// segmentParts are the pieces of a segment file's framing: magic, format
// version, header, body and the signature over everything before it.
type segmentParts struct {
	version                   int
	header, body, signed, sig []byte
	prefix                    []byte // magic, version and header: what the body's seal authenticates
}

// splitSegment cuts b along its framing, or says in words how it is
// damaged.
func splitSegment(b []byte) (segmentParts, string) {
	var p segmentParts
	if len(b) < 4+2+2+4+ed25519.SignatureSize || string(b[:4]) != segMagic {
		return p, fmt.Sprintf("not a ConnectPoint segment (truncated or damaged: %d bytes)", len(b))
	}
	p.version = int(binary.BigEndian.Uint16(b[4:]))
	hlen := int(binary.BigEndian.Uint16(b[6:]))
	if 8+hlen+4 > len(b)-ed25519.SignatureSize {
		return p, fmt.Sprintf("truncated in its header (%d bytes)", len(b))
	}
	p.header, p.prefix = b[8:8+hlen], b[:8+hlen]
	blen := int(binary.BigEndian.Uint32(b[8+hlen:]))
	bodyStart := 8 + hlen + 4
	if blen != len(b)-ed25519.SignatureSize-bodyStart {
		return p, fmt.Sprintf("truncated or extended: %d bytes, the header promises %d", len(b), bodyStart+blen+ed25519.SignatureSize)
	}
	p.body = b[bodyStart : bodyStart+blen]
	p.signed, p.sig = b[:bodyStart+blen], b[bodyStart+blen:]
	return p, ""
}

// DecodeSegment verifies and decodes the segment file name (relative to
// the network's folder) holding b, which must follow the segment whose
// hash is prev. It checks, in order: that the name and the header agree
// (a segment found under another device's folder is a replay), the format
// version, the signature by the enrolled key of the device in the name, the
// seal, and the chain. Nothing of a file that fails any check is returned.
func (v *SegmentVerifier) DecodeSegment(name string, b []byte, prev [32]byte) (*Segment, error) {
	fail := func(err error, format string, args ...any) (*Segment, error) {
		return nil, &SegmentError{Name: name, Reason: fmt.Sprintf(format, args...), Err: err}
	}
	dev, first, last, ok := parseSegmentName(name)
	if !ok {
		return fail(nil, "not a segment name")
	}
	p, damage := splitSegment(b)
	if damage != "" {
		return fail(nil, "%s", damage)
	}
	version, hdr, body, signed, sig := p.version, p.header, p.body, p.signed, p.sig

	pub, known := v.PublicKey(dev, last)
	sigOK := known && ed25519.Verify(pub, signed, sig)
	if version > SegmentVersion {
		s := &SegmentError{Name: name, Reason: fmt.Sprintf("segment format %d; this one reads up to %d", version, SegmentVersion), Newer: true}
		if !sigOK {
			s.Reason += ", or the file is damaged"
		}
		return nil, s
	}
	if version < 1 {
		return fail(nil, "unknown segment format %d", version)
	}
	h, err := parseHeader(hdr)
	if err != nil {
		return fail(err, "damaged header: %v", err)
	}
	h.Version = version
	if h.Device != dev {
		return fail(nil, "holds operations of device %s but lies in the folder of device %s: replayed under another device's name", h.Device, dev)
	}
	if h.First != first || h.Last != last {
		return fail(nil, "holds operations %d-%d but is named %d-%d", h.First, h.Last, first, last)
	}
	if h.Network != v.Network {
		return fail(nil, "belongs to network %s, not this one (%s)", h.Network, v.Network)
	}
	if !known {
		return fail(nil, "device %s is not enrolled in this network, or was revoked before these operations", dev)
	}
	if !sigOK {
		return fail(nil, "the signature does not verify against device %s's key: the file was changed, damaged or forged", dev)
	}
	netKey, ok := v.NetKey(h.Epoch)
	if !ok {
		return fail(nil, "sealed under network key %d, which this device does not have", h.Epoch)
	}
	z, err := data.Unseal(netKey, body, p.prefix)
	if err != nil {
		return fail(err, "does not open under the network key: %v", err)
	}
	if h.Last-h.First+1 > MaxSegmentOps {
		return fail(nil, "holds %d operations, more than %d", h.Last-h.First+1, MaxSegmentOps)
	}
	// No real operation comes near maxOpBytes (a note is at most 4,000
	// characters), so a body that inflates past that per operation is
	// refused before it can cost much memory or time.
	limit := min(int64(maxBody), (h.Last-h.First+1)*maxOpBytes)
	raw, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(z)), limit+1))
	if err != nil {
		return fail(err, "damaged compressed body: %v", err)
	}
	if int64(len(raw)) > limit {
		return fail(nil, "body inflates past %d bytes", limit)
	}
	ops, err := decodeOps(raw, h.Device, h.First, int(h.Last-h.First+1))
	if err != nil {
		return fail(err, "damaged operations: %v", err)
	}
	for _, op := range ops {
		if err := op.Validate(); err != nil {
			return fail(err, "%v", err)
		}
	}
	if h.Prev != prev {
		return fail(nil, "does not follow the previous segment of device %s (chain hash mismatch): a segment was changed, removed or reordered", dev)
	}
	return &Segment{Header: h, Ops: ops, Hash: chainOps(h.Prev, ops)}, nil
}

// chainNext extends a device's chain hash by one operation. The chain runs
// over operations, not files: chain(n) = SHA-256(tag, chain(n-1), device,
// n, operation n), with chain(0) all zeros. A segment's header carries
// chain(first-1) and its hash is chain(last). So the chain does not depend
// on the bytes of a file (which differ every time it is sealed: a fresh
// nonce) nor on where segments begin and end, and a device can publish
// lost operations again, in any split, without breaking what follows.
func chainNext(prev [32]byte, op *data.Op) [32]byte {
	return newChainer().next(prev, op)
}

// chainer computes chainNext for one operation after another, reusing
// its hash and encoder: a segment has thousands of operations.
type chainer struct {
	h   hash.Hash
	enc opEncoder
	one [1]*data.Op
}

func newChainer() *chainer {
	return &chainer{h: sha256.New(), enc: opEncoder{table: map[string]uint64{}}}
}

func (c *chainer) next(prev [32]byte, op *data.Op) [32]byte {
	c.h.Reset()
	c.h.Write([]byte("connectpoint chain v1\x00"))
	c.h.Write(prev[:])
	c.h.Write([]byte(op.Device))
	var n [9]byte
	binary.BigEndian.PutUint64(n[1:], uint64(op.Seq))
	c.h.Write(n[:])
	c.enc.reset()
	c.one[0] = op
	c.enc.encode(c.one[:])
	c.h.Write(c.enc.buf)
	var out [32]byte
	c.h.Sum(out[:0])
	return out
}

// chainOps extends prev over ops in order.
func chainOps(prev [32]byte, ops []*data.Op) [32]byte {
	c := newChainer()
	for _, op := range ops {
		prev = c.next(prev, op)
	}
	return prev
}

func parseHeader(b []byte) (SegmentHeader, error) {
	var h SegmentHeader
	str := func() (string, error) {
		if len(b) < 1 || len(b) < 1+int(b[0]) {
			return "", errShort
		}
		s := string(b[1 : 1+int(b[0])])
		b = b[1+int(b[0]):]
		return s, nil
	}
	var err error
	if h.Network, err = str(); err != nil {
		return h, err
	}
	if h.Device, err = str(); err != nil {
		return h, err
	}
	if len(b) != 8+8+32+4 {
		return h, fmt.Errorf("header is %d bytes too long or short", len(b)-52)
	}
	h.First = int64(binary.BigEndian.Uint64(b))
	h.Last = int64(binary.BigEndian.Uint64(b[8:]))
	copy(h.Prev[:], b[16:48])
	h.Epoch = binary.BigEndian.Uint32(b[48:])
	if h.First < 1 || h.Last < h.First {
		return h, fmt.Errorf("bad sequence range %d-%d", h.First, h.Last)
	}
	return h, nil
}
