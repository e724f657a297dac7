// Package bench holds what bench/run.sh compares against numpy, PyTorch and
// scikit-learn: an MNIST reader and a small float32 MLP (one ReLU hidden layer,
// softmax output, Adam or SGD) in two builds, "fast" on this module's
// internal/fastblas and internal/fastops and "gonum" on gonum's pure-Go blas32
// with plain loops, the baseline a Go programmer would write.
//
// Package nn trains on the same kernels (its Dense layers multiply with
// fastblas and its optimizers and activations step with fastops), and the
// harness times nn itself too (`mlpbench run -build nn`): the fast MLP shows
// what the arithmetic alone costs, and nn's time over it is the data handling
// a notebook's Fit does. The kernels take the fastest instruction set the CPU
// has (AVX-512, AVX2 or portable Go; DLNB_KERNELS forces one, see
// internal/cpufeat), and every result line names it. See bench/README.md.
package bench
