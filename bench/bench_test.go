package bench

import (
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/dlnb/dlnb/datasets"
	"github.com/dlnb/dlnb/internal/cputime"
)

var (
	mnistOnce             sync.Once
	mnistTrain, mnistTest *Dataset
	mnistErr              error
)

func loadMNIST(tb testing.TB) (*Dataset, *Dataset) {
	mnistOnce.Do(func() {
		dir, err := datasets.MNISTDir()
		if err != nil {
			mnistErr = err
			return
		}
		if mnistTrain, mnistErr = LoadMNIST(dir, "train"); mnistErr != nil {
			return
		}
		mnistTest, mnistErr = LoadMNIST(dir, "t10k")
	})
	if mnistErr != nil {
		tb.Fatal(mnistErr)
	}
	return mnistTrain, mnistTest
}

func subset(d *Dataset, n int) *Dataset {
	return &Dataset{X: d.X[:n*d.Features], Labels: d.Labels[:n], N: n, Features: d.Features}
}

func TestLoadMNIST(t *testing.T) {
	train, test := loadMNIST(t)
	if train.N != 60000 || test.N != 10000 || train.Features != 784 {
		t.Fatalf("MNIST sizes %d/%d x %d, want 60000/10000 x 784", train.N, test.N, train.Features)
	}
	var counts [10]int
	for _, l := range train.Labels {
		counts[l]++
	}
	for d, c := range counts {
		if c < 5000 || c > 7000 {
			t.Fatalf("digit %d appears %d times in the training set", d, c)
		}
	}
	zeros := 0
	for _, x := range train.X[:784*1000] {
		if x < 0 || x > 1 {
			t.Fatalf("pixel %v outside [0, 1]", x)
		}
		if x == 0 {
			zeros++
		}
	}
	if f := float64(zeros) / (784 * 1000); f < 0.7 || f > 0.9 {
		t.Fatalf("%.2f of pixels are zero, MNIST has about 0.81", f)
	}
}

