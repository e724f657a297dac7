#!/bin/bash
# Sourced by start.sh with one directory: sources its *.sh files and runs its
# other executable files, in name order, as docker-stacks does. A failing hook
# is reported and the start goes on.
if [ "$#" -ne 1 ] || [ ! -d "$1" ]; then
    echo "run-hooks.sh: expected one directory, got: $*" >&2
    return 1
fi
echo "Running hooks in: $1 as uid: $(id -u) gid: $(id -g)"
for hook in "$1"/*; do
    [ -e "$hook" ] || continue
    case "$hook" in
        *.sh)
            echo "Sourcing shell script: $hook"
            # shellcheck disable=SC1090
            source "$hook" || echo "ERROR: $hook has failed, continuing" >&2
            ;;
        *)
            if [ -x "$hook" ]; then
                echo "Running executable: $hook"
                "$hook" || echo "ERROR: $hook has failed, continuing" >&2
            else
                echo "Ignoring non-executable: $hook"
            fi
            ;;
    esac
done
echo "Done running hooks in: $1"
