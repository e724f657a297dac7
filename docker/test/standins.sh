#!/usr/bin/env bash
# Builds local stand-ins for the two base images of docker/Dockerfile, for
# machines that cannot pull from a registry (docker/README.md, "Testing"):
#   dlnb-test/debian:bookworm        debootstrap --variant=minbase + docker import
#   dlnb-test/golang:1.26-bookworm   stand-in for golang:1.26-bookworm (this machine's Go copied in)
#   dlnb-test/base-notebook:bookworm stand-in for quay.io/jupyter/base-notebook, with the
#                                    project's uv.lock (group singleuser) installed by uv
# Each image carries a label with a hash of what it was made from; when that
# hash is unchanged the image is reused, so a warm run takes a second or two.
# Needs root (debootstrap), docker and debootstrap; Go 1.26 on PATH; PyPI (the locked wheels).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

# The Debian mirror and apt sources: this machine's own (DLNB_DEBIAN_MIRROR overrides).
host_sources=/etc/apt/sources.list.d/debian.sources
mirror="${DLNB_DEBIAN_MIRROR:-}"
if [ -z "$mirror" ] && [ -f "$host_sources" ]; then
    mirror=$(sed -n 's/^URIs: *//p' "$host_sources" | grep -v -- '-security' | head -1 | cut -d' ' -f1)
fi
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
    mirror=$(awk '$1 == "deb" && $3 == "bookworm" {print $2; exit}' /etc/apt/sources.list)
fi
if [ -z "$mirror" ]; then
    echo "standins: no Debian mirror found in $host_sources or /etc/apt/sources.list; set DLNB_DEBIAN_MIRROR" >&2
    exit 1
fi
# apt sources of the stand-in: this machine's deb822 file if it has one (bookworm,
# updates, security), else the mirror alone.
sources() {
    if [ -f "$host_sources" ]; then
        cat "$host_sources"
    else
        printf 'Types: deb\nURIs: %s\nSuites: bookworm bookworm-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$mirror"
    fi
}

log() { echo "standins: $*"; }
# The docker client to use (scripts/test-docker.sh passes Debian's, which has BuildKit built in).
docker() { "${DOCKER:-docker}" "$@"; }

# current_hash IMAGE: the dlnb.standin label of IMAGE, empty if there is none.
current_hash() {
    docker image inspect -f '{{index .Config.Labels "dlnb.standin"}}' "$1" 2>/dev/null || true
}

image_id() { docker image inspect -f '{{.Id}}' "$1"; }

# drop_old ID TAG: removes the image a rebuild of TAG replaced (ID, now untagged),
# so repeated runs do not pile up stale stand-ins.
drop_old() {
    if [ -n "$1" ] && [ "$1" != "$(image_id "$2")" ]; then
        docker rmi "$1" >/dev/null 2>&1 || true
    fi
}

build_debian() {
    local tag=dlnb-test/debian:bookworm want
    # Bump the "v1" to force a rebuild after changing how the image is made.
    want="$( (echo "debian-minbase-v1 $mirror"; sources) | sha256sum | cut -c1-16)"
    if [ "$(current_hash "$tag")" = "$want" ]; then
        log "$tag is up to date"; return
    fi
    local old
    old=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
    log "building $tag with debootstrap from $mirror (about a minute)"
    local root
    root="$(mktemp -d /tmp/dlnb-debootstrap.XXXXXX)"
    if ! debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1; then
        tail -20 "$root.log" >&2
        echo "standins: debootstrap failed (log above, full log in $root.log)" >&2
        exit 1
    fi
    rm -f "$root/etc/apt/sources.list"
    sources > "$root/etc/apt/sources.list.d/debian.sources"
    rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/archives/*.deb "$root"/var/cache/apt/*.bin
    tar -C "$root" -c . | docker import \
        -c 'CMD ["bash"]' \
        -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        -c "LABEL dlnb.standin=$want" \
        - "$tag" >/dev/null
    rm -rf "$root" "$root.log"
    drop_old "$old" "$tag"
}

build_golang() {
    local tag=dlnb-test/golang:1.26-bookworm goroot gover want ctx
    goroot="$(go env GOROOT)"
    gover="$(go env GOVERSION)"
    case "$gover" in
        go1.26*) ;;
        *) echo "standins: the Go stand-in needs Go 1.26 on PATH, found $gover" >&2; exit 1 ;;
    esac
    want="$( (cat "$here/golang/Dockerfile"; echo "$gover"; image_id dlnb-test/debian:bookworm) | sha256sum | cut -c1-16)"
    if [ "$(current_hash "$tag")" = "$want" ]; then
        log "$tag is up to date"; return
    fi
    local old
    old=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
    log "building $tag with $gover from $goroot"
    ctx="$(mktemp -d /tmp/dlnb-golang-ctx.XXXXXX)"
    cp "$here/golang/Dockerfile" "$ctx/"
    # Hard links when possible: the context is then made without copying 250 MB.
    cp -al "$goroot" "$ctx/go" 2>/dev/null || cp -a "$goroot" "$ctx/go"
    rm -rf "$ctx/go/pkg/obj" "$ctx/go/.git"
    docker build -q --label "dlnb.standin=$want" -t "$tag" "$ctx" >/dev/null
    rm -rf "$ctx"
    drop_old "$old" "$tag"
}

build_base_notebook() {
    local tag=dlnb-test/base-notebook:bookworm want uv ctx
    # Its Python packages are the project's lock (pyproject.toml + uv.lock, group singleuser),
    # installed by the pinned uv: the same JupyterLab, Notebook, jupyter-server and
    # jupyterhub-singleuser as build/venv/jupyter and the real docker-stacks base.
    uv="$(bash "$repo/scripts/uv.sh")"
    want="$( (cat "$here"/base-notebook/* "$repo/pyproject.toml" "$repo/uv.lock"; "$uv" --version
        image_id dlnb-test/debian:bookworm) | sha256sum | cut -c1-16)"
    if [ "$(current_hash "$tag")" = "$want" ]; then
        log "$tag is up to date"; return
    fi
    local old
    old=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
    log "building $tag (Python packages from uv.lock with $("$uv" --version), about a minute)"
    ctx="$(mktemp -d /tmp/dlnb-base-notebook-ctx.XXXXXX)"
    cp "$here"/base-notebook/* "$repo/pyproject.toml" "$repo/uv.lock" "$ctx/"
    cp "$uv" "$ctx/uv"
    local secret=()
    if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
        # This machine's CA bundle, for PyPI behind a TLS-intercepting proxy (never in a layer).
        secret=(--secret "id=ca,src=/etc/ssl/certs/ca-certificates.crt")
    fi
    if ! DOCKER_BUILDKIT=1 docker build --progress=plain "${secret[@]}" --label "dlnb.standin=$want" \
            -t "$tag" "$ctx" >"$ctx.log" 2>&1; then
        tail -40 "$ctx.log" >&2
        rm -rf "$ctx"
        echo "standins: building $tag failed (log above, full log in $ctx.log)" >&2
        exit 1
    fi
    grep -o 'stand-in: JupyterLab [0-9].*' "$ctx.log" | head -1 | sed 's/^/standins: /'
    rm -rf "$ctx" "$ctx.log"
    drop_old "$old" "$tag"
}

build_debian
build_golang
build_base_notebook
