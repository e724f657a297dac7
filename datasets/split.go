package datasets

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
)

// TrainTestSplit shuffles the rows with the given seed and splits them into
// a training part and a test part holding testFraction of the rows, like
// scikit-learn's train_test_split(X, y, test_size=testFraction,
// random_state=seed): the test part has ceil(testFraction*n) rows, the
// training part the rest. testFraction 0 means 0.25, scikit-learn's default.
//
// The same seed gives the same split on every run and every machine (the
// shuffle uses the PCG generator of math/rand/v2, whose output Go fixes, and
// a shuffle written here, so a new Go release cannot change it). Both parts
// are copies. For a split that keeps the file's order (what Keras'
// validation_split does) use Slice.
func TrainTestSplit(d *Dataset, testFraction float64, seed uint64) (train, test *Dataset, err error) {
	if err := d.check(); err != nil {
		return nil, nil, err
	}
	if testFraction == 0 {
		testFraction = 0.25
	}
	if !(testFraction > 0 && testFraction < 1) {
		return nil, nil, fmt.Errorf("datasets: TrainTestSplit: testFraction is %v; it is the share of rows kept for testing, between 0 and 1 (e.g. 0.2)", testFraction)
	}
	n := d.Len()
	nTest := int(math.Ceil(testFraction * float64(n)))
	nTrain := n - nTest
	if nTest < 1 || nTrain < 1 {
		return nil, nil, fmt.Errorf("datasets: TrainTestSplit: %d rows with testFraction %v leave %d for training and %d for testing; both need at least one row", n, testFraction, nTrain, nTest)
	}
	perm := permutation(n, seed)
	return d.rows(perm[nTest:]), d.rows(perm[:nTest]), nil
}

// permutation returns a random permutation of 0..n-1 (Fisher-Yates).
func permutation(n int, seed uint64) []int {
	src := rand.NewPCG(seed, 0x9e3779b97f4a7c15)
	p := make([]int, n)
	for i := range p {
		p[i] = i
	}
	for i := n - 1; i > 0; i-- {
		j := int(boundedUint64(src, uint64(i+1)))
		p[i], p[j] = p[j], p[i]
	}
	return p
}

// boundedUint64 returns a uniform number in [0, n) (Lemire's method: the
// high half of a 128-bit product, rejecting the few values that would bias it).
func boundedUint64(src *rand.PCG, n uint64) uint64 {
	hi, lo := bits.Mul64(src.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(src.Uint64(), n)
		}
	}
	return hi
}
