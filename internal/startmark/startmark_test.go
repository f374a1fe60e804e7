package startmark

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"
)

func TestArmWritesTheTimeTheLoopRan(t *testing.T) {
	test.NewTempApp(t)
	path := filepath.Join(t.TempDir(), "started")
	t.Setenv(Env, path)
	before := time.Now()
	Arm()
	var text []byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(path); err == nil && len(b) > 0 {
			text = b
			break
		}
	}
	if text == nil {
		t.Fatalf("no start mark written to %s", path)
	}
	us, err := strconv.ParseInt(strings.TrimSuffix(string(text), "\n"), 10, 64)
	if err != nil {
		t.Fatalf("start mark %q is not Unix microseconds: %v", text, err)
	}
	if at := time.UnixMicro(us); at.Before(before.Truncate(time.Microsecond)) || at.After(time.Now()) {
		t.Errorf("start mark %v is outside the call (%v to now)", at, before)
	}
}
