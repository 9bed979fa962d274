#!/usr/bin/env bash
# Checks the role's class-data archive steps for real (roles/system_status/tasks/cds.yml), against a
# temporary root with the built jar and this machine's JDK 17; no systemd or root needed:
#   1. the first run builds the archive by a training run, links it and asks for a restart;
#   2. a second run changes nothing;
#   3. a new jar gets a new archive (the old one is removed) and a restart;
#   4. the agent, started with the unit's flags, loads classes from the archive and its services from the
#      jar's list (no zip file system); with a stale archive (jar changed after the role ran) and with
#      none at all it still starts and answers /health;
#   5. the training run works with the configuration the role renders, with its defaults (a unix
#      socket with its mode) and with client certificates, a token file and a rate limit with a burst;
#   6. a training run that fails leaves no archive and a mark; the next run changes nothing and does
#      not train again; the agent starts without an archive; run as root, the training JVM ran as the
#      service user (nobody here), not as root.
# The configuration is the role's own template (render.yml) with the demo's fake commands.
#   bash ansible/tests/check-cds.sh     (needs target/system-status.jar: mvn -B -q package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")"
repo=$(cd ../.. && pwd)
jar=$repo/target/system-status.jar
[ -f "$jar" ] || { echo "check-cds: $jar is missing (mvn -B -q package -DskipTests)" >&2; exit 1; }
root=$(mktemp -d /tmp/system-status-cds.XXXXXX)
pid=""
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true; rm -rf "$root"' EXIT
# As root (CI) the training JVM runs as an unprivileged user, as the role has it (its service user;
# here nobody, who must be able to read the temporary root).
trainer=()
if [ "$(id -u)" -eq 0 ]; then chmod 0755 "$root"; trainer=(-e system_status_user=nobody); fi
fail() { echo "check-cds: FAILED: $*" >&2; exit 1; }

mkdir -p "$root/opt/system-status" "$root/etc/system-status"
cp "$jar" "$root/opt/system-status/system-status.jar"
cat >"$root/commands.json" <<JSON
{"system_status_commands": {"systemctl": "$repo/src/demo/fake-bin/systemctl",
  "journalctl": "$repo/src/demo/fake-bin/journalctl", "nvidia-smi": "$repo/src/demo/fake-bin/nvidia-smi"}}
JSON
config() { # the role's application.json with its defaults and the given variables
  ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_NOCOLOR=1 ansible-playbook -i localhost, render.yml -e "render_dir=$root/render" \
    -e @"$root/commands.json" "$@" >"$root/render.log" 2>&1 || { cat "$root/render.log" >&2; fail "rendering the configuration failed"; }
  cp "$root/render/application.json" "$root/etc/system-status/application.json"
}
config
grep -q 'uds-mode' "$root/etc/system-status/application.json" || fail "the role's defaults no longer set uds-mode (update this test)"
cds=$root/var/lib/system-status/cds

