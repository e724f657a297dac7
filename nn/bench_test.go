package nn

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// mnistLike returns data shaped like MNIST: 784 pixels in [0,1], about 81%
// of them zero as in the real images, and one-hot labels of 10 classes.
func mnistLike(rows int) (*mat.Dense, *mat.Dense) {
	r := rand.New(rand.NewPCG(5, 6))
	x := mat.NewDense(rows, 784, nil)
	y := mat.NewDense(rows, 10, nil)
	raw := x.RawMatrix().Data
	for i := range raw {
		if r.Float64() < 0.19 {
			raw[i] = r.Float64()
		}
	}
	for i := range rows {
		y.Set(i, r.IntN(10), 1)
	}
	return x, y
}

// benchmarkEpoch times one training epoch; the model is built and compiled
// once, so the numbers are the training loop's. Besides ns/op (wall time)
// it reports cpu-ns/op, the process's CPU time per epoch.
func benchmarkEpoch(b *testing.B, x, y *mat.Dense, opt Optimizer, batch int, layers ...Layer) {
	m := NewSequential(layers...)
	if err := m.Compile(opt, CategoricalCrossentropy, Accuracy); err != nil {
		b.Fatal(err)
	}
	if _, err := m.Fit(x, y, FitOptions{BatchSize: batch}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu := processCPU()
	for range b.N {
		if _, err := m.Fit(x, y, FitOptions{BatchSize: batch}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
}

// One epoch of the MNIST MLP: 60,000 x 784 -> Dense(128, relu) -> Dense(10, softmax), Adam.
func BenchmarkMNISTEpochBatch32(b *testing.B) {
	x, y := mnistLike(60000)
	benchmarkEpoch(b, x, y, Adam{}, 32, Dense{Units: 128, Activation: ReLU}, Dense{Units: 10, Activation: Softmax})
}

func BenchmarkMNISTEpochBatch128(b *testing.B) {
	x, y := mnistLike(60000)
	benchmarkEpoch(b, x, y, Adam{}, 128, Dense{Units: 128, Activation: ReLU}, Dense{Units: 10, Activation: Softmax})
}

// One epoch of the Titanic-sized model: 891 x 10 -> 32 relu -> 2 softmax, sgd, batch 32.
func BenchmarkTitanicEpoch(b *testing.B) {
	xs, ys := titanicLike(891)
	x, _ := FromRows(xs)
	y, _ := FromRows(ys)
	benchmarkEpoch(b, x, y, SGD{}, 32, Dense{Units: 32, Activation: ReLU}, Dense{Units: 2, Activation: Softmax})
}

// The same with L2(0.01) on both kernels: the penalty is in every batch's
// loss and its gradient in every step.
func BenchmarkTitanicEpochL2(b *testing.B) {
	xs, ys := titanicLike(891)
	x, _ := FromRows(xs)
	y, _ := FromRows(ys)
	l2 := &L1L2{L2: 0.01}
	benchmarkEpoch(b, x, y, SGD{}, 32, Dense{Units: 32, Activation: ReLU, KernelRegularizer: l2},
		Dense{Units: 2, Activation: Softmax, KernelRegularizer: l2})
}

// Predicting 10,000 MNIST-sized rows.
func BenchmarkMNISTPredict10000(b *testing.B) {
	x, _ := mnistLike(10000)
	m := NewSequential(Dense{Units: 128, Activation: ReLU, InputDim: 784}, Dense{Units: 10, Activation: Softmax})
	b.ReportAllocs()
	for range b.N {
		if _, err := m.Predict(x); err != nil {
			b.Fatal(err)
		}
	}
}

// The training loop allocates nothing per batch after the first: an epoch
// of 320 batches allocates no more than an epoch of 5 (what remains is per
// epoch: the logs, the history, the conversion of the data). Any allocation
// per batch would show as hundreds more.
func TestTrainingLoopDoesNotAllocatePerBatch(t *testing.T) {
	xs, ys := titanicLike(320)
	for _, opt := range []Optimizer{SGD{}, SGD{Momentum: 0.9}, Adam{}, RMSprop{}} {
		for _, dt := range []DType{Float32, Float64} {
			m := NewSequential(Dense{Units: 32, Activation: ReLU}, Dense{Units: 2, Activation: Softmax})
			m.DType = dt
			if err := m.Compile(opt, CategoricalCrossentropy, Accuracy, MAE); err != nil {
				t.Fatal(err)
			}
			noAllocsPerBatch(t, fmt.Sprintf("%T %v", opt, dt), m, xs, ys)
		}
	}
	// Dropout draws a mask per batch into a buffer of its own.
	for _, dt := range []DType{Float32, Float64} {
		m := NewSequential(Dense{Units: 32, Activation: ReLU}, Dropout{Rate: 0.3}, Dense{Units: 16, Activation: Tanh},
			Dropout{Rate: 0.5}, Dense{Units: 2, Activation: Softmax})
		m.DType = dt
		if err := m.Compile(Adam{}, CategoricalCrossentropy, Accuracy); err != nil {
			t.Fatal(err)
		}
		noAllocsPerBatch(t, fmt.Sprintf("Dropout %v", dt), m, xs, ys)
	}
	// Precision, Recall and AUC add to running sums allocated once per Fit.
	survived := make([]float64, len(ys))
	for i, r := range ys {
		survived[i] = r[1]
	}
	for _, dt := range []DType{Float32, Float64} {
		m := NewSequential(Dense{Units: 32, Activation: ReLU}, Dense{Units: 1, Activation: Sigmoid})
		m.DType = dt
		if err := m.Compile(Adam{}, BinaryCrossentropy, Accuracy, Precision, Recall, AUC); err != nil {
			t.Fatal(err)
		}
		noAllocsPerBatch(t, fmt.Sprintf("AUC %v", dt), m, xs, survived)
	}
	// A Normalization standardizes each batch in place.
	var norm Normalization
	if err := norm.Adapt(xs); err != nil {
		t.Fatal(err)
	}
	mn := NewSequential(norm, Dense{Units: 32, Activation: ReLU}, Dense{Units: 2, Activation: Softmax})
	if err := mn.Compile(Adam{}, CategoricalCrossentropy, Accuracy); err != nil {
		t.Fatal(err)
	}
	noAllocsPerBatch(t, "Normalization", mn, xs, ys)
	// MNIST's shapes, where the matrix products are split over goroutines.
	x, y := mnistLike(1280)
	m := NewSequential(Dense{Units: 128, Activation: ReLU}, Dense{Units: 10, Activation: Softmax})
	if err := m.Compile(Adam{}, CategoricalCrossentropy, Accuracy); err != nil {
		t.Fatal(err)
	}
	allocs := func(batch int) float64 {
		return testing.AllocsPerRun(3, func() {
			if _, err := m.Fit(x, y, FitOptions{BatchSize: batch}); err != nil {
				t.Fatal(err)
			}
		})
	}
	if few, many := allocs(640), allocs(128); many > few {
		t.Errorf("MNIST shapes: an epoch of 10 batches allocates %v times, one of 2 batches %v: something allocates per batch", many, few)
	}
}

// noAllocsPerBatch fails if an epoch of m on the 320 rows of x and y in
// batches of 1 allocates more than one in batches of 64.
func noAllocsPerBatch(t *testing.T, what string, m *Sequential, x [][]float64, y any) {
	t.Helper()
	allocs := func(batch int) float64 {
		return testing.AllocsPerRun(20, func() {
			if _, err := m.Fit(x, y, FitOptions{BatchSize: batch}); err != nil {
				t.Fatal(err)
			}
		})
	}
	if few, many := allocs(64), allocs(1); many > few {
		t.Errorf("%s: an epoch of 320 batches allocates %v times, one of 5 batches %v: something allocates per batch", what, many, few)
	}
}

// Predicting small requests (32 rows of MNIST) as a server does, one at a
// time and from GOMAXPROCS goroutines at once on one model: with -cpu 1,2
// the parallel one's ns/op halves on 2 cores if Predict scales.
// Besides ns/op (wall time per request, all goroutines together) they
// report cpu-ns/op, the CPU time per request: if it stays the same in
// parallel, nothing is serialized or contended, and throughput grows with
// the cores free to run it.
func BenchmarkPredict32(b *testing.B) {
	m, x := predictBenchModel()
	b.ReportAllocs()
	cpu := processCPU()
	for range b.N {
		if _, err := m.Predict(x); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op")
}

func BenchmarkPredict32Parallel(b *testing.B) {
	m, x := predictBenchModel()
	b.ReportAllocs()
	cpu := processCPU()
	defer func() { b.ReportMetric(float64(processCPU()-cpu)/float64(b.N), "cpu-ns/op") }()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := m.Predict(x); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func predictBenchModel() (*Sequential, *mat.Dense) {
	x, _ := mnistLike(32)
	m := NewSequential(Dense{Units: 128, Activation: ReLU, InputDim: 784}, Dense{Units: 10, Activation: Softmax})
	m.Build(0)
	return m, x
}
