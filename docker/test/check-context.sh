#!/usr/bin/env bash
# Checks what the image's build context holds, with docker itself: builds a
# FROM-scratch image of the context docker/Dockerfile gets (the repository,
# filtered by .dockerignore) into a directory, from a copy of the tracked files
# plus planted secrets and stray files, and fails if a planted file got in or
# a file the Dockerfile copies is missing.
#   usage: check-context.sh   (needs a running dockerd; run by scripts/test-docker.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
docker=${DOCKER:-docker}
tmp=$(mktemp -d /tmp/dlnb-context.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/ctx"
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$tmp/ctx"
# What a careless checkout holds beside the project.
planted=(.env .env.local nn/.env id_rsa docker/deploy/aws-key.pem notebooks/server.key
  build/private.txt mywork.ipynb .git-credentials notebooks/exercises/solutions/answers.txt
  notebooks/exercises/nbgrader/source/01-forward-propagation/answers.txt scripts/test-extra.sh)
for f in "${planted[@]}"; do mkdir -p "$tmp/ctx/$(dirname "$f")"; echo "SECRET-$f" >"$tmp/ctx/$f"; done
# The paths docker/Dockerfile copies, and the sources of the packages.
needed=(go.mod go.sum tools/gonb/go.mod tools/gopls/go.mod scripts/setup.sh scripts/fetch-echarts.sh
  docker/image/setup-image.sh docker/image/dlnb-seed-lessons docker/image/warm-cache.sh
  nn/doc.go datasets/doc.go plotting/doc.go exercises/check/doc.go notebooks/00-welcome.ipynb)
[ -f pyproject.toml ] && needed+=(pyproject.toml uv.lock)
printf 'FROM scratch\nCOPY . /\n' >"$tmp/Dockerfile"
DOCKER_BUILDKIT=1 "$docker" build -q -f "$tmp/Dockerfile" --output "type=local,dest=$tmp/out" "$tmp/ctx" >/dev/null
bad=0
for f in "${planted[@]}"; do
  if [ -e "$tmp/out/$f" ]; then echo "check-context: $f reached the build context" >&2; bad=1; fi
done
for f in "${needed[@]}"; do
  if [ ! -e "$tmp/out/$f" ]; then echo "check-context: $f is needed by the image but left out of the build context" >&2; bad=1; fi
done
[ "$bad" = 0 ] || exit 1
echo "check-context: the build context holds the $(find "$tmp/out" -type f | wc -l) project files and none of the ${#planted[@]} planted ones"
