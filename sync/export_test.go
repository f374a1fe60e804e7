package sync

import (
	"context"
	"encoding/json"
)

// Hooks for the black-box tests.

// KeyEpochs returns the network-key epochs this device holds and the one
// it seals with.
func (sy *Syncer) KeyEpochs() (held []uint32, current uint32) {
	for e := range sy.keys.netKeys {
		held = append(held, e)
	}
	return held, sy.keys.epoch
}

// ClassifyFolderErr is how a folder target words an error of the os
// package, for tests that cannot make a real share read-only or full
// (they run as root).
var ClassifyFolderErr = classifyFolderErr

// ResignSnapshot rewrites the manifest name: change edits its fields, and
// signer's device key signs it again, as an administrator running another
// version (or a device forging one) would write it.
func (sy *Syncer) ResignSnapshot(ctx context.Context, name string, signer *Syncer, change func(m map[string]any)) error {
	b, err := sy.target.Get(ctx, name)
	if err != nil {
		return err
	}
	var sl signedList
	var m map[string]any
	if err := json.Unmarshal(b, &sl); err != nil {
		return err
	}
	if err := json.Unmarshal(sl.List, &m); err != nil {
		return err
	}
	change(m)
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	file, err := json.Marshal(signedList{List: body, Sig: signWith(signer.keys.priv, body)})
	if err != nil {
		return err
	}
	if err := sy.target.Delete(ctx, name); err != nil {
		return err
	}
	return sy.target.Put(ctx, name, file)
}
