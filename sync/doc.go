// Package sync carries operations between the devices of a program's
// network through a shared target: a folder (a share, a cloud-drive
// folder) or an object store (S3-compatible, Azure Blob).
//
// Each device publishes only its own operations, as immutable, numbered
// segments (log/<device>/<first>-<last>.seg) that are compressed, sealed
// with XChaCha20-Poly1305 under the network key and signed with the
// device's Ed25519 key. A round pushes what this device has not published,
// then pulls every other device's new segments in sequence order, verifies
// each one completely and applies it in one transaction. Nothing on the
// target is trusted until it verifies, and nothing on it names a person.
//
// The package name shadows the standard library's sync: code that needs
// both imports this one as cpsync.
package sync
