#!/usr/bin/env bash
# Go unit tests, examples and a short run of every benchmark (so benchmarks keep compiling and running).
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local
go vet ./...
go test -count=1 ./...
# The concurrency contract of nn (many goroutines predicting with one model,
# Predict during Fit) is checked by the race detector. Two tests run only in
# the plain run above: the timed 20 M parameter save (the race detector slows
# it 10x) and the count of allocations per batch (the race detector's own
# bookkeeping allocates).
go test -count=1 -race -skip '^(TestCompactLargeModel|TestTrainingLoopDoesNotAllocatePerBatch)$' ./nn/
go test -count=1 -run '^$' -bench . -benchtime 1x ./... >/dev/null
