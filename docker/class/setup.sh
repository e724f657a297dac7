#!/usr/bin/env bash
# Makes the class hub's host environment, from locks only, and prints where it is:
#   build/venv/class    JupyterHub 5.5.4, DockerSpawner, NativeAuthenticator, the idle culler
#                       (docker/class/pyproject.toml + uv.lock, by the pinned uv of scripts/uv.sh)
#   build/class/proxy   configurable-http-proxy 4.6.3 (docker/class/proxy/package-lock.json, npm ci)
# Idempotent: each is remade only when its lock changed (a stamp beside it), so a second run
# takes a second. Used by docker/class/start.sh, scripts/test-class.sh and scripts/test-docker.sh.
#
#   eval "$(bash docker/class/setup.sh)"    sets DLNB_CLASS_PYTHON, DLNB_CLASS_VENV, DLNB_CHP
#
# Needs python3 (3.11+, for uv to build the environment on), curl, node and npm; on Debian
# with root (or password-less sudo) it installs the missing ones with apt-get.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
venv=${DLNB_CLASS_VENV:-$root/build/venv/class}
proxy=${DLNB_CLASS_PROXY_DIR:-$root/build/class/proxy}
say() { echo "class-setup: $*" >&2; }

hash_of() { cat "$@" | (sha256sum 2>/dev/null || shasum -a 256) | cut -c1-16; }

need=()
command -v python3 >/dev/null 2>&1 || need+=(python3)
command -v curl >/dev/null 2>&1 || need+=(curl ca-certificates)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo -n"
  if [ "${DLNB_NO_APT:-}" != 1 ] && command -v apt-get >/dev/null 2>&1 && { [ -z "$sudo" ] || sudo -n true 2>/dev/null; }; then
    say "installing ${need[*]} with apt-get"
    $sudo apt-get -o DPkg::Lock::Timeout=600 update >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "class-setup: missing ${need[*]}: install them (python3 3.11+, curl, Node.js 18+ with npm) and run this again" >&2
    exit 1
  fi
fi

# The hub's Python environment.
want=$(hash_of "$root/docker/class/pyproject.toml" "$root/docker/class/uv.lock")
if [ -x "$venv/bin/jupyterhub" ] && [ "$(cat "$venv/.dlnb-lock-stamp" 2>/dev/null)" = "$want" ]; then
  :
else
  uv=$(bash "$root/scripts/uv.sh")
  say "making $venv from docker/class/uv.lock (JupyterHub, DockerSpawner, NativeAuthenticator, idle culler)"
  # An absolute path: uv resolves a relative UV_PROJECT_ENVIRONMENT against the project directory.
  UV_PROJECT_ENVIRONMENT=$venv "$uv" sync --locked --project "$root/docker/class" --quiet
  printf '%s\n' "$want" >"$venv/.dlnb-lock-stamp.tmp" && mv "$venv/.dlnb-lock-stamp.tmp" "$venv/.dlnb-lock-stamp"
fi

# configurable-http-proxy, exactly as package-lock.json says (npm ci checks every integrity hash).
want=$(hash_of "$root/docker/class/proxy/package.json" "$root/docker/class/proxy/package-lock.json")
chp=$proxy/node_modules/.bin/configurable-http-proxy
if [ -x "$chp" ] && [ "$(cat "$proxy/.dlnb-lock-stamp" 2>/dev/null)" = "$want" ]; then
  :
else
  say "installing configurable-http-proxy into $proxy (npm ci from docker/class/proxy/package-lock.json)"
  mkdir -p "$proxy"
  cp "$root/docker/class/proxy/package.json" "$root/docker/class/proxy/package-lock.json" "$proxy/"
  (cd "$proxy" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  [ -x "$chp" ] || { echo "class-setup: npm ci did not install $chp" >&2; exit 1; }
  printf '%s\n' "$want" >"$proxy/.dlnb-lock-stamp.tmp" && mv "$proxy/.dlnb-lock-stamp.tmp" "$proxy/.dlnb-lock-stamp"
fi

printf 'DLNB_CLASS_VENV=%q\nDLNB_CLASS_PYTHON=%q\nDLNB_CHP=%q\n' "$venv" "$venv/bin/python" "$chp"
