package data_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"connectpoint/data"
)

var ctx = context.Background()

// program is a store with a program set up and a user of every role.
type program struct {
	dir      string
	store    *data.Store
	clock    *data.FixedClock
	sessions map[data.Role]*data.Session
	coachID  string // the coach record of the coach user
}

func opts(clock data.Clock) data.Options {
	kdf := data.TestKDF
	return data.Options{Clock: clock, KDF: &kdf}
}

func newProgram(t testing.TB) *program {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	clock := &data.FixedClock{T: time.Date(2026, 11, 27, 19, 2, 0, 0, time.UTC)}
	s, err := data.Create(ctx, dir, opts(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	admin, _, err := s.Initialize(ctx, data.Setup{Agency: "Naperville PD", AgencyZIP: "60540",
		AdminUsername: "admin", AdminName: "Ada Admin", AdminPassword: "admin-password"})
	if err != nil {
		t.Fatal(err)
	}
	p := &program{dir: dir, store: s, clock: clock, sessions: map[data.Role]*data.Session{data.RoleAdmin: admin}}
	for _, r := range []data.Role{data.RoleOfficer, data.RoleCoach, data.RoleCoordinator} {
		u, err := admin.AddUser(ctx, data.User{Username: string(r), Role: r}, string(r)+"-password")
		if err != nil {
			t.Fatal(err)
		}
		if r == data.RoleCoach {
			if p.coachID, err = admin.AddCoach(ctx, data.Coach{Name: "Ana Pérez", Phone: "630-555-0177", UserID: u.ID}); err != nil {
				t.Fatal(err)
			}
		}
		sess, err := s.Login(ctx, string(r), string(r)+"-password")
		if err != nil {
			t.Fatal(err)
		}
		p.sessions[r] = sess
	}
	return p
}

func (p *program) newCase(t testing.TB, first, last string) string {
	t.Helper()
	id, err := p.sessions[data.RoleOfficer].CreateCase(ctx, data.NewCase{
		Person: data.Person{First: first, Last: last, DOB: "1986-03-14", Phone: "(630) 555-0101"},
		Case:   data.Case{Channel: "walk-in", Insurance: "none"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func TestSealedAtRest(t *testing.T) {
	p := newProgram(t)
	const surname = "Wojciechowskiquist"
	const note = "sleeps-behind-the-laundromat"
	id := p.newCase(t, "Daniel", surname)
	coord := p.sessions[data.RoleCoordinator]
	if _, err := coord.AddNote(ctx, id, note); err != nil {
		t.Fatal(err)
	}
	if err := coord.SetCaseFields(ctx, id, map[string]string{"alias": surname + "-alias", "needs": note}); err != nil {
		t.Fatal(err)
	}
	// The surname is readable through a session...
	rec, err := coord.Case(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Person.Last != surname {
		t.Fatalf("last name = %q, want %q", rec.Person.Last, surname)
	}
	// ...and in neither the database file nor its write-ahead log.
	found := 0
	for _, f := range []string{data.DBFile, data.DBFile + "-wal"} {
		b, err := os.ReadFile(filepath.Join(p.dir, f))
		if err != nil {
			t.Fatal(err)
		}
		if len(b) == 0 {
			continue
		}
		found++
		for _, secret := range []string{surname, note, "555-0101", "1986-03-14", "Ana Pérez"} {
			if bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s contains %q in the clear", f, secret)
			}
		}
	}
	if found == 0 {
		t.Fatal("no database bytes were checked")
	}
}

func TestLogin(t *testing.T) {
	p := newProgram(t)
	tests := []struct {
		name, user, pw string
		code           string
	}{
		{"Right", "officer", "officer-password", ""},
		{"WrongPassword", "officer", "officer-passwore", data.EAUTH},
		{"UnknownUser", "nobody", "officer-password", data.EAUTH},
		{"Empty", "", "", data.EAUTH},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := p.store.Login(ctx, tt.user, tt.pw)
			if got := data.ErrorCode(err); got != tt.code {
				t.Fatalf("code %q (%v), want %q", got, err, tt.code)
			}
		})
	}
	events, err := p.sessions[data.RoleAdmin].AuditEvents(ctx)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, e := range events {
		counts[e.Action]++
	}
	if counts["login.failed"] != 3 {
		t.Errorf("failed logins audited: %d, want 3", counts["login.failed"])
	}
	if counts["login"] < 4 {
		t.Errorf("logins audited: %d, want at least 4", counts["login"])
	}
}

func TestCaseValidation(t *testing.T) {
	p := newProgram(t)
	id := p.newCase(t, "Daniel", "Reyes")
	coord := p.sessions[data.RoleCoordinator]
	tests := []struct {
		name   string
		values map[string]string
	}{
		{"UnknownField", map[string]string{"colour": "red"}},
		{"BadDate", map[string]string{"dob": "14/14/1986"}},
		{"FutureDate", map[string]string{"dob": "2030-01-01"}},
		{"BadPhone", map[string]string{"phone": "555-01"}},
		{"BadLevel", map[string]string{"level": "9"}},
		{"BadBool", map[string]string{"veteran": "maybe"}},
		{"PlacedWithoutFacility", map[string]string{"status": "placed"}},
		{"FixedField", map[string]string{"intake_by": "someone"}},
		{"OneBadOfMany", map[string]string{"first": "Changed", "dob": "not a date"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, err := coord.Case(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			err = coord.SetCaseFields(ctx, id, tt.values)
			if data.ErrorCode(err) != data.EINVALID {
				t.Fatalf("err = %v, want %s", err, data.EINVALID)
			}
			after, err := coord.Case(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if after.Person != before.Person || after.Case.Level != before.Case.Level || after.Case.Status != before.Case.Status {
				t.Fatal("a refused change changed the case")
			}
		})
	}
	t.Run("DatesAsPeopleType", func(t *testing.T) {
		for in, want := range map[string]string{"3/14/86": "1986-03-14", "03/14/1986": "1986-03-14", "1986-03-14": "1986-03-14", "12/31/25": "2025-12-31"} {
			if err := coord.SetCaseFields(ctx, id, map[string]string{"dob": in}); err != nil {
				t.Fatalf("%s: %v", in, err)
			}
			rec, _ := coord.Case(ctx, id)
			if rec.Person.DOB != want {
				t.Errorf("dob %q stored as %q, want %q", in, rec.Person.DOB, want)
			}
		}
	})
}

func TestStoreBadFolders(t *testing.T) {
	t.Run("NotOurs", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "thesis.docx"), []byte("mine"), 0o600)
		if _, err := data.Open(ctx, dir, opts(nil)); data.ErrorCode(err) != data.EINVALID {
			t.Fatalf("Open = %v, want invalid", err)
		}
		if _, err := data.Create(ctx, dir, opts(nil)); data.ErrorCode(err) != data.EINVALID {
			t.Fatalf("Create = %v, want invalid", err)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "thesis.docx")); string(b) != "mine" {
			t.Fatal("someone else's file was touched")
		}
	})
	t.Run("NotADatabase", func(t *testing.T) {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, data.DBFile), []byte("this is not sqlite at all, just text that is long enough to look like a header"), 0o600)
		if _, err := data.Open(ctx, dir, opts(nil)); data.ErrorCode(err) != data.EINVALID {
			t.Fatalf("Open = %v, want invalid", err)
		}
	})
	t.Run("Empty", func(t *testing.T) {
		if _, err := data.Open(ctx, t.TempDir(), opts(nil)); data.ErrorCode(err) != data.ENOTFOUND {
			t.Fatalf("Open = %v, want not found", err)
		}
	})
	t.Run("NewerSchema", func(t *testing.T) {
		p := newProgram(t)
		if _, err := p.store.DB().Exec("PRAGMA user_version = 999"); err != nil {
			t.Fatal(err)
		}
		p.store.Close()
		_, err := data.Open(ctx, p.dir, opts(nil))
		if data.ErrorCode(err) != data.EINVALID || !bytes.Contains([]byte(err.Error()), []byte("newer version")) {
			t.Fatalf("Open = %v, want a newer-version message", err)
		}
	})
	t.Run("ReadOnly", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("root writes to read-only folders; covered by TestDiskFull's rollback and the EROFS mapping")
		}
		p := newProgram(t)
		p.store.Close()
		os.Chmod(p.dir, 0o500)
		defer os.Chmod(p.dir, 0o700)
		if _, err := data.Open(ctx, p.dir, opts(nil)); !errors.Is(err, data.ErrReadOnly) {
			t.Fatalf("Open = %v, want ErrReadOnly", err)
		}
	})
}

