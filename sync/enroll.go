package sync

import (
	"context"
	"crypto/ecdh"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"connectpoint/data"
)

// An enrolment bundle carries everything a new device needs to join a
// network, sealed under a key derived from a passphrase with Argon2id (the
// same derivation and checks as passwords, data.HashPassword): the network
// ID and key, the program's data key, the target URL, the new device's ID
// and signing key, and the administrator-signed device list that names it.
// It is written by an administrator's device (`enroll --out FILE`) and read
// once by the new device (`join FILE`); the passphrase travels separately.

const (
	bundleFormat = "connectpoint-enrolment"
	bundleAD     = "connectpoint enrolment v1"
)

type bundleFile struct {
	Format  string `json:"format"`
	Version int    `json:"version"`
	KDF     string `json:"kdf"` // data.HashPassword's encoded form: params, salt, verifier
	Sealed  []byte `json:"sealed"`
}

// Enrolment is the content of a bundle.
type Enrolment struct {
	Network     string            `json:"network"`
	NetworkKeys map[uint32][]byte `json:"network_keys"` // by epoch
	Epoch       uint32            `json:"epoch"`        // the current one
	DataKey     []byte            `json:"data_key"`
	Target      string            `json:"target"`
	DeviceID    string            `json:"device_id"`
	DeviceName  string            `json:"device_name"`
	DeviceKey   []byte            `json:"device_key"` // Ed25519 seed
	BoxKey      []byte            `json:"box_key"`    // X25519 private key
	Devices     []byte            `json:"devices"`    // the signed device list
}

// Enroll adds a device to the network and returns its enrolment bundle,
// sealed with passphrase. Only an administrator's device may enrol. The new
// device list is published now if the target can be reached, else by the
// next round (or by the new device itself).
func (sy *Syncer) Enroll(ctx context.Context, deviceName, passphrase string, kdf data.KDFParams) ([]byte, error) {
	b, _, err := sy.enroll(ctx, deviceName, passphrase, kdf)
	return b, err
}

// enroll is Enroll that also returns the new device's ID.
func (sy *Syncer) enroll(ctx context.Context, deviceName, passphrase string, kdf data.KDFParams) ([]byte, string, error) {
	if len([]rune(passphrase)) < data.MinPasswordLength {
		return nil, "", data.Errorf(data.EINVALID, "passphrase: use at least %d characters", data.MinPasswordLength)
	}
	if deviceName == "" {
		return nil, "", data.Errorf(data.EINVALID, "device name: required")
	}
	sy.mu.Lock()
	defer sy.mu.Unlock()
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		return nil, "", err
	}
	box, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		return nil, "", err
	}
	id := data.NewActorID()
	list, err := sy.addDevice(ctx, DeviceEntry{ID: id, Name: deviceName, PublicKey: pub, BoxKey: box.PublicKey().Bytes(),
		Enrolled: sy.store.Now().UTC().Format(time.RFC3339)})
	if err != nil {
		return nil, "", err
	}
	if err := sy.publishDevices(ctx); err != nil && !IsOffline(err) {
		return nil, "", err
	}
	url, err := sy.store.Setting(ctx, SettingTarget)
	if err != nil {
		return nil, "", err
	}
	e := Enrolment{Network: sy.keys.network, NetworkKeys: sy.keys.netKeys, Epoch: sy.keys.epoch, DataKey: sy.dataKey, Target: url,
		DeviceID: id, DeviceName: deviceName, DeviceKey: priv.Seed(), BoxKey: box.Bytes(), Devices: list}
	payload, err := json.Marshal(e)
	if err != nil {
		return nil, "", err
	}
	encoded, kek, err := data.HashPassword(passphrase, kdf)
	if err != nil {
		return nil, "", err
	}
	sealed, err := data.Seal(kek, payload, []byte(bundleAD))
	if err != nil {
		return nil, "", err
	}
	b, err := json.MarshalIndent(bundleFile{Format: bundleFormat, Version: 1, KDF: encoded, Sealed: sealed}, "", "  ")
	return b, id, err
}

// OpenEnrolment opens a bundle with its passphrase.
func OpenEnrolment(b []byte, passphrase string) (*Enrolment, error) {
	var f bundleFile
	if err := json.Unmarshal(b, &f); err != nil || f.Format != bundleFormat {
		return nil, data.Errorf(data.EINVALID, "this is not a ConnectPoint enrolment file")
	}
	if f.Version != 1 {
		return nil, data.Errorf(data.EINVALID, "this enrolment file was written by a newer version of ConnectPoint: update this one")
	}
	kek, err := data.CheckPassword(f.KDF, passphrase)
	if errors.Is(err, data.ErrWrongKey) {
		return nil, data.Errorf(data.EAUTH, "wrong passphrase for this enrolment file")
	}
	if err != nil {
		return nil, data.Errorf(data.EINVALID, "damaged enrolment file: %v", err)
	}
	payload, err := data.Unseal(kek, f.Sealed, []byte(bundleAD))
	if err != nil {
		return nil, data.Errorf(data.EINVALID, "damaged enrolment file: %v", err)
	}
	var e Enrolment
	if err := json.Unmarshal(payload, &e); err != nil {
		return nil, data.Errorf(data.EINVALID, "damaged enrolment file: %v", err)
	}
	if len(e.NetworkKeys[e.Epoch]) != data.KeySize || len(e.DataKey) != data.KeySize || len(e.DeviceKey) != ed25519.SeedSize || e.DeviceID == "" {
		return nil, data.Errorf(data.EINVALID, "damaged enrolment file: keys missing")
	}
	return &e, nil
}

