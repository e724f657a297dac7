#!/usr/bin/env bash
# The Docker image test (a stage of scripts/test.sh). On a fresh Debian machine
# it installs what it needs (Debian's docker.io, debootstrap, shellcheck, node; the hub and
# the tests' Python from docker/class's locks via docker/class/setup.sh), starts dockerd if
# none runs, and then, with no registry:
#   1. builds local stand-ins for the base images (docker/test/standins.sh); the Jupyter one
#      holds the project's uv.lock (group singleuser), and its versions must equal the lock's,
#   2. builds docker/Dockerfile on them with --build-arg,
#   3. runs the image: Jupyter answers with the token, refuses a request without it, serves
#      JupyterLab's page, lists the Go kernel, runs as UID 1000, and a Go cell answers in a
#      session for a seeded lesson (what opening it in JupyterLab does),
#   4. executes lessons inside a container with the network off and an empty
#      volume over /home/jovyan (the lessons are seeded by the image's hook), with the
#      project's one notebook runner (scripts/run_notebooks.py),
#   5. spawns the image from JupyterHub 5.5.4 (docker/class's lock) and runs a Go cell
#      through the hub's proxy (configurable-http-proxy from docker/class's npm lock),
#   6. syntax-checks the deployment templates in docker/deploy,
# then stops what it started (dockerd may keep running). Everything listens on
# 127.0.0.1 only. Locally a missing prerequisite (no root) skips with the reason;
# with CI=true it is a failure.
#
# Settings: DLNB_IMAGE (default dlnb:test), DLNB_KEEP=1 keeps the containers
# and the hub for a look after a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
image=${DLNB_IMAGE:-dlnb:test}
t_stage=$(date +%s)

say() { echo "test-docker: $*"; }
die() { echo "test-docker: FAIL: $*" >&2; exit 1; }
skip() {
  if [ "${CI:-}" = true ]; then die "$* (CI=true: a missing piece is a failure)"; fi
  echo "test-docker: SKIP: $*" >&2
  exit 0
}

# ---- prerequisites ---------------------------------------------------------------------------
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    exec sudo -n --preserve-env=CI,DLNB_IMAGE,DLNB_KEEP,PATH "$0" "$@"
  fi
  skip "needs root (apt-get, dockerd, debootstrap) and there is no password-less sudo"
fi
command -v apt-get >/dev/null || skip "needs Debian's apt-get to install docker.io and debootstrap"

# Nothing Jupyter comes from Debian: the hub, its proxy and the tests' Python are the locked
# ones of docker/class (below); apt brings the engine, debootstrap and shellcheck here, and
# docker/class/setup.sh python3 and Node.js if there are none (it looks for the commands: a
# NodeSource node is as good as Debian's).
pkgs=(docker.io debootstrap shellcheck curl ca-certificates)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt_install() {
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}" >/dev/null
  }
  apt_install || { apt-get -o DPkg::Lock::Timeout=600 update >/dev/null && apt_install; }
fi

# Debian's client: it has BuildKit built in (a newer client elsewhere on PATH may
# need the buildx plugin, which is not packaged for bookworm).
DOCKER=/usr/bin/docker
export DOCKER DOCKER_BUILDKIT=1
docker() { "$DOCKER" "$@"; }
if ! docker info >/dev/null 2>&1; then
  say "starting dockerd (log: /var/log/dlnb-dockerd.log); it keeps running afterwards"
  (setsid nohup dockerd >/var/log/dlnb-dockerd.log 2>&1 &)
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
  docker info >/dev/null 2>&1 || { tail -20 /var/log/dlnb-dockerd.log >&2; die "dockerd did not start"; }
fi
export GOTOOLCHAIN=local
command -v go >/dev/null || PATH=/usr/local/go/bin:$PATH
command -v go >/dev/null || die "Go is not installed (the Go stand-in image copies this machine's Go 1.26)"
# The hub (JupyterHub 5.5.4), configurable-http-proxy and the tests' Python (the Jupyter client,
# pyyaml, cfn-lint), all from locks: docker/class/uv.lock and docker/class/proxy/package-lock.json.
eval "$(bash docker/class/setup.sh)"
PY=$DLNB_CLASS_PYTHON

# ---- 0: the build context holds the project's files and no planted secret ----------------------
bash docker/test/check-context.sh

