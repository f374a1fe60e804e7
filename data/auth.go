package data

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
)

// Role is what a user may do. Permissions are checked here, in data, on
// every call: the GUI hides what a role cannot do, but hiding is not the
// protection.
type Role string

// The roles, from least to most trusted.
const (
	RoleOfficer     Role = "officer"
	RoleCoach       Role = "coach"
	RoleCoordinator Role = "coordinator"
	RoleAdmin       Role = "admin"
)

// Roles lists every role.
var Roles = []Role{RoleOfficer, RoleCoach, RoleCoordinator, RoleAdmin}

func joinRoles() string {
	s := make([]string, len(Roles))
	for i, r := range Roles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

// ParseRole checks a role name.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", Errorf(EINVALID, "role %q: use one of %s", s, joinRoles())
}

// Action is something a user asks to do.
type Action string

// The actions that permissions govern.
const (
	ActCaseCreate    Action = "case.create"     // intake
	ActCaseList      Action = "case.list"       // open cases: name, status, clock
	ActCaseView      Action = "case.view"       // the full record, sealed fields included
	ActCaseEdit      Action = "case.edit"       // intake fields
	ActDispatch      Action = "case.dispatch"   // call coaches
	ActAssess        Action = "case.assess"     // level of care, medication
	ActPlace         Action = "case.place"      // facility calls and placement
	ActPlacementView Action = "case.placement"  // where the person went
	ActCheckIn       Action = "case.checkin"    // follow-up
	ActNoteAdd       Action = "note.add"        // write a note
	ActNoteView      Action = "note.view"       // read notes
	ActConsent       Action = "consent.edit"    // capture or revoke consent
	ActRosterView    Action = "roster.view"     // coaches and who is on call
	ActRosterEdit    Action = "roster.edit"     // add, change, deactivate coaches
	ActDirectoryView Action = "directory.view"  // the facility directory
	ActDirectoryEdit Action = "directory.edit"  // import and edit facilities
	ActSlotReport    Action = "directory.slots" // report open slots
	ActReports       Action = "reports.view"
	ActExport        Action = "export"
	ActConflicts     Action = "conflicts.resolve"
	ActAuditView     Action = "audit.view"
	ActUsers         Action = "users.manage"
	ActDevices       Action = "devices.manage"
	ActSync          Action = "sync.manage"
)

// Actions lists every action.
var Actions = []Action{
	ActCaseCreate, ActCaseList, ActCaseView, ActCaseEdit, ActDispatch, ActAssess, ActPlace,
	ActPlacementView, ActCheckIn, ActNoteAdd, ActNoteView, ActConsent, ActRosterView,
	ActRosterEdit, ActDirectoryView, ActDirectoryEdit, ActSlotReport, ActReports, ActExport,
	ActConflicts, ActAuditView, ActUsers, ActDevices, ActSync,
}

// permissions is DESIGN §5 as a table. Deny by default: an action missing
// from a role's list is refused. The admin may do everything.
var permissions = map[Role][]Action{
	RoleOfficer: {ActCaseCreate, ActCaseList, ActCaseView, ActCaseEdit, ActDispatch,
		ActNoteAdd, ActConsent, ActRosterView, ActDirectoryView, ActSlotReport},
	RoleCoach: {ActCaseList, ActCaseView, ActCaseEdit, ActDispatch, ActAssess, ActPlace,
		ActPlacementView, ActCheckIn, ActNoteAdd, ActNoteView, ActConsent, ActRosterView,
		ActDirectoryView, ActSlotReport},
	RoleCoordinator: {ActCaseCreate, ActCaseList, ActCaseView, ActCaseEdit, ActDispatch,
		ActAssess, ActPlace, ActPlacementView, ActCheckIn, ActNoteAdd, ActNoteView, ActConsent,
		ActRosterView, ActRosterEdit, ActDirectoryView, ActDirectoryEdit, ActSlotReport,
		ActReports, ActExport, ActConflicts, ActAuditView},
	RoleAdmin: Actions,
}

