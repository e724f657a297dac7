#!/bin/sh
# Run as root during docker build (docker/Dockerfile): installs nbgrader 0.9.6 into the image's
# Jupyter environment (the base's python3: docker-stacks' conda, or the stand-in's venv) from the
# project's lock, and sets it up for a class hub (docker/class/README.md, "Assignments"):
#   - the packages of uv.lock's dependency group `nbgrader` (nbgrader and what it needs, at the
#     lock's versions, which are the base's for Jupyter itself), exported with their hashes by the
#     pinned uv and installed with --require-hashes;
#   - for everyone, nbgrader's student parts only: the Assignments list (fetch, submit, feedback)
#     and Validate; the formgrader, Create Assignment and the course list are disabled in the
#     environment's own config (sys-prefix), and the instructor's server turns them back on with
#     the config directory /opt/dlnb/share/nbgrader/instructor (the hub puts it first in its
#     JUPYTER_CONFIG_PATH, docker/class/jupyterhub_config.py); that directory also lets the
#     server's own pages be framed by its own origin ('self'), as jupyter-server does by default:
#     jupyterhub-singleuser's default, frame-ancestors 'none', blanks JupyterLab's Formgrader tab
#     (an iframe of /formgrader);
#   - the system-wide nbgrader_config.py (/etc/jupyter): the exchange /srv/nbgrader/exchange, the
#     course id, and the per-student exchange classes of dlnb_exchange.py;
#   - /srv/nbgrader/exchange, owned by the notebook user: nbgrader wants its exchange root
#     writable; the hub mounts the course's directories inside it.
# Here (the build context's copy): pyproject.toml, uv.lock, scripts/uv.sh and this directory.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
py=$(command -v python3)
# Behind a TLS-intercepting proxy the build mounts its CA bundle here (a secret, not in a layer).
if [ -s /etc/ssl/certs/ca-certificates.crt ]; then
    export SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
fi
export HOME=/tmp/nbgrader-install # nothing of jupyter's or uv's lands in a real home
uv=$(DLNB_BIN_DIR=/tmp/nbgrader-install/bin bash "$here/env/scripts/uv.sh")
"$uv" export --project "$here/env" --frozen --only-group nbgrader --no-emit-project \
    --format requirements.txt --no-header --quiet >/tmp/nbgrader-install/requirements.txt
grep -c -- '--hash=sha256:' /tmp/nbgrader-install/requirements.txt >/dev/null
"$uv" pip install --python "$py" --require-hashes --no-deps --no-cache --compile-bytecode --quiet \
    -r /tmp/nbgrader-install/requirements.txt
"$py" -c 'import nbgrader, jupyterlab; print("nbgrader", nbgrader.__version__, "for JupyterLab", jupyterlab.__version__)'

# Students get the Assignments list and Validate; the rest is the instructor's.
bindir=$(dirname "$py")
"$bindir/jupyter" server extension disable --sys-prefix nbgrader.server_extensions.formgrader
"$bindir/jupyter" server extension disable --sys-prefix nbgrader.server_extensions.course_list
"$bindir/jupyter" labextension disable --level=sys_prefix @jupyter/nbgrader:formgrader
"$bindir/jupyter" labextension disable --level=sys_prefix @jupyter/nbgrader:create-assignment
"$bindir/jupyter" labextension disable --level=sys_prefix @jupyter/nbgrader:course-list

install -d -m 0755 /opt/dlnb/lib/nbgrader /opt/dlnb/share/nbgrader /etc/jupyter
install -m 0644 "$here/dlnb_exchange.py" /opt/dlnb/lib/nbgrader/
install -m 0644 "$here/nbgrader_config.py" /etc/jupyter/nbgrader_config.py
cp -R "$here/instructor" /opt/dlnb/share/nbgrader/
chmod -R a+rX /opt/dlnb/lib/nbgrader /opt/dlnb/share/nbgrader
install -d -m 0755 -o 1000 -g 100 /srv/nbgrader /srv/nbgrader/exchange
# docker-stacks' environment belongs to the notebook user; give back what root just wrote.
if command -v fix-permissions >/dev/null 2>&1 && [ -n "${CONDA_DIR:-}" ]; then
    fix-permissions "$CONDA_DIR"
fi
rm -rf /tmp/nbgrader-install