# ---- cleanup ---------------------------------------------------------------------------------
work=$(mktemp -d /tmp/dlnb-test-docker.XXXXXX)
hub_pid=""
cleanup() {
  local rc=$?
  if [ "${DLNB_KEEP:-}" = 1 ] && [ $rc -ne 0 ]; then
    say "DLNB_KEEP=1: leaving the containers, the hub and $work"
    return
  fi
  if [ -n "$hub_pid" ] && kill -0 "$hub_pid" 2>/dev/null; then
    kill "$hub_pid" 2>/dev/null || true
    for _ in $(seq 20); do kill -0 "$hub_pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$hub_pid" 2>/dev/null || true
  fi
  # The hub's proxy, started by the hub, writes its pid here.
  if [ -f "$work/hub/proxy.pid" ]; then kill "$(cat "$work/hub/proxy.pid")" 2>/dev/null || true; fi
  local ids
  ids=$(docker ps -aq --filter label=dlnb-test 2>/dev/null || true)
  if [ -n "$ids" ]; then
    # shellcheck disable=SC2086 # one id per word
    docker rm -f $ids >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wait_token CONTAINER: the token Jupyter prints in its log.
wait_token() {
  local tok=""
  for _ in $(seq 120); do
    tok=$(docker logs "$1" 2>&1 | grep -o 'token=[0-9a-f]\{16,\}' | head -1 | cut -d= -f2 || true)
    [ -n "$tok" ] && break
    [ "$(docker inspect -f '{{.State.Running}}' "$1")" = true ] || break
    sleep 0.5
  done
  if [ -z "$tok" ]; then
    docker logs "$1" 2>&1 | tail -30 >&2
    die "$1: no token in Jupyter's log"
  fi
  echo "$tok"
}

# The image runs the notebook runtime's own setup (scripts/setup.sh).
[ -f scripts/setup.sh ] || die "scripts/setup.sh (the notebook runtime) is missing: docker/Dockerfile runs it"

# ---- 1 and 2: the stand-ins and the image ------------------------------------------------------
t0=$(date +%s)
bash docker/test/standins.sh
say "stand-in base images ready in $(($(date +%s) - t0)) s"

# The stand-in's Jupyter is the project's lock: the versions it runs must be uv.lock's.
# lock_versions FILE PKG...: "pkg version" of each package in a uv lock file.
lock_versions() {
  "$PY" - "$@" <<'PY'
import sys, tomllib
with open(sys.argv[1], "rb") as f:
    pkgs = {p["name"]: p["version"] for p in tomllib.load(f)["package"]}
for name in sys.argv[2:]:
    print(name, pkgs.get(name, "(not in the lock)"))
PY
}
# image_versions IMAGE PKG...: "pkg version" of each distribution installed in IMAGE's Python.
image_versions() {
  local img=$1
  shift
  docker run --rm --network none --entrypoint python3 "$img" -c '
import sys
from importlib.metadata import version, PackageNotFoundError
for name in sys.argv[1:]:
    try:
        print(name, version(name))
    except PackageNotFoundError:
        print(name, "(not installed)")' "$@"
}
jupyter_pkgs=(jupyterlab jupyter-server notebook jupyterhub nbclient)
want_versions=$(lock_versions uv.lock "${jupyter_pkgs[@]}")
got_versions=$(image_versions dlnb-test/base-notebook:bookworm "${jupyter_pkgs[@]}")
say "stand-in base's Python packages: $(paste -sd, <<<"$got_versions" | sed 's/,/, /g')"
[ "$got_versions" = "$want_versions" ] ||
  die "the stand-in base's Jupyter differs from uv.lock: got
$got_versions
want
$want_versions"
# The hub that spawns the image (docker/class) must be the version of its jupyterhub-singleuser.
hub_want=$(lock_versions uv.lock jupyterhub)
hub_got=$(lock_versions docker/class/uv.lock jupyterhub)
[ "$hub_got" = "$hub_want" ] || die "docker/class/uv.lock has $hub_got, the image's lock $hub_want: the hub and the single-user servers must agree"
say "they equal uv.lock's; the class hub's lock has the same $hub_got"

old_id=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
secret=()
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  # This machine's CA bundle, for module downloads behind a TLS-intercepting proxy.
  secret=(--secret "id=ca,src=/etc/ssl/certs/ca-certificates.crt")
fi
t0=$(date +%s)
if ! docker build --progress=plain -f docker/Dockerfile \
    --build-arg GO_IMAGE=dlnb-test/golang:1.26-bookworm \
    --build-arg BASE_IMAGE=dlnb-test/base-notebook:bookworm \
    "${secret[@]}" -t "$image" . >"$work/build.log" 2>&1; then
  tail -60 "$work/build.log" >&2
  die "docker build failed (the last lines of its log are above)"
fi
build_s=$(($(date +%s) - t0))
new_id=$(docker image inspect -f '{{.Id}}' "$image")
if [ -n "$old_id" ] && [ "$old_id" != "$new_id" ]; then
  docker rmi "$old_id" >/dev/null 2>&1 || true # the previous build, now untagged
fi
size=$(docker image inspect -f '{{.Size}}' "$image")
say "built $image in ${build_s} s; image size $((size / 1000000)) MB"
got_versions=$(image_versions "$image" "${jupyter_pkgs[@]}")
[ "$got_versions" = "$want_versions" ] || die "$image's Jupyter differs from uv.lock: got
$got_versions
want
$want_versions"

user=$(docker image inspect -f '{{.Config.User}}' "$image")
case "$user" in
  1000 | 1000:* | jovyan | jovyan:*) ;;
  *) die "the image's USER is '$user', expected 1000 (jovyan)" ;;
