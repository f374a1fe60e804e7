package data

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// DBFile is the name of the database inside a data folder.
const DBFile = "connectpoint.db"

// applicationID marks a SQLite file as ConnectPoint's ("CPNT").
const applicationID = 0x43504e54

// driverName is mattn/go-sqlite3 with the connection settings a store
// wants that its DSN cannot carry.
const driverName = "sqlite3_connectpoint"

// walCheckpointPages is how large the write-ahead log grows before a
// commit copies it into the database (SQLite's default is 1,000 pages).
// A sync round commits a transaction per segment and an import one per
// file; at the default, every few commits paid for a checkpoint and its
// fsync, a third of the time a round took. Rounds and imports end with a
// checkpoint of their own (Store.Checkpoint) instead.
const walCheckpointPages = 16384

func init() {
	sql.Register(driverName, &sqlite3.SQLiteDriver{ConnectHook: func(c *sqlite3.SQLiteConn) error {
		_, err := c.Exec(fmt.Sprintf("PRAGMA wal_autocheckpoint = %d", walCheckpointPages), nil)
		return err
	}})
}

var (
	// ErrDiskFull is returned when the disk (or the database's size cap)
	// is full. The transaction was rolled back: nothing changed.
	ErrDiskFull = errors.New("the disk is full: nothing was saved; free some space and try again")
	// ErrReadOnly is returned when the data folder cannot be written.
	ErrReadOnly = errors.New("the data folder is read-only: nothing can be saved; check its permissions")
)

// Options tune a store. The zero value is what the application uses.
type Options struct {
	Clock  Clock        // defaults to SystemClock
	Logger *slog.Logger // defaults to slog.Default()
	// KDF is the Argon2id cost for new passwords; defaults to DefaultKDF.
	KDF *KDFParams
	// MaxPageCount caps the database's size in pages (0: no cap). Tests use
	// it to make a disk that is full.
	MaxPageCount int
}

// Store is a ConnectPoint database: one per device.
type Store struct {
	db     *sql.DB
	dir    string
	clock  Clock
	hlc    *HLClock
	device string
	log    *slog.Logger
	kdf    KDFParams

	stmtMu sync.Mutex
	stmts  map[string]*sql.Stmt

	// commits counts the transactions that changed synced data, so that
	// what a session derives from all of it (personNames) is made again
	// only after a change.
	commits atomic.Uint64
}

// prepared returns query prepared on the database, preparing it once.
func (s *Store) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	s.stmtMu.Lock()
	defer s.stmtMu.Unlock()
	if st, ok := s.stmts[query]; ok {
		return st, nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if s.stmts == nil {
		s.stmts = map[string]*sql.Stmt{}
	}
	s.stmts[query] = st
	return st, nil
}

// Exists reports whether dir holds a ConnectPoint database.
func Exists(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, DBFile))
	return err == nil
}

// Create makes a new, empty store in dir (created if needed). dir must be
// empty or hold no ConnectPoint database; Create never touches other files.
func Create(ctx context.Context, dir string, opt Options) (*Store, error) {
	if Exists(dir) {
		return nil, Errorf(ECONFLICT, "%s already holds a ConnectPoint program", dir)
	}
	if holdsOtherFiles(dir) {
		return nil, Errorf(EINVALID, "%s is not empty and is not a ConnectPoint data folder: choose an empty folder", dir)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, folderErr(dir, err)
	}
	return open(ctx, dir, opt, true)
}

// holdsOtherFiles reports whether dir holds anything but the window's demo
// program (DemoFolder), which may sit in a data folder before a program is
// set up there.
func holdsOtherFiles(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if !(e.IsDir() && e.Name() == DemoFolder) {
			return true
		}
	}
	return false
}

// Open opens the store in dir, applying any migrations it lacks.
func Open(ctx context.Context, dir string, opt Options) (*Store, error) {
	if !Exists(dir) {
		if holdsOtherFiles(dir) {
			return nil, Errorf(EINVALID, "%s is not a ConnectPoint data folder (it has no %s)", dir, DBFile)
		}
		return nil, Errorf(ENOTFOUND, "no ConnectPoint program is set up in %s: run \"connectpoint init\" or open the app", dir)
	}
	return open(ctx, dir, opt, false)
}

