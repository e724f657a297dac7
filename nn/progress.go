package nn

import (
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// progress is the callback that prints Fit's progress when Verbose is 1 or 2.
type progress struct {
	BaseCallback
	w       io.Writer
	verbose int
	p       TrainParams
	start   time.Time
}

// OnTrainBegin prints the split sizes as Keras 2 did: "Train on 623
// samples, validate on 268 samples".
func (c *progress) OnTrainBegin(_ *Sequential, p TrainParams) error {
	c.p = p
	_, err := io.WriteString(c.w, p.String()+"\n")
	return err
}

func (c *progress) OnEpochBegin(*Sequential, int) error {
	c.start = time.Now()
	return nil
}

func (c *progress) OnEpochEnd(_ *Sequential, epoch int, logs map[string]float64) error {
	printProgress(c.w, c.verbose, epoch, c.p.Epochs, c.p.Steps, time.Since(c.start), logs)
	return nil
}

// printProgress prints an epoch's line the way Keras 3 does:
//
//	Epoch 3/10
//	20/20 ━━━━━━━━━━━━━━━━━━━━ 0s 2ms/step - accuracy: 0.6779 - loss: 0.6444 - val_accuracy: 0.7012 - val_loss: 0.6011
func printProgress(w io.Writer, verbose, epoch, epochs, steps int, took time.Duration, logs map[string]float64) {
	var b strings.Builder
	fmt.Fprintf(&b, "Epoch %d/%d\n%d/%d", epoch+1, epochs, steps, steps)
	secs := fmt.Sprintf("%.0fs", took.Seconds())
	if verbose == 1 {
		fmt.Fprintf(&b, " %s %s %s", strings.Repeat("━", 20), secs, perStep(took, steps))
	} else {
		fmt.Fprintf(&b, " - %s - %s", secs, perStep(took, steps))
	}
	for _, k := range kerasOrder(logs) {
		v := logs[k]
		if math.Abs(v) > 1e-3 {
			fmt.Fprintf(&b, " - %s: %.4f", k, v)
		} else {
			fmt.Fprintf(&b, " - %s: %.4e", k, v)
		}
	}
	b.WriteByte('\n')
	io.WriteString(w, b.String())
}

func perStep(took time.Duration, steps int) string {
	t := took.Seconds() / float64(steps)
	switch {
	case t >= 1:
		return fmt.Sprintf("%.0fs/step", t)
	case t >= 1e-3:
		return fmt.Sprintf("%.0fms/step", t*1e3)
	}
	return fmt.Sprintf("%.0fus/step", t*1e6)
}
