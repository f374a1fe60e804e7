package data

import (
	"strings"
	"testing"
)

// TestLabelledCodesHaveBits guards LabelsContaining: a labelled code that
// matching does not know would have no bit, and a search would never find
// its label.
func TestLabelledCodesHaveBits(t *testing.T) {
	for c := range serviceLabels {
		if matchBit[c] == 0 {
			t.Errorf("service %s has a label but no bit in matchCodes", c)
		}
	}
	for c, l := range serviceLabels {
		for _, w := range []string{strings.ToLower(l), strings.ToLower(l[1:3])} {
			if !LabelsContaining(w).Has(c) {
				t.Errorf("LabelsContaining(%q) lacks %s", w, c)
			}
		}
	}
	if got := LabelsContaining("methadone"); got != setOf("MM", "OMB") {
		t.Errorf("methadone: %b, want MM and OMB", got)
	}
	if LabelsContaining("zzz") != 0 {
		t.Error("zzz found in a label")
	}
}
