package sync

import (
	"context"
	"crypto/ecdh"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"connectpoint/data"
)

// Revoking a device (a lost laptop) does two things. The device list marks
// it revoked, so that its segments after what the administrator had
// applied are refused everywhere; and a new network key (the next epoch)
// is made and sealed to each remaining device's X25519 box key in
// keys/<epoch>.keys, signed by the administrator's device, so that what is
// written afterwards cannot be read with the keys the lost device held.
// (The program's data key is not rotated here: sealed fields inside the
// operations stay under it.)

// ErrRevoked is returned by a round on a device that has been revoked.
var ErrRevoked = errors.New("this device has been removed from the network by an administrator")

type keyFile struct {
	Network string            `json:"network"`
	Epoch   uint32            `json:"epoch"`
	Signer  string            `json:"signer"`
	Boxes   map[string]keyBox `json:"boxes"`
}

type keyBox struct {
	Ephemeral []byte `json:"ephemeral"`
	Sealed    []byte `json:"sealed"`
}

func keyFileName(epoch uint32) string { return fmt.Sprintf("keys/%020d.keys", epoch) }

func boxAD(network string, epoch uint32, device string) []byte {
	return fmt.Appendf(nil, "connectpoint network key box v1/%s/%d/%s", network, epoch, device)
}

// boxKEK derives the key that seals a network key to one device from an
// X25519 shared secret and both public keys.
func boxKEK(shared, eph, recipient []byte) []byte {
	h := sha256.New()
	h.Write([]byte("connectpoint key box v1\x00"))
	for _, b := range [][]byte{shared, eph, recipient} {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	return h.Sum(nil)
}

func sealBox(network string, epoch uint32, device string, recipient []byte, key []byte) (keyBox, error) {
	pub, err := ecdh.X25519().NewPublicKey(recipient)
	if err != nil {
		return keyBox{}, fmt.Errorf("device %s: bad box key: %w", device, err)
	}
	eph, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return keyBox{}, err
	}
	shared, err := eph.ECDH(pub)
	if err != nil {
		return keyBox{}, err
	}
	sealed, err := data.Seal(boxKEK(shared, eph.PublicKey().Bytes(), recipient), key, boxAD(network, epoch, device))
	if err != nil {
		return keyBox{}, err
	}
	return keyBox{Ephemeral: eph.PublicKey().Bytes(), Sealed: sealed}, nil
}

func openBox(network string, epoch uint32, device string, priv *ecdh.PrivateKey, b keyBox) ([]byte, error) {
	eph, err := ecdh.X25519().NewPublicKey(b.Ephemeral)
	if err != nil {
		return nil, err
	}
	shared, err := priv.ECDH(eph)
	if err != nil {
		return nil, err
	}
	key, err := data.Unseal(boxKEK(shared, b.Ephemeral, priv.PublicKey().Bytes()), b.Sealed, boxAD(network, epoch, device))
	if err != nil {
		return nil, err
	}
	if len(key) != data.KeySize {
		return nil, fmt.Errorf("network key of the wrong size")
	}
	return key, nil
}