play() {
  rm -f "$root/restarted"
  ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_NOCOLOR=1 ansible-playbook -i localhost, cds.yml -e "root=$root" "${trainer[@]}" "$@" >"$root/play.log" 2>&1 \
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
[ "$(stat -c '%u %a' "$cds/$first")" = "$(id -u) 644" ] || fail "the archive must be the role's own, 0644: $(stat -c '%U %a' "$cds/$first")"
[ -z "$(find "$cds" -name '.training.*')" ] || fail "the training run left its work folder"
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
    -Dmicronaut.config.files="$root/etc/system-status/application.json" -Dstatus.bind-address=127.0.0.1 -Dstatus.port="$port" \
    -Dstatus.uds-path="$root/status.sock" -Dstatus.push.enabled=false -jar "$root/opt/system-status/system-status.jar" >"$root/agent.log" 2>&1 &
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
# The archive is the JRE's classes and the agent's in one file: count the agent's own that came from it.
shared() { grep -c 'ai\.chutes\.status\.[^ ]* source: shared objects file' "$root/classes.log" || true; }

start "current archive"
! grep -q 'class-data sharing is off' "$root/agent.log" || fail "the agent warned with its archive in use"
[ "$(shared)" -gt 100 ] || fail "the agent loaded only $(shared) of its own classes from the archive"
! grep -q 'shared objects file (top)' "$root/classes.log" || fail "a dynamic archive on top of the JRE's, not one static archive"
# The jar's list of Micronaut's services and its settings file are read through the class loader; the
# jar is never opened again as a zip file system (src/main/java/ai/chutes/status/ServiceIndex.java).
! grep -q 'jdk\.nio\.zipfs\.ZipFileSystem ' "$root/classes.log" || fail "the agent opened its jar as a zip file system (no service list in the jar, or an application.properties)"
echo "check-cds: 4. the agent answers and loads $(shared) of its own classes (and the JRE's) from the archive, its services from the jar's list"

new_jar v3
start "stale archive"
[ "$(shared)" -eq 0 ] || fail "a stale archive was used"
# The JVM drops a stale static archive silently; the agent says so (ClassSharing).
grep -q 'WARN .*class-data sharing is off' "$root/agent.log" || fail "the agent did not say it runs without the archive"
echo "check-cds: 4. with a stale archive (jar changed since) the agent answers, without the archive, and says so"

rm -f "$cds"/system-status-*.jsa
start "missing archive"
grep -q 'WARN .*class-data sharing is off' "$root/agent.log" || fail "the agent did not say it runs without an archive"
echo "check-cds: 4. with no archive the agent answers and says so"

# 5. What the training run must override to start at all: HTTPS with required client certificates
# (it asks over HTTP), a token file; a rate limit with a burst answers 429, which counts as an answer.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=check-cds -keyout "$root/server.key" -out "$root/server.pem" 2>/dev/null
printf '%s\n' check-cds-token-0123456789abcdef >"$root/tokens"
chmod 0600 "$root/tokens"
config -e "system_status_tls_cert_path=$root/server.pem system_status_tls_key_path=$root/server.key" \
  -e "system_status_tls_client_ca_path=$root/server.pem system_status_auth_token_file=$root/tokens" \
  -e "system_status_rate_limit_per_second=1 system_status_rate_limit_burst=2"
new_jar v4
play
[ "$(archives | wc -l)" -eq 1 ] && [ -e "$cds/system-status.jsa" ] || { cat "$cds"/*.failed >&2 2>/dev/null; fail "no archive with HTTPS, client certificates, a token file and a rate limit"; }
echo "check-cds: 5. the training run works with the role's configuration (unix socket and its mode, HTTPS with client certificates, token file, rate limit)"

# 6. A training run that fails: a java that cannot start the agent (and counts its starts).
config
mkdir -p "$root/broken-jre/bin"
printf '#!/bin/sh\nid -u >>%s\nexit 1\n' "$root/broken-starts" >"$root/broken-jre/bin/java"
chmod 0755 "$root/broken-jre/bin/java"
install -m 0666 /dev/null "$root/broken-starts"
play -e "system_status_java=$root/broken-jre/bin/java"
[ "$(archives | wc -l)" -eq 0 ] && [ ! -e "$cds/system-status.jsa" ] && [ ! -L "$cds/system-status.jsa" ] \
  || fail "a failed training run must leave no archive and no link: $(ls "$cds")"
[ "$(find "$cds" -name 'system-status-*.failed' | wc -l)" -eq 1 ] || fail "a failed training run must leave one mark: $(ls "$cds")"
grep -q 'the training run failed' "$root/play.log" || fail "the role did not say the training run failed"
play -e "system_status_java=$root/broken-jre/bin/java"
grep -q 'changed=0 ' "$root/play.log" || { grep -E 'changed:|RECAP' -A1 "$root/play.log" >&2; fail "the run after a failed training run changed something"; }
[ "$(wc -l <"$root/broken-starts")" -eq 1 ] || fail "the run after a failed training run trained again"
if [ "$(id -u)" -eq 0 ]; then
  [ "$(cat "$root/broken-starts")" = "$(id -u nobody)" ] || fail "the training JVM ran as uid $(cat "$root/broken-starts"), not as the service user"
  echo "check-cds: 6. the training JVM ran as the service user (uid $(cat "$root/broken-starts")), not as root"
fi
grep -q 'failed before' "$root/play.log" || fail "the role did not say the training run failed before"
start "after a failed training run"
echo "check-cds: 6. a failed training run leaves no archive and a mark; the next run changes nothing and does not retry; the agent answers"
echo "check-cds: passed"
