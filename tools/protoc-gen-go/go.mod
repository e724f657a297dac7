// protoc-gen-go (google.golang.org/protobuf), pinned in its own module for internal/onnxpb's
// generated ONNX bindings: `go build -modfile=tools/protoc-gen-go/go.mod -o build/bin/protoc-gen-go
// google.golang.org/protobuf/cmd/protoc-gen-go` (internal/onnxpb/generate.sh does it).
module github.com/dlnb/dlnb/tools/protoc-gen-go

go 1.26.0

tool google.golang.org/protobuf/cmd/protoc-gen-go

require google.golang.org/protobuf v1.36.12 // indirect
