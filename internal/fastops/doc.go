// Package fastops holds the elementwise steps of training a dense network,
// fused so that each passes over memory once: the optimizer updates (Keras 3's
// Adam, RMSprop and SGD with momentum), bias plus ReLU, the ReLU gradient
// mask, bias gradients (column sums) and softmax with the cross-entropy
// gradient.
//
// Every function is generic over float32 and float64. The float32 optimizer
// steps (Adam, RMSprop, SGD), which touch every weight on every batch, and the
// bias, ReLU and ReLU-gradient steps, whose scalar loops lose most of their
// time to mispredicted branches, run assembly on amd64, on the path package
// cpufeat chose (DLNB_KERNELS=avx512|avx2|generic forces one): AVX-512F, 16
// lanes in ZMM registers with the last partial vector under an opmask, or
// AVX2, 8 lanes in YMM registers with a Go loop for the tail. Both are
// written by one generator (gen_ops.go; `go generate`, and scripts/test-go.sh
// fails if asm_amd64.s is not what it writes) and perform the same IEEE
// operations in the same order as the portable Go code, without fusing
// multiplies and adds: every path gives bit-identical results, so a seed
// gives the same weights on every machine, and the tests compare each path
// the CPU has with the portable loops bit for bit. Measured on the MNIST
// MLP's 101,770 weights: Adam 30 µs per step against 237 µs for the Go loop.
// Float32 updates of many weights (32 Ki or more; 128 Ki for SGD) are split
// over the cores (internal/parallel) in ranges of whole 16-lane vectors,
// which changes no result.
//
// Slices are not checked against each other beyond what Go's bounds checks
// catch: these are the inner steps of package nn, which owns the shapes.
package fastops
