package datasets

import (
	"math"
	"sort"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// idDataset has one feature holding each row's number, to follow rows
// through a split.
func idDataset(n int) *Dataset {
	x := make([]float64, n)
	y := make([]float64, n)
	for i := range x {
		x[i], y[i] = float64(i), float64(10*i)
	}
	return &Dataset{X: mat.NewDense(n, 1, x), Y: mat.NewDense(n, 1, y), Features: []string{"id"}, Target: "ten_id", Classes: 3}
}

func TestTrainTestSplitPartitions(t *testing.T) {
	for _, tc := range []struct {
		n           int
		frac        float64
		train, test int
	}{
		{891, 0.2, 712, 179}, // scikit-learn: ceil(0.2*891) = 179 test rows
		{534, 0.3, 373, 161},
		{100, 0, 75, 25}, // 0 means scikit-learn's default, 0.25
		{2, 0.5, 1, 1},
	} {
		d := idDataset(tc.n)
		train, test, err := TrainTestSplit(d, tc.frac, 42)
		if err != nil {
			t.Fatal(err)
		}
		if train.Len() != tc.train || test.Len() != tc.test {
			t.Errorf("n=%d frac=%v: %d train / %d test, want %d / %d", tc.n, tc.frac, train.Len(), test.Len(), tc.train, tc.test)
		}
		// Every row lands in exactly one part, with its own target.
		var ids []int
		for _, part := range []*Dataset{train, test} {
			if part.Target != "ten_id" || part.Features[0] != "id" || part.Classes != 3 {
				t.Errorf("split lost the names: %v", part)
			}
			for i := 0; i < part.Len(); i++ {
				id := part.X.At(i, 0)
				if part.Y.At(i, 0) != 10*id {
					t.Fatalf("row %v: target %v, want %v", id, part.Y.At(i, 0), 10*id)
				}
				ids = append(ids, int(id))
			}
		}
		sort.Ints(ids)
		for i, id := range ids {
			if id != i {
				t.Fatalf("n=%d: rows after the split %v..., not each row once", tc.n, ids[:min(10, len(ids))])
			}
		}
	}
}

func TestTrainTestSplitIsDeterministic(t *testing.T) {
	d := idDataset(891)
	a, at, _ := TrainTestSplit(d, 0.2, 7)
	b, bt, _ := TrainTestSplit(d, 0.2, 7)
	if !mat.Equal(a.X, b.X) || !mat.Equal(at.X, bt.X) {
		t.Error("the same seed gave two different splits")
	}
	c, _, _ := TrainTestSplit(d, 0.2, 8)
	if mat.Equal(a.X, c.X) {
		t.Error("seeds 7 and 8 gave the same split")
	}
	// The split of seed 42 is fixed forever (on every machine and Go
	// release): these are its first test rows, recorded when it was written.
	_, test, _ := TrainTestSplit(idDataset(10), 0.3, 42)
	got := mat.Col(nil, 0, test.X)
	want := []float64{1, 9, 2}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("seed 42 test rows %v, want %v: the shuffle changed, so every seeded result in the notebooks changes too", got, want)
		}
	}
	// Shuffled, not just cut: the training part is not in file order.
	if sort.Float64sAreSorted(mat.Col(nil, 0, a.X)) {
		t.Error("the training part is in the file's order")
	}
}

func TestTrainTestSplitErrors(t *testing.T) {
	d := idDataset(10)
	for _, f := range []float64{1, 1.5, -0.2, math.NaN()} {
		_, _, err := TrainTestSplit(d, f, 1)
		wantErr(t, err, "testFraction is", "between 0 and 1")
	}
	_, _, err := TrainTestSplit(idDataset(1), 0.5, 1)
	wantErr(t, err, "1 rows with testFraction 0.5 leave 0 for training and 1 for testing")
}

// The permutation is uniform enough: over many seeds each row of 5 lands in
// each position about equally often.
func TestPermutationIsUniform(t *testing.T) {
	const n, runs = 5, 20000
	var count [n][n]int
	for s := 0; s < runs; s++ {
		for pos, row := range permutation(n, uint64(s)) {
			count[row][pos]++
		}
	}
	for r := range count {
		for p, c := range count[r] {
			if math.Abs(float64(c)-runs/n) > 5*math.Sqrt(runs/n) { // 5 sigma
				t.Errorf("row %d at position %d %d times in %d runs, want about %d", r, p, c, runs, runs/n)
			}
		}
	}
}
