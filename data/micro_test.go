package data

import (
	"context"
	"testing"
	"time"
)

func BenchmarkMicroFacilityCreate(b *testing.B) {
	s, _ := newTestStore(b)
	ctx := context.Background()
	f := Facility{Name: "Gateway Foundation Aurora", Street: "400 Mercy Ln", City: "Aurora", State: "IL", ZIP: "60506",
		Phone: "(630) 966-7400", Lat: 41.76, Lon: -88.3, VerifiedAt: time.Now(), Services: []string{"RES", "RS", "SS", "MD", "MALE", "ADLT", "NP", "OTP", "BU", "SP"}}
	b.ResetTimer()
	err := s.write(ctx, "u", nil, func(w *writeTx) error {
		for i := 0; i < b.N; i++ {
			if err := w.create(EntFacility, NewID(), toFields(&f)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "facilities/s")
}

