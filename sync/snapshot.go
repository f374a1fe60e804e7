package sync

import (
	"bytes"
	"compress/flate"
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"fmt"
	"io"
	"sort"
	"strings"

	"connectpoint/data"
)

// A snapshot (snap/<total ops>-<writer>.snap) lets a new device start from
// one file instead of every segment: it holds every device's operations up
// to a segment boundary, with each chain's position, so that the new device
// then pulls only the segments after it. It is sealed under the network key
// and signed like a segment; because it vouches for other devices'
// operations, only a snapshot signed by an administrator's device is taken.
//
//	"CPSN", version uint16, header length uint32, header, body length
//	uint32, body (sealed, compressed), Ed25519 signature
//
// The header holds the network, the writer, the key epoch, and for each device its ID,
// last sequence number and chain hash; the body holds, for each device in
// header order, the length of its encoded operations and then them.

const snapMagic = "CPSN"

type snapChain struct {
	device string
	pos    position
}

// WriteSnapshot publishes a snapshot of everything this device has
// applied. Only an administrator's device writes them.
func (sy *Syncer) WriteSnapshot(ctx context.Context) (string, error) {
	sy.mu.Lock()
	defer sy.mu.Unlock()
	me := sy.store.Device()
	if d, ok := sy.devices.Device(me); !ok || !d.Admin {
		return "", fmt.Errorf("snapshots are written by an administrator's device")
	}
	devs, err := sy.store.OpDevices(ctx)
	if err != nil {
		return "", err
	}
	var chains []snapChain
	for _, d := range devs {
		var p position
		if d == me {
			p, err = sy.pushedPosition(ctx)
		} else {
			p, err = sy.cursor(ctx, d)
		}
		if err != nil {
			return "", err
		}
		if p.seq > 0 {
			chains = append(chains, snapChain{d, p})
		}
	}
	if len(chains) == 0 {
		return "", fmt.Errorf("nothing to snapshot yet: run a round first")
	}
	sort.Slice(chains, func(i, j int) bool { return chains[i].device < chains[j].device })
	var hdr, raw []byte
	hdr = appendStr(hdr, sy.keys.network)
	hdr = appendStr(hdr, me)
	hdr = binary.AppendUvarint(hdr, uint64(sy.keys.epoch))
	hdr = binary.AppendUvarint(hdr, uint64(len(chains)))
	var total int64
	for _, c := range chains {
		hdr = appendStr(hdr, c.device)
		hdr = binary.AppendUvarint(hdr, uint64(c.pos.seq))
		hdr = append(hdr, c.pos.hash[:]...)
		ops, err := sy.store.Ops(ctx, c.device, 0, int(c.pos.seq))
		if err != nil {
			return "", err
		}
		if int64(len(ops)) != c.pos.seq || chainOps([32]byte{}, ops) != c.pos.hash {
			return "", fmt.Errorf("snapshot: the operations of device %s here do not match its chain", c.device)
		}
		enc := encodeOps(ops)
		raw = binary.AppendUvarint(raw, uint64(len(enc)))
		raw = append(raw, enc...)
		total += c.pos.seq
	}
	out := []byte(snapMagic)
	out = binary.BigEndian.AppendUint16(out, SegmentVersion)
	out = binary.BigEndian.AppendUint32(out, uint32(len(hdr)))
	out = append(out, hdr...)
	var z bytes.Buffer
	fw, _ := flate.NewWriter(&z, flate.DefaultCompression)
	fw.Write(raw)
	if err := fw.Close(); err != nil {
		return "", err
	}
	body, err := data.Seal(sy.keys.netKey(), z.Bytes(), out)
	if err != nil {
		return "", err
	}
	out = binary.BigEndian.AppendUint32(out, uint32(len(body)))
	out = append(out, body...)
	out = append(out, ed25519.Sign(sy.keys.priv, out)...)
	name := sy.prefix + fmt.Sprintf("snap/%020d-%s.snap", total, me)
	if err := sy.target.Put(ctx, name, out); err != nil && !isExist(err) {
		return "", err
	}
	return name, nil
}

