// Package fastops holds the elementwise steps of training a dense network,
// fused so that each passes over memory once: the optimizer updates (Keras 3's
// Adam and SGD with momentum), bias plus ReLU, the ReLU gradient mask, bias
// gradients (column sums) and softmax with the cross-entropy gradient.
//
// Every function is generic over float32 and float64. The float32 Adam and
// SGD steps, which touch every weight on every batch, run AVX2 assembly on
// amd64 CPUs that have it (see package cpufeat) and produce bit-identical
// results to the portable Go code: the assembly performs the same IEEE
// operations in the same order, without fusing multiplies and adds, so a seed
// gives the same weights on every machine.
//
// Slices are not checked against each other beyond what Go's bounds checks
// catch: these are the inner steps of package nn, which owns the shapes.
package fastops
