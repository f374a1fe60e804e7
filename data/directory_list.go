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
	Facility      *Facility
	Services      ServiceSet
	DistanceMiles float64 // -1 when it cannot be measured
	Approx        bool    // measured from the ZIP's centre
	// Slots is the latest slot report, nil when there is none. Its ID and
	// Author are not filled in.
	Slots *SlotReport
}

// Listings returns every facility of the directory with its distance from
// origin (none when origin is the zero LatLon), in directory order (by
// name). The facilities are shared with the directory, not copied.
func (d *Directory) Listings(origin LatLon) []Listing {
	out := make([]Listing, len(d.entries))
	for i := range d.entries {
		e := &d.entries[i]
		l := Listing{Facility: &e.f, Services: e.services, DistanceMiles: -1}
		if e.located && origin.Valid() {
			l.DistanceMiles, l.Approx = Miles(origin, e.at), e.approx
		}
		if e.hasSlots {
			l.Slots = &SlotReport{AvailabilityReport: AvailabilityReport{Facility: e.f.ID, Open: e.open, At: e.openAt}, AgencyName: e.openBy}
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

var serviceGroupOf = func() map[string]string {
	m := map[string]string{}
	add := func(g string, codes ...string) {
		for _, c := range codes {
			m[c] = g
		}
	}
	add(GroupSetting, "HH", "RES", "RS", "RL", "RD", "HI", "HID", "HIT", "OP", "OD", "ODT", "OIT", "ORT", "OMB", "OTP", "DT", "CT", "GH", "PSYH")
	add(GroupPayment, "NP", "SS", "PA", "SF", "MD", "MC", "PI", "SI", "MI", "FSA", "SAMF", "ITU", "ATR")
	add(GroupMedication, "MM", "MMW", "METH", "DM", "BU", "BUM", "BM", "BMW", "DB", "UBN", "NXN", "VTRL", "RPN", "ACM", "DSF",
		"MOA", "NMOA", "NOOP", "BMO", "MO", "OTPA", "PAIN", "MPD", "NRT")
	add(GroupPopulation, "FEM", "MALE", "WN", "MN", "ADLT", "CHLD", "YAD", "AD", "TAY", "SE", "PW", "VET", "ADM", "MF",
		"CJ", "CO", "DU", "DUO", "DV", "GL", "HV", "TRMA", "XA", "AH")
	add(GroupLanguage, "SP")
	return m
}()

// GroupServices sorts a facility's service codes into groups, in the order
// of the Group constants, leaving out groups it has nothing in. Languages
// are SP and LANG:xx. Codes keep their order within a group.
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
		if len(by[g]) > 0 {
			out = append(out, ServiceGroup{Group: g, Codes: by[g]})
		}
	}
	return out
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
