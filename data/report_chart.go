package data

import (
	"bytes"
	"fmt"
	"image/color"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// The charts of a report, drawn with gonum/plot as PNG images: the window
// shows them and the PDF carries them. Every bar has its number written
// above it, so that nothing is said by colour alone; a bar a public report
// hides is drawn empty with its marker ("<11" or "*").

// ReportChart names a chart of a report.
type ReportChart string

// The charts.
const (
	ChartTimeToPlacement ReportChart = "time-to-placement"
	ChartMonthly         ReportChart = "monthly-placements"
	ChartRetention       ReportChart = "retention"
)

// ReportCharts lists the charts, in the order reports show them.
var ReportCharts = []ReportChart{ChartTimeToPlacement, ChartMonthly, ChartRetention}

// Title returns the chart's heading.
func (c ReportChart) Title() string {
	switch c {
	case ChartTimeToPlacement:
		return "Time from first contact to placement"
	case ChartMonthly:
		return "Placements by month"
	case ChartRetention:
		return "Retention after placement"
	}
	return string(c)
}

var (
	chartBlue  = color.RGBA{R: 0x1f, G: 0x5f, B: 0x99, A: 0xff}
	chartAmber = color.RGBA{R: 0xc7, G: 0x7c, B: 0x02, A: 0xff}
)

// bar is one bar of a chart.
type bar struct {
	name  string
	value float64
	label string // written above the bar
	alt   bool   // drawn in the second colour (over the two-hour target)
}

// ChartPNG draws one of the report's charts as a PNG of w×h pixels.
func (r *Report) ChartPNG(chart ReportChart, w, h int) ([]byte, error) {
	var bars []bar
	ylabel := "placements"
	switch chart {
	case ChartTimeToPlacement:
		for _, b := range r.PlacementTimes {
			bars = append(bars, bar{name: b.Label, value: float64(b.Count.N), label: b.Count.String(),
				alt: b.Upto == 0 || b.Upto > PlacedWithin})
		}
	case ChartMonthly:
		for _, m := range r.Months {
			bars = append(bars, bar{name: m.Label, value: float64(m.Placed.N), label: m.Placed.String()})
		}
	case ChartRetention:
		ylabel = "% retained"
		for _, t := range r.Retention {
			b := bar{name: fmt.Sprintf("day %d", t.Day), label: "not known"}
			if t.Due.Hidden == Shown && t.Due.N == 0 {
				b.label = "none"
			} else if pct, ok := Share(t.Retained, t.Due); ok {
				b.value, b.label = pct, fmt.Sprintf("%.0f%% of %d", pct, t.Due.N)
			} else if t.Due.Hidden != Shown {
				b.label = "not shown (" + t.Due.String() + ")"
			}
			bars = append(bars, b)
		}
	default:
		return nil, Errorf(EINVALID, "no chart %q", chart)
	}
	p, err := barPlot(chart.Title(), ylabel, bars, chart == ChartRetention)
	if err == nil && chart == ChartTimeToPlacement {
		p.X.Label.Text = "blue: within the two-hour target · amber: over it"
	}
	if err != nil {
		return nil, fmt.Errorf("draw %s chart: %w", chart, err)
	}
	// Drawn 7 inches wide whatever the pixels, so that the text keeps its
	// size against the bars.
	const inches = 7
	c := vgimg.PngCanvas{Canvas: vgimg.NewWith(
		vgimg.UseWH(inches*vg.Inch, vg.Length(inches*float64(h)/float64(w))*vg.Inch),
		vgimg.UseDPI(max(w/inches, 1)), vgimg.UseBackgroundColor(color.White))}
	p.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("draw %s chart: %w", chart, err)
	}
	return buf.Bytes(), nil
}

// barPlot lays out a bar chart with a label above each bar.
func barPlot(title, ylabel string, bars []bar, percent bool) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(16)
	p.Y.Label.Text = ylabel
	p.Y.Label.TextStyle.Font.Size = vg.Points(13)
	p.X.Label.TextStyle.Font.Size = vg.Points(12)
	p.X.Tick.Label.Font.Size = vg.Points(12)
	p.Y.Tick.Label.Font.Size = vg.Points(12)
	p.Y.Min = 0
	p.Y.Tick.Marker = plot.TickerFunc(func(min, max float64) []plot.Tick {
		// Whole numbers only: there is no half a placement.
		var ticks []plot.Tick
		for _, t := range (plot.DefaultTicks{}).Ticks(min, max) {
			switch {
			case t.Label == "":
				ticks = append(ticks, t)
			case t.Value == float64(int64(t.Value)):
				t.Label = strconv.FormatInt(int64(t.Value), 10)
				ticks = append(ticks, t)
			}
		}
		return ticks
	})
	main, alt := make(plotter.Values, len(bars)), make(plotter.Values, len(bars))
	names := make([]string, len(bars))
	top := 0.0
	labels := plotter.XYLabels{XYs: make(plotter.XYs, len(bars)), Labels: make([]string, len(bars))}
	for i, b := range bars {
		if b.alt {
			alt[i] = b.value
		} else {
			main[i] = b.value
		}
		names[i] = b.name
		top = max(top, b.value)
		labels.XYs[i] = plotter.XY{X: float64(i), Y: b.value}
		labels.Labels[i] = b.label
	}
	if top == 0 {
		top = 1
	}
	p.Y.Max = top * 1.18
	if percent {
		p.Y.Max = 118
	}
	grid := plotter.NewGrid()
	grid.Vertical.Width = 0
	p.Add(grid)
	width := vg.Points(28)
	if len(bars) > 8 {
		width = vg.Points(14)
	}
	for _, set := range []struct {
		v plotter.Values
		c color.Color
	}{{main, chartBlue}, {alt, chartAmber}} {
		bc, err := plotter.NewBarChart(set.v, width)
		if err != nil {
			return nil, err
		}
		bc.Color = set.c
		bc.LineStyle.Width = 0
		p.Add(bc)
	}
	if len(bars) > 0 {
		l, err := plotter.NewLabels(labels)
		if err != nil {
			return nil, err
		}
		for i := range l.TextStyle {
			l.TextStyle[i].Font.Size = vg.Points(13)
			l.TextStyle[i].XAlign = text.XCenter
			l.TextStyle[i].YAlign = text.YBottom
		}
		l.Offset = vg.Point{Y: vg.Points(3)}
		p.Add(l)
	}
	p.NominalX(names...)
	if len(bars) > 8 {
		p.X.Tick.Label.Rotation = 0.6
		p.X.Tick.Label.XAlign = text.XRight
	}
	return p, nil
}