func appendStr(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// snapshot is a decoded, verified snapshot.
type snapshot struct {
	chains []snapChain
	ops    [][]*data.Op
}

// decodeSnapshot verifies a snapshot file: the signature of an
// administrator's device, the seal, and every chain from its start.
func (sy *Syncer) decodeSnapshot(name string, b []byte) (*snapshot, error) {
	fail := func(format string, args ...any) (*snapshot, error) {
		return nil, &SegmentError{Name: name, Reason: fmt.Sprintf(format, args...)}
	}
	if len(b) < 4+2+4+4+ed25519.SignatureSize || string(b[:4]) != snapMagic {
		return fail("not a ConnectPoint snapshot")
	}
	if v := binary.BigEndian.Uint16(b[4:]); v != SegmentVersion {
		if v > SegmentVersion {
			return nil, &SegmentError{Name: name, Reason: fmt.Sprintf("snapshot format %d", v), Newer: true}
		}
		return fail("unknown snapshot format %d", v)
	}
	hlen := int64(binary.BigEndian.Uint32(b[6:]))
	if 10+hlen+4 > int64(len(b)-ed25519.SignatureSize) {
		return fail("truncated")
	}
	hdr := b[10 : 10+hlen]
	blen := int64(binary.BigEndian.Uint32(b[10+hlen:]))
	start := 10 + hlen + 4
	if start+blen != int64(len(b)-ed25519.SignatureSize) {
		return fail("truncated or extended")
	}
	signed, sig := b[:start+blen], b[start+blen:]
	d := &opDecoder{b: hdr}
	rd := func() string {
		n, err := d.uvarint()
		if err != nil || n > uint64(len(d.b)) {
			d.b = nil
			return ""
		}
		s := string(d.b[:n])
		d.b = d.b[n:]
		return s
	}
	network, writer := rd(), rd()
	if network != sy.keys.network {
		return fail("belongs to network %q, not this one", network)
	}
	w, ok := sy.devices.Device(writer)
	if !ok || !w.Admin || w.Revoked {
		return fail("written by %s, which is not an administrator's device", writer)
	}
	if !ed25519.Verify(ed25519.PublicKey(w.PublicKey), signed, sig) {
		return fail("the signature does not verify: the file was changed, damaged or forged")
	}
	epoch, err := d.uvarint()
	if err != nil || epoch > 1<<32-1 {
		return fail("damaged header")
	}
	netKey, ok := sy.keys.netKeyOf(uint32(epoch))
	if !ok {
		return fail("sealed under network key %d, which this device does not have", epoch)
	}
	body, err := data.Unseal(netKey, b[start:start+blen], b[:10+hlen])
	if err != nil {
		return fail("does not open under the network key: %v", err)
	}
	n, err := d.uvarint()
	if err != nil || n > 1<<16 {
		return fail("damaged header")
	}
	s := &snapshot{}
	for i := uint64(0); i < n; i++ {
		dev := rd()
		seq, err := d.uvarint()
		if err != nil || dev == "" || len(d.b) < 32 || seq > 1<<40 {
			return fail("damaged header")
		}
		var c snapChain
		c.device, c.pos.seq = dev, int64(seq)
		copy(c.pos.hash[:], d.b[:32])
		d.b = d.b[32:]
		s.chains = append(s.chains, c)
	}
	raw, err := io.ReadAll(io.LimitReader(flate.NewReader(bytes.NewReader(body)), 4<<30))
	if err != nil {
		return fail("damaged body: %v", err)
	}
	rdec := &opDecoder{b: raw}
	for _, c := range s.chains {
		l, err := rdec.uvarint()
		if err != nil || l > uint64(len(rdec.b)) {
			return fail("damaged body")
		}
		ops, err := decodeOps(rdec.b[:l], c.device, 1, int(c.pos.seq))
		if err != nil {
			return fail("damaged operations of device %s: %v", c.device, err)
		}
		rdec.b = rdec.b[l:]
		if chainOps([32]byte{}, ops) != c.pos.hash {
			return fail("the operations of device %s do not match their chain", c.device)
		}
		s.ops = append(s.ops, ops)
	}
	return s, nil
}

// takeSnapshot applies the newest snapshot on the target, if there is one
// and this device has applied nothing yet, and moves the cursors to it.
func (sy *Syncer) takeSnapshot(ctx context.Context) (int, error) {
	entries, err := sy.target.List(ctx, sy.prefix+"snap/")
	if err != nil {
		return 0, err
	}
	var newest string
	for _, e := range entries {
		if strings.HasSuffix(e.Name, ".snap") && e.Name > newest {
			newest = e.Name
		}
	}
	if newest == "" {
		return 0, nil
	}
	b, err := sy.target.Get(ctx, newest)
	if err != nil {
		return 0, err
	}
	s, err := sy.decodeSnapshot(newest, b)
	if err != nil {
		return 0, err
	}
	me := sy.store.Device()
	applied := 0
	for i, c := range s.chains {
		if c.device == me {
			continue
		}
		ops := s.ops[i]
		for j := 0; j < len(ops); j += 5000 {
			n, err := sy.store.ApplyRemote(ctx, ops[j:min(j+5000, len(ops))])
			if err != nil {
				return applied, &SegmentError{Name: newest, Reason: "could not be applied: " + data.ErrorMessage(err), Err: err}
			}
			applied += n
		}
		if err := sy.setCursor(ctx, c.device, c.pos); err != nil {
			return applied, err
		}
	}
	return applied, nil
}