// JoinOptions tune Join.
type JoinOptions struct {
	Store data.Options
	Sync  Options
	// Target overrides the bundle's target URL (tests, or a share mounted
	// at another path on this device).
	Target Target
}

// Join makes the empty (or new) folder dir a device of the bundle's
// network: it makes the store, under the device ID the administrator
// enrolled, from the network's newest snapshot (or empty when there is
// none), keeps the keys, and runs a first round, which pulls the segments
// after the snapshot. The person then logs in with their usual user name
// and password: users travel as operations like everything else. A
// snapshot that cannot be taken fails the join and leaves no store.
func Join(ctx context.Context, dir string, bundle []byte, passphrase string, opt JoinOptions) (*data.Store, *Syncer, Result, error) {
	var res Result
	e, err := OpenEnrolment(bundle, passphrase)
	if err != nil {
		return nil, nil, res, err
	}
	list, err := verifyList("(enrolment file)", e.Devices, e.Network, nil)
	if err != nil {
		return nil, nil, res, err
	}
	if _, ok := list.PublicKey(e.DeviceID, 0); !ok {
		return nil, nil, res, data.Errorf(data.EINVALID, "the enrolment file's device list does not name its device")
	}
	target := opt.Target
	if target == nil {
		if target, err = OpenTarget(ctx, e.Target); err != nil {
			return nil, nil, res, err
		}
	}
	box, err := ecdh.X25519().NewPrivateKey(e.BoxKey)
	if err != nil {
		return nil, nil, res, data.Errorf(data.EINVALID, "damaged enrolment file: %v", err)
	}
	k := &keys{network: e.Network, netKeys: e.NetworkKeys, epoch: e.Epoch, priv: ed25519.NewKeyFromSeed(e.DeviceKey), box: box}
	// The newest snapshot, if the network has one, becomes the store; the
	// round then pulls the segments after it. Without one (or with the
	// target out of reach) the store starts empty and the round replays
	// every segment.
	r := &snapReader{target: target, prefix: e.Network + "/", network: e.Network, devices: list, netKey: k.netKeyOf}
	store, snapName, snap, err := r.restoreSnapshot(ctx, dir, e.DeviceID, opt.Store)
	if err != nil && !IsOffline(err) {
		return nil, nil, res, fmt.Errorf("first sync: %w", err)
	}
	if store == nil {
		if store, err = createWithDevice(ctx, dir, e.DeviceID, opt.Store); err != nil {
			return nil, nil, res, err
		}
	}
	fail := func(err error) (*data.Store, *Syncer, Result, error) {
		store.Close()
		return nil, nil, res, err
	}
	if err := store.SetSetting(ctx, setDevices, string(e.Devices)); err != nil {
		return fail(err)
	}
	if err := store.SetSetting(ctx, SettingTarget, e.Target); err != nil {
		return fail(err)
	}
	if err := saveKeys(ctx, store, e.DataKey, k); err != nil {
		return fail(err)
	}
	sy, err := newSyncer(ctx, store, e.DataKey, target, k, opt.Sync)
	if err != nil {
		return fail(err)
	}
	taken := 0
	if snap != nil {
		for _, c := range snap.Chains {
			p, _ := snap.chain(c.Device)
			if err := sy.setCursor(ctx, c.Device, p); err != nil {
				return fail(err)
			}
			taken += int(c.Seq)
		}
		if err := store.SetSetting(ctx, setSnapSeen, snapName); err != nil {
			return fail(err)
		}
	}
	res, err = sy.Round(ctx)
	res.Pulled += taken
	if err != nil && !IsOffline(err) {
		return store, sy, res, fmt.Errorf("first sync: %w", err)
	}
	return store, sy, res, err
}

// createWithDevice creates a store whose device ID is id. The ID is a
// device-local setting that a new store makes up when it is first opened;
// setting it before any operation exists and opening the store again makes
// the store take the enrolled one.
func createWithDevice(ctx context.Context, dir, id string, opt data.Options) (*data.Store, error) {
	s, err := data.Create(ctx, dir, opt)
	if err != nil {
		return nil, err
	}
	if err := s.SetSetting(ctx, "device_id", id); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.Close(); err != nil {
		return nil, err
	}
	s, err = data.Open(ctx, dir, opt)
	if err != nil {
		return nil, err
	}
	if s.Device() != id {
		s.Close()
		return nil, fmt.Errorf("join: the new store did not take the enrolled device ID")
	}
	return s, nil
}
