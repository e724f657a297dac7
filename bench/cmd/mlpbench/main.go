// Command mlpbench times the Go MLPs of package bench for bench/run.sh and
// summarizes the results of a run.
//
//	mlpbench run -build nn|fast|gonum -task mnist|titanic [-batch 32] [-epochs 1] [-data path]
//	mlpbench titanic-data -out file     # the Titanic-sized data for the Python peers
//	mlpbench summarize results.txt      # medians and ratios of a run
//
// run prints one line, the format the Python peers print too:
//
//	RESULT impl=go-fast task=mnist batch=32 epochs=1 train_s=0.4123 train_cpu_s=0.4100 predict_s=0.0123 accuracy=0.9612 isa=avx2
//
// train_cpu_s is the process's CPU time while training: the wall clock is
// what the table compares, CPU time shows how much of it the machine's other
// load took (and how much a second thread added).
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"gonum.org/v1/gonum/mat"

	"github.com/dlnb/dlnb/bench"
	"github.com/dlnb/dlnb/datasets"
	"github.com/dlnb/dlnb/internal/fastblas"
	"github.com/dlnb/dlnb/nn"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "run":
		err = run(os.Args[2:])
	case "titanic-data":
		fs := flag.NewFlagSet("titanic-data", flag.ExitOnError)
		out := fs.String("out", "", "file to write")
		fs.Parse(os.Args[2:])
		if *out == "" {
			err = fmt.Errorf("titanic-data: -out is required")
		} else {
			err = bench.WriteRaw(bench.TitanicLike(1), *out)
		}
	case "summarize":
		if len(os.Args) != 3 {
			usage()
		}
		err = summarize(os.Args[2], os.Stdout)
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mlpbench:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: mlpbench run|titanic-data|summarize ... (see go doc ./bench/cmd/mlpbench)")
	os.Exit(2)
}

func run(args []string) error {
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	build := fs.String("build", "fast", "nn (package nn, what notebooks use), fast (a bare MLP on nn's kernels) or gonum (a bare MLP on gonum's BLAS)")
	task := fs.String("task", "mnist", "mnist or titanic")
	batch := fs.Int("batch", 32, "batch size")
	epochs := fs.Int("epochs", 0, "epochs (0: 1 for mnist, 100 for titanic)")
	data := fs.String("data", "", "mnist: the idx directory (default: the GoMNIST module's); titanic: the file from titanic-data (default: made in memory)")
	seed := fs.Uint64("seed", 1, "seed of the weights and the shuffling")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the training to this file")
	fs.Parse(args)

	var train, test *bench.Dataset
	var hidden, classes int
	opt := bench.Optimizer("adam")
	switch *task {
	case "mnist":
		dir := *data
		if dir == "" {
			var err error
			if dir, err = datasets.MNISTDir(); err != nil {
				return err
			}
		}
		var err error
		if train, err = bench.LoadMNIST(dir, "train"); err != nil {
			return err
		}
		if test, err = bench.LoadMNIST(dir, "t10k"); err != nil {
			return err
		}
		hidden, classes = 128, 10
		if *epochs == 0 {
			*epochs = 1
		}
	case "titanic":
		if *data != "" {
			var err error
			if train, err = bench.ReadRaw(*data); err != nil {
				return err
			}
		} else {
			train = bench.TitanicLike(1)
		}
		test = train
		hidden, classes, opt = 32, 2, "sgd"
		if *epochs == 0 {
			*epochs = 100
		}
	default:
		return fmt.Errorf("unknown task %q: want mnist or titanic", *task)
	}
	if *build == "nn" {
		return runNN(train, test, *task, hidden, classes, string(opt), *epochs, *batch, *seed, *cpuprofile)
	}
	m, err := bench.NewMLP(train.Features, hidden, classes, bench.Build(*build), opt, *seed)
	if err != nil {
		return err
	}
	stop, err := startCPUProfile(*cpuprofile)
	if err != nil {
		return err
	}
	t0, c0 := time.Now(), cpuSeconds()
	_, err = m.Fit(train, *epochs, *batch, *seed)
	trainS, trainCPU := time.Since(t0).Seconds(), cpuSeconds()-c0
	stop()
	if err != nil {
		return err
	}
	t0 = time.Now()
	_, pred := m.Predict(test)
	predictS := time.Since(t0).Seconds()
	impl := "go-" + *build
	isa := fastblas.Kernel()
	if *build == "gonum" {
		isa = "go" // gonum's pure-Go BLAS and plain loops
	}
	fmt.Printf("RESULT impl=%s task=%s batch=%d epochs=%d train_s=%.4f train_cpu_s=%.4f predict_s=%.4f accuracy=%.4f isa=%s\n",
		impl, *task, *batch, *epochs, trainS, trainCPU, predictS, bench.Accuracy(pred, test.Labels), isa)
	fmt.Fprintf(os.Stderr, "# %s: kernel %s, GOMAXPROCS %d\n", impl, fastblas.Kernel(), runtime.GOMAXPROCS(0))
	return nil
}

