// Package data holds ConnectPoint's domain: the types (cases, people, coaches,
// facilities, check-ins...), the SQLite store they live in, the operation log
// every change is written to, the merge that applies operations from other
// devices, users and their permissions, and the sealing of sensitive fields.
//
// It never imports a GUI package: the GUI, the command line and the syncer
// all use it, and it uses none of them.
package data
