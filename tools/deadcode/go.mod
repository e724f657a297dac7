// deadcode (golang.org/x/tools/cmd/deadcode), pinned in its own module for scripts/test-go.sh's
// "no dead code" check: `go tool -modfile=tools/deadcode/go.mod deadcode -test ./...`.
module github.com/dlnb/dlnb/tools/deadcode

go 1.26.0

tool golang.org/x/tools/cmd/deadcode

require (
	golang.org/x/mod v0.42.0 // indirect
	golang.org/x/sync v0.24.0 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/telemetry v0.0.0-20261009151841-97e8ea77aa2a // indirect
	golang.org/x/tools v0.52.0 // indirect
)
