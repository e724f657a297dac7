package nn

import (
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// counting32 is gonum's pure-Go float32 BLAS, counting its matrix products.
type counting32 struct {
	gonum.Implementation
	calls *int
}

func (c counting32) Sgemm(tA, tB blas.Transpose, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, cm []float32, ldc int) {
	*c.calls++
	c.Implementation.Sgemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, cm, ldc)
}

// SetBLAS reaches every layer of a model built after it, and not one built
// before; gonum's BLAS gives the same predictions as the default to float32
// rounding.
func TestSetBLAS(t *testing.T) {
	x, y := titanicLike(50)
	newModel := func() *Sequential {
		m := clf()
		if err := m.Compile(SGD{}, CategoricalCrossentropy); err != nil {
			t.Fatal(err)
		}
		return m
	}
	before := newModel()
	if err := before.Build(len(x[0])); err != nil {
		t.Fatal(err)
	}
	old32, old64 := blas32Impl, blas64Impl
	defer SetBLAS(old32, old64)
	calls := 0
	SetBLAS(counting32{calls: &calls}, nil)
	if blas64Impl != old64 {
		t.Fatal("SetBLAS(f32, nil) changed the float64 BLAS")
	}
	if _, err := before.Fit(x, y, FitOptions{}); err != nil || calls != 0 {
		t.Fatalf("a model built before SetBLAS used the new BLAS %d times (%v)", calls, err)
	}
	after := newModel()
	if _, err := after.Fit(x, y, FitOptions{BatchSize: 50}); err != nil {
		t.Fatal(err)
	}
	// One batch: 2 layers forward, 2 kernel gradients, 1 input gradient.
	if calls != 5 {
		t.Errorf("one training step made %d matrix products through SetBLAS's BLAS, want 5", calls)
	}
	SetBLAS(old32, old64)
	ref := newModel()
	if _, err := ref.Fit(x, y, FitOptions{BatchSize: 50}); err != nil {
		t.Fatal(err)
	}
	pa, _ := after.Predict(x)
	pr, _ := ref.Predict(x)
	for i, v := range pa.RawMatrix().Data {
		if d := v - pr.RawMatrix().Data[i]; d > 1e-5 || d < -1e-5 {
			t.Fatalf("prediction %d: %v with gonum's BLAS, %v with the default", i, v, pr.RawMatrix().Data[i])
		}
	}
}
