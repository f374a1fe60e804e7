package data

import (
	"math"
	"sort"
	"strings"
	"time"
)

// Listing is one facility of the directory as a list shows it: where it is
// from a point, and its latest slot report whatever its age (the reader
// decides what is fresh; matching counts only fresh reports).
type Listing struct {
	Facility *Facility
	Services ServiceSet
	// Search is the facility's text as a search looks in it: its names,
	// city, ZIP, street, state, phones and the phones' digits alone, in
	// lower case, each on a line of its own.
	Search        string
	DistanceMiles float64 // -1 when it cannot be measured
	Approx        bool    // measured from the ZIP's centre
	// Slots is the latest slot report, nil when there is none, shared
	// with the directory like Facility. Its ID and Author are not filled in.
	Slots *SlotReport
}

// Listings returns every facility of the directory with its distance from
// origin (none when origin is the zero LatLon), in directory order (by
// name). The facilities are shared with the directory, not copied.
func (d *Directory) Listings(origin LatLon) []Listing {
	out := make([]Listing, len(d.entries))
	for i := range d.entries {
		e := &d.entries[i]
		l := Listing{Facility: &d.facs[i], Services: e.services, Search: e.search, DistanceMiles: -1, Slots: d.slots(e)}
		if e.located && origin.Valid() {
			l.DistanceMiles, l.Approx = Miles(origin, e.at), e.approx
		}
		out[i] = l
	}
	return out
}

// ServiceGroup is a kind of service a listing names, with the codes of
// that kind it has.
type ServiceGroup struct {
	Group string // one of the Group... constants
	Codes []string
}

// The groups a facility's services are shown in, in this order.
const (
	GroupSetting    = "setting"    // level of care and setting: residential, outpatient, detox...
	GroupPayment    = "payment"    // what it takes: free, sliding fee, Medicaid...
	GroupMedication = "medication" // medication for opioid use disorder and others
	GroupPopulation = "population" // who it serves: women, men, adults, veterans...
	GroupLanguage   = "language"   // languages besides English
	GroupOther      = "other"      // therapies, screening, support services...
)

// serviceGroupOf places each code in its group, and serviceRank orders
// the codes of a group the way people look for them: the usual setting
// first, free care before insurance, the medications for opioid use
// disorder before the rest, women and men before finer populations.
var serviceGroupOf, serviceRank = func() (map[string]string, map[string]int) {
	g, r := map[string]string{}, map[string]int{}
	add := func(group string, codes ...string) {
		for _, c := range codes {
			g[c], r[c] = group, len(r)
		}
	}
	add(GroupSetting, "HH", "RES", "RS", "RL", "RD", "DT", "HI", "HID", "HIT", "OD", "ODT", "OIT", "OP", "ORT", "OTP", "OMB", "CT", "GH", "PSYH")
	add(GroupPayment, "NP", "SS", "PA", "FSA", "SAMF", "ATR", "ITU", "MD", "MC", "PI", "MI", "SI", "SF")
	add(GroupMedication, "BU", "BUM", "BM", "BMW", "DB", "UBN", "MM", "MMW", "METH", "DM", "NXN", "VTRL", "RPN",
		"MOA", "NMOA", "NOOP", "BMO", "MO", "OTPA", "PAIN", "ACM", "DSF", "MPD", "NRT")
	add(GroupPopulation, "FEM", "MALE", "WN", "MN", "ADLT", "YAD", "TAY", "AD", "CHLD", "SE", "PW", "VET", "ADM", "MF",
		"CJ", "CO", "DU", "DUO", "DV", "GL", "HV", "TRMA", "XA", "AH")
	add(GroupLanguage, "SP")
	return g, r
}()

// GroupServices sorts a facility's service codes into groups, in the order
// of the Group constants, leaving out groups it has nothing in. Languages
// are SP and LANG:xx. Within a group the most asked-about codes come first;
// codes of no known group keep their order.
func GroupServices(codes []string) []ServiceGroup {
	order := []string{GroupSetting, GroupPayment, GroupMedication, GroupPopulation, GroupLanguage, GroupOther}
	by := map[string][]string{}
	for _, c := range codes {
		g, ok := serviceGroupOf[c]
		switch {
		case ok:
		case strings.HasPrefix(c, "LANG:"):
			g = GroupLanguage
		default:
			g = GroupOther
		}
		by[g] = append(by[g], c)
	}
	var out []ServiceGroup
	for _, g := range order {
		sort.SliceStable(by[g], func(i, j int) bool { return rank(by[g][i]) < rank(by[g][j]) })
		if len(by[g]) > 0 {
			out = append(out, ServiceGroup{Group: g, Codes: by[g]})
		}
	}
	return out
}

func rank(code string) int {
	if r, ok := serviceRank[code]; ok {
		return r
	}
	return len(serviceRank)
}

// Nearest returns up to limit facilities with a fresh report of open
// slots (no older than stale, at now), nearest to origin first; those that
// cannot be placed on the map come last, by the freshest report.
func (d *Directory) Nearest(origin LatLon, now time.Time, stale time.Duration, limit int) []Listing {
	var out []Listing
	for _, l := range d.Listings(origin) {
		if l.Slots != nil && l.Slots.Open > 0 && now.Sub(l.Slots.At) <= stale {
			out = append(out, l)
		}
	}
	dist := func(l Listing) float64 {
		if l.DistanceMiles < 0 {
			return math.Inf(1)
		}
		return l.DistanceMiles
	}
	sort.SliceStable(out, func(i, j int) bool {
		di, dj := dist(out[i]), dist(out[j])
		if di != dj {
			return di < dj
		}
		return out[i].Slots.At.After(out[j].Slots.At)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}
