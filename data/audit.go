package data

import (
	"context"
	"fmt"
)

// audit appends an audit event inside w. detail must never hold personal
// data: IDs, action names and counts only.
func (sess *Session) audit(w *writeTx, action, entity, row, detail string) error {
	return w.appendRecord(EntAudit, NewID(), toFields(&AuditEvent{
		At: w.s.clock.Now(), UserID: sess.User.ID, Device: w.s.device,
		Action: action, Entity: entity, RowID: row, Detail: detail,
	}))
}

// auditSystem appends an audit event in a transaction of its own, for
// events that happen outside a session's write (failed logins, refusals).
// A failure is logged, not returned: the refusal itself must still reach
// the user.
func (s *Store) auditSystem(ctx context.Context, user, action, entity, row, detail string) {
	err := s.write(ctx, user, nil, func(w *writeTx) error {
		return w.appendRecord(EntAudit, NewID(), toFields(&AuditEvent{
			At: s.clock.Now(), UserID: user, Device: s.device,
			Action: action, Entity: entity, RowID: row, Detail: detail,
		}))
	})
	if err != nil {
		s.log.Error("write audit event", "action", action, "err", err)
	}
}

// AuditEvents returns the audit trail, oldest first.
func (sess *Session) AuditEvents(ctx context.Context) ([]AuditEvent, error) {
	if err := sess.require(ctx, ActAuditView, EntAudit, ""); err != nil {
		return nil, err
	}
	rows, err := sess.s.db.QueryContext(ctx, `SELECT id, COALESCE(at,''), COALESCE(user_id,''), COALESCE(device,''),
		COALESCE(action,''), COALESCE(entity,''), COALESCE(row_id,''), COALESCE(detail,'')
		FROM audit_events ORDER BY at, id`)
	if err != nil {
		return nil, storeErr(fmt.Errorf("read audit trail: %w", err))
	}
	defer rows.Close()
	var out []AuditEvent
	for rows.Next() {
		var e AuditEvent
		var at string
		if err := rows.Scan(&e.ID, &at, &e.UserID, &e.Device, &e.Action, &e.Entity, &e.RowID, &e.Detail); err != nil {
			return nil, err
		}
		e.At, _ = ParseTime(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
