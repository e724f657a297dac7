#!/usr/bin/env bash
# The class stage of `make test` (make test-class): starts the class hub of docker/class with its
# one command (docker/class/start.sh) on 127.0.0.1 over HTTPS (a self-signed certificate), then
# scripts/class_test.py: N students (DLNB_CLASS_STUDENTS, default 5 in make test; `make test-class-large`
# runs 30) sign up, are approved by the instructor, log in, start their servers at the same moment
# and run a training cell through the proxy; then the fault cases (a container killed mid-cell,
# the hub restarted, the memory limit, the disk quota, an image upgrade, the idle culler); then, in headless
# Chromium, a student logs in over HTTPS and runs a lesson in JupyterLab 4 and the instructor sees
# them on the admin page (scripts/test-class-browser.sh). Before the students arrive, nbgrader:
# the instructor releases an assignment, two students fetch and submit it, the instructor
# collects, autogrades and sends feedback, and the formgrader in the instructor's JupyterLab shows
# each score (scripts/test-class-grading.sh). Fails on any failed spawn, error cell, lost file or
# wrong score. Report: build/class-test/report.json.
#
# Needs root (docker); builds the dlnb image on the local stand-ins when DLNB_IMAGE (default
# dlnb:test, what scripts/test-docker.sh builds) is missing. Locally a missing piece skips with
# the reason; with CI=true it fails. DLNB_KEEP=1 leaves the hub and the servers after a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
image=${DLNB_IMAGE:-dlnb:test}
students=${DLNB_CLASS_STUDENTS:-5}
t_stage=$(date +%s)

say() { echo "test-class: $*"; }
die() { echo "test-class: FAIL: $*" >&2; exit 1; }
skip() {
  if [ "${CI:-}" = true ]; then die "$* (CI=true: a missing piece is a failure)"; fi
  echo "test-class: SKIP: $*" >&2
  exit 0
}

if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    exec sudo -n --preserve-env=CI,DLNB_IMAGE,DLNB_KEEP,DLNB_CLASS_STUDENTS,DLNB_GRADING_EXPECT,PATH "$0" "$@"
  fi
  skip "needs root (docker) and there is no password-less sudo"
fi
DOCKER=/usr/bin/docker
[ -x "$DOCKER" ] || DOCKER=$(command -v docker || true)
[ -n "$DOCKER" ] || skip "no docker client (scripts/test-docker.sh installs Debian's docker.io)"
export DOCKER DOCKER_BUILDKIT=1
docker() { "$DOCKER" "$@"; }
if ! docker info >/dev/null 2>&1; then
  (setsid nohup dockerd >/var/log/dlnb-dockerd.log 2>&1 &)
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || skip "no Docker engine runs and dockerd did not start"
fi
command -v openssl >/dev/null || skip "openssl is missing (the self-signed certificate)"
export GOTOOLCHAIN=local
command -v go >/dev/null || PATH=/usr/local/go/bin:$PATH
eval "$(bash docker/class/setup.sh)"
# shellcheck source=scripts/test-class-browser.sh
. scripts/test-class-browser.sh
# shellcheck source=scripts/test-class-quota.sh
. scripts/test-class-quota.sh
# shellcheck source=scripts/test-class-grading.sh
. scripts/test-class-grading.sh

# The image: dlnb:test as scripts/test-docker.sh builds it (on the local stand-ins).
if ! docker image inspect "$image" >/dev/null 2>&1; then
  say "$image is missing: building it on the local stand-ins (as scripts/test-docker.sh does)"
  bash docker/test/standins.sh
  secret=()
  [ -f /etc/ssl/certs/ca-certificates.crt ] && secret=(--secret "id=ca,src=/etc/ssl/certs/ca-certificates.crt")
  docker build -q -f docker/Dockerfile --build-arg GO_IMAGE=dlnb-test/golang:1.26-bookworm \
    --build-arg BASE_IMAGE=dlnb-test/base-notebook:bookworm "${secret[@]}" -t "$image" . >/dev/null
