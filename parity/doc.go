// Package parity checks nn against Keras 3 itself. It has no code of its own: its
// tests (build tag parity) run Keras 3.15.1 on the JAX CPU backend, in the locked
// environment that scripts/setup-parity.sh makes (build/venv/parity), and compare.
//
//	make test-parity         # the cases CI runs (a few minutes)
//	make test-parity-large   # also the larger ones (DLNB_PARITY_LARGE=1)
//
// For each case the Go test writes a spec and the data (keras_cases.py reads
// both), Keras builds the model with its own seeded initializers and trains it
// with shuffle=False; nn starts from Keras' initial weights, trains on the same
// batches in the same order, and the test compares every epoch's loss and
// metrics, the stopping epoch of EarlyStopping, the final weights and the
// predictions, each within the tolerance the case states. Both sides compute in
// float32; the differences come from the order of float32 sums, and grow with
// the number of steps and with how chaotic training is (a diverging learning
// rate amplifies them).
//
// The initializers cannot draw the same numbers (Keras and nn use different
// random generators), so for them the test compares the limits and the moments
// of large draws with each other and with the formulas.
package parity
