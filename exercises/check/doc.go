// Package check tells a student whether an exercise is right, and if not,
// where to look. The exercise notebooks (notebooks/exercises/) call one check
// after each blank:
//
//	%%
//	node0 := inputData[0]*weights["node_0"][0] + inputData[1]*weights["node_0"][1]
//	node1 := inputData[0]*weights["node_1"][0] + inputData[1]*weights["node_1"][1]
//	check.Hidden(0, inputData, weights, nn.Linear, []float64{node0, node1})
//
// prints one line when the answer is right,
//
//	✓ hidden layer: right ([26 -13])
//
// and when it is not, what is wrong and a hint that says what to look at,
// never the answer:
//
//	✗ hidden layer: not yet: node_1 is 0
//	  hint: multiply each input by its weight in the weights map's "node_1" list and add the products
//
// The name before the colon is what the check is about, as the notebook
// names it; the exercise notebooks' tests match these lines.
//
// A check never panics and never stops the cell: a blank left as it is
// (a zero, a nil slice, an empty model, a function that returns 0), a wrong
// shape, a nil value or a function that panics all give "not yet" with a
// message, so a student can run a notebook top to bottom and work through it
// cell by cell. Each check also returns whether it passed, so a cell can go
// on only when it did (save a model only once it trained right).
//
// Graded is the one exception, for the course's nbgrader assignments
// (notebooks/exercises/nbgrader/): it runs an exercise's code and checks as
// an autograded test cell, and stops the cell with an error unless the
// check it names ran and passed, so that nbgrader gives the cell no points.
//
// # Where the right answers come from
//
// A check computes the right answer itself from what the exercise starts
// with: the input rows and weights of a hand-computed network, the data set
// of a model, the history of a fit (for early stopping it replays Keras'
// rule on the val_loss values). Nothing is copied from the solutions. The
// exceptions are specifications, which the exercise states: the layers a
// lesson's model must have, how it is compiled, the worker whose wage
// lesson 4 predicts (Worker).
//
// Numbers are compared with a tolerance, relative to the right value when it
// is larger than 1 and absolute otherwise: HandTol (1e-9) for arithmetic done
// by hand in float64, where only the order of additions can differ, and
// ModelTol (1e-4) for what a model computes, in float32 by default.
//
// Checks that look inside an nn model (Model, WagesModel, TitanicModel, the
// compile checks) build it first if it is not built yet, as Summary does.
//
// # The exercises
//
// Lesson 1, forward propagation: Hidden, Output, ReLU, Predictor, Results, Model.
// Lesson 2, gradient descent: PredictionError, ZeroError, MeanSquaredError,
// NetworkMSE, Slope, Update, GetSlope, GetMSE, MSEHistory, SameAsByHand.
// Lesson 4, the first model: NumColumns, ColumnMean, WagesModel,
// WagesCompile, WagesFit, Predictions, WorkerRow.
// Lesson 7, validation and early stopping: OneHot, TitanicModel,
// ValidationRows, Validation, BestEpoch, EarlyStopping.
//
// Writer sends the verdicts elsewhere than standard output (the tests use it).
package check
