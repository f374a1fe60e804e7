package data

import (
	"context"
	"testing"
	"time"
)

// TestClockSurvivesRestartWithClockBehind writes, closes, moves the wall
// clock back three hours, reopens and writes again: the new operation's
// HLC must be after the old one.
func TestClockSurvivesRestartWithClockBehind(t *testing.T) {
	ctx := context.Background()
	s, clock := newTestStore(t)
	if _, _, err := s.Initialize(ctx, Setup{Agency: "X", AdminUsername: "admin", AdminPassword: "admin-password"}); err != nil {
		t.Fatal(err)
	}
	var before int64
	s.db.QueryRow(`SELECT MAX(hlc) FROM ops`).Scan(&before)
	dir := s.Dir()
	s.Close()
	clock.Advance(-3 * time.Hour)
	kdf := TestKDF
	s2, err := Open(ctx, dir, Options{Clock: clock, KDF: &kdf})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if _, err := s2.Login(ctx, "admin", "admin-password"); err != nil {
		t.Fatal(err)
	}
	var after int64
	s2.db.QueryRow(`SELECT MAX(hlc) FROM ops`).Scan(&after)
	if after <= before {
		t.Fatalf("HLC after restart %v not after %v", HLC(after), HLC(before))
	}
}
