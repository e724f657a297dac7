#!/usr/bin/env bash
# Go unit tests, examples and a short run of every benchmark (so benchmarks keep compiling and running).
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local
go vet ./...
go test -count=1 ./...
# The concurrency contract of nn (many goroutines predicting with one model,
# Predict during Fit) is checked by the race detector.
# Only the concurrent tests: the race detector slows the rest several times and allocates on its own
# (the allocation and large-model tests run in the plain pass above).
go test -count=1 -race -run 'Concurrent|DuringFit|Goroutine' ./nn/
go test -count=1 -run '^$' -bench . -benchtime 1x ./... >/dev/null
