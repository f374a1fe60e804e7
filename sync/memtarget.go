package sync

import (
	"context"
	"fmt"
	"sort"
	"strings"
	stdsync "sync"
)

// MemoryTarget is a real, in-memory Target for tests (restic's
// MemoryBackend), with hooks to inject the faults a share or an object
// store shows in the field: failures, lagging listings, damaged reads.
type MemoryTarget struct {
	mu      stdsync.Mutex
	files   map[string][]byte
	order   map[string]int // when each file was created, for lagging listings
	created int

	failNext   int
	failErr    error
	failWrites error
	lag        int
	onRead     func(name string, data []byte) []byte
	calls      map[string]int
}

// NewMemoryTarget returns an empty target.
func NewMemoryTarget() *MemoryTarget {
	return &MemoryTarget{files: map[string][]byte{}, order: map[string]int{}, calls: map[string]int{}}
}

func (m *MemoryTarget) String() string { return "memory target" }

// Close does nothing.
func (m *MemoryTarget) Close() error { return nil }

// FailNext makes the next n calls fail with err (an offline error when err
// is nil).
func (m *MemoryTarget) FailNext(n int, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err == nil {
		err = offline(m.String(), fmt.Errorf("injected failure"))
	}
	m.failNext, m.failErr = n, err
}

// FailWrites makes every Put and Delete fail with err until it is called
// with nil, as a share that has turned read-only or full does; listing
// and reading still work.
func (m *MemoryTarget) FailWrites(err error) {
	m.mu.Lock()
	m.failWrites = err
	m.mu.Unlock()
}

// LagListings makes listings hide the k most recently created files, as an
// eventually consistent store or a cloud-drive folder that has not caught
// up does. Get still finds them.
func (m *MemoryTarget) LagListings(k int) {
	m.mu.Lock()
	m.lag = k
	m.mu.Unlock()
}

// OnRead sets a hook that may change what Get returns (truncate, flip a
// byte); nil removes it. The stored file is not changed.
func (m *MemoryTarget) OnRead(f func(name string, data []byte) []byte) {
	m.mu.Lock()
	m.onRead = f
	m.mu.Unlock()
}

// TruncateOnRead makes reads of name return only its first n bytes.
func (m *MemoryTarget) TruncateOnRead(name string, n int) {
	m.OnRead(func(got string, b []byte) []byte {
		if got == name && n < len(b) {
			return b[:n]
		}
		return b
	})
}

// FlipOnRead makes reads of name return it with one bit flipped at offset.
func (m *MemoryTarget) FlipOnRead(name string, offset int) {
	m.OnRead(func(got string, b []byte) []byte {
		if got == name && offset < len(b) {
			b[offset] ^= 0x20
		}
		return b
	})
}

// Calls returns how many calls of each kind ("list", "get", "put",
// "delete") the target has served, so tests can hold a round to its cost.
func (m *MemoryTarget) Calls() map[string]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make(map[string]int, len(m.calls))
	for k, v := range m.calls {
		out[k] = v
	}
	return out
}

// Replace overwrites or creates a file regardless of create-only rules, as
// someone with write access to the share could.
func (m *MemoryTarget) Replace(name string, data []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.files[name]; !ok {
		m.created++
		m.order[name] = m.created
	}
	m.files[name] = append([]byte(nil), data...)
}

// Names returns every file name, sorted.
func (m *MemoryTarget) Names() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]string, 0, len(m.files))
	for n := range m.files {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// fault counts the call and returns the injected failure, if any.
func (m *MemoryTarget) fault(kind string) error {
	m.calls[kind]++
	if m.failNext > 0 {
		m.failNext--
		return m.failErr
	}
	return nil
}

// List implements Target.
func (m *MemoryTarget) List(ctx context.Context, prefix string) ([]Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fault("list"); err != nil {
		return nil, err
	}
	hidden := map[string]bool{}
	if m.lag > 0 {
		all := make([]string, 0, len(m.files))
		for n := range m.files {
			all = append(all, n)
		}
		sort.Slice(all, func(i, j int) bool { return m.order[all[i]] > m.order[all[j]] })
		for i := 0; i < m.lag && i < len(all); i++ {
			hidden[all[i]] = true
		}
	}
	var out []Entry
	for n, b := range m.files {
		if strings.HasPrefix(n, prefix) && !hidden[n] {
			out = append(out, Entry{Name: n, Size: int64(len(b))})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// Get implements Target.
func (m *MemoryTarget) Get(ctx context.Context, name string) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fault("get"); err != nil {
		return nil, err
	}
	b, ok := m.files[name]
	if !ok {
		return nil, fmt.Errorf("%s: %w", name, ErrNotFound)
	}
	b = append([]byte(nil), b...)
	if m.onRead != nil {
		b = m.onRead(name, b)
	}
	return b, nil
}

// Put implements Target.
func (m *MemoryTarget) Put(ctx context.Context, name string, data []byte) error {
	if err := checkName(name); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fault("put"); err != nil {
		return err
	}
	if m.failWrites != nil {
		return m.failWrites
	}
	if _, ok := m.files[name]; ok {
		return fmt.Errorf("%s: %w", name, ErrExist)
	}
	m.created++
	m.order[name] = m.created
	m.files[name] = append([]byte(nil), data...)
	return nil
}

// Delete implements Target.
func (m *MemoryTarget) Delete(ctx context.Context, name string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fault("delete"); err != nil {
		return err
	}
	if m.failWrites != nil {
		return m.failWrites
	}
	delete(m.files, name)
	delete(m.order, name)
	return nil
}
