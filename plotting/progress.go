package plotting

import (
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/dlnb/dlnb/nn"
	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
)

// Progress is an nn.Callback that shows training as it happens. In a GoNB
// notebook it keeps one output up to date: a progress bar, the latest loss
// and metrics, and a small chart of the loss so far, redrawn in place after
// each epoch (at most about four times a second; the last epoch always). The
// saved notebook keeps the final state. Outside a notebook it prints a plain
// line per epoch (for long runs, about 50 lines in all) to Output.
//
//	h, err := model.Fit(x, y, nn.FitOptions{Epochs: 20, ValidationSplit: 0.3,
//		Callbacks: []nn.Callback{&plotting.Progress{}}})
//
// The zero value is ready to use. It uses no widgets, so notebooks that
// show progress also run headless (nbconvert, the tests).
type Progress struct {
	nn.BaseCallback

	// Output is where the plain progress lines go outside a notebook;
	// nil means standard output.
	Output io.Writer
	// Every is the smallest time between two notebook updates; 0 means 250 ms.
	Every time.Duration

	id         string
	epochs     int
	start      time.Time
	lastUpdate time.Time
	hist       nn.History
	notebook   bool
}

// OnTrainBegin starts a new progress display.
func (p *Progress) OnTrainBegin(_ *nn.Sequential, tp nn.TrainParams) error {
	p.epochs = tp.Epochs
	p.start = time.Now()
	p.lastUpdate = time.Time{}
	p.hist = nn.History{History: map[string][]float64{}, BestEpoch: -1, StoppedEpoch: -1}
	p.notebook = gonbui.IsNotebook
	if p.notebook {
		p.id = "dlnb-progress-" + gonbui.UniqueId()
		p.send(fmt.Sprintf("Training: %d epochs of %d steps (batch size %d, %d samples)", tp.Epochs, tp.Steps, tp.BatchSize, tp.Samples), nil)
	}
	return nil
}

// OnEpochEnd records the epoch's values and updates the display.
func (p *Progress) OnEpochEnd(_ *nn.Sequential, epoch int, logs map[string]float64) error {
	if p.hist.History == nil { // Fit was not the caller; start anyway
		p.hist = nn.History{History: map[string][]float64{}, BestEpoch: -1, StoppedEpoch: -1}
		p.start = time.Now()
	}
	p.hist.Epoch = append(p.hist.Epoch, epoch)
	for k, v := range logs {
		p.hist.History[k] = append(p.hist.History[k], v)
	}
	line := p.line(epoch, logs)
	if !p.notebook {
		if p.shouldPrint(epoch) {
			fmt.Fprintln(p.out(), line)
		}
		return nil
	}
	every := p.Every
	if every == 0 {
		every = 250 * time.Millisecond
	}
	if epoch+1 < p.epochs && time.Since(p.lastUpdate) < every {
		return nil
	}
	p.lastUpdate = time.Now()
	p.send(line, nil)
	return nil
}

// OnTrainEnd shows the final state, with the best epoch and an early stop
// marked as in History.
func (p *Progress) OnTrainEnd(_ *nn.Sequential, h *nn.History) error {
	n := len(p.hist.Epoch)
	line := fmt.Sprintf("Done: %s in %s", plural(n, "epoch"), time.Since(p.start).Round(time.Millisecond))
	if n > 0 {
		line += " · " + formatLogs(lastLogs(p.hist))
	}
	if h != nil && h.Stopped() && h.StoppedEpoch >= 0 {
		line += fmt.Sprintf(" · %s at epoch %d", stopWhy(h), h.StoppedEpoch+1)
	}
	if !p.notebook {
		fmt.Fprintln(p.out(), line)
		return nil
	}
	p.send(line, h)
	gonbui.Sync() // the final state reaches GoNB even if the program ends now
	return nil
}

func (p *Progress) out() io.Writer {
	if p.Output != nil {
		return p.Output
	}
	return os.Stdout
}