// Revoke removes a device from the network and starts a new network key
// for everything written afterwards. Only an administrator's device may;
// sync with the network first, so that the device's last good operations
// are applied here and stay accepted.
func (sy *Syncer) Revoke(ctx context.Context, device string) error {
	sy.mu.Lock()
	defer sy.mu.Unlock()
	me := sy.store.Device()
	if d, ok := sy.devices.Device(me); !ok || !d.Admin {
		return data.Errorf(data.EFORBIDDEN, "only an administrator's device can remove a device")
	}
	target, ok := sy.devices.Device(device)
	switch {
	case !ok:
		return data.Errorf(data.ENOTFOUND, "no device %s in this network", device)
	case target.Revoked:
		return data.Errorf(data.ECONFLICT, "device %s is already removed", device)
	case device == me:
		return data.Errorf(data.EINVALID, "a device cannot remove itself")
	}
	applied, err := sy.cursor(ctx, device)
	if err != nil {
		return err
	}
	newKey, err := data.NewKey()
	if err != nil {
		return err
	}
	epoch := sy.keys.epoch + 1
	kf := keyFile{Network: sy.keys.network, Epoch: epoch, Signer: me, Boxes: map[string]keyBox{}}
	for _, d := range sy.devices.Devices {
		if d.Revoked || d.ID == device {
			continue
		}
		if kf.Boxes[d.ID], err = sealBox(sy.keys.network, epoch, d.ID, d.BoxKey, newKey); err != nil {
			return err
		}
	}
	body, err := json.Marshal(kf)
	if err != nil {
		return err
	}
	file, err := json.Marshal(signedList{List: body, Sig: signWith(sy.keys.priv, body)})
	if err != nil {
		return err
	}
	// The key file goes first: a device that sees the new list and not yet
	// the key simply goes on with the old key for a round.
	if err := sy.target.Put(ctx, sy.prefix+keyFileName(epoch), file); err != nil && !isExist(err) {
		return fmt.Errorf("publish the new network key: %w", err)
	}
	sy.keys.addNetKey(epoch, newKey)
	if err := saveNetKeys(ctx, sy.store, sy.dataKey, sy.keys); err != nil {
		return err
	}
	if _, err := sy.changeDevices(ctx, func(l *DeviceList) {
		for i := range l.Devices {
			if l.Devices[i].ID == device {
				l.Devices[i].Revoked, l.Devices[i].RevokedAfter = true, applied.seq
			}
		}
	}); err != nil {
		return err
	}
	return sy.publishDevices(ctx)
}

// refreshKeys opens the key files among entries of epochs newer than this
// device's, sealed to it by an administrator's device, and adopts them.
func (sy *Syncer) refreshKeys(ctx context.Context, entries []Entry) error {
	changed := false
	for _, e := range entries {
		rel := strings.TrimPrefix(e.Name, sy.prefix)
		var epoch uint32
		if _, err := fmt.Sscanf(rel, "keys/%020d.keys", &epoch); err != nil || rel != keyFileName(epoch) || epoch <= sy.keys.epoch {
			continue
		}
		b, err := sy.target.Get(ctx, e.Name)
		if err != nil {
			return err
		}
		key, err := sy.openKeyFile(e.Name, b, epoch)
		if err != nil {
			return err
		}
		if key == nil {
			continue // not for this device
		}
		sy.keys.addNetKey(epoch, key)
		changed = true
	}
	if changed {
		return saveNetKeys(ctx, sy.store, sy.dataKey, sy.keys)
	}
	return nil
}

func (sy *Syncer) openKeyFile(name string, b []byte, epoch uint32) ([]byte, error) {
	fail := func(format string, args ...any) ([]byte, error) {
		return nil, fmt.Errorf("key file %s: %s", name, fmt.Sprintf(format, args...))
	}
	var sl signedList
	var kf keyFile
	if err := json.Unmarshal(b, &sl); err != nil {
		return fail("damaged: %v", err)
	}
	if err := json.Unmarshal(sl.List, &kf); err != nil {
		return fail("damaged: %v", err)
	}
	if kf.Network != sy.keys.network || kf.Epoch != epoch {
		return fail("does not belong here (network %s, epoch %d)", kf.Network, kf.Epoch)
	}
	signer, ok := sy.devices.Device(kf.Signer)
	if !ok || !signer.Admin || signer.Revoked || !verifyWith(signer.PublicKey, sl.List, sl.Sig) {
		return fail("not signed by an administrator's device")
	}
	box, ok := kf.Boxes[sy.store.Device()]
	if !ok {
		return nil, nil
	}
	key, err := openBox(kf.Network, epoch, sy.store.Device(), sy.keys.box, box)
	if err != nil {
		return fail("does not open with this device's key: %v", err)
	}
	return key, nil
}
