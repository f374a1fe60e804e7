// Package sync carries operations between the devices of a program's
// network through a shared target: a folder (a share, a cloud-drive
// folder) or an object store (S3-compatible, Azure Blob).
//
// Each device publishes only its own operations, as immutable, numbered
// segments that are compressed, sealed with XChaCha20-Poly1305 under the
// network key and signed with the device's Ed25519 key. A round pushes what
// this device has not published, then pulls every other device's new
// segments in sequence order, verifies each one completely and applies it
// in one transaction. Nothing on the target is trusted until it verifies,
// and nothing on it names a person.
//
// Layout of a network's folder on the target (<network>/...):
//
//	log/<device>/<first>-<last>.seg   a device's operations (segment.go)
//	devices/<version>.list            enrolled devices and their public keys,
//	                                  signed by an administrator's device
//	keys/<epoch>.keys                 a new network key after a revocation,
//	                                  sealed to each remaining device
//	cursors/<device>                  how far each device has applied
//	snap/<total>-<writer>-<id>.snap   snapshots of the whole state, for new
//	snap/<total>-<writer>-<id>/*.part devices and compaction (snapshot.go)
//
// An administrator's device compacts the log once a day: it writes a
// snapshot and deletes the segments every active device has applied
// (compact.go).
//
// The keys a device holds (network keys by epoch, its signing key, its box
// key) are device-local settings sealed under the program's data key, so a
// session (or an enrolment bundle) is needed to sync. New devices join with
// a passphrase-sealed enrolment bundle written by an administrator's device.
//
// The package name shadows the standard library's sync: code that needs
// both imports this one as cpsync.
package sync
