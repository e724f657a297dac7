# shellcheck shell=bash disable=SC2154 # root, port, work: test-class.sh's
# The students' disk quotas in the class test (sourced by scripts/test-class.sh): the hub makes
# each home a loop-mounted filesystem of the quota's size under DLNB_CLASS_HOMES
# (docker/class/jupyterhub_config.py); here that directory is in the test's scratch directory.
# Uses: $work of test-class.sh.

# class_quota_homes QUOTA: exports DLNB_CLASS_HOMES ($work/homes) and DLNB_CLASS_HOME_QUOTA (e.g.
# 200M) for start.sh.
class_quota_homes() {
  mkdir -p "$work/homes"
  export DLNB_CLASS_HOMES=$work/homes DLNB_CLASS_HOME_QUOTA=$1
}

# class_quota_unmount: after the servers are gone, the homes' loop mounts (their loop devices go
# with them).
class_quota_unmount() {
  local m
  [ -d "$work/homes" ] || return 0
  while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done < <(findmnt -rn -o TARGET | grep "^$work/homes/" || true)
}
