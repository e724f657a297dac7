package nn

import "errors"

// Errors a program may test for with errors.Is. Every error of this package
// says what is wrong and how to fix it in its text; these name the cases a
// program would handle: a model used before Compile, data whose shape does
// not fit the model (or x and y that do not fit each other), and a training
// run whose loss became NaN or infinite (Fit returns the History so far with
// it).
var (
	ErrNotCompiled = errors.New("the model is not compiled")
	ErrShape       = errors.New("shapes do not match")
	ErrDiverged    = errors.New("training diverged")
)

// shapeError is an error about shapes, with its own message, that matches
// ErrShape.
type shapeError struct{ msg string }

func (e shapeError) Error() string        { return e.msg }
func (e shapeError) Is(target error) bool { return target == ErrShape }
