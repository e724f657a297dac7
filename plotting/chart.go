package plotting

import (
	"encoding/base64"
	"errors"
	"fmt"
	"html"
	"io"
	"os"
	"sync/atomic"

	"github.com/dlnb/dlnb/internal/atomicfile"
	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// Scale is an axis scale: linear or logarithmic.
type Scale string

// Axis scales. The zero value, AutoScale, lets the chart choose: charts of
// losses switch to a log axis when the values span more than three orders of
// magnitude (a loss that blows up).
const (
	AutoScale   Scale = ""
	LinearScale Scale = "linear"
	LogScale    Scale = "log"
)

// Options change a chart's looks. The zero value gives the chart's defaults,
// so pass Options only to change something, and at most one.
type Options struct {
	Title    string // replaces the default title
	Subtitle string // a line under the title
	XLabel   string // replaces the x axis label (all panels)
	YLabel   string // replaces the y axis label (all panels)

	Width, Height int // in pixels; 0 means the chart's default (about 900 x 420)

	// Colors for the series, in order: "#rrggbb", "#rgb" or a name (red,
	// blue, green, orange, purple, brown, pink, gray, olive, cyan, black).
	// Series past the end of the list keep the chart's default colors.
	Colors []string

	YScale Scale // the y axis scale (AutoScale, LinearScale, LogScale)

	// Metric is the history key a comparison plots: Compare, LearningRates
	// and CapacityOf read it. "" means "val_loss" when the histories have it,
	// else "loss".
	Metric string

	Bins    int      // Probabilities: the number of bins over [0, 1]; 0 means 10
	Classes []string // ConfusionMatrix: class names; nil means "0", "1", ...
}

// Chart is a chart ready to show in a notebook (Display) or to save as an
// HTML page, PNG or SVG. The chart functions never panic on bad input: they
// return a Chart that holds the error, which Display shows in place of the
// chart and Err and the Save methods return.
type Chart struct {
	fig *figure
	err error
}

// Err returns the error that stopped the chart from being made, or nil.
func (c *Chart) Err() error {
	if c == nil {
		return errors.New("plotting: nil *Chart")
	}
	return c.err
}

// oneOptions accepts zero or one Options.
func oneOptions(o []Options) (Options, error) {
	switch len(o) {
	case 0:
		return Options{}, nil
	case 1:
		return o[0], nil
	default:
		return Options{}, fmt.Errorf("pass at most one Options value, got %d: merge them into one", len(o))
	}
}

// build runs a chart builder with checked options and applies the options
// every chart shares.
func build(name string, o []Options, fn func(o Options) (*figure, error)) *Chart {
	fail := func(err error) *Chart { return &Chart{err: fmt.Errorf("plotting.%s: %w", name, err)} }
	opt, err := oneOptions(o)
	if err != nil {
		return fail(err)
	}
	if opt.Width < 0 || opt.Height < 0 || (opt.Width > 0 && opt.Width < 200) || (opt.Height > 0 && opt.Height < 150) ||
		opt.Width > 8000 || opt.Height > 8000 {
		return fail(fmt.Errorf("size %dx%d pixels: use 0 for the default, or a width of 200 to 8000 and a height of 150 to 8000", opt.Width, opt.Height))
	}
	opt.Colors = append([]string(nil), opt.Colors...) // normalized below; the caller's slice stays as it was
	for i, c := range opt.Colors {
		clr, err := parseColor(c)
		if err != nil {
			return fail(fmt.Errorf("Options.Colors[%d]: %w", i, err))
		}
		opt.Colors[i] = cssHex(clr)
	}
	switch opt.YScale {
	case AutoScale, LinearScale, LogScale:
	default:
		return fail(fmt.Errorf("Options.YScale %q: use plotting.AutoScale, LinearScale or LogScale", string(opt.YScale)))
	}
	if opt.Bins < 0 || opt.Bins > 1000 {
		return fail(fmt.Errorf("Options.Bins %d: use 0 for the default (10), or 1 to 1000", opt.Bins))
	}
	f, err := fn(opt)
	if err != nil {
		return fail(err)
	}
	if opt.Title != "" {
		f.Title = opt.Title
	}
	if opt.Subtitle != "" {
		f.Subtitle = opt.Subtitle
	}
	if opt.Width > 0 {
		f.Width = opt.Width
	}
	if opt.Height > 0 {
		f.Height = opt.Height
	} else if rows := len(legendOf(f).Rows); rows > 1 {
		// A legend of several rows (a line per layer of a deep network)
		// takes its room from the figure, not from the plot.
		f.Height += (rows - 1) * legendRowPitch
	}
	for _, p := range f.Panels {
		if opt.XLabel != "" {
			p.XLabel = opt.XLabel
		}
		if opt.YLabel != "" {
			p.YLabel = opt.YLabel
		}
		switch opt.YScale {
		case LinearScale:
			p.YLog = false
		case LogScale:
			if p.Heat != nil || p.Net != nil || len(p.YCategories) > 0 {
				continue
			}
			for _, s := range p.Series {
				for i, v := range s.Y {
					if finite(v) && v <= 0 {
						return fail(fmt.Errorf("Options.YScale is LogScale but %q has %g at point %d: a log axis shows positive values only; use AutoScale or LinearScale", s.Name, v, i))
					}
				}
			}
			p.YLog = true
		}
	}
	return &Chart{fig: f}
}

// String returns the chart's text form: its title and what it shows, in a
// few lines (the text/plain part of the notebook display).
func (c *Chart) String() string {
	if c == nil {
		return "plotting: nil *Chart"
	}
	if c.err != nil {
		return "chart error: " + c.err.Error()
	}
	s := c.fig.Title
	if c.fig.Subtitle != "" {
		s += " (" + c.fig.Subtitle + ")"
	}
	for _, l := range c.fig.Summary {
		s += "\n  " + l
	}
	return s
}

// PNG renders the static chart (gonum/plot) as PNG bytes, at twice the
// chart's pixel size so it stays sharp on high-density screens.
func (c *Chart) PNG() ([]byte, error) {
	if err := c.Err(); err != nil {
		return nil, err
	}
	return renderPNG(c.fig)
}

// SVG renders the static chart (gonum/plot) as an SVG document.
func (c *Chart) SVG() ([]byte, error) {
	if err := c.Err(); err != nil {
		return nil, err
	}
	return renderSVG(c.fig)
}

// HTML returns the chart as an HTML fragment for a notebook output: the
// static PNG in a <div>, and a script that draws the interactive chart over
// it with the ECharts it carries (see the package documentation). Without
// echarts.min.js it returns ErrNoECharts (wrapped); Display then shows the
// static chart.
func (c *Chart) HTML() (string, error) {
	if err := c.Err(); err != nil {
		return "", err
	}
	lib, err := loadECharts()
	if err != nil {
		return "", err
	}
	png, err := c.PNG()
	if err != nil {
		return "", err
	}
	return fragment(c.fig, png, fragmentOptions{lib: lib, embed: true})
}

// MIMEBundle returns what Display sends to the notebook: text/html (the
// interactive chart over its static image, with ECharts inside), image/png
// (base64, for exports and viewers that skip HTML) and text/plain. Without
// echarts.min.js the HTML holds the static image and a note saying how to get
// ECharts.
func (c *Chart) MIMEBundle() (map[string]any, error) {
	return c.bundle(true)
}

func (c *Chart) bundle(embed bool) (map[string]any, error) {
	if err := c.Err(); err != nil {
		return nil, err
	}
	png, err := c.PNG()
	if err != nil {
		return nil, err
	}
	fo := fragmentOptions{embed: embed}
	if lib, err := loadECharts(); err == nil {
		fo.lib = lib
	} else {
		fo.note = "Static chart: " + err.Error()
	}
	frag, err := fragment(c.fig, png, fo)
	if err != nil {
		return nil, err
	}
	return map[string]any{
		"text/html":  frag,
		"image/png":  base64.StdEncoding.EncodeToString(png),
		"text/plain": c.String(),
	}, nil
}

// libSent records that this program already sent ECharts to the notebook.
// A cell's outputs are shown, cleared and exported together, so only the
// first chart a cell displays needs to carry the library; the others wait
// for it on the page. Every GoNB cell is a new program, so every cell's
// first chart carries it.
var libSent atomic.Bool

// Display shows the chart as the output of the running notebook cell, in one
// display with the interactive chart, a static PNG and a text summary. Outside
// a notebook it prints the text summary to standard output. A chart made from
// bad input displays its error instead, and Display returns the error.
func (c *Chart) Display() error {
	if err := c.Err(); err != nil {
		if gonbui.IsNotebook {
			gonbui.SendData(&protocol.DisplayData{Data: map[protocol.MIMEType]any{
				protocol.MIMETextHTML:  errorHTML(err),
				protocol.MIMETextPlain: "chart error: " + err.Error(),
			}})
			gonbui.Sync()
		} else {
			fmt.Fprintln(os.Stderr, "chart error:", err)
		}
		return err
	}
	if !gonbui.IsNotebook {
		_, err := fmt.Fprintln(os.Stdout, c.String())
		return err
	}
	b, err := c.bundle(!libSent.Load())
	if err != nil {
		gonbui.DisplayHTML(errorHTML(err))
		return err
	}
	data := map[protocol.MIMEType]any{}
	for k, v := range b {
		data[protocol.MIMEType(k)] = v
	}
	gonbui.SendData(&protocol.DisplayData{Data: data})
	// Wait until GoNB has the chart: a cell program that ends right after
	// Display could otherwise exit before its last output is read.
	gonbui.Sync()
	if err := gonbui.Error(); err != nil {
		return fmt.Errorf("plotting: sending the chart to the notebook: %w", err)
	}
	libSent.Store(true)
	return nil
}

func errorHTML(err error) string {
	return `<div style="border-left:4px solid #d62728;background:#fdf0f0;padding:6px 10px;font:13px sans-serif;color:#8a1c1c">` +
		`<b>Chart error</b>: ` + html.EscapeString(err.Error()) + `</div>`
}

// SaveHTML writes the chart as a standalone HTML page that works offline:
// ECharts is inlined in the page (about 1 MB). It needs echarts.min.js (see
// the package documentation); save a PNG or SVG where it is missing.
func (c *Chart) SaveHTML(path string) error {
	return SavePage(path, "", c)
}

// SavePage writes several charts into one standalone HTML page, one under the
// other, with ECharts inlined once. title is the page's title ("" uses the
// first chart's).
func SavePage(path, title string, charts ...*Chart) error {
	if len(charts) == 0 {
		return errors.New("plotting.SavePage: no charts: pass at least one")
	}
	for i, c := range charts {
		if err := c.Err(); err != nil {
			return fmt.Errorf("plotting.SavePage: chart %d: %w", i, err)
		}
	}
	lib, err := loadECharts()
	if err != nil {
		return err
	}
	var frags []string
	for _, c := range charts {
		png, err := c.PNG()
		if err != nil {
			return err
		}
		frag, err := fragment(c.fig, png, fragmentOptions{lib: lib})
		if err != nil {
			return err
		}
		frags = append(frags, frag)
	}
	if title == "" {
		title = charts[0].fig.Title
	}
	return writeFile(path, func(w io.Writer) error {
		_, err := io.WriteString(w, pageHTML(title, lib, frags))
		return err
	})
}

// SavePNG writes the static chart as a PNG file.
func (c *Chart) SavePNG(path string) error {
	b, err := c.PNG()
	if err != nil {
		return err
	}
	return writeFile(path, func(w io.Writer) error { _, err := w.Write(b); return err })
}

// SaveSVG writes the static chart as an SVG file.
func (c *Chart) SaveSVG(path string) error {
	b, err := c.SVG()
	if err != nil {
		return err
	}
	return writeFile(path, func(w io.Writer) error { _, err := w.Write(b); return err })
}

// writeFile writes path atomically (internal/atomicfile), with plotting's prefix on errors.
func writeFile(path string, write func(io.Writer) error) error {
	if err := atomicfile.Write(path, write); err != nil {
		return fmt.Errorf("plotting: writing %s: %w", path, err)
	}
	return nil
}
