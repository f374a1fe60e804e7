package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// A state image is a copy of a store's database without its device-local
// settings: every operation and the merge state they produce. The syncer
// ships one as a snapshot, so that a new device starts from the state
// itself instead of replaying a million operations, and a device that has
// fallen behind a compacted log reads the operations it lacks from one.
// The merge is independent of the order operations arrive in, so the state
// in an image is exactly what replaying its operations would give.

// ImageInfo describes a state image.
type ImageInfo struct {
	// LastSeq is, for each device with operations in the image, its highest
	// sequence number.
	LastSeq map[string]int64
	// Schema is the image's schema version.
	Schema int
	Size   int64
}

// WriteImage writes a state image of the store to path, which must not
// exist. It is a consistent copy (SQLite's VACUUM INTO reads in one
// transaction) and holds no device-local settings except the newest HLC,
// so that a device made from it never issues a timestamp below one it
// holds.
func (s *Store) WriteImage(ctx context.Context, path string) (ImageInfo, error) {
	if _, err := s.db.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		os.Remove(path)
		return ImageInfo{}, storeErr(fmt.Errorf("copy the database: %w", err))
	}
	info, err := stripImage(ctx, path)
	if err != nil {
		os.Remove(path)
	}
	return info, err
}

func stripImage(ctx context.Context, path string) (ImageInfo, error) {
	db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=DELETE&_synchronous=OFF")
	if err != nil {
		return ImageInfo{}, err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `DELETE FROM local_settings WHERE key <> 'hlc'`); err != nil {
		return ImageInfo{}, storeErr(fmt.Errorf("image: clear device settings: %w", err))
	}
	info, err := imageInfo(ctx, db)
	if err != nil {
		return info, err
	}
	if err := db.Close(); err != nil {
		return info, storeErr(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return info, err
	}
	info.Size = fi.Size()
	return info, nil
}

func imageInfo(ctx context.Context, db *sql.DB) (ImageInfo, error) {
	info := ImageInfo{LastSeq: map[string]int64{}}
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&info.Schema); err != nil {
		return info, storeErr(err)
	}
	// One step of the primary key per device: no scan of the whole log.
	rows, err := db.QueryContext(ctx, `SELECT device, (SELECT MAX(seq) FROM ops o WHERE o.device = d.device)
		FROM (SELECT DISTINCT device FROM ops) d`)
	if err != nil {
		return info, storeErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		var dev string
		var n int64
		if err := rows.Scan(&dev, &n); err != nil {
			return info, err
		}
		info.LastSeq[dev] = n
	}
	return info, rows.Err()
}

// CreateFromImage makes a new store in dir from the state image at image,
// which must lie in dir (it is renamed into place, not copied), under the
// device ID id. dir must hold nothing else. The image must be one this
// build can read; an older schema is migrated as any store is.
func CreateFromImage(ctx context.Context, dir, image, id string, opt Options) (*Store, error) {
	if Exists(dir) {
		return nil, Errorf(ECONFLICT, "%s already holds a ConnectPoint program", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, folderErr(dir, err)
	}
	if len(entries) != 1 || filepath.Join(dir, entries[0].Name()) != filepath.Clean(image) {
		return nil, Errorf(EINVALID, "%s is not empty and is not a ConnectPoint data folder: choose an empty folder", dir)
	}
	if err := setImageDevice(ctx, image, id); err != nil {
		return nil, err
	}
	if err := os.Rename(image, filepath.Join(dir, DBFile)); err != nil {
		return nil, folderErr(dir, err)
	}
	s, err := open(ctx, dir, opt, false)
	if err != nil {
		return nil, err
	}
	if s.Device() != id {
		s.Close()
		return nil, fmt.Errorf("image: the new store did not take device ID %s", id)
	}
	return s, nil
}

// setImageDevice checks that image is a ConnectPoint database this build
// can open and gives it its device ID before it becomes a store.
func setImageDevice(ctx context.Context, image, id string) error {
	db, err := sql.Open("sqlite3", "file:"+image+"?_journal_mode=DELETE")
	if err != nil {
		return err
	}
	defer db.Close()
	var appID int64
	var schema int
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil || appID != applicationID {
		return Errorf(EINVALID, "the snapshot does not hold a ConnectPoint database")
	}
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&schema); err != nil {
		return storeErr(err)
	}
	if schema > SchemaVersion() {
		return Errorf(EINVALID, "the snapshot was written by a newer version of ConnectPoint (schema %d; this one knows %d): install the newer version", schema, SchemaVersion())
	}
	var n int
	if err := db.QueryRowContext(ctx, `SELECT COUNT(*) FROM local_settings WHERE key <> 'hlc'`).Scan(&n); err != nil {
		return storeErr(err)
	}
	if n != 0 {
		return Errorf(EINVALID, "the snapshot holds another device's settings")
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO local_settings(key, value) VALUES('device_id', ?)`, id); err != nil {
		return storeErr(fmt.Errorf("image: set device: %w", err))
	}
	return storeErr(db.Close())
}

// Image is a state image opened read-only, to read operations from.
type Image struct {
	db   *sql.DB
	info ImageInfo
}

// OpenImage opens the state image at path read-only.
func OpenImage(ctx context.Context, path string) (*Image, error) {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("image %s: %w", path, err)
	}
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_query_only=1")
	if err != nil {
		return nil, err
	}
	var appID int64
	if err := db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil || appID != applicationID {
		db.Close()
		return nil, Errorf(EINVALID, "the snapshot does not hold a ConnectPoint database")
	}
	info, err := imageInfo(ctx, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Image{db: db, info: info}, nil
}

// Info describes the image.
func (im *Image) Info() ImageInfo { return im.info }

// Ops returns the image's operations of one device with sequence numbers
// above after, in order, at most limit (0: all), as Store.Ops does.
func (im *Image) Ops(ctx context.Context, device string, after int64, limit int) ([]*Op, error) {
	return queryOps(ctx, im.db, device, after, limit)
}

// Close closes the image.
func (im *Image) Close() error { return im.db.Close() }
