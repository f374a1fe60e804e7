package data

import (
	"fmt"
	"strings"
	"testing"
)

// The compact table answers as a map would, for IDs of every form.
func TestNameTableAnswersAsAMap(t *testing.T) {
	want := map[string]string{}
	var b nameTableBuilder
	for i := range 3000 {
		id := NewID()
		switch i % 10 {
		case 7:
			id = strings.ToUpper(id) // not the form NewID writes: kept apart
		case 8:
			id = fmt.Sprintf("legacy-%d", i)
		}
		name := fmt.Sprintf("Person%d %c.", i, 'A'+i%26)
		if i%13 == 0 {
			name = ""
		}
		want[id] = name
		b.add(id, name)
	}
	tab := b.build()
	for id, name := range want {
		if got := tab.get(id); got != name {
			t.Fatalf("get(%q) = %q, want %q", id, got, name)
		}
	}
	for _, id := range []string{NewID(), "", "legacy-x", "0190a4b2-7c1e-7abc-8def-0123456789zz"} {
		if got := tab.get(id); got != "" {
			t.Errorf("get(%q) = %q for an ID never added", id, got)
		}
	}
	if len(tab.other) != 600 {
		t.Errorf("%d IDs kept apart, want the 600 not in NewID's form", len(tab.other))
	}
}
