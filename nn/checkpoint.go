package nn

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// ModelCheckpoint saves the model during training, as Keras' callback:
// after every epoch, or with SaveBestOnly only after an epoch whose
// monitored value is the best so far, so the file always holds the best
// model. Each save writes a temporary file and renames it, so the file is
// never half written. "{epoch}" in Path becomes the epoch number, counted
// from 1 as Keras does, and "{epoch:02d}" the number in two digits
// ("model-{epoch:02d}.json" is model-01.json, model-02.json, ...).
type ModelCheckpoint struct {
	Path         string
	Monitor      string // "" = "val_loss"
	Mode         string // "min", "max", or ""/"auto": max for accuracies and auc
	SaveBestOnly bool

	best float64
}

func (c *ModelCheckpoint) OnTrainBegin(_ *Sequential, p TrainParams) error {
	monitor := cmp.Or(c.Monitor, "val_loss")
	if c.Path == "" {
		return errors.New("ModelCheckpoint has no Path: give it the file to save to, e.g. \"best.json\"")
	}
	if !c.SaveBestOnly {
		p.ValSamples = 1 // it monitors nothing
	}
	if err := checkMonitor("ModelCheckpoint", monitor, c.Mode, p); err != nil {
		return err
	}
	c.best = math.NaN()
	return nil
}

func (c *ModelCheckpoint) OnEpochEnd(m *Sequential, epoch int, logs map[string]float64) error {
	if c.SaveBestOnly {
		monitor := cmp.Or(c.Monitor, "val_loss")
		current, err := monitored("ModelCheckpoint", monitor, logs)
		if err != nil {
			return err
		}
		maxi, _ := maximize("", monitor, c.Mode)
		if !math.IsNaN(c.best) && (maxi && !(current > c.best) || !maxi && !(current < c.best)) {
			return nil
		}
		c.best = current
	}
	return m.Save(epochPattern.ReplaceAllStringFunc(c.Path, func(p string) string {
		if width, _ := strconv.Atoi(strings.Trim(p, "{epoch:d}")); width > 0 {
			return fmt.Sprintf("%0*d", width, epoch+1)
		}
		return strconv.Itoa(epoch + 1)
	}))
}

// epochPattern is Keras' "{epoch}" or "{epoch:02d}" in a checkpoint's path.
var epochPattern = regexp.MustCompile(`\{epoch(:0\d+d)?\}`)

func (c *ModelCheckpoint) OnTrainEnd(*Sequential, *History) error { return nil }
