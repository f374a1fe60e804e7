package gui

import (
	"fmt"
	"testing"

	"connectpoint/data"
)

// A reminder names the cases by number, at most five of them: a
// coordinator may log in to thousands due.
func TestReminderNotice(t *testing.T) {
	due := func(n int) []data.DueCheckIn {
		var out []data.DueCheckIn
		for i := range n {
			out = append(out, data.DueCheckIn{Short: fmt.Sprintf("C%05d", i), State: data.CheckInDue})
		}
		return out
	}
	for _, c := range []struct {
		n            int
		title, words string
	}{
		{1, "Check-in due: case C00000", "Open ConnectPoint, then Check-ins."},
		{3, "3 check-ins due", "Cases C00000, C00001, C00002. Open ConnectPoint, then Check-ins."},
		{5000, "5000 check-ins due", "Cases C00000, C00001, C00002, C00003, C00004 and 4995 more. Open ConnectPoint, then Check-ins."},
	} {
		got := reminderNotice(due(c.n))
		if got.Title != c.title || got.Content != c.words {
			t.Errorf("%d due: %q / %q, want %q / %q", c.n, got.Title, got.Content, c.title, c.words)
		}
	}
}
