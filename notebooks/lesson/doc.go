// Package lesson holds the few helpers the course's notebooks share, so that a
// lesson's cells show what the lesson teaches and not the plumbing around it.
//
// In a notebook (GoNB) every cell is a new Go program, so a helper written in one
// lesson would have to be copied into every other. The helpers here are the ones
// several lessons need:
//
//   - Must stops a cell with a readable message when an error happens:
//     lesson.Must(model.Compile(nn.Adam{}, nn.MeanSquaredError)). Must1 does the
//     same for a function that returns a value and an error:
//     history := lesson.Must1(model.Fit(x, y, nn.FitOptions{Epochs: 10})), and
//     Must2 for two values: train, test := lesson.Must2(datasets.MNIST()).
//   - LoadModel reads a model a training cell saved with model.Save, and says
//     "run the training cell first" when the file is not there. Values do not
//     survive from one cell to the next, files do: a lesson trains once, saves,
//     and later cells load (Keras: model.save and load_model).
//   - Titanic and MNIST return the course's predictors and one-hot targets, the
//     two lines every classification lesson starts with.
//   - SplitReport is a callback that prints how Fit split the rows into training
//     and validation (lesson 7 shows how it is written).
//
// A cell that stops through Must prints "error: " and the message on stderr and
// exits with status 1, which the notebook shows in red and the course's tests
// count as a failure.
package lesson
