#!/usr/bin/env bash
# Checks the role's class-data archive steps for real (roles/system_status/tasks/cds.yml), against a
# temporary root with the built jar and this machine's JDK 17; no systemd or root needed:
#   1. the first run builds the archive by a training run, links it and asks for a restart;
#   2. a second run changes nothing;
#   3. a new jar gets a new archive (the old one is removed) and a restart;
#   4. the agent, started with the unit's flags, loads classes from the archive; with a stale archive
#      (jar changed after the role ran) and with none at all it still starts and answers /health.
#   bash ansible/tests/check-cds.sh     (needs target/system-status.jar: mvn -B -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")"
repo=$(cd ../.. && pwd)
jar=$repo/target/system-status.jar
[ -f "$jar" ] || { echo "check-cds: $jar is missing (mvn -B -q package -DskipTests)" >&2; exit 1; }
root=$(mktemp -d /tmp/system-status-cds.XXXXXX)
pid=""
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$root"' EXIT
fail() { echo "check-cds: FAILED: $*" >&2; exit 1; }

mkdir -p "$root/opt/system-status" "$root/etc/system-status"
cp "$jar" "$root/opt/system-status/system-status.jar"
cat >"$root/etc/system-status/application.yml" <<YML
status:
  commands:
    systemctl: $repo/src/demo/fake-bin/systemctl
    journalctl: $repo/src/demo/fake-bin/journalctl
    nvidia-smi: $repo/src/demo/fake-bin/nvidia-smi
YML
cds=$root/var/lib/system-status/cds

play() {
  rm -f "$root/restarted"
  ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_NOCOLOR=1 ansible-playbook -i localhost, cds.yml -e "root=$root" >"$root/play.log" 2>&1 \
    || { cat "$root/play.log" >&2; fail "the playbook failed"; }
}
archives() { find "$cds" -name 'system-status-*.jsa' -printf '%f\n' | sort; }
new_jar() { # a different, valid jar: one more entry
  python3 - "$root/opt/system-status/system-status.jar" "$1" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "a") as jar:
    jar.writestr("META-INF/check-cds-" + sys.argv[2], sys.argv[2])
PY
}

play
[ "$(archives | wc -l)" -eq 1 ] || fail "expected one archive, found: $(archives)"
first=$(archives)
[ "$(readlink "$cds/system-status.jsa")" = "$cds/$first" ] || fail "the link does not name $first"
[ -e "$root/restarted" ] || fail "a new archive must restart the agent"
echo "check-cds: 1. built $first ($(du -m "$cds/$first" | cut -f1) MiB), linked, restart asked"

play
grep -q 'changed=0 ' "$root/play.log" || { grep -E 'changed:|RECAP' -A1 "$root/play.log" >&2; fail "a second run changed something"; }
[ ! -e "$root/restarted" ] || fail "a second run asked for a restart"
echo "check-cds: 2. a second run changes nothing"

new_jar v2
play
second=$(archives)
[ "$second" != "$first" ] && [ "$(echo "$second" | wc -l)" -eq 1 ] || fail "a new jar must give one new archive, found: $second"
[ -e "$root/restarted" ] || fail "a rebuilt archive must restart the agent"
echo "check-cds: 3. a new jar got $second; $first was removed"

# The unit's command line (templates/system-status.service.j2) with the role's JVM options.
mapfile -t options < <(awk '/^system_status_jvm_options:/ {on = 1; next} on && /^  - / {print $2; next} on {exit}' \
  ../roles/system_status/defaults/main.yml)
start() {
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  java "${options[@]}" -Xshare:auto -XX:SharedArchiveFile="$cds/system-status.jsa" -Xlog:class+load=info:file="$root/classes.log" \
    -Dmicronaut.config.files="$root/etc/system-status/application.yml" -Dstatus.bind-address=127.0.0.1 -Dstatus.port="$port" \
    -Dstatus.uds-path= -Dstatus.push.enabled=false -jar "$root/opt/system-status/system-status.jar" >"$root/agent.log" 2>&1 &
  pid=$!
  for _ in $(seq 300); do
    if curl -s -o /dev/null "http://127.0.0.1:$port/health"; then
      kill "$pid"; wait "$pid" || true; pid=""
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { cat "$root/agent.log" >&2; fail "the agent exited ($1)"; }
    sleep 0.1
  done
  fail "no /health answer within 30 s ($1)"
}
shared() { grep -c 'source: shared objects file (top)' "$root/classes.log" || true; }

start "current archive"
[ "$(shared)" -gt 1000 ] || fail "the agent loaded only $(shared) classes from the archive"
echo "check-cds: 4. the agent answers and loads $(shared) classes from the archive"

new_jar v3
start "stale archive"
[ "$(shared)" -eq 0 ] || fail "a stale archive was used"
grep -q 'Unable to use shared archive' "$root/agent.log" || fail "the JVM did not say it skipped the stale archive"
echo "check-cds: 4. with a stale archive (jar changed since) the agent answers; the JVM skips it with a warning"

rm -f "$cds"/system-status-*.jsa
start "missing archive"
echo "check-cds: 4. with no archive the agent answers"
echo "check-cds: passed"
