// Package bench holds what bench/run.sh compares against numpy, PyTorch and
// scikit-learn: an MNIST reader and a small float32 MLP (one ReLU hidden layer,
// softmax output, Adam or SGD) in two builds, "fast" on this module's
// internal/fastblas and internal/fastops and "gonum" on gonum's pure-Go blas32
// with plain loops, the baseline a Go programmer would write.
//
// The fast MLP stands in for package nn until nn uses the same kernels; the
// harness then times nn itself. See bench/README.md.
package bench