func TestLoadMNISTErrors(t *testing.T) {
	if _, err := LoadMNIST(t.TempDir(), "train"); err == nil {
		t.Fatal("no error for a directory without idx files")
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "train-images-idx3-ubyte.gz"), []byte("not gzip"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadMNIST(dir, "train"); err == nil {
		t.Fatal("no error for a file that is not gzip")
	}
}

// TestMLPLearns trains both builds on a tenth of MNIST: they must learn, and
// agree with each other (the same model, up to rounding).
func TestMLPLearns(t *testing.T) {
	train, test := loadMNIST(t)
	tr, te := subset(train, 6000), subset(test, 2000)
	acc := map[Build]float64{}
	probs := map[Build][]float32{}
	for _, b := range []Build{Fast, Gonum} {
		m, err := NewMLP(784, 128, 10, b, "adam", 1)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Fit(tr, 1, 32, 1); err != nil {
			t.Fatal(err)
		}
		p, pred := m.Predict(te)
		probs[b] = append([]float32(nil), p...)
		acc[b] = Accuracy(pred, te.Labels)
	}
	if acc[Fast] < 0.85 {
		t.Fatalf("fast build: accuracy %.3f after one epoch on 6000 images, want > 0.85", acc[Fast])
	}
	if math.Abs(acc[Fast]-acc[Gonum]) > 0.01 {
		t.Fatalf("accuracy fast %.4f, gonum %.4f: the builds disagree", acc[Fast], acc[Gonum])
	}
	var maxDiff float64
	for i := range probs[Fast] {
		maxDiff = max(maxDiff, math.Abs(float64(probs[Fast][i]-probs[Gonum][i])))
	}
	if maxDiff > 0.05 {
		t.Fatalf("probabilities of the builds differ by up to %v", maxDiff)
	}
}

// TestMLPDeterministic: the same seed gives bit-identical weights, whatever
// GOMAXPROCS.
func TestMLPDeterministic(t *testing.T) {
	train, _ := loadMNIST(t)
	tr := subset(train, 3000)
	var first []float32
	for _, procs := range []int{1, 2, 3} {
		old := runtime.GOMAXPROCS(procs)
		m, err := NewMLP(784, 128, 10, Fast, "adam", 7)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := m.Fit(tr, 1, 128, 7); err != nil {
			t.Fatal(err)
		}
		runtime.GOMAXPROCS(old)
		if first == nil {
			first = append([]float32(nil), m.Params()...)
			continue
		}
		for i, w := range m.Params() {
			if math.Float32bits(w) != math.Float32bits(first[i]) {
				t.Fatalf("GOMAXPROCS=%d: weight %d = %v, with 1 it was %v", procs, i, w, first[i])
			}
		}
	}
}

func TestTitanicRaw(t *testing.T) {
	d := TitanicLike(1)
	path := filepath.Join(t.TempDir(), "t.raw")
	if err := WriteRaw(d, path); err != nil {
		t.Fatal(err)
	}
	e, err := ReadRaw(path)
	if err != nil {
		t.Fatal(err)
	}
	if e.N != 891 || e.Features != 10 {
		t.Fatalf("read back %d x %d", e.N, e.Features)
	}
	for i := range d.X {
		if d.X[i] != e.X[i] {
			t.Fatalf("X[%d] = %v, wrote %v", i, e.X[i], d.X[i])
		}
	}
	for i := range d.Labels {
		if d.Labels[i] != e.Labels[i] {
			t.Fatalf("label %d = %v, wrote %v", i, e.Labels[i], d.Labels[i])
		}
	}
	if err := os.WriteFile(path, []byte{1, 0, 0, 0, 1, 0, 0, 0}, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadRaw(path); err == nil {
		t.Fatal("no error for a truncated file")
	}
	m, err := NewMLP(10, 32, 2, Fast, "sgd", 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Fit(d, 20, 32, 1); err != nil {
		t.Fatal(err)
	}
	if _, pred := m.Predict(d); Accuracy(pred, d.Labels) < 0.85 {
		t.Fatalf("Titanic-like data: accuracy %.3f after 20 epochs, the rule is nearly linear", Accuracy(pred, d.Labels))
	}
}

func TestMLPErrors(t *testing.T) {
	if _, err := NewMLP(0, 1, 2, Fast, "adam", 1); err == nil {
		t.Fatal("no error for 0 inputs")
	}
	if _, err := NewMLP(2, 1, 2, "cuda", "adam", 1); err == nil {
		t.Fatal("no error for an unknown build")
	}
	if _, err := NewMLP(2, 1, 2, Fast, "rmsprop", 1); err == nil {
		t.Fatal("no error for an unknown optimizer")
	}
	m, _ := NewMLP(3, 1, 2, Fast, "adam", 1)
	if _, err := m.Fit(TitanicLike(1), 1, 32, 1); err == nil {
		t.Fatal("no error for data with 10 features into 3 inputs")
	}
}

// BenchmarkMNISTStep times one training step of the 784 -> 128 -> 10 MLP
// with Adam; an epoch is 1875 steps at batch 32 and 469 at batch 128.
func BenchmarkMNISTStep(b *testing.B) {
	train, _ := loadMNIST(b)
	for _, build := range []Build{Fast, Gonum} {
		for _, batch := range []int{32, 128} {
			b.Run(string(build)+"/b="+itoa(batch), func(b *testing.B) {
				m, _ := NewMLP(784, 128, 10, build, "adam", 1)
				y := make([]float32, batch*10)
				for i := range batch {
					y[i*10+train.Labels[i]] = 1
				}
				x := train.X[:batch*784]
				b.ResetTimer()
				c0 := cputime.Now()
				for range b.N {
					m.TrainStep(x, y, batch)
				}
				steps := math.Ceil(60000 / float64(batch))
				b.ReportMetric(b.Elapsed().Seconds()/float64(b.N)*steps, "s/epoch")
				if runtime.GOMAXPROCS(0) == 1 {
					// On a shared machine the CPU time is the steadier figure.
					b.ReportMetric((cputime.Now()-c0).Seconds()/float64(b.N)*steps, "cpu-s/epoch")
				}
			})
		}
	}
}

// BenchmarkTitanicEpoch times one epoch of the 10 -> 32 -> 2 model with SGD.
func BenchmarkTitanicEpoch(b *testing.B) {
	d := TitanicLike(1)
	for _, build := range []Build{Fast, Gonum} {
		b.Run(string(build), func(b *testing.B) {
			m, _ := NewMLP(10, 32, 2, build, "sgd", 1)
			for range b.N {
				m.Fit(d, 1, 32, 1)
			}
		})
	}
}

// BenchmarkPredictMNIST times predicting the 10,000 test images.
func BenchmarkPredictMNIST(b *testing.B) {
	_, test := loadMNIST(b)
	for _, build := range []Build{Fast, Gonum} {
		b.Run(string(build), func(b *testing.B) {
			m, _ := NewMLP(784, 128, 10, build, "adam", 1)
			c0 := cputime.Now()
			for range b.N {
				m.Predict(test)
			}
			if runtime.GOMAXPROCS(0) == 1 {
				b.ReportMetric((cputime.Now()-c0).Seconds()*1000/float64(b.N), "cpu-ms/op")
			}
		})
	}
}

func itoa(n int) string {
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

// BenchmarkMNISTWork reports the arithmetic of an MNIST epoch and of the
// prediction of the test set, from which the time floors follow: the dense
// GFLOP (2 per multiply-add of every matrix product) and the GFLOP the
// kernels actually do, since internal/fastblas skips, in each 6-row panel of
// the first layer's products, the steps where all 6 values are zero (blank
// pixels): a panel of 6 images for X·W1, of 6 neighbouring pixels for
// Xᵀ·dNet. Batches as Fit makes them (shuffled, seed 1). Its ns/op is
// meaningless; the metrics are the result.
func BenchmarkMNISTWork(b *testing.B) {
	train, test := loadMNIST(b)
	const in, hidden, out = 784, 128, 10
	// kept counts the steps a 6-row panel keeps, rows [i, i+6) of a rows x k
	// operand whose element (r, p) is at(r, p).
	kept := func(rows, k int, at func(r, p int) float32) int {
		n := 0
		for i := 0; i < rows; i += 6 {
			for p := range k {
				for r := i; r < min(i+6, rows); r++ {
					if at(r, p) != 0 {
						n++
						break
					}
				}
			}
		}
		return n
	}
	for range b.N {
		for _, batch := range []int{32, 128} {
			perm := rand.New(rand.NewPCG(1, 0xf17)).Perm(train.N)
			var dense, done float64
			for s := 0; s < train.N; s += batch {
				rows := perm[s:min(s+batch, train.N)]
				x := func(r, p int) float32 { return train.X[rows[r]*in+p] }
				bn := len(rows)
				small := 3 * 2 * float64(bn*hidden*out) // H·W2, dNet·W2ᵀ, Hᵀ·dNet
				dense += 2*2*float64(bn*in*hidden) + small
				// X·W1: panels of 6 images over the pixels; Xᵀ·dNet: panels of
				// 6 pixels over the images. Each kept step is 6 x 128 FMAs.
				done += 2*float64(6*hidden)*float64(kept(bn, in, x)) +
					2*float64(6*hidden)*float64(kept(in, bn, func(r, p int) float32 { return x(p, r) })) + small
			}
			b.ReportMetric(dense/1e9, "dense-GFLOP/epoch-b"+itoa(batch))
			b.ReportMetric(done/1e9, "kept-GFLOP/epoch-b"+itoa(batch))
		}
		// Prediction: X·W1 over the 10,000 images, then the output layer.
		x := func(r, p int) float32 { return test.X[r*in+p] }
		small := 2 * float64(test.N*hidden*out)
		b.ReportMetric((2*float64(test.N*in*hidden)+small)/1e9, "dense-GFLOP/predict")
		b.ReportMetric((2*float64(6*hidden)*float64(kept(test.N, in, x))+small)/1e9, "kept-GFLOP/predict")
	}
}
