#!/usr/bin/env bash
# Writes onnx.pb.go, the Go bindings of onnx.proto (ONNX 1.23.2's, copied from the onnx
# wheel that parity/uv.lock pins: onnx/onnx.proto, Apache-2.0), with protoc 3.21.12 (Debian
# 12's protobuf-compiler, installed here by apt-get when missing and we may) and
# protoc-gen-go v1.36.12 (pinned in tools/protoc-gen-go). `go generate ./internal/onnxpb`
# runs it; scripts/test-go.sh runs it and fails if the checked-in onnx.pb.go differs.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
# shellcheck source=../../scripts/runtime-env.sh
. "$root/scripts/runtime-env.sh"
want="libprotoc 3.21.12"
if ! command -v protoc >/dev/null 2>&1; then
  if dlnb_can_apt; then
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo -n"
    DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends protobuf-compiler >/dev/null 2>&1 || {
      $sudo apt-get -o DPkg::Lock::Timeout=600 update >/dev/null
      DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends protobuf-compiler >/dev/null
    }
  else
    echo "internal/onnxpb/generate.sh: protoc is not installed: apt-get install protobuf-compiler (Debian 12: $want)" >&2
    exit 1
  fi
fi
have=$(protoc --version)
if [ "$have" != "$want" ]; then
  echo "internal/onnxpb/generate.sh: protoc says '$have', the checked-in onnx.pb.go was made by '$want'" >&2
  echo "  (its header names the version): install Debian 12's protobuf-compiler 3.21.12" >&2
  exit 1
fi
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
(cd "$root" && GOTOOLCHAIN=local go build -modfile=tools/protoc-gen-go/go.mod -o "$bin/protoc-gen-go" google.golang.org/protobuf/cmd/protoc-gen-go)
cd "$here"
protoc --plugin=protoc-gen-go="$bin/protoc-gen-go" --go_out="$bin" --go_opt=paths=source_relative \
  --go_opt=Monnx.proto=github.com/dlnb/dlnb/internal/onnxpb onnx.proto
# Written to a temporary name and renamed, as every file of the project.
mv "$bin/onnx.pb.go" onnx.pb.go.tmp
mv onnx.pb.go.tmp onnx.pb.go
