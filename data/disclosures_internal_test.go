package data

import (
	"testing"
	"time"
)

// TestUnderConsent checks which consent a disclosure at a time was made
// under, including one made after the consent ended (on a device that had
// not yet heard of the revocation).
func TestUnderConsent(t *testing.T) {
	at := func(s string) time.Time {
		t, err := time.Parse("2006-01-02 15:04", s)
		if err != nil {
			panic(err)
		}
		return t
	}
	first := Consent{SignedAt: at("2026-11-01 10:00"), ExpiresOn: "2026-11-10", Status: ConsentGranted}
	second := Consent{SignedAt: at("2026-11-12 10:00"), ExpiresOn: "2027-11-12", Status: ConsentRevoked,
		RevokedOn: "2026-11-20", RevokedAt: at("2026-11-21 09:00")}
	consents := []Consent{second, first}
	for _, c := range []struct {
		name  string
		at    string
		want  string
		after bool
	}{
		{"BeforeAnyConsent", "2026-10-31 12:00", "no consent on record at the time", false},
		{"UnderTheFirst", "2026-11-05 12:00", "consent signed 11/01/2026", false},
		{"LastDayOfTheFirst", "2026-11-10 23:00", "consent signed 11/01/2026", false},
		{"BetweenTheTwo", "2026-11-11 12:00", "AFTER the consent expired (11/10/2026)", true},
		{"UnderTheSecond", "2026-11-15 12:00", "consent signed 11/12/2026", false},
		// Revoked on the 20th but recorded on the 21st: what was done
		// before the record was made in reliance on the consent.
		{"BeforeTheRevocationWasRecorded", "2026-11-20 18:00", "consent signed 11/12/2026", false},
		{"AfterTheRevocation", "2026-11-22 12:00", "AFTER the consent was revoked (11/20/2026; recorded ", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, after := underConsent(consents, at(c.at))
			if len(got) < len(c.want) || got[:len(c.want)] != c.want || after != c.after {
				t.Errorf("got %q, %v; want %q, %v", got, after, c.want, c.after)
			}
		})
	}
}
