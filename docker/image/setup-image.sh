#!/bin/sh
# Run as root during docker build (docker/Dockerfile), once Go, the tools, the
# module cache and the kernelspec (written by scripts/setup.sh in the build
# stage) are in place. Sets the image's Go defaults in Go's own go.env, read by
# every go command whoever runs it (terminals, gopls, and kernels, whose
# kernelspec env repeats the paths and adds GOPROXY=off), and checks the
# kernelspec. Nothing goes into $HOME.
set -eu
goroot=/usr/local/go
dlnb=/opt/dlnb

# The file proxy is the module cache's download directory: a terminal's go
# command finds every module of the project offline, and anything else still
# comes from the public proxy when there is a network. GONOSUMDB lists exactly
# the modules in the file proxy (verified against go.sum when they were
# downloaded), so that go in a fresh module does not ask the checksum database.
nosumdb=$(paste -sd, "$dlnb/go/modules.txt")
# Go's own default (the public module proxy, then direct), from its go.env.
upstream=$(sed -n 's/^GOPROXY=//p' "$goroot/go.env")
{
    grep -v -e '^GOPROXY=' -e '^GOTOOLCHAIN=' "$goroot/go.env" || true
    echo "# dlnb image settings (docker/image/setup-image.sh)"
    echo "GOPROXY=file://$dlnb/go/mod/cache/download,${upstream:-direct}"
    echo "GONOSUMDB=$nosumdb"
    echo "GOMODCACHE=$dlnb/go/mod"
    echo "GOCACHE=$dlnb/go/cache"
    echo "GOTOOLCHAIN=local"
    echo "CGO_ENABLED=0"
} > "$goroot/go.env.new"
mv "$goroot/go.env.new" "$goroot/go.env"
go env GOPROXY GOMODCACHE GOCACHE GOTOOLCHAIN CGO_ENABLED

# The kernelspec must point at what is in this image.
chmod -R a+rX /usr/local/share/jupyter/kernels
python3 - <<'PY'
import glob, json, os, sys
specs = glob.glob("/usr/local/share/jupyter/kernels/*/kernel.json")
go = [p for p in specs if json.load(open(p)).get("language") == "go"]
if len(go) != 1:
    sys.exit("setup-image.sh: want one Go kernelspec, found %s" % go)
spec = json.load(open(go[0]))
print(go[0], json.dumps(spec, indent=1))
if not os.access(spec["argv"][0], os.X_OK):
    sys.exit("setup-image.sh: the kernel's program %s is missing" % spec["argv"][0])
env = spec.get("env", {})
for key, want in (("GOCACHE", "/opt/dlnb/go/cache"), ("GOMODCACHE", "/opt/dlnb/go/mod")):
    if env.get(key, want) != want:
        sys.exit("setup-image.sh: the kernel's %s is %s, want %s" % (key, env[key], want))
PY
