package lesson

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/dlnb/dlnb/datasets"
	"github.com/dlnb/dlnb/nn"
	"gonum.org/v1/gonum/mat"
)

// How Must stops the program; tests replace them.
var (
	stderr io.Writer = os.Stderr
	exit             = os.Exit
)

// Must does nothing when err is nil; otherwise it prints "error: " and err's
// message on stderr and ends the program (the cell) with exit status 1.
func Must(err error) {
	if err != nil {
		fmt.Fprintln(stderr, "error:", err)
		exit(1)
	}
}

// Must1 returns v when err is nil; otherwise it stops the cell as Must does.
func Must1[T any](v T, err error) T {
	Must(err)
	return v
}

// Must2 returns a and b when err is nil; otherwise it stops the cell as Must
// does: train, test := lesson.Must2(datasets.MNIST()).
func Must2[A, B any](a A, b B, err error) (A, B) {
	Must(err)
	return a, b
}

// LoadModel reads the model a training cell saved at path (nn.Load). When it
// cannot, it stops the cell and says which cell to run: a missing file means the
// training cell has not run yet in this directory.
func LoadModel(path string) *nn.Sequential {
	// nn.Load's error does not wrap the file system's, so look first.
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		Must(fmt.Errorf("no saved model %s: run the training cell above first (it saves the model there)", path))
	}
	return Must1(nn.Load(path))
}

// Titanic returns the course's Titanic predictors (891 x 10) and the target
// one-hot encoded (891 x 2: died, survived), as the course's
// to_categorical(df.survived) does (lesson 5).
func Titanic() (predictors, target *mat.Dense) {
	d := datasets.Titanic()
	return d.X, Must1(d.YOneHot())
}

// MNIST returns the course's 2,500 MNIST images (2500 x 784, pixels scaled to
// [0, 1]) and their digits one-hot encoded (2500 x 10) (lesson 9).
func MNIST() (X, y *mat.Dense) {
	d := Must1(datasets.MNIST2500())
	return d.X, Must1(d.YOneHot())
}

// SplitReport is a callback that prints how Fit split the rows: "training on N
// rows, validating on M rows". Fit calls OnTrainBegin before the first epoch;
// nn.BaseCallback provides the other methods.
type SplitReport struct{ nn.BaseCallback }

// OnTrainBegin prints the split.
func (SplitReport) OnTrainBegin(_ *nn.Sequential, p nn.TrainParams) error {
	fmt.Printf("training on %d rows, validating on %d rows\n", p.Samples, p.ValSamples)
	return nil
}
