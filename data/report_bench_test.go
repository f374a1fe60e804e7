package data_test

import (
	"testing"
	"time"

	"connectpoint/data"
)

// BenchmarkReport measures a report over the generated programs: the
// default period (this month and the three before it) and the whole three
// years of the state size, full and public.
func BenchmarkReport(b *testing.B) {
	for _, sz := range sizes {
		_, sess := benchProgram(b, sz.name, sz.spec)
		now := time.Now().UTC()
		periods := []struct{ name, from string }{
			{"quarter", time.Date(now.Year(), now.Month()-3, 1, 0, 0, 0, 0, time.UTC).Format(data.DateLayout)},
			{"all", now.AddDate(-3, 0, -1).Format(data.DateLayout)},
		}
		for _, per := range periods {
			for _, public := range []bool{false, true} {
				name := sz.name + "/" + per.name
				if public {
					name += "/public"
				}
				b.Run(name, func(b *testing.B) {
					q := data.ReportQuery{From: per.from, To: now.Format(data.DateLayout), Public: public}
					var r *data.Report
					cpu := cpuTime()
					for b.Loop() {
						var err error
						if r, err = sess.Report(ctx, q); err != nil {
							b.Fatal(err)
						}
					}
					b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/report")
					if cpu := cpuTime() - cpu; cpu > 0 {
						b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/report")
					}
					if !public {
						b.ReportMetric(float64(r.Contacts.N), "contacts")
					}
				})
			}
		}
	}
}

// BenchmarkReportPDF measures writing the state size's report as a PDF,
// charts included.
func BenchmarkReportPDF(b *testing.B) {
	_, sess := benchProgram(b, "state", data.SizeState)
	now := time.Now().UTC()
	r, err := sess.Report(ctx, data.ReportQuery{From: now.AddDate(0, -3, 0).Format(data.DateLayout), To: now.Format(data.DateLayout)})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := r.PDF(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/pdf")
}
