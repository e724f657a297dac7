#!/usr/bin/env bash
# Runs every test of the project. On a fresh Debian machine it installs what the
# tests need first. Each stage is a script of its own so it can be run alone.
set -euo pipefail
cd "$(dirname "$0")/.."
export GOTOOLCHAIN=local

stages=(scripts/test-go.sh)
for s in scripts/test-parity.sh scripts/test-notebooks.sh scripts/test-nbgrader.sh scripts/test-browser.sh scripts/test-lesson-screens.sh scripts/test-docker.sh scripts/test-class.sh; do
  [ -f "$s" ] && stages+=("$s")
done

start=$(date +%s)
for s in "${stages[@]}"; do
  t0=$(date +%s)
  echo "=== $s"
  bash "$s"
  echo "=== $s passed in $(( $(date +%s) - t0 )) s"
done
echo "=== all tests passed in $(( $(date +%s) - start )) s"