func TestDiskFull(t *testing.T) {
	p := newProgram(t)
	id := p.newCase(t, "Daniel", "Reyes")
	p.store.Close()
	var pages int
	s, err := data.Open(ctx, p.dir, opts(p.clock))
	if err != nil {
		t.Fatal(err)
	}
	s.DB().QueryRow("PRAGMA page_count").Scan(&pages)
	s.Close()
	// Reopen with the database capped at its current size: the disk is full.
	o := opts(p.clock)
	o.MaxPageCount = pages
	s, err = data.Open(ctx, p.dir, o)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	sess, err := s.Login(ctx, "coordinator", "coordinator-password")
	if err != nil {
		// Even the login's audit event may not fit; that is the full disk too.
		t.Log("login itself hit the full disk")
		if !errors.Is(err, data.ErrDiskFull) {
			t.Fatalf("login: %v, want ErrDiskFull", err)
		}
		return
	}
	long := bytes.Repeat([]byte("x"), 9000)
	var full error
	for i := 0; i < 200 && full == nil; i++ {
		_, full = sess.AddNote(ctx, id, string(long))
	}
	if !errors.Is(full, data.ErrDiskFull) {
		t.Fatalf("writing into a full database: %v, want ErrDiskFull", full)
	}
	if msg := data.ErrorMessage(full); !bytes.Contains([]byte(msg), []byte("disk is full")) {
		t.Errorf("message %q does not say the disk is full", msg)
	}
	rec, err := sess.Case(ctx, id)
	if err != nil && !errors.Is(err, data.ErrDiskFull) {
		t.Fatal(err)
	}
	if err == nil && rec.Person.Last != "Reyes" {
		t.Fatal("the case was damaged by the full disk")
	}
}

