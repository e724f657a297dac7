#!/usr/bin/env bash
# Checks that the image is secure by default, against the base it is built on:
#   - no secret in its build history or its files (private keys, cloud keys,
#     tokens and passwords assigned in the history, the build's CA secret);
#   - the notebook user cannot become root: no sudo rights, and no setuid or
#     setgid program beyond those the base already has;
#   - a running container refuses every route without the token.
#   usage: check-image-security.sh IMAGE BASE_IMAGE URL
#   (URL: a running container of IMAGE, e.g. http://127.0.0.1:PORT; run by
#   scripts/test-docker.sh)
set -euo pipefail
image=$1 base=$2 url=$3
docker=${DOCKER:-docker}
fail=0
bad() { echo "check-image-security: $*" >&2; fail=1; }

# 1. The build history: every layer's command, in full.
history=$("$docker" history --no-trunc --format '{{.CreatedBy}}' "$image")
secret_re='BEGIN [A-Z ]*PRIVATE KEY|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|xox[abp]-[A-Za-z0-9-]{10,}|(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY)=[^ $"'"'"']{6,}'
if hits=$(grep -E -o "$secret_re" <<<"$history"); then
  bad "a secret in the image's build history: $(head -3 <<<"$hits")"
fi

# 2. Files: private keys and credentials that the base does not have, and the
# setuid/setgid programs, listed in the image and in its base. Go's source tree
# and the module cache are left out: their keys are public test fixtures, and
# the modules are the ones go.sum pins.
list='find / -xdev \( -perm -4000 -o -perm -2000 \) -type f -printf "suid %p\n" 2>/dev/null
  find / -xdev -type f \( -name "*.pem" -o -name "*.key" -o -name "id_rsa*" -o -name "id_ed25519*" -o -name ".env" \
    -o -name ".netrc" -o -name ".git-credentials" -o -name credentials -o -name ".pypirc" \) \
    ! -path "/proc/*" ! -path "/etc/ssl/certs/*" ! -path "/usr/share/ca-certificates/*" \
    ! -path "/usr/local/go/src/*" ! -path "/opt/dlnb/go/mod/*" -printf "file %p\n" 2>/dev/null
  grep -rIlE "BEGIN [A-Z ]*PRIVATE KEY" /opt /home /etc /usr/local /root /tmp 2>/dev/null |
    grep -v "^/usr/local/go/src/\|^/opt/dlnb/go/mod/" | sed "s/^/key /"
  true'
in_image=$("$docker" run --rm --network none --user 0 --entrypoint /bin/sh "$image" -c "$list" | sort -u)
in_base=$("$docker" run --rm --network none --user 0 --entrypoint /bin/sh "$base" -c "$list" | sort -u)
added=$(comm -23 <(echo "$in_image") <(echo "$in_base"))
if [ -n "$added" ]; then
  bad "the image adds to its base: $(tr '\n' ' ' <<<"$added")"
fi
n_suid=$(grep -c '^suid ' <<<"$in_image" || true)

# 3. The notebook user (the image's USER) has no way to root.
sudo_out=$("$docker" run --rm --network none --entrypoint /bin/sh "$image" -c \
  'id -u; if command -v sudo >/dev/null; then sudo -n true 2>/dev/null && echo SUDO-WORKS; fi; true')
[ "$(head -1 <<<"$sudo_out")" = 1000 ] || bad "the image's user is $(head -1 <<<"$sudo_out"), expected 1000"
grep -q SUDO-WORKS <<<"$sudo_out" && bad "the notebook user can run sudo without a password"

# 4. Without the token, every route is refused: the API answers 403, pages
# redirect to the login page and show nothing of the server.
for route in /api/kernels /api/kernelspecs /api/contents /api/sessions /api/terminals /files/lessons/00-welcome.ipynb \
    /lab /lab/tree/lessons /tree /notebooks/lessons/00-welcome.ipynb /edit/x /view/x /terminals/1; do
  code=$(curl -sS -o /tmp/dlnb-sec-body -w '%{http_code}' "$url$route" || echo 000)
  case "$code" in
    403 | 401 | 404) ;;
    302 | 303)
      loc=$(curl -sS -o /dev/null -w '%{redirect_url}' "$url$route")
      case "$loc" in */login*) ;; *) bad "$route without the token redirects to $loc, not to the login page" ;; esac
      ;;
    *) bad "$route without the token answered HTTP $code" ;;
  esac
  if grep -q '"kernel\|"content"\|nn.Dense' /tmp/dlnb-sec-body 2>/dev/null; then
    bad "$route without the token shows the server's content"
  fi
done
rm -f /tmp/dlnb-sec-body
[ "$fail" = 0 ] || exit 1
echo "check-image-security: no secret in the history or files; $n_suid setuid/setgid programs, all the base's; no sudo; 13 routes refused without the token"
