package sync

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"connectpoint/data"
)

// DeviceList is the set of devices enrolled in a network with their public
// keys, as signed by an administrator's device. Every device keeps the
// newest list it has verified; a newer list is accepted only when a device
// that the trusted list names as an administrator signed it. The first list
// is signed by the device that made the network, and reaches other devices
// inside their enrolment bundle.
type DeviceList struct {
	Network string        `json:"network"`
	Version int64         `json:"version"`
	Signer  string        `json:"signer"`
	At      string        `json:"at"`
	Devices []DeviceEntry `json:"devices"`
}

// DeviceEntry is one enrolled device.
type DeviceEntry struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	PublicKey []byte `json:"public_key"`
	// BoxKey is the device's X25519 public key: new network keys are
	// sealed to it after a revocation.
	BoxKey []byte `json:"box_key"`
	Admin  bool   `json:"admin,omitempty"`
	// Enrolled is when the device was added (RFC 3339); lists written
	// before it was recorded have none.
	Enrolled string `json:"enrolled,omitempty"`
	// Revoked devices' segments are accepted up to RevokedAfter (what the
	// revoking administrator had applied) and refused after it.
	Revoked      bool  `json:"revoked,omitempty"`
	RevokedAfter int64 `json:"revoked_after,omitempty"`
}

// signedList is a device list as it is stored: the exact bytes signed and
// the signature, so that verification never depends on re-encoding.
type signedList struct {
	List []byte `json:"list"`
	Sig  []byte `json:"sig"`
}

// Device returns the entry of id.
func (l *DeviceList) Device(id string) (DeviceEntry, bool) {
	for _, d := range l.Devices {
		if d.ID == id {
			return d, true
		}
	}
	return DeviceEntry{}, false
}

// PublicKey returns the key that a device's segment ending at last must be
// signed with: false when the device is not enrolled, or was revoked before
// last.
func (l *DeviceList) PublicKey(id string, last int64) (ed25519.PublicKey, bool) {
	d, ok := l.Device(id)
	if !ok || (d.Revoked && last > d.RevokedAfter) || len(d.PublicKey) != ed25519.PublicKeySize {
		return nil, false
	}
	return ed25519.PublicKey(d.PublicKey), true
}

func deviceListName(version int64) string { return fmt.Sprintf("devices/%020d.list", version) }

// signList encodes and signs l with the signer's key.
func signList(l *DeviceList, priv ed25519.PrivateKey) ([]byte, error) {
	sort.Slice(l.Devices, func(i, j int) bool { return l.Devices[i].ID < l.Devices[j].ID })
	body, err := json.Marshal(l)
	if err != nil {
		return nil, err
	}
	return json.Marshal(signedList{List: body, Sig: ed25519.Sign(priv, body)})
}

// verifyList checks a signed list file against the list this device
// trusts. With trusted nil (a new network or a bundle) the list must be
// signed by an administrator it names itself.
func verifyList(name string, b []byte, network string, trusted *DeviceList) (*DeviceList, error) {
	fail := func(format string, args ...any) (*DeviceList, error) {
		return nil, fmt.Errorf("device list %s: %s", name, fmt.Sprintf(format, args...))
	}
	var sl signedList
	if err := json.Unmarshal(b, &sl); err != nil {
		return fail("damaged: %v", err)
	}
	var l DeviceList
	if err := json.Unmarshal(sl.List, &l); err != nil {
		return fail("damaged: %v", err)
	}
	if l.Network != network {
		return fail("belongs to network %s, not %s", l.Network, network)
	}
	authority := trusted
	if authority == nil {
		authority = &l
	} else if l.Version <= trusted.Version {
		return fail("version %d is not newer than the trusted version %d", l.Version, trusted.Version)
	}
	signer, ok := authority.Device(l.Signer)
	if !ok || !signer.Admin || signer.Revoked {
		return fail("signed by %s, which is not an administrator's device", l.Signer)
	}
	if !ed25519.Verify(ed25519.PublicKey(signer.PublicKey), sl.List, sl.Sig) {
		return fail("the signature does not verify")
	}
	return &l, nil
}

