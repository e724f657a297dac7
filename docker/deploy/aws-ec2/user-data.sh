#!/bin/bash
# EC2 user data: runs once, as root, at the first boot of a Debian 12 instance.
# Installs Docker, gets the dlnb image (pulls DLNB_IMAGE if set, else builds it
# from the repository) and runs it bound to 127.0.0.1:8888 only, with a named
# volume for the student's work. Reach it through an SSH tunnel (README.md).
# The CloudFormation template (dlnb-ec2.yaml) embeds this file below the
# settings block; scripts/test-docker.sh checks that the two stay identical.
set -euxo pipefail
# --- settings ---
DLNB_IMAGE="${DLNB_IMAGE:-}"
DLNB_REPO="${DLNB_REPO:-https://github.com/dlnb/dlnb.git}"
DLNB_REF="${DLNB_REF:-main}"
# --- end of settings ---
exec >>/var/log/dlnb-user-data.log 2>&1
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends docker.io git ca-certificates
systemctl enable --now docker

image=$DLNB_IMAGE
if [ -z "$image" ]; then
  image=dlnb:local
  rm -rf /opt/dlnb-src
  git clone --depth 1 --branch "$DLNB_REF" "$DLNB_REPO" /opt/dlnb-src
  # BuildKit is built into Debian's Docker 20.10; it is off by default there.
  DOCKER_BUILDKIT=1 docker build -f /opt/dlnb-src/docker/Dockerfile -t "$image" /opt/dlnb-src
else
  docker pull "$image"
fi

docker rm -f dlnb 2>/dev/null || true
# 127.0.0.1 only: Jupyter is never exposed to the internet, SSH is the way in.
docker run -d --name dlnb --restart unless-stopped \
  -p 127.0.0.1:8888:8888 -v dlnb-work:/home/jovyan "$image"
echo "dlnb: started $image; the token: sudo docker logs dlnb 2>&1 | grep token="
