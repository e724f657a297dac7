// Package nn builds and trains neural networks the way Keras does, in Go:
// a Sequential stack of Dense layers (with Dropout between them, and a
// Normalization of the inputs first), compiled with an optimizer and a loss,
// fitted to data, then used to predict.
//
//	model := nn.NewSequential(
//		nn.Dense{Units: 32, Activation: nn.ReLU},
//		nn.Dense{Units: 2, Activation: nn.Softmax},
//	)
//	err := model.Compile(nn.SGD{}, nn.CategoricalCrossentropy, nn.Accuracy)
//	history, err := model.Fit(x, y, nn.FitOptions{Epochs: 10, ValidationSplit: 0.3})
//	probabilities, err := model.Predict(newRows)
//
// Names and defaults are Keras': a field left at zero means what leaving the
// argument out means in Keras (Dense{} is glorot_uniform weights and zero
// biases; SGD{} has learning rate 0.01; Adam{} is 0.001, 0.9, 0.999, 1e-7;
// FitOptions{} is one epoch in shuffled batches of 32). Where Go's zero value
// cannot mean Keras' default, the docs say so: Verbose 0 is silent, and the
// random seed is Sequential.Seed (0 unless set), so a run is reproducible.
//
// # What a network computes
//
// A Dense layer with inputs x (one row per example), weights W (one row per
// input, one column per unit) and biases b computes for every unit
//
//	net = x·W + b        out = activation(net)
//
// and the model feeds each layer's out to the next. Training measures the
// loss between the last layer's out and the targets y, and changes every
// weight a little against its gradient, the slope of the loss with respect
// to that weight. Backpropagation finds every gradient with the chain rule,
// going backwards from the loss:
//
//	dE/dw = dE/dout * dout/dnet * dnet/dw
//
// where dE/dout comes from the loss (or, for a hidden unit, from the units it
// feeds: the sum of their deltas times the weights to them), dout/dnet is the
// activation's slope, and dnet/dw is the input that w multiplies. In the code
// each activation's and each loss's backward pass sits right below its
// forward pass (activation.go, loss.go), and a layer's is in dense.go.
//
// # The training loop
//
// TrainOnBatch is one step: forward, loss, backward, one optimizer update.
// Fit is a short loop over it (train.go): every epoch shuffles the rows and
// steps through them a batch at a time, then hands the epoch's logs to the
// callbacks, as Keras' CallbackList does: the progress printer, yours
// (EarlyStopping, ReduceLROnPlateau, LearningRateScheduler, ModelCheckpoint,
// or one of your own embedding BaseCallback), then the History recorder.
// The History is the one record of a run: every epoch's values, the split
// sizes, the best epoch of the monitored value, and why training stopped.
// Each optimizer's update rule is plain Go in optimizer.go.
//
// The files a student reads, model.go, train.go, callback.go, history.go,
// dense.go, activation.go, loss.go, optimizer.go and metric.go, hold under
// 1,500 lines together (a test counts them); checks of the input, the
// float32 engine and the teaching tools live in the other files. A layer
// beyond Dense has a file of its own, outside that count, read after it:
// dropout.go (its forward and backward passes, and where it may go) and
// normalization.go (Adapt, and the standardization of the inputs).
//
// Against overfitting and unbalanced data: Dropout layers, L1L2 penalties
// on a layer's weights (Dense.KernelRegularizer), FitOptions.ClassWeight
// and SampleWeight; and beyond accuracy, Precision, Recall and AUC for a
// yes/no model. Metrics are stateful, as Keras' are: an epoch's value
// counts all its rows together (the batches' counts summed, never a mean of
// the batches' values), a validation value all the validation rows.
// Loss.Compute and Metric.Compute measure predictions without a model.
//
// # Seeing it work
//
// Three tools make the arithmetic visible:
//
//   - ForwardPass returns every layer's net and out for some rows, to check a
//     computation done by hand (set weights with Dense.Kernel and Dense.Bias,
//     SetWeights, or SetNodeWeights in the course's one-row-per-node layout;
//     Dense.NoBias for the course's networks without biases).
//   - TraceStep performs one gradient-descent step on one example and records
//     every forward value, every partial derivative and every weight update;
//     printed, it reads as the tables of Mazur's "A Step by Step
//     Backpropagation Example".
//   - GradientCheck compares backpropagation's gradients with finite
//     differences; LayerGradients shows how the gradient's size changes from
//     layer to layer (vanishing gradients).
//
// # Data
//
// Fit, Evaluate and Predict take a *mat.Dense (gonum), [][]float64, or for
// one column a []float64 or []int, with one row per example. Data is checked
// before training: shapes against the layers, NaN and infinite values, and
// labels against the loss (categorical_crossentropy wants one-hot rows: see
// ToCategorical; sparse_categorical_crossentropy wants class numbers).
// Errors say what is wrong and what to do; nothing panics on bad input.
// Each starts with the package's name, here with the call that failed
// ("nn.Fit: y has 1 columns but the output layer has 2 units: ...",
// "nn.Load model.json: ..."), as in datasets ("datasets: OneHot: ..."),
// plotting ("plotting.History: ...") and nn/onnx ("onnx.Save model.onnx: ..."). The
// cases a program handles match a sentinel with errors.Is: ErrNotCompiled (a
// model used before Compile), ErrShape (data that does not fit the model) and
// ErrDiverged (a loss that became NaN or infinite; Fit returns the History so
// far with it).
//
// # Precision and speed
//
// Models compute in float32 by default, as Keras does; set DType to Float64
// for exact arithmetic (the teaching tools always compute in float64).
// Matrix products go through gonum's BLAS interfaces (blas.Float32 and
// blas.Float64), by default with the packed kernels of internal/fastblas
// (AVX-512 or AVX2/FMA where the CPU has them, portable Go otherwise; see
// internal/cpufeat). SetBLAS installs another implementation (gonum's own,
// or an OpenBLAS binding) for every model built after the call; gonum's
// global blas32.Use and blas64.Use do not reach nn's layers.
// After the first batch the training loop allocates nothing.
//
// # Files
//
// Save writes a model (layers, weights, compile settings, optimizer state and
// the shuffling stream) through a temporary file and a rename; Load checks
// everything it reads. A loaded model predicts bit-for-bit the same and
// resumes training exactly. A model of fewer than 262,144 parameters is
// written as JSON (version 1), readable and diffable, every number in the
// shortest text that reads back exactly; a larger one in the compact format
// (version 2): one line of JSON header, then the numbers as little-endian
// float32 or float64, 4 bytes per float32 parameter (see compact.go for the
// layout). SaveWith picks the format explicitly. Saves and loads stream:
// a 784-4096-4096-10 model (20 M parameters) writes an 80 MB file in about a
// second, copying no more than 64 KB of its weights at a time. Load checks
// every size the file declares against the file's length and against the
// other sizes before it allocates anything, so a crafted or truncated file
// gets an error, not the machine's memory. The temporary file is removed on
// every error, and the ones of a process killed during Save are removed by
// the next Save to the same place. *Sequential also implements
// encoding.BinaryMarshaler, so encoding/gob and GoNB's cache package can
// store it.
//
// # Goroutines
//
// A model can serve many goroutines at once, as an HTTP handler serving a
// trained model does: Predict, Evaluate, ForwardPass, Summary, CountParams,
// Layer, Save and MarshalBinary only read the model, each call computing in
// buffers of its own, so they are safe to call concurrently with each other.
//
// Predict, Evaluate and ForwardPass are also safe while Fit trains the model
// in another goroutine: the optimizer updates the weights under a lock that
// they read under, so each call sees the weights as they are between two
// batches, never half updated (a long Predict holds training back while it
// runs). A second Fit on a model that is training returns an error saying
// so. Everything else that changes the model (Add, Compile, SetWeights,
// Build of an unbuilt model, setting Seed or DType, TraceStep, GradientCheck)
// must not run concurrently with any other call on the same model; and
// Save during Fit belongs in a callback (it then runs between epochs, on
// Fit's goroutine), since the shuffling stream it records changes every
// epoch. Build the model (Build, or one Predict or Fit) before sharing it.
//
// # Cores
//
// Fit, Predict and Evaluate use every core Go may (GOMAXPROCS): a batch's
// rows are gathered, its large matrix products computed (4 million
// multiply-adds or more: at MNIST's shapes batch 128's, not batch 32's) and
// the float32 optimizer's update applied in parts over the cores, as are the
// products of prediction and evaluation (internal/parallel, whose workers
// stay awake between a training loop's steps). Each part computes the same values whoever runs it, so a seed
// gives bit-identical weights, losses and predictions whatever GOMAXPROCS
// is. GOMAXPROCS=1 keeps a program on one core.
//
// # Verified against Keras
//
// The parity suite (package parity, make test-parity) trains Keras 3.15.1 and nn
// from the same initial weights on the same batches (shuffle=False), both in
// float32, and compares every epoch's loss and metrics, EarlyStopping's stopping
// and best epochs, the final weights and the predictions. Measured largest
// differences, |nn - keras| / max(1, |keras|): about 1e-7 to 4e-6 for the
// course's wages model (Adam, MSE), Titanic 32-2 with SGD (plain, momentum,
// Nesterov), RMSprop (with and without momentum) and Adam, sigmoid with binary
// cross-entropy, sparse categorical cross-entropy, lesson 6's learning rates
// 1e-6 and 1, L2(0.01) kernel penalties, a Normalization layer adapted to
// the wages data, lesson 7's validation_split 0.3 with EarlyStopping(patience=2)
// (the same stopping epoch and restored weights), lesson 8's 50-2 and 50-50-50-2
// with validation_split 0.4 and EarlyStopping, MNIST 2,500 50-50-10, and
// Titanic 32-1 sigmoid compiled with "auc", "precision" and "recall" (every
// epoch's values and their val_ values, to 1.4e-7); each
// case is checked at 1e-4 (1e-3 for rate 1), accuracies to 2.5e-3 (1.6 of
// 623 rows). One case parts on some kernels: lesson 6 at rate 0.01 agrees to
// 1.8e-7 over its 10 epochs with the AVX2 and AVX-512 kernels, but with the
// portable ones (DLNB_KERNELS=generic) a hidden ReLU unit's input of 8.5e-7 in
// epoch 6 falls on different sides of zero and the runs differ by up to 2.7e-2
// (checked at 5e-2; measured on an AMD Zen 4); and in the
// large suite lesson 8's deep model from Keras' seed 5 parts in epoch 3, yet
// stops after the same 11 epochs at a best val_loss of 0.5880 (Keras 0.5891).
// Over 20 shuffled runs each, lesson 8's deep model reaches a median best
// val_loss of 0.569 in nn and 0.552 in Keras (means 0.559 and 0.554, a
// difference of 0.5 standard errors): the same distribution. The
// initializers (glorot, he and lecun, uniform and normal) draw different numbers
// from Keras but within the same bounds, with the same mean and standard
// deviation within 4 standard errors. Dropout draws different masks from
// Keras: a model with Dropout predicts and evaluates as Keras' to 3e-7, and
// its training loss over 1,000 masks has Keras' mean and standard deviation
// within 4 standard errors (measured 0.4 and 1.2).
//
// Models move both ways, checked by the same suite to 1e-6 on the predictions
// (measured 6e-8 to 2e-7): a .keras file Keras 3 saved loads into nn, and one
// nn saved loads into Keras, through parity/exchange.py (HDF5 needs Keras'
// own h5py; see README). Package nn/onnx saves a model as ONNX in Go, and
// onnxruntime 1.31.1 predicts what nn predicts (wages, Titanic 32-2, MNIST
// 50-50-10, every activation: measured 0 to 6.6e-7, checked at 1e-6).
//
// Keras computes cross-entropy after softmax or sigmoid differently on its
// backends: on TensorFlow from the logits (as nn does, and as the course's Keras
// did), on JAX and PyTorch from the probabilities clipped to [1e-7, 1 - 1e-7],
// which caps a row's loss at 16.1 and gives that row no gradient. With unscaled
// inputs the two differ from the first epoch (lesson 6 at rate 1: a first
// epoch's loss of 3.3e4 from the logits, 6.0 clipped), so the suite runs Keras
// with a linear output and from_logits=True, which is the TensorFlow arithmetic.
//
// # Differences from Keras
//
// Only Dense, Dropout and Normalization layers in a Sequential stack. A
// Normalization standardizes the model's inputs, so it is the first layer
// (Keras allows it anywhere), over the last axis (Keras' default axis=-1);
// its Summary row is wider than the column, as in Keras 2. A Dropout layer
// drops a Dense layer's outputs, so it goes between two Dense layers (Keras
// also allows it first, last or twice in a row), its Rate is below 1 (Keras
// allows 1, which outputs zeros), and its masks come from the model's Seed
// (Keras' from its global seed, or Dropout's seed argument). Layer
// names are numbered per model (dense, dense_1, dropout, ...), not per session.
// EarlyStopping has no baseline or start_from_epoch; ReduceLROnPlateau's
// Patience 0 means Keras' default 10 (NoPatience is 0). The progress output
// prints one line per epoch, without a live bar; its lines are Keras 3's
// (parity/layout_test.go checks them against Keras itself). Summary keeps the
// course's Keras 2 look (a ruled table of Layer, Output Shape and Param #, then
// the totals) where Keras 3 draws a box table and adds sizes in KB: the rows
// and totals are the same. Keras 2's "Train on N samples, validate on M
// samples" line is printed first with Verbose. An alias is reported under
// the metric's own name ("acc" as "accuracy", "AUC" as "auc"), where Keras
// reports a metric under the string it was given. AUC is Keras' AUC() with
// its defaults (200 thresholds, the ROC curve, interpolation) for one output
// column and labels 0 or 1; Keras' would also flatten several columns into
// one ranking and count any label but 0 as 1, which nn reports as an error.
// Cross-entropy after softmax
// (and binary cross-entropy after sigmoid) is computed from the logits, as
// Keras' TensorFlow backend does; Keras 3 on JAX or PyTorch clips the
// probabilities to [1e-7, 1-1e-7] instead, which caps a blown-up loss.
package nn
