package data

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	now := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
	tests := []struct{ in, want string }{
		{"3/14/86", "1986-03-14"},
		{"03/14/1986", "1986-03-14"},
		{"1986-03-14", "1986-03-14"},
		{"3-14-1986", "1986-03-14"},
		{" 12/31/25 ", "2025-12-31"},
		{"1/1/27", "1927-01-01"}, // a two-digit year never lands in the future
		{"2/29/2024", "2024-02-29"},
		{"2/29/2023", ""},
		{"13/1/1990", ""},
		{"14/03/1986", ""},
		{"yesterday", ""},
		{"", ""},
		{"3/14/986", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseDate(tt.in, now)
			if tt.want == "" {
				if err == nil || ErrorCode(err) != EINVALID {
					t.Fatalf("ParseDate(%q) = %q, %v; want an EINVALID error", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseDate(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"630-555-0142", "(630) 555-0142"},
		{"(630) 555-0142", "(630) 555-0142"},
		{"+1 630 555 0142", "(630) 555-0142"},
		{"630.555.0142 x224", "(630) 555-0142 x224"},
		{"6305550142 ext. 7", "(630) 555-0142 x7"},
		{"555-0142", ""},
		{"call me", ""},
		{"630-555-0142 xab", ""},
		{"2630-555-0142", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := NormalizePhone(tt.in)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("NormalizePhone(%q) = %q, want an error", tt.in, got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}