// runNN trains package nn itself, as a notebook does: the data as gonum
// matrices, Fit with the task's epochs and batch size, then Predict. The
// times include everything Fit does (checking the data, converting each
// batch to float32), not just the arithmetic.
func runNN(train, test *bench.Dataset, task string, hidden, classes int, opt string, epochs, batch int, seed uint64, cpuprofile string) error {
	toMat := func(d *bench.Dataset) (*mat.Dense, *mat.Dense) {
		x := mat.NewDense(d.N, d.Features, nil)
		raw := x.RawMatrix().Data
		for i, v := range d.X {
			raw[i] = float64(v)
		}
		y := mat.NewDense(d.N, classes, nil)
		for i, l := range d.Labels {
			y.Set(i, l, 1)
		}
		return x, y
	}
	x, y := toMat(train)
	xt, _ := toMat(test)
	m := nn.NewSequential(nn.Dense{Units: hidden, Activation: nn.ReLU}, nn.Dense{Units: classes, Activation: nn.Softmax})
	m.Seed = seed
	var o nn.Optimizer = nn.Adam{}
	if opt == "sgd" {
		o = nn.SGD{}
	}
	if err := m.Compile(o, nn.CategoricalCrossentropy); err != nil {
		return err
	}
	if err := m.Build(train.Features); err != nil {
		return err
	}
	stop, err := startCPUProfile(cpuprofile)
	if err != nil {
		return err
	}
	t0, c0 := time.Now(), cpuSeconds()
	_, err = m.Fit(x, y, nn.FitOptions{Epochs: epochs, BatchSize: batch})
	trainS, trainCPU := time.Since(t0).Seconds(), cpuSeconds()-c0
	stop()
	if err != nil {
		return err
	}
	t0 = time.Now()
	p, err := m.Predict(xt)
	if err != nil {
		return err
	}
	predictS := time.Since(t0).Seconds()
	pred := make([]int, test.N)
	for i := range pred {
		row := p.RawRowView(i)
		best := 0
		for j, v := range row {
			if v > row[best] {
				best = j
			}
		}
		pred[i] = best
	}
	fmt.Printf("RESULT impl=nn task=%s batch=%d epochs=%d train_s=%.4f train_cpu_s=%.4f predict_s=%.4f accuracy=%.4f isa=%s\n",
		task, batch, epochs, trainS, trainCPU, predictS, bench.Accuracy(pred, test.Labels), fastblas.Kernel())
	fmt.Fprintf(os.Stderr, "# nn: kernel %s, GOMAXPROCS %d\n", fastblas.Kernel(), runtime.GOMAXPROCS(0))
	return nil
}

// startCPUProfile starts a CPU profile of what follows, written to path
// (none when path is ""), and returns the function that stops it.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
