package data

import (
	"context"
	"fmt"
	"time"
)

// demoConflicts gives the demo program two conflicts, so that the
// Conflicts screen has work in it: the coach's laptop, offline at the
// hospital, changed two fields that the station changed too before the
// two synced. The laptop's operations are built the way sync delivers
// them, as operations of another device that had seen the old values.
func (s *Store) demoConflicts(ctx context.Context, officer, coach *Session, now time.Time) error {
	list, err := officer.ListCases(ctx, CaseFilter{})
	if err != nil {
		return err
	}
	byName := map[string]CaseSummary{}
	for _, c := range list {
		byName[c.Display] = c
	}
	daniel, kevin := byName["Daniel R."], byName["Kevin M."]
	if daniel.ID == "" || kevin.ID == "" {
		return fmt.Errorf("demo conflicts: the demo cases are missing")
	}
	laptop := &demoDevice{s: s, id: NewID(), sess: coach}
	// Both wrote down a new number for Daniel, who has no phone of his own.
	if err := laptop.race(ctx, now.Add(-30*time.Minute), func() error {
		return officer.SetCaseFields(ctx, daniel.ID, map[string]string{"phone": "(630) 555-0188"})
	}, now.Add(-25*time.Minute), EntPerson, daniel.Person, "phone", "(630) 555-0123"); err != nil {
		return err
	}
	// The station heard he has no insurance now; the coach, at the
	// hospital, that he was just enrolled in Medicaid.
	return laptop.race(ctx, now.Add(-40*time.Minute), func() error {
		return officer.SetCaseFields(ctx, kevin.ID, map[string]string{"insurance": "none"})
	}, now.Add(-35*time.Minute), EntCase, kevin.ID, "insurance", "medicaid")
}

// demoDevice writes operations as another device of the program would.
type demoDevice struct {
	s    *Store
	id   string
	seq  int64
	sess *Session // whose name and key the device writes with
}

// race runs local at localAt on this store and writes value to the field
// at remoteAt on the other device, both having seen the same value: the
// field ends with two heads.
func (d *demoDevice) race(ctx context.Context, localAt time.Time, local func() error, remoteAt time.Time, entity, row, field, value string) error {
	var prev []OpID
	rows, err := d.s.db.QueryContext(ctx, `SELECT device, seq FROM heads WHERE entity = ? AND row_id = ? AND field = ?`, entity, row, field)
	if err != nil {
		return storeErr(err)
	}
	for rows.Next() {
		var id OpID
		if err := rows.Scan(&id.Device, &id.Seq); err != nil {
			rows.Close()
			return err
		}
		prev = append(prev, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if err := d.s.at(d.s.clock.Now().Sub(localAt), local); err != nil {
		return err
	}
	v := []byte(value)
	e, _ := Entity(entity)
	if f, _ := e.Field(field); f.Sealed {
		if v, err = Seal(d.sess.key, v, sealAD(entity, field, row)); err != nil {
			return err
		}
	}
	d.seq++
	op := &Op{HLC: makeHLC(remoteAt.UnixMilli(), 0), Device: d.id, Seq: d.seq, Entity: entity, Row: row,
		Field: field, Value: v, Prev: prev, User: d.sess.User.ID}
	_, err = d.s.ApplyRemote(ctx, []*Op{op})
	return err
}
