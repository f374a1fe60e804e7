package sync_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"

	cpsync "connectpoint/sync"
)

var ctx = context.Background()

// testTarget runs the behaviour every Target must share.
func testTarget(t *testing.T, tg cpsync.Target) {
	t.Helper()
	if err := tg.Put(ctx, "net/log/dev-a/1-2.seg", []byte("one")); err != nil {
		t.Fatalf("put: %v", err)
	}
	if err := tg.Put(ctx, "net/log/dev-a/1-2.seg", []byte("two")); !errors.Is(err, cpsync.ErrExist) {
		t.Fatalf("second put of the same name: got %v, want ErrExist", err)
	}
	got, err := tg.Get(ctx, "net/log/dev-a/1-2.seg")
	if err != nil || string(got) != "one" {
		t.Fatalf("get after refused overwrite: %q, %v", got, err)
	}
	if _, err := tg.Get(ctx, "net/log/dev-a/nothing"); !errors.Is(err, cpsync.ErrNotFound) {
		t.Fatalf("get missing: got %v, want ErrNotFound", err)
	}
	for _, n := range []string{"net/log/dev-b/3-4.seg", "net/cursors/dev-a", "other/log/x"} {
		if err := tg.Put(ctx, n, []byte(n)); err != nil {
			t.Fatalf("put %s: %v", n, err)
		}
	}
	list, err := tg.List(ctx, "net/log/")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range list {
		names = append(names, e.Name)
	}
	if want := "net/log/dev-a/1-2.seg net/log/dev-b/3-4.seg"; strings.Join(names, " ") != want {
		t.Fatalf("list: %v, want %s", names, want)
	}
	if list[0].Size != 3 {
		t.Fatalf("size %d, want 3", list[0].Size)
	}
	if list, err := tg.List(ctx, "nothing/here/"); err != nil || len(list) != 0 {
		t.Fatalf("list of an empty prefix: %v, %v", list, err)
	}
	if err := tg.Delete(ctx, "net/log/dev-a/1-2.seg"); err != nil {
		t.Fatal(err)
	}
	if err := tg.Delete(ctx, "net/log/dev-a/1-2.seg"); err != nil {
		t.Fatalf("delete of a missing file: %v", err)
	}
	if _, err := tg.Get(ctx, "net/log/dev-a/1-2.seg"); !errors.Is(err, cpsync.ErrNotFound) {
		t.Fatalf("get after delete: %v", err)
	}
	if err := tg.Put(ctx, "../escape", []byte("x")); err == nil {
		t.Fatal("a name with .. was accepted")
	}
}

func TestMemoryTarget(t *testing.T) {
	testTarget(t, cpsync.NewMemoryTarget())
}

func TestMemoryTargetFaults(t *testing.T) {
	m := cpsync.NewMemoryTarget()
	m.FailNext(1, nil)
	if _, err := m.List(ctx, ""); !cpsync.IsOffline(err) {
		t.Fatalf("injected failure: %v, want offline", err)
	}
	for _, n := range []string{"a", "b", "c"} {
		m.Put(ctx, n, []byte(n+n))
	}
	m.LagListings(2)
	if l, _ := m.List(ctx, ""); len(l) != 1 || l[0].Name != "a" {
		t.Fatalf("lagging listing: %v", l)
	}
	m.LagListings(0)
	m.TruncateOnRead("b", 1)
	if b, _ := m.Get(ctx, "b"); string(b) != "b" {
		t.Fatalf("truncated read: %q", b)
	}
	m.FlipOnRead("c", 0)
	if b, _ := m.Get(ctx, "c"); string(b) == "cc" {
		t.Fatal("flipped read returned the original")
	}
}

func TestFolderTarget(t *testing.T) {
	dir := t.TempDir()
	tg, err := cpsync.OpenTarget(ctx, "file://"+filepath.ToSlash(dir))
	if err != nil {
		t.Fatal(err)
	}
	testTarget(t, tg)
	// A temporary file left by a crash between write and rename is not listed.
	os.MkdirAll(filepath.Join(dir, "net", "log", "dev-c"), 0o700)
	os.WriteFile(filepath.Join(dir, "net", "log", "dev-c", ".tmp-123"), []byte("half"), 0o600)
	list, _ := tg.List(ctx, "net/log/dev-c/")
	if len(list) != 0 {
		t.Fatalf("leftover temp file listed: %v", list)
	}
}

func TestFolderTargetOffline(t *testing.T) {
	tg, err := cpsync.OpenTarget(ctx, filepath.Join(t.TempDir(), "not-mounted"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tg.List(ctx, "net/"); !cpsync.IsOffline(err) {
		t.Fatalf("list of a missing share: %v, want offline", err)
	}
	if err := tg.Put(ctx, "net/x", []byte("x")); !cpsync.IsOffline(err) {
		t.Fatalf("put to a missing share: %v, want offline", err)
	}
}

// fakeS3 starts an S3-protocol server in-process on loopback and returns
// the URL of a bucket on it.
func fakeS3(t testing.TB) string {
	t.Helper()
	backend := s3mem.New()
	faker := gofakes3.New(backend)
	srv := httptest.NewServer(faker.Server())
	t.Cleanup(srv.Close)
	if err := backend.CreateBucket("connectpoint"); err != nil {
		t.Fatal(err)
	}
	// Static credentials from the environment, and no instance metadata:
	// the SDK must not look beyond loopback for either.
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_CONFIG_FILE", filepath.Join(t.TempDir(), "none"))
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", filepath.Join(t.TempDir(), "none"))
	return "s3://connectpoint?endpoint=" + srv.URL + "&region=us-east-1&use_path_style=true&disable_https=true"
}

func TestBlobTargetS3(t *testing.T) {
	tg, err := cpsync.OpenTarget(ctx, fakeS3(t))
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	testTarget(t, tg)
}

func TestBlobTargetOffline(t *testing.T) {
	fakeS3(t) // for its environment: credentials, no instance metadata
	// A server that has gone away: the same URL with a closed port.
	srv := httptest.NewServer(nil)
	dead := srv.URL
	srv.Close()
	url := "s3://connectpoint?endpoint=" + dead + "&region=us-east-1&use_path_style=true&disable_https=true"
	tg, err := cpsync.OpenTarget(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	if _, err := tg.List(ctx, "net/"); !cpsync.IsOffline(err) {
		t.Fatalf("list on a dead server: %v, want offline", err)
	}
}
