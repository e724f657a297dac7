//go:build notebooks

// Package notebooks is never compiled into anything: this file lists the
// packages that lessons import directly, besides the project's own. Because it
// imports them, go.mod keeps them pinned (go mod tidy reads files of every build
// tag), `go mod download` fetches them for offline use, and scripts/setup.sh
// compiles them into the Go build cache before the first notebook cell runs
// (`go build -tags notebooks ./notebooks`). A lesson that needs another module
// adds it here.
package notebooks

import (
	_ "github.com/dlnb/dlnb/datasets"
	_ "github.com/dlnb/dlnb/exercises/check"
	_ "github.com/dlnb/dlnb/nn"
	_ "github.com/dlnb/dlnb/nn/onnx"
	_ "github.com/dlnb/dlnb/notebooks/lesson"
	_ "github.com/dlnb/dlnb/plotting"

	_ "github.com/janpfeifer/gonb/cache"
	_ "github.com/janpfeifer/gonb/gonbui"
	_ "gonum.org/v1/gonum/floats"
	_ "gonum.org/v1/gonum/mat"
)
