package sync_test

import (
	"testing"

	"connectpoint/data"
	cpsync "connectpoint/sync"
)

// TestConsentRevocationSyncs: a consent revoked at the station reaches the
// coach's laptop with its day, recorder and note, and the laptop then
// refuses to share anything more about the person.
func TestConsentRevocationSyncs(t *testing.T) {
	devs := newNetwork(t, cpsync.NewMemoryTarget(), 2)
	station, laptop := devs[0], devs[1]
	id := station.newCase("Brandon", "Lee")
	kid, err := station.sess.AddConsent(ctx, data.Consent{CaseID: id, Discloser: "Naperville PD", Recipient: "coaches and treatment providers",
		Purpose: "referral", Information: "name, contact, placement", ExpiresOn: "2027-11-27", SignedBy: "Brandon Lee"})
	if err != nil {
		t.Fatal(err)
	}
	coach, err := station.sess.AddCoach(ctx, data.Coach{Name: "Ana Pérez", Phone: "630-555-0177"})
	if err != nil {
		t.Fatal(err)
	}
	converge(t, devs)
	if err := station.sess.RevokeConsent(ctx, kid, data.Revocation{Note: "told the desk in person"}); err != nil {
		t.Fatal(err)
	}
	converge(t, devs)
	ks, err := laptop.sess.Consents(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(ks) != 1 || ks[0].Status != data.ConsentRevoked || ks[0].RevokedOn != "2026-11-27" || ks[0].RevokeNote != "told the desk in person" {
		t.Fatalf("the laptop's consent after sync: %+v", ks)
	}
	if _, err := laptop.sess.LogDispatch(ctx, data.DispatchAttempt{CaseID: id, Coach: coach, Response: "accepted"}); data.ErrorCode(err) != data.EFORBIDDEN {
		t.Errorf("the laptop called a coach after the revocation synced: %v", err)
	}
}