// newerLists fetches the device lists among entries (a listing of the
// network's folder) newer than the trusted one and returns the newest that
// verifies, each against the one before it, with its file bytes. It
// returns trusted (and nil bytes) when there is none.
func (sy *Syncer) newerLists(ctx context.Context, entries []Entry) (*DeviceList, []byte, error) {
	cur := sy.devices
	var curBytes []byte
	for _, e := range entries {
		rel := strings.TrimPrefix(e.Name, sy.prefix)
		if !strings.HasPrefix(rel, "devices/") {
			continue
		}
		var v int64
		if _, err := fmt.Sscanf(rel, "devices/%020d.list", &v); err != nil || rel != deviceListName(v) || v <= cur.Version {
			continue
		}
		b, err := sy.target.Get(ctx, e.Name)
		if err != nil {
			return nil, nil, err
		}
		l, err := verifyList(e.Name, b, sy.keys.network, cur)
		if err != nil {
			sy.log.Warn("device list refused", "file", e.Name, "err", err)
			continue
		}
		cur, curBytes = l, b
	}
	return cur, curBytes, nil
}

// refreshDevices adopts the newest verified device list among entries.
func (sy *Syncer) refreshDevices(ctx context.Context, entries []Entry) error {
	l, b, err := sy.newerLists(ctx, entries)
	if err != nil || b == nil {
		return err
	}
	if err := sy.store.SetSetting(ctx, setDevices, string(b)); err != nil {
		return err
	}
	sy.devices = l
	return nil
}

// publishDevices puts this device's trusted list on the target if this
// device has not yet done so (it was made offline, or a crash came between).
func (sy *Syncer) publishDevices(ctx context.Context) error {
	v := fmt.Sprint(sy.devices.Version)
	done, err := sy.store.Setting(ctx, setDevicesPushed)
	if err != nil || done == v {
		return err
	}
	b, err := sy.store.Setting(ctx, setDevices)
	if err != nil {
		return err
	}
	err = sy.target.Put(ctx, sy.prefix+deviceListName(sy.devices.Version), []byte(b))
	if err != nil && !isExist(err) {
		return fmt.Errorf("publish device list: %w", err)
	}
	return sy.store.SetSetting(ctx, setDevicesPushed, v)
}

// addDevice signs a new version of the list with one more device. Only an
// administrator's device may.
func (sy *Syncer) addDevice(ctx context.Context, e DeviceEntry) ([]byte, error) {
	return sy.changeDevices(ctx, func(l *DeviceList) { l.Devices = append(l.Devices, e) })
}

// changeDevices signs a new version of the list changed by f.
func (sy *Syncer) changeDevices(ctx context.Context, f func(*DeviceList)) ([]byte, error) {
	me, ok := sy.devices.Device(sy.store.Device())
	if !ok || !me.Admin {
		return nil, data.Errorf(data.EFORBIDDEN, "this computer is not an administrator's device of the sync network: enrol and remove devices on the one the network was made on")
	}
	next := &DeviceList{Network: sy.keys.network, Version: sy.devices.Version + 1, Signer: me.ID,
		At: sy.store.Now().UTC().Format(time.RFC3339), Devices: append([]DeviceEntry{}, sy.devices.Devices...)}
	f(next)
	b, err := signList(next, sy.keys.priv)
	if err != nil {
		return nil, err
	}
	if err := sy.store.SetSetting(ctx, setDevices, string(b)); err != nil {
		return nil, err
	}
	sy.devices = next
	return b, nil
}

func signWith(priv ed25519.PrivateKey, b []byte) []byte { return ed25519.Sign(priv, b) }

func verifyWith(pub, b, sig []byte) bool {
	return len(pub) == ed25519.PublicKeySize && ed25519.Verify(ed25519.PublicKey(pub), b, sig)
}