func TestExportIsCanonical(t *testing.T) {
	p := newProgram(t)
	for _, n := range []string{"Daniel", "Maria", "Tom"} {
		p.newCase(t, n, "Example")
	}
	coord := p.sessions[data.RoleCoordinator]
	a, err := coord.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p.clock.Advance(time.Hour)
	b, err := coord.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two exports of the same state differ")
	}
	for _, secret := range []string{"argon2id", "wrapped_key", "recovery_key", "device_id", "audit"} {
		if bytes.Contains(a, []byte(secret)) {
			t.Errorf("export contains %q", secret)
		}
	}
	if !bytes.Contains(a, []byte(`"Maria"`)) {
		t.Error("export lacks the people's names")
	}
}

func TestExportSameOnTwoDevices(t *testing.T) {
	p := newProgram(t)
	id := p.newCase(t, "Daniel", "Reyes")
	coord := p.sessions[data.RoleCoordinator]
	if _, err := coord.AddNote(ctx, id, "first note"); err != nil {
		t.Fatal(err)
	}
	// A second device receives every operation of the first.
	other, err := data.Create(ctx, filepath.Join(t.TempDir(), "other"), opts(p.clock))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ops, err := p.store.Ops(ctx, p.store.Device(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.ApplyRemote(ctx, ops); err != nil {
		t.Fatal(err)
	}
	// Users sync: the coordinator logs in there with the same password.
	sess2, err := other.Login(ctx, "coordinator", "coordinator-password")
	if err != nil {
		t.Fatal(err)
	}
	a, err := coord.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, err := sess2.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatalf("exports differ between devices:\n%s\n---\n%s", a, b)
	}
}
