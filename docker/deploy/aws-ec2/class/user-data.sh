#!/bin/bash
# User data of dlnb-class-ec2.yaml (CloudFormation copies the part below the settings block into
# the template; docker/test/check_deploy.py checks the two agree). It installs Docker, Node.js and
# git, puts the students' homes (a disk quota each) and Docker's data on the separate EBS volume,
# clones the project and starts the class hub with its one command, docker/class/start.sh, under systemd.
set -euxo pipefail
# --- settings ---
DLNB_REPO='https://github.com/dlnb/dlnb.git'
DLNB_REF='main'
DLNB_IMAGE=''
DLNB_HOSTNAME=''
DLNB_MEM_LIMIT='2G'
DLNB_CPU_LIMIT='1'
DLNB_HOME_QUOTA='2G'
# --- end of settings ---
exec >>/var/log/dlnb-user-data.log 2>&1
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends docker.io git ca-certificates curl openssl python3 nodejs npm certbot

# The homes volume (the second EBS disk), at /srv/dlnb: the students' homes (each a filesystem of its
# quota's size) in /srv/dlnb/homes, Docker's data root (the image) in /srv/dlnb/docker.
disk=/dev/nvme1n1
[ -b "$disk" ] || disk=/dev/xvdh
if ! blkid "$disk" >/dev/null 2>&1; then mkfs.ext4 -L dlnb-homes "$disk"; fi
mkdir -p /srv/dlnb
grep -q dlnb-homes /etc/fstab || echo 'LABEL=dlnb-homes /srv/dlnb ext4 defaults,nofail 0 2' >>/etc/fstab
mount -a
mkdir -p /srv/dlnb/homes /srv/dlnb/docker /etc/docker
echo '{"data-root": "/srv/dlnb/docker"}' >/etc/docker/daemon.json
systemctl restart docker
systemctl enable docker

rm -rf /opt/dlnb
git clone --depth 1 --branch "$DLNB_REF" "$DLNB_REPO" /opt/dlnb
env_file=/etc/dlnb-class.env
{
  echo "DLNB_CLASS_MEM_LIMIT=$DLNB_MEM_LIMIT"
  echo "DLNB_CLASS_CPU_LIMIT=$DLNB_CPU_LIMIT"
  echo "DLNB_CLASS_HOMES=/srv/dlnb/homes"
  echo "DLNB_CLASS_HOME_QUOTA=$DLNB_HOME_QUOTA"
  if [ -n "$DLNB_IMAGE" ]; then echo "DLNB_CLASS_IMAGE=$DLNB_IMAGE"; echo "DLNB_CLASS_IMAGE_PULL=1"; fi
  if [ -n "$DLNB_HOSTNAME" ]; then echo "DLNB_CLASS_HOSTNAME=$DLNB_HOSTNAME"; fi
} >"$env_file"
chmod 600 "$env_file"
cp /opt/dlnb/docker/class/dlnb-class.service /etc/systemd/system/
systemctl daemon-reload
systemctl enable --now dlnb-class.service
echo "dlnb: the class hub is starting; sudo cat /var/lib/dlnb-class/instructor-password for the instructor's password"
