package nn

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ModelCheckpoint saves the model during training, as Keras' callback:
// after every epoch, or with SaveBestOnly only after an epoch whose
// monitored value is the best so far, so the file always holds the best
// model. Each save writes a temporary file and renames it, so the file is
// never half written. "{epoch}" in Path becomes the epoch number, counted
// from 1 as Keras does ("model-{epoch}.json").
type ModelCheckpoint struct {
	Path         string
	Monitor      string // "" = "val_loss"
	Mode         string // "min", "max", or ""/"auto": max for accuracies
	SaveBestOnly bool

	best float64
}

func (c *ModelCheckpoint) OnTrainBegin(_ *Sequential, p TrainParams) error {
	monitor := cmp.Or(c.Monitor, "val_loss")
	if c.Path == "" {
		return errors.New("ModelCheckpoint has no Path: give it the file to save to, e.g. \"best.json\"")
	}
	if c.SaveBestOnly && strings.HasPrefix(monitor, "val_") && p.ValSamples == 0 {
		return fmt.Errorf("ModelCheckpoint monitors %q but there is no validation data: set ValidationSplit, or monitor \"loss\"", monitor)
	}
	if _, err := maximize("ModelCheckpoint", monitor, c.Mode); err != nil {
		return err
	}
	c.best = math.NaN()
	return nil
}

func (c *ModelCheckpoint) OnEpochEnd(m *Sequential, epoch int, logs map[string]float64) error {
	if c.SaveBestOnly {
		monitor := cmp.Or(c.Monitor, "val_loss")
		current, ok := logs[monitor]
		if !ok {
			return fmt.Errorf("ModelCheckpoint monitors %q, which training does not report: choose one of %s", monitor, joinNames(sortedKeys(logs)))
		}
		maxi, _ := maximize("", monitor, c.Mode)
		if !math.IsNaN(c.best) && (maxi && !(current > c.best) || !maxi && !(current < c.best)) {
			return nil
		}
		c.best = current
	}
	return m.Save(strings.ReplaceAll(c.Path, "{epoch}", strconv.Itoa(epoch+1)))
}

func (c *ModelCheckpoint) OnTrainEnd(*Sequential, *History) error { return nil }
