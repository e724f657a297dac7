package parallel_test

import (
	"fmt"

	"github.com/dlnb/dlnb/internal/parallel"
)

// squares is a Task: part p squares its share of the values.
type squares struct {
	v     []float64
	parts int
}

func (s *squares) RunPart(p int) {
	lo, hi := len(s.v)*p/s.parts, len(s.v)*(p+1)/s.parts
	for i := lo; i < hi; i++ {
		s.v[i] *= s.v[i]
	}
}

// Each part computes its own elements, so the result is the same whatever
// the number of parts and whoever runs them.
func Example() {
	s := &squares{v: []float64{1, 2, 3, 4, 5, 6, 7}}
	s.parts = min(parallel.Procs(), 3)
	parallel.Do(s.parts, s)
	fmt.Println(s.v)
	// Output: [1 4 9 16 25 36 49]
}
