package data

import (
	"context"
	"fmt"
	"strings"
)

// Setup is what a new program starts from.
type Setup struct {
	Agency        string
	AgencyZIP     string
	AdminUsername string
	AdminName     string
	AdminPassword string
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 8

func checkPassword(pw string) error {
	if len([]rune(pw)) < MinPasswordLength {
		return Errorf(EINVALID, "password: use at least %d characters", MinPasswordLength)
	}
	return nil
}

// Initialize sets up a new program in an empty store: the agency, a data
// key, a recovery key that also unlocks it, and the first administrator.
// It returns the administrator's session and the recovery key, printable,
// which is shown once and never stored in the clear.
func (s *Store) Initialize(ctx context.Context, in Setup) (*Session, string, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n); err != nil {
		return nil, "", storeErr(err)
	}
	if n > 0 {
		return nil, "", Errorf(ECONFLICT, "this data folder already has a program")
	}
	agency := &Agency{ID: NewID(), Name: strings.TrimSpace(in.Agency), ZIP: in.AgencyZIP, Network: NewID()}
	if err := agency.Validate(); err != nil {
		return nil, "", err
	}
	admin := &User{ID: NewActorID(), Username: in.AdminUsername, Name: in.AdminName, Role: RoleAdmin, Agency: agency.ID, Active: true}
	if err := admin.Validate(); err != nil {
		return nil, "", err
	}
	if err := checkPassword(in.AdminPassword); err != nil {
		return nil, "", err
	}
	key, err := NewKey()
	if err != nil {
		return nil, "", err
	}
	recovery, printable, err := NewRecoveryKey()
	if err != nil {
		return nil, "", err
	}
	wrappedRecovery, err := WrapKey(recovery, key)
	if err != nil {
		return nil, "", err
	}
	sess := &Session{s: s, User: *admin, key: key}
	err = s.write(ctx, admin.ID, key, func(w *writeTx) error {
		f := toFields(agency)
		f["recovery_key"] = string(wrappedRecovery)
		if err := w.create(EntAgency, agency.ID, f); err != nil {
			return err
		}
		if err := s.writeUser(w, admin, in.AdminPassword, key); err != nil {
			return err
		}
		return sess.audit(w, "init", EntAgency, agency.ID, "")
	})
	if err != nil {
		return nil, "", err
	}
	return sess, printable, nil
}

// writeUser writes a user with a new password: its verifier, and the data
// key wrapped under the key the password derives.
func (s *Store) writeUser(w *writeTx, u *User, password string, key []byte) error {
	hash, kek, err := HashPassword(password, s.kdf)
	if err != nil {
		return err
	}
	wrapped, err := WrapKey(kek, key)
	if err != nil {
		return err
	}
	f := toFields(u)
	f["password"] = hash
	f["wrapped_key"] = string(wrapped)
	return w.setFields(EntUser, u.ID, f)
}

// AddUser creates a user who can log in with password.
func (sess *Session) AddUser(ctx context.Context, u User, password string) (*User, error) {
	if err := sess.require(ctx, ActUsers, EntUser, ""); err != nil {
		return nil, err
	}
	u.ID = NewActorID()
	u.Active = true
	if u.Agency == "" {
		u.Agency = sess.User.Agency
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if err := checkPassword(password); err != nil {
		return nil, err
	}
	var n int
	if err := sess.s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE username = ? AND deleted = 0", u.Username).Scan(&n); err != nil {
		return nil, storeErr(err)
	}
	if n > 0 {
		return nil, Errorf(ECONFLICT, "user name %q is taken", u.Username)
	}
	err := sess.s.write(ctx, sess.User.ID, sess.key, func(w *writeTx) error {
		if err := sess.s.writeUser(w, &u, password, sess.key); err != nil {
			return err
		}
		return sess.audit(w, "user.add", EntUser, u.ID, string(u.Role))
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

func (s *Store) loadUser(ctx context.Context, key []byte, id string) (*User, error) {
	var u User
	m, err := loadOne(ctx, s.db, key, EntUser, id, &u)
	if err != nil {
		return nil, err
	}
	u.ID = m["id"]
	return &u, nil
}

// Users lists every user.
func (sess *Session) Users(ctx context.Context) ([]User, error) {
	if err := sess.require(ctx, ActUsers, EntUser, ""); err != nil {
		return nil, err
	}
	e, _ := Entity(EntUser)
	ms, err := loadFields(ctx, sess.s.db, sess.key, e, "")
	if err != nil {
		return nil, err
	}
	out := make([]User, len(ms))
	for i, m := range ms {
		fromFields(m, &out[i])
		out[i].ID = m["id"]
	}
	return out, nil
}

// Agency returns the session's agency.
func (sess *Session) Agency(ctx context.Context) (*Agency, error) {
	var a Agency
	if _, err := loadOne(ctx, sess.s.db, sess.key, EntAgency, sess.User.Agency, &a); err != nil {
		return nil, fmt.Errorf("read agency: %w", err)
	}
	a.ID = sess.User.Agency
	return &a, nil
}

// HasUsers reports whether a program is set up in this store.
func (s *Store) HasUsers(ctx context.Context) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM users WHERE deleted = 0").Scan(&n); err != nil {
		return false, storeErr(err)
	}
	return n > 0, nil
}