// Can reports whether role r may do a.
func (r Role) Can(a Action) bool {
	for _, x := range permissions[r] {
		if x == a {
			return true
		}
	}
	return false
}

// Session is a logged-in user: the data key is unlocked and every call
// is checked against the user's role.
type Session struct {
	s     *Store
	User  User
	key   []byte
	coach string // the coach record linked to this user, if any

	namesMu sync.Mutex
	names   *nameTable // personNames as of commit namesAt
	namesAt uint64

	dueMu sync.Mutex
	due   map[dueKey][]DueCheckIn // MyCheckIns' answers as of one commit
}

// Store returns the store the session belongs to.
func (sess *Session) Store() *Store { return sess.s }

// Can reports whether the session's user may do a (ignoring which case).
func (sess *Session) Can(a Action) bool { return sess.User.Role.Can(a) }

// CoachID returns the coach record linked to this user, "" if none.
func (sess *Session) CoachID() string { return sess.coach }

// ErrWrongLogin is the one answer to a wrong user name or password, so the
// message does not tell which of the two was wrong.
var ErrWrongLogin = Errorf(EAUTH, "wrong user name or password")

// Login checks a user's password and unlocks the data key. Logins and
// failed logins are audited.
func (s *Store) Login(ctx context.Context, username, password string) (*Session, error) {
	var id, hash, active, role string
	var wrapped []byte
	err := s.db.QueryRowContext(ctx, `SELECT id, COALESCE(password, ''), COALESCE(wrapped_key, x''), COALESCE(active, ''), COALESCE(role, '')
		FROM users WHERE username = ? AND deleted = 0`, username).Scan(&id, &hash, &wrapped, &active, &role)
	if errors.Is(err, sql.ErrNoRows) {
		s.auditSystem(ctx, "", "login.failed", EntUser, "", "unknown user name")
		return nil, ErrWrongLogin
	}
	if err != nil {
		return nil, storeErr(fmt.Errorf("find user: %w", err))
	}
	kek, err := CheckPassword(hash, password)
	if errors.Is(err, ErrWrongKey) {
		s.auditSystem(ctx, id, "login.failed", EntUser, id, "wrong password")
		return nil, ErrWrongLogin
	}
	if err != nil {
		return nil, fmt.Errorf("check password: %w", err)
	}
	if active != "true" {
		s.auditSystem(ctx, id, "login.failed", EntUser, id, "user deactivated")
		return nil, Errorf(EAUTH, "this user has been deactivated: ask your coordinator")
	}
	key, err := UnwrapKey(kek, wrapped)
	if err != nil {
		return nil, fmt.Errorf("unlock data key: %w", err)
	}
	sess := &Session{s: s, key: key}
	u, err := s.loadUser(ctx, key, id)
	if err != nil {
		return nil, err
	}
	sess.User = *u
	if err := s.db.QueryRowContext(ctx, `SELECT id FROM coaches WHERE user_id = ? AND deleted = 0 ORDER BY id LIMIT 1`, id).Scan(&sess.coach); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, storeErr(err)
	}
	if err := s.write(ctx, id, key, func(w *writeTx) error {
		return sess.audit(w, "login", EntUser, id, "")
	}); err != nil {
		return nil, err
	}
	return sess, nil
}

// require checks that the session may do a. A refusal is audited and
// returned as EFORBIDDEN.
func (sess *Session) require(ctx context.Context, a Action, entity, row string) error {
	if sess.Can(a) {
		return nil
	}
	return sess.refuse(ctx, a, entity, row)
}

func (sess *Session) refuse(ctx context.Context, a Action, entity, row string) error {
	sess.s.auditSystem(ctx, sess.User.ID, "refused", entity, row, string(a))
	return Errorf(EFORBIDDEN, "a user with the role %s may not do this (%s)", sess.User.Role, a)
}
