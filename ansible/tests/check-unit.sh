#!/usr/bin/env bash
# Static checks of the role's unit, no root and no boot needed: renders the unit, its hardening drop-in
# and the configuration with the role's defaults (tests/render.yml), then
#   systemd-analyze verify                       must pass without a word, and
#   systemd-analyze security --offline=true      must score 3.0 or lower (the table is printed).
# Also renders once with an IP allow list, which adds IPAddressDeny=/IPAddressAllow=.
set -euo pipefail
cd "$(dirname "$0")"
out=$(mktemp -d /tmp/system-status-unit.XXXXXX)
trap 'rm -rf "$out"' EXIT

check() {
  local dir=$1; shift
  ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_NOCOLOR=1 ansible-playbook -i localhost, render.yml \
    -e "render_dir=$dir" "$@" >"$out/render.log" 2>&1 || { cat "$out/render.log" >&2; exit 1; }
  local verify
  verify=$(systemd-analyze verify "$dir/system-status.service" 2>&1) || { echo "$verify" >&2; exit 1; }
  [ -z "$verify" ] || { echo "check-unit: systemd-analyze verify complained:" >&2; echo "$verify" >&2; exit 1; }
  echo "check-unit: systemd-analyze verify passes (${*:-the role defaults})"
  systemd-analyze security --offline=true --threshold=30 --no-pager "$dir/system-status.service" >"$dir/security.txt" 2>&1 \
    || { cat "$dir/security.txt" >&2; echo "check-unit: exposure above 3.0" >&2; exit 1; }
}

check "$out/default"
grep -q '^KillMode=mixed$' "$out/default/system-status.service" || { echo "check-unit: KillMode=mixed is missing" >&2; exit 1; }
cat "$out/default/security.txt"
check "$out/allowlist" -e '{"system_status_ip_address_allow": ["192.168.122.0/24"]}'
grep -q '^IPAddressDeny=any$' "$out/allowlist/system-status.service.d/hardening.conf"
echo "check-unit: with an IP allow list: $(grep -o 'Overall exposure level.*' "$out/allowlist/security.txt")"
