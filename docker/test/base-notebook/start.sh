#!/bin/bash
# Entrypoint of the stand-in base image (docker-stacks contract): run the
# start-notebook.d hooks, then the before-notebook.d hooks, then the command.
# Started as root, it runs the hooks as root and drops to NB_UID:NB_GID for the
# command; started as any other user, everything runs as that user.
set -e
echo "Entered start.sh with args: $*"
if [ "$#" -eq 0 ]; then
    set -- bash
fi

# shellcheck disable=SC1091
source /usr/local/bin/run-hooks.sh /usr/local/bin/start-notebook.d

if [ "$(id -u)" = 0 ]; then
    # shellcheck disable=SC1091
    source /usr/local/bin/run-hooks.sh /usr/local/bin/before-notebook.d
    echo "Running as ${NB_USER} (${NB_UID}:${NB_GID}): $*"
    export HOME="/home/${NB_USER}"
    cd "$HOME"
    exec setpriv --reuid="${NB_UID}" --regid="${NB_GID}" --init-groups -- "$@"
fi

if [ ! -w "$HOME" ]; then
    echo "WARNING: no write access to $HOME. Try starting the container with group 'users' (100)."
fi
# shellcheck disable=SC1091
source /usr/local/bin/run-hooks.sh /usr/local/bin/before-notebook.d
echo "Executing the command: $*"
exec "$@"
