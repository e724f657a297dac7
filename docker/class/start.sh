#!/usr/bin/env bash
# Starts a JupyterHub for one class on this machine (docker/class/README.md), in one command:
#
#   sudo bash docker/class/start.sh            start (or check) the class hub; prints its URL
#   sudo bash docker/class/start.sh stop       stop the hub and the proxy (students' servers too
#                                              with --all; their homes always stay)
#   sudo bash docker/class/start.sh restart-hub   restart the hub alone (students keep working)
#   sudo bash docker/class/start.sh status
#
# What it does: makes the hub's environment from the locks (docker/class/setup.sh), builds the
# dlnb image once if it is not there (or pulls DLNB_CLASS_IMAGE_PULL), creates the Docker network
# the students' servers live on, the secrets (proxy token, instructor password: 0600 files in the
# state directory, never in the image or the repository), a self-signed certificate unless you
# give one (Let's Encrypt: see the README), then starts configurable-http-proxy (HTTPS, the only
# public port) and JupyterHub, and waits until the hub answers.
#
# Settings (environment), with their defaults:
#   DLNB_CLASS_STATE=/var/lib/dlnb-class      database, secrets, logs, pid files
#   DLNB_CLASS_PUBLIC_URL=https://0.0.0.0:443 where students connect (the proxy listens here)
#   DLNB_CLASS_SSL_CERT, DLNB_CLASS_SSL_KEY   certificate and key (default: self-signed, in the state dir)
#   DLNB_CLASS_HOSTNAME=$(hostname -f)        the self-signed certificate's name
#   DLNB_CLASS_IMAGE=dlnb:latest              the students' image; DLNB_CLASS_IMAGE_PULL=1 pulls it
#                                             instead of building docker/Dockerfile when it is missing
#   DLNB_CLASS_ADMIN=instructor               the instructor's (admin) account
#   DLNB_CLASS_MEM_LIMIT=2G DLNB_CLASS_CPU_LIMIT=1   per student
#   DLNB_CLASS_HOMES                          a directory: each home is a filesystem there (a sparse
#                                             file, loop-mounted) whose size is the disk quota
#                                             (unset: Docker volumes without a size limit)
#   DLNB_CLASS_HOME_QUOTA=2G                  with DLNB_CLASS_HOMES, each student's disk quota
#   DLNB_CLASS_CULL_TIMEOUT=3600              seconds of inactivity before a server is stopped
#   DLNB_CLASS_NBGRADER=STATE/nbgrader        nbgrader's course directory and exchange (README,
#                                             "Assignments"); empty: no nbgrader mounts
#   DLNB_CLASS_NAME=dlnb-class                containers are NAME-USER, home volumes NAME-home-USER
#   DLNB_CLASS_NETWORK=dlnb-class DLNB_CLASS_HUB_PORT=8081 DLNB_CLASS_PROXY_API_PORT=8001
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cmd=${1:-start}
[ $# -gt 0 ] && shift

state=${DLNB_CLASS_STATE:-/var/lib/dlnb-class}
public_url=${DLNB_CLASS_PUBLIC_URL:-https://0.0.0.0:443}
network=${DLNB_CLASS_NETWORK:-dlnb-class}
hub_port=${DLNB_CLASS_HUB_PORT:-8081}
api_port=${DLNB_CLASS_PROXY_API_PORT:-8001}
image=${DLNB_CLASS_IMAGE:-dlnb:latest}
admin=${DLNB_CLASS_ADMIN:-instructor}
klass=${DLNB_CLASS_NAME:-dlnb-class}
docker=${DOCKER:-docker}
export DOCKER_BUILDKIT=1

say() { echo "class: $*"; }
die() { echo "class: FAIL: $*" >&2; exit 1; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
stop_pid() { # stop_pid PIDFILE NAME
  if alive "$1"; then
    local pid
    pid=$(cat "$1")
    kill "$pid" 2>/dev/null || true
    # 30 s: the hub stops its managed service (the idle culler) first, by SIGINT, then SIGTERM
    # after 10 s; killing the hub before that left the culler running on its own (one more after
    # every restart-hub, each culling with the settings it was started with).
    for _ in $(seq 120); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -9 "$pid" 2>/dev/null || true
    say "stopped $2 (pid $pid)"
  fi
  rm -f "$1"
}

# The public URL's parts: scheme://ip:port.
scheme=${public_url%%://*}
hostport=${public_url#*://}
hostport=${hostport%%/*}
public_ip=${hostport%:*}
public_port=${hostport##*:}
[ "$scheme" = https ] || [ "${DLNB_CLASS_INSECURE:-}" = 1 ] ||
  die "DLNB_CLASS_PUBLIC_URL=$public_url is not https: students' passwords would cross the network in clear"
# The URL a local check uses (0.0.0.0 is where the proxy listens, 127.0.0.1 where we connect).
local_url="$scheme://$([ "$public_ip" = 0.0.0.0 ] && echo 127.0.0.1 || echo "$public_ip"):$public_port"

wait_hub() { # until the hub answers through the proxy (120 s at most)
  for _ in $(seq 120); do
    curl -fsS -k -o /dev/null "$local_url/hub/api" 2>/dev/null && return 0
    alive "$state/hub.pid" || { tail -30 "$state/hub.log" >&2; die "JupyterHub exited (log: $state/hub.log)"; }
    sleep 1
  done
  tail -30 "$state/hub.log" >&2
  die "JupyterHub did not answer at $local_url/hub/api in 120 s"
}

# daemon PIDFILE LOG CMD...: CMD in a session of its own, detached; its pid (written by the process
# itself, as setsid may fork) in PIDFILE.
daemon() {
  local pidfile=$1 log=$2
  shift 2
  rm -f "$pidfile"
  # shellcheck disable=SC2016 # $$ and $@ belong to the inner shell
  (cd "$state" && exec setsid sh -c 'echo $$ >"$0.tmp" && mv "$0.tmp" "$0" && exec "$@"' "$pidfile" "$@") \
    >>"$log" 2>&1 </dev/null &
  for _ in $(seq 50); do [ -s "$pidfile" ] && return 0; sleep 0.1; done
  die "$* did not start (log: $log)"
}

start_hub() {
  daemon "$state/hub.pid" "$state/hub.log" "$DLNB_CLASS_VENV/bin/jupyterhub" -f "$root/docker/class/jupyterhub_config.py"
}

hub_env() {
  local gw
  gw=$("$docker" network inspect -f '{{range .IPAM.Config}}{{.Gateway}}{{end}}' "$network")
  [ -n "$gw" ] || die "the Docker network $network has no gateway address"
  export DLNB_CLASS_STATE=$state DLNB_CLASS_HUB_IP=$gw DLNB_CLASS_HUB_PORT=$hub_port \
    DLNB_CLASS_PROXY_API_URL=http://127.0.0.1:$api_port DLNB_CLASS_PUBLIC_URL=$public_url \
    DLNB_CLASS_IMAGE=$image DLNB_CLASS_NETWORK=$network DLNB_CLASS_ADMIN=$admin DLNB_CLASS_NAME=$klass \
    DLNB_CLASS_ADMIN_PASSWORD_FILE=$state/instructor-password DLNB_CLASS_VENV
  if [ -n "${DLNB_CLASS_HOMES:-}" ]; then
    # Each home is a loop-mounted filesystem of the quota's size (jupyterhub_config.py).
    [ -d "$DLNB_CLASS_HOMES" ] || die "DLNB_CLASS_HOMES=$DLNB_CLASS_HOMES is not a directory"
    command -v mkfs.ext4 >/dev/null || die "mkfs.ext4 is missing (the students' home filesystems): apt-get install e2fsprogs"
    [ -e /dev/loop-control ] || [ -e /dev/loop0 ] || die "no loop devices here (/dev/loop-control): the students' home filesystems need the loop driver (modprobe loop)"
    export DLNB_CLASS_HOMES DLNB_CLASS_HOME_QUOTA=${DLNB_CLASS_HOME_QUOTA:-2G}
  fi
  # nbgrader's course directory and exchange, on the host (jupyterhub_config.py, grading.py).
  export DLNB_CLASS_NBGRADER=${DLNB_CLASS_NBGRADER-$state/nbgrader}
  [ -z "$DLNB_CLASS_NBGRADER" ] || mkdir -p "$DLNB_CLASS_NBGRADER"
  CONFIGPROXY_AUTH_TOKEN=$(cat "$state/proxy-token")
  export CONFIGPROXY_AUTH_TOKEN
}

case "$cmd" in
stop)
  stop_pid "$state/hub.pid" JupyterHub
  stop_pid "$state/proxy.pid" configurable-http-proxy
  if [ "${1:-}" = --all ]; then
    ids=$("$docker" ps -aq --filter "label=dlnb-class=$klass" 2>/dev/null || true)
    # shellcheck disable=SC2086 # one id per word
    [ -z "$ids" ] || { "$docker" rm -f $ids >/dev/null; say "removed the students' containers (their home volumes stay)"; }
  fi
  exit 0 ;;
status)
  for p in hub proxy; do
    if alive "$state/$p.pid"; then say "$p: running (pid $(cat "$state/$p.pid"))"; else say "$p: not running"; fi
  done
  "$docker" ps --filter "label=dlnb-class=$klass" --format 'class: server {{.Names}}: {{.Status}}'
  exit 0 ;;
restart-hub)
  eval "$(bash "$root/docker/class/setup.sh")"
  hub_env
  stop_pid "$state/hub.pid" JupyterHub
  start_hub
  wait_hub
  say "JupyterHub restarted (pid $(cat "$state/hub.pid")); the proxy and the students' servers were left running"
  exit 0 ;;
start) ;;
*) die "unknown command '$cmd' (start, stop [--all], restart-hub, status)" ;;
esac

# ---- start -------------------------------------------------------------------------------------
"$docker" info >/dev/null 2>&1 || die "no Docker engine answers ('$docker info' failed): install and start Docker first"
command -v openssl >/dev/null || [ -n "${DLNB_CLASS_SSL_CERT:-}" ] || die "openssl is needed for the self-signed certificate (or set DLNB_CLASS_SSL_CERT and DLNB_CLASS_SSL_KEY)"
eval "$(bash "$root/docker/class/setup.sh")"
mkdir -p "$state"
chmod 700 "$state"

# The image, once.
if ! "$docker" image inspect "$image" >/dev/null 2>&1; then
  if [ "${DLNB_CLASS_IMAGE_PULL:-}" = 1 ]; then
    say "pulling $image"
    "$docker" pull "$image"
  else
    say "building $image from docker/Dockerfile (once; about 10 minutes on 2 cores)"
    "$docker" build -f "$root/docker/Dockerfile" -t "$image" "$root"
  fi
fi

# The students' network: containers cannot talk to each other (icc off), only to the hub.
if ! "$docker" network inspect "$network" >/dev/null 2>&1; then
  "$docker" network create --label dlnb-class=network -o com.docker.network.bridge.enable_icc=false "$network" >/dev/null
  say "created the Docker network $network"
fi

# Secrets, made once, readable by root only.
umask 077
[ -s "$state/proxy-token" ] || python3 -c 'import secrets; print(secrets.token_hex(32))' >"$state/proxy-token"
new_password=""
if [ ! -s "$state/instructor-password" ]; then
  python3 -c 'import secrets; print(secrets.token_urlsafe(15))' >"$state/instructor-password"
  new_password=1
fi
cert=${DLNB_CLASS_SSL_CERT:-$state/selfsigned.crt}
key=${DLNB_CLASS_SSL_KEY:-$state/selfsigned.key}
if [ "$scheme" = https ] && [ -z "${DLNB_CLASS_SSL_CERT:-}" ] && [ ! -s "$cert" ]; then
  name=${DLNB_CLASS_HOSTNAME:-$(hostname -f 2>/dev/null || hostname)}
  openssl req -x509 -newkey rsa:2048 -nodes -days 365 -subj "/CN=$name" \
    -addext "subjectAltName=DNS:$name,DNS:localhost,IP:127.0.0.1" -keyout "$key" -out "$cert" 2>/dev/null
  say "made a self-signed certificate for $name ($cert); browsers will warn: see the README for Let's Encrypt"
fi
umask 022
hub_env

if alive "$state/proxy.pid"; then
  say "configurable-http-proxy already runs (pid $(cat "$state/proxy.pid"))"
else
  tls=()
  [ "$scheme" = https ] && tls=(--ssl-cert "$cert" --ssl-key "$key")
  daemon "$state/proxy.pid" "$state/proxy.log" "$DLNB_CHP" --ip "$public_ip" --port "$public_port" "${tls[@]}" \
    --api-ip 127.0.0.1 --api-port "$api_port" \
    --default-target "http://$DLNB_CLASS_HUB_IP:$hub_port" --error-target "http://$DLNB_CLASS_HUB_IP:$hub_port/hub/error"
fi
if alive "$state/hub.pid"; then
  say "JupyterHub already runs (pid $(cat "$state/hub.pid"))"
else
  start_hub
fi
wait_hub
say "the class hub is up: $public_url (local check: $local_url)"
say "instructor: $admin, password in $state/instructor-password${new_password:+ (new: $(cat "$state/instructor-password"))}"
say "students sign up at $public_url/hub/signup; approve them at $public_url/hub/authorize"
