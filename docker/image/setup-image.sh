#!/bin/sh
# Run as root during docker build (docker/Dockerfile), after Go, the tools and
# the module cache are in place. Sets the image's Go defaults in Go's own
# go.env (read by every go command, whoever runs it: kernels, terminals,
# gopls) and registers the GoNB kernel system-wide. Nothing goes into $HOME.
set -eu
goroot=/usr/local/go
dlnb=/opt/dlnb

# The file proxy is the module cache's download directory: notebooks build with
# the network off, and anything else still comes from the public proxy when
# there is a network. GONOSUMDB lists exactly the modules in the file proxy
# (verified against go.sum when they were downloaded), so that go get in a
# notebook's fresh temporary module does not ask the checksum database.
nosumdb=$(paste -sd, "$dlnb/go/modules.txt")
{
    grep -v -e '^GOPROXY=' -e '^GOTOOLCHAIN=' "$goroot/go.env" || true
    echo "# dlnb image settings (docker/image/setup-image.sh)"
    echo "GOPROXY=file://$dlnb/go/mod/cache/download,https://proxy.golang.org,direct"
    echo "GONOSUMDB=$nosumdb"
    echo "GOMODCACHE=$dlnb/go/mod"
    echo "GOCACHE=$dlnb/go/cache"
    echo "GOTOOLCHAIN=local"
    echo "CGO_ENABLED=0"
} > "$goroot/go.env.new"
mv "$goroot/go.env.new" "$goroot/go.env"
go env GOPROXY GOMODCACHE GOCACHE GOTOOLCHAIN CGO_ENABLED

# The kernelspec, in a system directory every Jupyter searches. The kernel
# gets PATH with Go and the tools whatever the server's PATH is (JupyterHub
# spawners and SageMaker may set their own), and starts every notebook with a
# go.work that uses the project, so cells import its packages with no setup.
HOME=/tmp/gonb-install JUPYTER_DATA_DIR=/usr/local/share/jupyter \
    gonb --install --go_work="$dlnb/src"
rm -rf /tmp/gonb-install
# Named dlnb, like the kernel scripts/setup.sh registers, which the lessons name.
rm -rf /usr/local/share/jupyter/kernels/dlnb
mv /usr/local/share/jupyter/kernels/gonb /usr/local/share/jupyter/kernels/dlnb
spec=/usr/local/share/jupyter/kernels/dlnb/kernel.json
python3 - "$spec" <<'PY'
import json, os, sys
path = sys.argv[1]
with open(path) as f:
    spec = json.load(f)
spec["display_name"] = "Go (dlnb)"
spec.setdefault("env", {})["PATH"] = "/opt/dlnb/bin:/usr/local/go/bin:${PATH}"
with open(path + ".new", "w") as f:
    json.dump(spec, f, indent=1)
os.replace(path + ".new", path)
PY
chmod -R a+rX /usr/local/share/jupyter/kernels/dlnb
cat "$spec"
