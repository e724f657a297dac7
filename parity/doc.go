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
//
// Dropout's masks cannot be the same either, for the same reason. Its case
// compares what must agree exactly, Predict and Evaluate of a model with
// Dropout layers (where they pass everything through), to 1e-5, and what
// depends on the masks by its distribution: the training-mode loss of the
// whole data set over 1,000 masks on each side (Keras' model(x,
// training=True), nn's TrainOnBatch on frozen layers), whose means and
// standard deviations must agree within 4 standard errors of their
// difference. Measured: 0.4 and 1.2 standard errors; without the 1/(1-rate)
// scaling nn's mean is 247 standard errors off. The L2 case trains Titanic
// 32-2 with L2(0.01) on every kernel, the penalty in every loss, as the other
// training cases (3e-7 against a tolerance of 1e-4), and the Normalization
// case trains the wages model behind a Normalization adapted to the data on
// each side (8e-7 against 1e-4).
//
// The metrics case trains Titanic 32-1 (a sigmoid output, behind a
// Normalization) compiled as a student writes it, metrics=["accuracy",
// "auc", "precision", "recall"] and loss="binary_crossentropy", with
// validation_split 0.3: every epoch's auc, precision and recall and their
// val_ values agree with Keras' stateful metrics (the counts summed over an
// epoch's batches, and over the whole validation set) to 1.4e-7 (AUC,
// checked at 1e-4) and 3e-8 (precision and recall, checked at 2.5e-3);
// with the counts reset every batch the same case is 0.24 off. The metrics
// are also compared on their own (keras.metrics.AUC(), Precision() and
// Recall() against Metric.Compute): on the hand-computed cases of nn's tests,
// which place predictions at 0 and 1, inside one threshold bucket and
// outside [0, 1], and on 500 random rows, to 4.9e-8 (checked at 1e-6).
package parity