func open(ctx context.Context, dir string, opt Options, create bool) (*Store, error) {
	if err := checkWritable(dir); err != nil {
		return nil, err
	}
	s := &Store{dir: dir, clock: opt.Clock, log: opt.Logger, kdf: DefaultKDF}
	if s.clock == nil {
		s.clock = SystemClock{}
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if opt.KDF != nil {
		s.kdf = *opt.KDF
	}
	path := filepath.Join(dir, DBFile)
	// A 1 MB page cache a connection: the window keeps a few connections
	// open for as long as it runs, and the operating system caches the file
	// too. At 16 MB they held 20 MB more of resident memory than at 4 MB,
	// and at 4 MB 4 MB more than at 1 MB, without making imports, the case
	// list or the reports faster (applying a sync round: within 10 %).
	dsn := "file:" + path + "?_journal_mode=WAL&_foreign_keys=on&_txlock=immediate&_busy_timeout=10000&_synchronous=NORMAL&_cache_size=-1024"
	db, err := sql.Open(driverName, dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	s.db = db
	if err := s.init(ctx, create, opt.MaxPageCount); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

func (s *Store) init(ctx context.Context, create bool, maxPages int) error {
	var appID int64
	if err := s.db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID); err != nil {
		return Errorf(EINVALID, "%s is not a ConnectPoint database: %v", filepath.Join(s.dir, DBFile), err)
	}
	if appID != applicationID && !(create && appID == 0) {
		return Errorf(EINVALID, "%s is not a ConnectPoint database", filepath.Join(s.dir, DBFile))
	}
	if maxPages > 0 {
		if _, err := s.db.ExecContext(ctx, "PRAGMA max_page_count = "+strconv.Itoa(maxPages)); err != nil {
			return fmt.Errorf("cap database size: %w", err)
		}
	}
	if err := s.migrate(ctx, create); err != nil {
		return err
	}
	dev, err := s.Setting(ctx, "device_id")
	if err != nil {
		return err
	}
	if dev == "" {
		dev = NewActorID()
		if err := s.SetSetting(ctx, "device_id", dev); err != nil {
			return err
		}
	}
	s.device = dev
	// The newest HLC this device issued or saw, kept as a setting by every
	// write so that a restart with the wall clock behind never reuses one.
	last, err := s.Setting(ctx, "hlc")
	if err != nil {
		return err
	}
	n, _ := strconv.ParseInt(last, 10, 64)
	s.hlc = NewHLClock(s.clock, HLC(n))
	return nil
}

type migration struct {
	version int
	name    string
}

func migrations() ([]migration, error) {
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, n := range names {
		base := filepath.Base(n)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s: name must start with its number", base)
		}
		ms = append(ms, migration{version: v, name: n})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	return ms, nil
}

// SchemaVersion is the newest schema this build knows.
func SchemaVersion() int {
	ms, _ := migrations()
	if len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// migrate applies each migration the database lacks, each in its own
// transaction together with the new user_version.
func (s *Store) migrate(ctx context.Context, create bool) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	var current int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&current); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if latest := SchemaVersion(); current > latest {
		return Errorf(EINVALID, "this data folder was written by a newer version of ConnectPoint (schema %d; this one knows %d): install the newer version", current, latest)
	}
	if create {
		if _, err := s.db.ExecContext(ctx, fmt.Sprintf("PRAGMA application_id = %d", applicationID)); err != nil {
			return storeErr(fmt.Errorf("mark database: %w", err))
		}
	}
	for _, m := range ms {
		if m.version <= current {
			continue
		}
		body, err := migrationFiles.ReadFile(m.name)
		if err != nil {
			return err
		}
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return storeErr(fmt.Errorf("begin migration %d: %w", m.version, err))
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return storeErr(fmt.Errorf("migration %s: %w", filepath.Base(m.name), err))
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version)); err != nil {
			tx.Rollback()
			return storeErr(fmt.Errorf("migration %d: %w", m.version, err))
		}
		if err := tx.Commit(); err != nil {
			return storeErr(fmt.Errorf("commit migration %d: %w", m.version, err))
		}
		s.log.Debug("database migrated", "version", m.version)
	}
	return nil
}

// Close closes the database.
func (s *Store) Close() error {
	s.stmtMu.Lock()
	for _, st := range s.stmts {
		st.Close()
	}
	s.stmts = nil
	s.stmtMu.Unlock()
	return s.db.Close()
}

// Checkpoint copies what the write-ahead log holds into the database, as
// far as readers allow, after a large write (a sync round that brought
// operations, an import). Later commits then start a short log again.
func (s *Store) Checkpoint(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, "PRAGMA wal_checkpoint(PASSIVE)"); err != nil {
		return storeErr(fmt.Errorf("checkpoint: %w", err))
	}
	return nil
}

// Dir returns the data folder.
func (s *Store) Dir() string { return s.dir }

// Device returns this device's ID.
func (s *Store) Device() string { return s.device }

// Now returns the store's clock time.
func (s *Store) Now() time.Time { return s.clock.Now() }

// DB exposes the database handle to the benchmarks and tests of other packages.
func (s *Store) DB() *sql.DB { return s.db }

// Setting returns a device-local setting, "" when unset.
func (s *Store) Setting(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, "SELECT value FROM local_settings WHERE key = ?", key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", storeErr(fmt.Errorf("read setting %s: %w", key, err))
	}
	return v, nil
}

// SetSetting stores a device-local setting.
func (s *Store) SetSetting(ctx context.Context, key, value string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO local_settings(key, value) VALUES(?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	if err != nil {
		return storeErr(fmt.Errorf("save setting %s: %w", key, err))
	}
	return nil
}

// checkWritable fails with ErrReadOnly when dir cannot take a new file.
func checkWritable(dir string) error {
	f, err := os.CreateTemp(dir, ".write-test-*")
	if err != nil {
		return folderErr(dir, err)
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return nil
}

func folderErr(dir string, err error) error {
	switch {
	case errors.Is(err, fs.ErrPermission), isErrno(err, "EROFS"):
		return fmt.Errorf("%s: %w", dir, ErrReadOnly)
	case isErrno(err, "ENOSPC"):
		return fmt.Errorf("%s: %w", dir, ErrDiskFull)
	}
	return fmt.Errorf("data folder %s: %w", dir, err)
}

// storeErr turns SQLite's full-disk and read-only errors into the sentinel
// errors a person can act on.
func storeErr(err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrFull:
			return fmt.Errorf("%w (%v)", ErrDiskFull, err)
		case sqlite3.ErrReadonly, sqlite3.ErrPerm:
			return fmt.Errorf("%w (%v)", ErrReadOnly, err)
		}
	}
	return err
}