esac

# nbgrader (docker/image/nbgrader): uv.lock's version; by default the students' parts only (the
# Assignments list, Validate), with the instructor's config directory (what the class hub sets for
# its instructor) the formgrader too. What the servers' config managers read, as a server does.
nbgrader_parts() { # nbgrader_parts [JUPYTER_CONFIG_PATH]
  docker run --rm --network none --entrypoint python3 -e "JUPYTER_CONFIG_PATH=${1:-}" "$image" -c '
import nbgrader
from jupyter_core.paths import jupyter_config_path
from jupyter_server.extension.config import ExtensionConfigManager
from jupyterlab_server.config import get_static_page_config
ext = ExtensionConfigManager(read_config_path=jupyter_config_path()).get_jpserver_extensions()
off = get_static_page_config(level="all").get("disabledExtensions", {})
on = [n.split(".")[-1] for n, v in sorted(ext.items()) if n.startswith("nbgrader.") and v]
lab = ["formgrader", "create-assignment", "course-list", "assignment-list", "validate-assignment"]
print(nbgrader.__version__, "server:" + ",".join(on), "lab:" + ",".join(p for p in lab if not off.get("@jupyter/nbgrader:" + p)))'
}
want_nbgrader=$(sed -n 's/^nbgrader = \["nbgrader==\(.*\)"\]$/\1/p' pyproject.toml)
got=$(nbgrader_parts)
[ "$got" = "$want_nbgrader server:assignment_list,validate_assignment lab:assignment-list,validate-assignment" ] ||
  die "nbgrader in $image for a student: got '$got', want $want_nbgrader with the assignment list and validate only"
got=$(nbgrader_parts /opt/dlnb/share/nbgrader/instructor)
[ "$got" = "$want_nbgrader server:assignment_list,course_list,formgrader,validate_assignment lab:formgrader,create-assignment,course-list,assignment-list,validate-assignment" ] ||
  die "nbgrader in $image for the instructor (JUPYTER_CONFIG_PATH=/opt/dlnb/share/nbgrader/instructor): got '$got', want every part"
say "nbgrader $want_nbgrader: students get the assignment list and validate; the instructor's config adds the formgrader, create assignment, the course list"

# ---- 3: the image runs -------------------------------------------------------------------------
port=$(free_port)
docker run -d --name dlnb-test-run --label dlnb-test=run -p "127.0.0.1:$port:8888" \
  -v "$root/docker/test:/dlnb-test:ro" "$image" >/dev/null
tok=$(wait_token dlnb-test-run)
base="http://127.0.0.1:$port"
for _ in $(seq 60); do
  curl -fsS -o /dev/null -H "Authorization: token $tok" "$base/api/status" 2>/dev/null && break
  sleep 0.5
