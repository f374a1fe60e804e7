package sync

import (
	"context"
	"crypto/ecdh"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"connectpoint/data"
)

// Device-local settings the syncer keeps. They never sync; the keys among
// them are sealed under the program's data key, so a copied database file
// gives them away no more than it gives away the data.
const (
	setNetwork       = "sync.network"        // the network ID
	setNetworkKey    = "sync.network_key"    // base64 of data.Seal(dataKey, the network keys by epoch)
	setDeviceKey     = "sync.device_key"     // base64 of data.Seal(dataKey, Ed25519 seed)
	setBoxKey        = "sync.box_key"        // base64 of data.Seal(dataKey, X25519 private key)
	setDevices       = "sync.devices"        // the signed device list this device trusts
	setDevicesPushed = "sync.devices_pushed" // the device-list version this device published
	setPushed        = "sync.pushed"         // "<last seq> <chain hash>" of this device's newest segment
	setPending       = "sync.pending"        // "<first>-<last>" of a segment being written
	setCursorPrefix  = "sync.cursor/"        // + device: "<last seq> <chain hash>" applied
	setCursorPushed  = "sync.cursor_pushed"  // the cursor file last published
	setSnapSeen      = "sync.snapshot_seen"  // the newest snapshot this device has looked at
	setCompactAt     = "sync.compact_at"     // when this device last looked for segments to compact
	// SettingTarget is the target URL (the name the command line uses).
	SettingTarget = "sync_target"
)

// Associated data that binds each wrapped key to its purpose and owner, so
// that one sealed key cannot be passed off as another.
func networkKeyAD(network string) []byte { return []byte("connectpoint network key v1/" + network) }
func deviceKeyAD(device string) []byte   { return []byte("connectpoint device key v1/" + device) }
func boxKeyAD(device string) []byte      { return []byte("connectpoint box key v1/" + device) }

func sealSetting(ctx context.Context, s *data.Store, dataKey []byte, key string, secret, ad []byte) error {
	sealed, err := data.Seal(dataKey, secret, ad)
	if err != nil {
		return err
	}
	return s.SetSetting(ctx, key, base64.StdEncoding.EncodeToString(sealed))
}

func openSetting(ctx context.Context, s *data.Store, dataKey []byte, key string, ad []byte) ([]byte, error) {
	v, err := s.Setting(ctx, key)
	if err != nil || v == "" {
		return nil, err
	}
	sealed, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return nil, fmt.Errorf("setting %s: %w", key, err)
	}
	plain, err := data.Unseal(dataKey, sealed, ad)
	if err != nil {
		return nil, fmt.Errorf("setting %s: %w", key, err)
	}
	return plain, nil
}

// keys is what a device needs to take part in a network.
type keys struct {
	network string
	// netKeys holds every network key this device has, by epoch; it seals
	// with the newest (epoch). Older ones still open older segments.
	netKeys map[uint32][]byte
	epoch   uint32
	priv    ed25519.PrivateKey // signs this device's segments
	box     *ecdh.PrivateKey   // X25519: receives new network keys after a revocation
}

func (k *keys) netKey() []byte { return k.netKeys[k.epoch] }

func (k *keys) netKeyOf(epoch uint32) ([]byte, bool) {
	key, ok := k.netKeys[epoch]
	return key, ok
}

// addNetKey adds a network key and makes the newest epoch current.
func (k *keys) addNetKey(epoch uint32, key []byte) {
	k.netKeys[epoch] = key
	if epoch > k.epoch {
		k.epoch = epoch
	}
}

// storedNetKeys is the sealed content of setNetworkKey.
type storedNetKeys struct {
	Epoch uint32            `json:"epoch"`
	Keys  map[uint32][]byte `json:"keys"`
}

// saveKeys stores the network ID, the network keys, the device's signing
// key and its box key as device-local settings, the keys sealed under
// dataKey.
func saveKeys(ctx context.Context, s *data.Store, dataKey []byte, k *keys) error {
	if err := saveNetKeys(ctx, s, dataKey, k); err != nil {
		return err
	}
	if err := sealSetting(ctx, s, dataKey, setDeviceKey, k.priv.Seed(), deviceKeyAD(s.Device())); err != nil {
		return fmt.Errorf("save device key: %w", err)
	}
	if err := sealSetting(ctx, s, dataKey, setBoxKey, k.box.Bytes(), boxKeyAD(s.Device())); err != nil {
		return fmt.Errorf("save device key: %w", err)
	}
	return s.SetSetting(ctx, setNetwork, k.network)
}

func saveNetKeys(ctx context.Context, s *data.Store, dataKey []byte, k *keys) error {
	b, err := json.Marshal(storedNetKeys{Epoch: k.epoch, Keys: k.netKeys})
	if err != nil {
		return err
	}
	if err := sealSetting(ctx, s, dataKey, setNetworkKey, b, networkKeyAD(k.network)); err != nil {
		return fmt.Errorf("save network key: %w", err)
	}
	return nil
}

// loadKeys reads what saveKeys stored; nil when this device has none.
func loadKeys(ctx context.Context, s *data.Store, dataKey []byte) (*keys, error) {
	network, err := s.Setting(ctx, setNetwork)
	if err != nil || network == "" {
		return nil, err
	}
	b, err := openSetting(ctx, s, dataKey, setNetworkKey, networkKeyAD(network))
	if err != nil {
		return nil, fmt.Errorf("open network key: %w", err)
	}
	var nk storedNetKeys
	if err := json.Unmarshal(b, &nk); err != nil || len(nk.Keys[nk.Epoch]) != data.KeySize {
		return nil, fmt.Errorf("sync keys of this device are damaged")
	}
	seed, err := openSetting(ctx, s, dataKey, setDeviceKey, deviceKeyAD(s.Device()))
	if err != nil {
		return nil, fmt.Errorf("open device key: %w", err)
	}
	boxKey, err := openSetting(ctx, s, dataKey, setBoxKey, boxKeyAD(s.Device()))
	if err != nil {
		return nil, fmt.Errorf("open device key: %w", err)
	}
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("sync keys of this device are damaged")
	}
	box, err := ecdh.X25519().NewPrivateKey(boxKey)
	if err != nil {
		return nil, fmt.Errorf("sync keys of this device are damaged: %w", err)
	}
	return &keys{network: network, netKeys: nk.Keys, epoch: nk.Epoch, priv: ed25519.NewKeyFromSeed(seed), box: box}, nil
}

// position is how far a chain of segments has got: the last sequence
// number and the chain hash of the segment that ends there.
type position struct {
	seq  int64
	hash [32]byte
}

func (p position) String() string {
	return strconv.FormatInt(p.seq, 10) + " " + hex.EncodeToString(p.hash[:])
}

func parsePosition(s string) (position, error) {
	var p position
	if s == "" {
		return p, nil
	}
	a, b, ok := strings.Cut(s, " ")
	seq, err := strconv.ParseInt(a, 10, 64)
	h, err2 := hex.DecodeString(b)
	if !ok || err != nil || err2 != nil || len(h) != 32 || seq < 0 {
		return p, fmt.Errorf("damaged sync position %q", s)
	}
	p.seq = seq
	copy(p.hash[:], h)
	return p, nil
}