fi

# A class of its own: names, network, ports and state that no real class on this machine uses.
klass=dlnb-classtest
class_image=$klass:current
docker tag "$image" "$class_image"
work=$(mktemp -d /tmp/dlnb-test-class.XXXXXX)
free_port() { "$DLNB_CLASS_PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
port=$(free_port)
hub_port=$(free_port)
api_port=$(free_port)
export DLNB_CLASS_STATE=$work/state DLNB_CLASS_PUBLIC_URL=https://127.0.0.1:$port DLNB_CLASS_HOSTNAME=localhost \
  DLNB_CLASS_IMAGE=$class_image DLNB_CLASS_NAME=$klass DLNB_CLASS_NETWORK=$klass \
  DLNB_CLASS_HUB_PORT=$hub_port DLNB_CLASS_PROXY_API_PORT=$api_port \
  DLNB_CLASS_MEM_LIMIT=${DLNB_CLASS_MEM_LIMIT:-1G} DLNB_CLASS_CPU_LIMIT=${DLNB_CLASS_CPU_LIMIT:-1} \
  DLNB_CLASS_CULL_TIMEOUT=3600 DLNB_CLASS_POLL_INTERVAL=5 # the culler case restarts the hub with 60
cleanup() {
  local rc=$?
  if [ "${DLNB_KEEP:-}" = 1 ] && [ $rc -ne 0 ]; then
    say "DLNB_KEEP=1: leaving the hub, the servers and $work"
    return
  fi
  bash docker/class/start.sh stop --all >/dev/null 2>&1 || true
  # The hub's and the proxy's logs (the idle culler's lines are in the hub's) stay for a look.
  mkdir -p build/class-test
  cp "$DLNB_CLASS_STATE"/hub.log "$DLNB_CLASS_STATE"/proxy.log build/class-test/ 2>/dev/null || true
  local vols
  vols=$(docker volume ls -q --filter "name=^$klass-home-" 2>/dev/null || true)
  # shellcheck disable=SC2086 # one name per word
  [ -z "$vols" ] || docker volume rm $vols >/dev/null 2>&1 || true
  docker network rm "$klass" >/dev/null 2>&1 || true
  class_quota_unmount
  docker rmi "$class_image" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

class_quota_homes 200M # each student's home: a 200 MB filesystem of its own
t0=$(date +%s)
bash docker/class/start.sh
say "the class hub started in $(($(date +%s) - t0)) s"
# HTTPS only, with the certificate start.sh made; a plain-HTTP request is not served.
export DLNB_CA_FILE=$DLNB_CLASS_STATE/selfsigned.crt
curl -fsS --cacert "$DLNB_CA_FILE" -o /dev/null "https://localhost:$port/hub/login" ||
  die "the hub's login page is not served over HTTPS with the self-signed certificate"
if curl -fsS -o /dev/null --max-time 5 "http://127.0.0.1:$port/hub/login" 2>/dev/null; then
  die "the hub answered plain HTTP on its public port"
fi
say "HTTPS only: the login page answers with the self-signed certificate, plain HTTP does not"

mkdir -p build/class-test
# nbgrader first, while the idle culler has its default hour (class_test.py's culler case ends
# with a 60 s one, which would stop the instructor's server in the middle of autograde).
class_grading_check
"$DLNB_CLASS_PYTHON" scripts/class_test.py --url "https://localhost:$port" \
  --admin-password-file "$DLNB_CLASS_STATE/instructor-password" --students "$students" \
  --state "$DLNB_CLASS_STATE" --start-sh docker/class/start.sh --image "$class_image" --prefix "$klass" \
  --work "$work" --cull-timeout 60 --disk-quota-mb 200 --faults --report "$root/build/class-test/report.json"
class_browser_check student2 class-test-pw-student2 # class_test.py's student2 (its password scheme)
say "passed in $(($(date +%s) - t_stage)) s with $students students (report: build/class-test/report.json)"