done
code=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: token $tok" "$base/api/status")
[ "$code" = 200 ] || die "Jupyter did not answer with the token: HTTP $code"
code=$(curl -sS -o /dev/null -w '%{http_code}' "$base/api/kernelspecs")
[ "$code" = 403 ] || die "a request without the token got HTTP $code, expected 403 (token auth must stay on)"
code=$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: token wrong$tok" "$base/api/kernelspecs")
[ "$code" = 403 ] || die "a request with a wrong token got HTTP $code, expected 403"
say "Jupyter answers on $base with the token and refuses requests without it"
bash docker/test/check-image-security.sh "$image" dlnb-test/base-notebook:bookworm "$base"
kernel=$("$PY" scripts/jupyter_api.py kernelspec "$base" "$tok")
say "the Go kernel is listed: $kernel"
# JupyterLab itself: its page with the token (the URL in the log), and a seeded lesson opened as
# JupyterLab opens it (a session for the notebook's path, its kernel, a Go cell over the websocket).
"$PY" scripts/jupyter_api.py page "$base" "$tok"
for _ in $(seq 30); do
  docker exec dlnb-test-run test -f /home/jovyan/lessons/00-welcome.ipynb && break
  sleep 0.5
done
"$PY" scripts/jupyter_api.py lab "$base" "$tok" "$kernel" lessons/00-welcome.ipynb
# And in a real browser: scripts/browsercheck (the browser lane's JupyterLab driver, headless
# Chromium) opens the seeded lesson from JupyterLab's file browser, runs every cell from the menus
# and fails on any error output. Until that driver (its -jupyter flag) is on this branch the
# REST/websocket check above stands alone, and the test says so.
if grep -q '"jupyter"' scripts/browsercheck/*.go 2>/dev/null; then
  command -v chromium >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends chromium >/dev/null
  mkdir -p "$work/browser"
  (cd scripts/browsercheck && go build -o "$work/browser/browsercheck" .)
  t0=$(date +%s)
  "$work/browser/browsercheck" -jupyter lab -token "$tok" -path lessons/00-welcome.ipynb -run -want 0 \
    -label image-welcome -out "$root/build/docker-browser" "$base" >"$work/browser/log" 2>&1 ||
    { tail -30 "$work/browser/log" >&2; die "the welcome lesson failed in JupyterLab in the browser (screenshots: build/docker-browser)"; }
  say "the welcome lesson ran in JupyterLab 4 in headless Chromium, in the container, in $(($(date +%s) - t0)) s"
else
  say "NOTE: scripts/browsercheck cannot drive JupyterLab yet (the browser lane's version): the lesson was opened and run through JupyterLab's REST and kernel websocket only"
fi

uid=$(docker exec dlnb-test-run id -u)
gid=$(docker exec dlnb-test-run id -g)
[ "$uid:$gid" = 1000:100 ] || die "the container runs as $uid:$gid, expected 1000:100"
root_procs=$(docker top dlnb-test-run -eo pid,uid,args | awk 'NR > 1 && $2 == 0')
[ -z "$root_procs" ] || die "processes run as root in the container: $root_procs"
say "the container runs as UID 1000 GID 100, no process as root"

# The first Go cell of a fresh container: the build cache must be warm. Checked
# without timing: a program importing what the lessons import compiles only itself.
docker exec dlnb-test-run bash /dlnb-test/check-warm.sh
"$PY" scripts/jupyter_api.py run "$base" "$tok" "$kernel" \
  $'import "github.com/dlnb/dlnb/nn"\n%%\nfmt.Println("relu(-1) relu(2):", nn.ReLU.Func(-1), nn.ReLU.Func(2))' \
  "relu(-1) relu(2): 0 2"
docker rm -f dlnb-test-run >/dev/null

# ---- 4: lessons with the network off and an empty volume over the home ----------------------
# One lesson: the welcome notebook (it checks the whole environment), else the first one.
lesson=""
if [ -f notebooks/00-welcome.ipynb ]; then
  lesson=00-welcome.ipynb
elif [ -d notebooks ]; then
  lesson=$(cd notebooks && find . -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' | sed 's|^\./||' | sort | head -1)
fi
if [ -z "$lesson" ]; then
  if [ "${CI:-}" = true ]; then die "no lesson notebook in notebooks/ to execute in the image"; fi
  say "no lesson notebook in notebooks/ yet: only the test's smoke notebook runs offline"
fi
mkdir -p "$work/home" "$work/nb"
chown 1000:100 "$work/home"
cp docker/test/smoke.ipynb "$work/nb/"
# Both run under the project's one notebook runner, scripts/run_notebooks.py (error outputs and
# the lessons' expectations fail it), with the image's own Python: the lesson from the seeded
# ~/lessons, the smoke notebook from /nb.
harness=""
if [ -n "$lesson" ]; then
  harness="python3 /dlnb-scripts/run_notebooks.py -v --kernel $kernel --src /home/jovyan/lessons --out /tmp/nb-out /home/jovyan/lessons/$lesson"
fi
t0=$(date +%s)
if ! docker run --rm --name dlnb-test-offline --label dlnb-test=offline --network none \
    -v "$work/home:/home/jovyan" -v "$root/scripts:/dlnb-scripts:ro" \
    -v "$work/nb:/nb:ro" "$image" bash -c 'set -e; echo "uid=$(id -u) gid=$(id -g)"
      python3 /dlnb-scripts/run_notebooks.py -v --kernel "$1" --src /nb --out /tmp/nb-smoke /nb/smoke.ipynb; $0' \
    "$harness" "$kernel" >"$work/offline.log" 2>&1; then
  grep -v '^[IWE][0-9]\{4\} ' "$work/offline.log" | tail -40 >&2
  die "a notebook failed in the container with the network off (log above)"
fi
grep -q '^uid=1000 gid=100$' "$work/offline.log" || die "the offline container did not run as 1000:100"
grep -v '^[IWE][0-9]\{4\} \|^\(Entered\|Running\|Done\|Executing\|Sourcing\)' "$work/offline.log" | grep -v '^\s' || true
if [ -n "$lesson" ]; then
  [ -f "$work/home/lessons/$lesson" ] || die "the hook did not seed $lesson into the empty home volume"
fi
if [ -d notebooks/exercises/solutions ]; then
  [ -n "$(find "$work/home/lessons/exercises" -maxdepth 1 -name '*.ipynb' 2>/dev/null)" ] || die "the hook did not seed the exercises"
  [ ! -e "$work/home/lessons/exercises/solutions" ] || die "the exercises' solutions reached the student's home"
  docker run --rm --label dlnb-test=solutions --network none --entrypoint /bin/sh "$image" -c \
    '! find / -xdev -path "*/exercises/solutions*" -print 2>/dev/null | grep -q .' ||
    die "the image contains the exercises' solutions"
  say "the exercises are seeded, their solutions are not in the image"