// shouldPrint keeps plain output to about 50 lines: every epoch of a short
// run, every k-th of a long one, and always the first and last.
func (p *Progress) shouldPrint(epoch int) bool {
	if p.epochs <= 50 || epoch == 0 || epoch+1 == p.epochs {
		return true
	}
	k := (p.epochs + 49) / 50
	return (epoch+1)%k == 0
}

func (p *Progress) line(epoch int, logs map[string]float64) string {
	total := "?"
	if p.epochs > 0 {
		total = fmt.Sprint(p.epochs)
	}
	return fmt.Sprintf("Epoch %d/%s · %s · %s", epoch+1, total, formatLogs(logs), time.Since(p.start).Round(time.Millisecond))
}

func lastLogs(h nn.History) map[string]float64 {
	out := map[string]float64{}
	for k, v := range h.History {
		if len(v) > 0 {
			out[k] = v[len(v)-1]
		}
	}
	return out
}

// formatLogs writes logs as Keras does: loss first, then the metrics, then
// their val_ twins.
func formatLogs(logs map[string]float64) string {
	keys := make([]string, 0, len(logs))
	for k := range logs {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		vi, vj := strings.HasPrefix(keys[i], "val_"), strings.HasPrefix(keys[j], "val_")
		if vi != vj {
			return vj
		}
		li, lj := strings.TrimPrefix(keys[i], "val_") == "loss", strings.TrimPrefix(keys[j], "val_") == "loss"
		if li != lj {
			return li
		}
		return keys[i] < keys[j]
	})
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %.4f", k, logs[k])
	}
	return strings.Join(parts, ", ")
}

// send replaces the progress output: bar, text, and a small static chart of
// the history so far (a PNG: it shows in untrusted notebooks and exports too).
func (p *Progress) send(line string, final *nn.History) {
	done := len(p.hist.Epoch)
	frac := 0.0
	if p.epochs > 0 {
		frac = float64(done) / float64(p.epochs)
	}
	if final != nil {
		frac = 1
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<div class="dlnb-progress" style="font:13px sans-serif;color:#333;max-width:640px">`)
	fmt.Fprintf(&b, `<div style="background:#e8eef5;border-radius:3px;height:8px;margin:4px 0"><div style="background:#1f77b4;border-radius:3px;height:8px;width:%.1f%%"></div></div>`, 100*frac)
	fmt.Fprintf(&b, `<div style="font-family:monospace">%s</div>`, html.EscapeString(line))
	if done > 0 {
		h := p.hist
		if final != nil {
			h = *final
		}
		if img := progressPNG(h); img != "" {
			fmt.Fprintf(&b, `<img alt="%s" src="data:image/png;base64,%s" style="width:100%%;max-width:640px">`, html.EscapeString(line), img)
		}
	}
	b.WriteString(`</div>`)
	gonbui.SendData(&protocol.DisplayData{
		Data:      map[protocol.MIMEType]any{protocol.MIMETextHTML: b.String(), protocol.MIMETextPlain: line},
		DisplayID: p.id,
	})
}

// progressPNG draws the loss so far as a small chart; "" if it cannot.
func progressPNG(h nn.History) string {
	keep := map[string][]float64{}
	for _, k := range []string{"loss", "val_loss"} {
		if v, ok := h.History[k]; ok {
			keep[k] = v
		}
	}
	if len(keep) == 0 {
		return ""
	}
	h.History = keep
	if h.Monitor != "" && keep[h.Monitor] == nil {
		h.Monitor, h.BestEpoch = "", -1
	}
	f, err := historyFigure(&h, Options{})
	if err != nil {
		return ""
	}
	f.Title, f.Subtitle = "", ""
	f.Width, f.Height = 640, 240
	png, err := renderPNG(f)
	if err != nil {
		return ""
	}
	return base64.StdEncoding.EncodeToString(png)
}
