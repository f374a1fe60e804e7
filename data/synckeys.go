package data

import (
	"context"
	"database/sql"
	"errors"
)

// What the syncer (package sync) needs from the store beyond operations and
// settings. Kept in one small file so that the surface sync relies on is
// easy to review.

// DataKey returns a copy of the program's data key that the session
// unlocked. The syncer wraps its own keys (the network key, the device's
// signing key) under it, so that they are stored no less protected than
// the data they guard, and an enrolment bundle carries it to a new device.
func (sess *Session) DataKey() []byte {
	return append([]byte(nil), sess.key...)
}

// LastSeq returns the highest sequence number this store holds for device,
// 0 when it holds none. Sequence numbers have no gaps, so the syncer counts
// the operations it has not yet published as LastSeq minus what it pushed.
func (s *Store) LastSeq(ctx context.Context, device string) (int64, error) {
	var n int64
	if err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM ops WHERE device = ?`, device).Scan(&n); err != nil {
		return 0, storeErr(err)
	}
	return n, nil
}

// ConflictCount returns how many fields are in conflict (have more than one
// head). It needs no session and reads no values, so the sync status can
// show it on any device without a permission check or an audit event.
func (s *Store) ConflictCount(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM (
		SELECT 1 FROM heads GROUP BY entity, row_id, field HAVING COUNT(*) > 1)`).Scan(&n)
	if err != nil {
		return 0, storeErr(err)
	}
	return n, nil
}

// Authorize checks that the session may do a, for work that is done outside
// data but guarded by its roles: the syncer's target, schedule, devices and
// keys. A refusal is audited and returned as EFORBIDDEN, as in data itself.
func (sess *Session) Authorize(ctx context.Context, a Action) error {
	return sess.require(ctx, a, "", "")
}

// RecordEvent puts a change made outside data on the audit trail: a new
// sync target ("sync.target"), an enrolled or removed device
// ("device.enroll", "device.revoke"). row names the record (a device ID);
// detail must hold no personal data.
func (sess *Session) RecordEvent(ctx context.Context, action, entity, row, detail string) error {
	return sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		return sess.audit(w, action, entity, row, detail)
	})
}

// LastOp returns the sequence number and clock of the newest operation of
// device that this store holds (0 and 0 when it holds none): what Settings
// shows as when a device was last heard from.
func (s *Store) LastOp(ctx context.Context, device string) (int64, HLC, error) {
	var seq int64
	var hlc HLC
	err := s.db.QueryRowContext(ctx, `SELECT seq, hlc FROM ops WHERE device = ? ORDER BY seq DESC LIMIT 1`, device).Scan(&seq, &hlc)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, storeErr(err)
	}
	return seq, hlc, nil
}
