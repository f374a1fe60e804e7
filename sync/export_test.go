package sync

// Hooks for the black-box tests.

// KeyEpochs returns the network-key epochs this device holds and the one
// it seals with.
func (sy *Syncer) KeyEpochs() (held []uint32, current uint32) {
	for e := range sy.keys.netKeys {
		held = append(held, e)
	}
	return held, sy.keys.epoch
}
