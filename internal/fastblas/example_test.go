package fastblas_test

import (
	"fmt"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"

	"github.com/dlnb/dlnb/internal/fastblas"
)

// A layer's forward product X·W for a batch of 2 rows, 3 inputs and 2 units,
// through gonum's blas32 registry.
func Example() {
	blas32.Use(fastblas.Implementation{})
	x := blas32.General{Rows: 2, Cols: 3, Stride: 3, Data: []float32{
		1, 2, 3,
		4, 5, 6,
	}}
	w := blas32.General{Rows: 3, Cols: 2, Stride: 2, Data: []float32{
		1, 0,
		0, 1,
		1, 1,
	}}
	net := blas32.General{Rows: 2, Cols: 2, Stride: 2, Data: make([]float32, 4)}
	blas32.Gemm(blas.NoTrans, blas.NoTrans, 1, x, w, 0, net)
	fmt.Println(net.Data)
	// Output: [4 5 10 11]
}