fi
say "notebooks ran with --network none and an empty volume over /home/jovyan in $(($(date +%s) - t0)) s"

# A restart must keep the student's edits and bring back what they deleted.
if [ -n "$lesson" ]; then
  echo "student's edit" >"$work/home/lessons/$lesson"
  other=$(cd "$work/home/lessons" && find . -type f ! -path "./$lesson" | head -1)
  [ -n "$other" ] && rm "$work/home/lessons/$other"
  docker run --rm --label dlnb-test=restart --network none -v "$work/home:/home/jovyan" "$image" true >/dev/null 2>&1
  [ "$(cat "$work/home/lessons/$lesson")" = "student's edit" ] || die "a restart overwrote the student's $lesson"
  [ -z "$other" ] || [ -f "$work/home/lessons/$other" ] || die "a restart did not bring back the deleted $other"
  say "a restart keeps the student's edits and restores deleted lessons"
fi

# ---- 5: JupyterHub spawns the image ------------------------------------------------------------
mkdir -p "$work/hub"
hub_port=$(free_port); proxy_port=$(free_port); proxy_api_port=$(free_port)
hub_token=$("$PY" -c 'import secrets; print(secrets.token_hex(24))')
(cd "$work/hub" && DLNB_IMAGE="$image" DLNB_HUB_DIR="$work/hub" DLNB_HUB_PORT=$hub_port DLNB_CHP="$DLNB_CHP" \
  DLNB_PROXY_PORT=$proxy_port DLNB_PROXY_API_PORT=$proxy_api_port DLNB_HUB_TOKEN=$hub_token \
  exec "$DLNB_CLASS_VENV/bin/jupyterhub" -f "$root/docker/test/jupyterhub_config.py" >"$work/hub/hub.log" 2>&1) &
