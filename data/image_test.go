package data_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"connectpoint/data"
)

func TestStateImage(t *testing.T) {
	p := newProgram(t)
	id := p.newCase(t, "Daniel", "Reyes")
	admin := p.sessions[data.RoleAdmin]
	if err := admin.SetCaseFields(ctx, id, map[string]string{"level": "3.5"}); err != nil {
		t.Fatal(err)
	}
	if err := p.store.SetSetting(ctx, "sync.secret", "device-local"); err != nil {
		t.Fatal(err)
	}
	want, err := admin.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "new")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "image.tmp")
	info, err := p.store.WriteImage(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	last, _ := p.store.LastSeq(ctx, p.store.Device())
	if info.LastSeq[p.store.Device()] != last || info.Schema != data.SchemaVersion() || info.Size == 0 {
		t.Fatalf("image info %+v, want last seq %d", info, last)
	}

	im, err := data.OpenImage(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	ops, err := im.Ops(ctx, p.store.Device(), last-3, 0)
	im.Close()
	if err != nil || len(ops) != 3 || ops[2].Seq != last {
		t.Fatalf("ops from the image: %d, %v", len(ops), err)
	}

	s, err := data.CreateFromImage(ctx, dir, path, "0193a1b2-0000-7000-8000-00000000abcd", opts(p.clock))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Device() != "0193a1b2-0000-7000-8000-00000000abcd" {
		t.Fatalf("device %s", s.Device())
	}
	if v, _ := s.Setting(ctx, "sync.secret"); v != "" {
		t.Fatal("a device-local setting travelled in the image")
	}
	sess, err := s.Login(ctx, "admin", "admin-password")
	if err != nil {
		t.Fatal(err)
	}
	got, err := sess.Export(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatal("the store made from the image exports differently")
	}
	// A folder that holds anything else is refused.
	other := t.TempDir()
	os.WriteFile(filepath.Join(other, "notes.txt"), []byte("x"), 0o600)
	if _, err := data.CreateFromImage(ctx, other, filepath.Join(other, "notes.txt"), "x", opts(nil)); err == nil {
		t.Fatal("a file that is not an image became a store")
	}
}