hub_pid=$!
hub="http://127.0.0.1:$proxy_port"
hubapi() { curl -sS -H "Authorization: token $hub_token" "$@"; }
for _ in $(seq 60); do
  hubapi -f -o /dev/null "$hub/hub/api/users" 2>/dev/null && break
  kill -0 "$hub_pid" 2>/dev/null || { tail -30 "$work/hub/hub.log" >&2; die "JupyterHub exited"; }
  sleep 1
done
hubapi -f -o /dev/null "$hub/hub/api/users" || { tail -30 "$work/hub/hub.log" >&2; die "JupyterHub did not answer"; }
# alice exists already (allowed_users); creating her again answers 409.
code=$(hubapi -o /dev/null -w '%{http_code}' -X POST "$hub/hub/api/users/alice")
[ "$code" = 201 ] || [ "$code" = 409 ] || die "could not create the hub user: HTTP $code"
t0=$(date +%s)
hubapi -f -o /dev/null -X POST "$hub/hub/api/users/alice/server" || { tail -30 "$work/hub/hub.log" >&2; die "the hub could not start alice's server"; }
ready=""
for _ in $(seq 120); do
  ready=$(hubapi "$hub/hub/api/users/alice" | "$PY" -c 'import json,sys; s=json.load(sys.stdin)["servers"].get("",{}); print("yes" if s.get("ready") else "")')
  [ -n "$ready" ] && break
  sleep 1
done
if [ -z "$ready" ]; then
  tail -30 "$work/hub/hub.log" >&2
  docker logs dlnb-hub-alice 2>&1 | tail -30 >&2 || true
  die "alice's server did not become ready under the hub"
fi
say "JupyterHub spawned $image for alice in $(($(date +%s) - t0)) s"
# (The log into a variable first: grep -q closing the pipe early fails it under pipefail.)
hub_log=$(docker logs dlnb-hub-alice 2>&1)
grep -q 'jupyterhub-singleuser' <<<"$hub_log" ||
  die "the spawned container did not run jupyterhub-singleuser (start-notebook.py should hand over to start-singleuser.py)"
hub_kernel=$("$PY" scripts/jupyter_api.py kernelspec "$hub/user/alice" "$hub_token")
"$PY" scripts/jupyter_api.py run "$hub/user/alice" "$hub_token" "$hub_kernel" \
  $'import "github.com/dlnb/dlnb/nn"\n%%\nfmt.Println("through the hub: sigmoid(0) =", nn.Sigmoid.Func(0))' \
  "through the hub: sigmoid(0) = 0.5"
code=$(curl -sS -o /dev/null -w '%{http_code}' "$hub/user/alice/api/kernelspecs")
[ "$code" = 403 ] || [ "$code" = 302 ] || die "alice's server answered HTTP $code without a token"
hubapi -f -o /dev/null -X DELETE "$hub/hub/api/users/alice/server" || die "the hub could not stop alice's server"
for _ in $(seq 30); do
  docker inspect dlnb-hub-alice >/dev/null 2>&1 || break
  sleep 1
done
docker inspect dlnb-hub-alice >/dev/null 2>&1 && die "the hub did not remove alice's container"
say "a Go cell ran through the hub's proxy; the hub stopped the server"

# ---- 6: the deployment templates ---------------------------------------------------------------
"$PY" docker/test/check_deploy.py docker/deploy
# cfn-lint (docker/class's lock, group lint) on every CloudFormation template.
mapfile -t cfn < <(grep -rl AWSTemplateFormatVersion docker/deploy --include='*.yaml' | sort)
"$DLNB_CLASS_VENV/bin/cfn-lint" "${cfn[@]}" || die "cfn-lint found problems in ${cfn[*]}"
say "cfn-lint passes: ${cfn[*]}"
mapfile -t scripts < <(grep -rlE '^#!.*\b(ba)?sh\b' docker scripts/test-docker.sh | sort)
shellcheck "${scripts[@]}"
say "deployment templates parse; shellcheck clean: ${#scripts[@]} scripts"

say "passed in $(($(date +%s) - t_stage)) s (image build ${build_s} s, size $((size / 1000000)) MB)"
