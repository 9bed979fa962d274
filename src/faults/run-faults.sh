#!/usr/bin/env bash
# The fault cases that need root or a minute of wall time (the fast ones are JUnit tests under
# src/test/java/ai/chutes/status/faults and push/). Run by .ci/run; needs root (tmpfs mounts) and wrk.
#   1. unix socket directory on a read-only filesystem: one clear start-up line, exit 2
#   2. unix socket directory on a full filesystem: one clear start-up line, exit 2
#   3. 64 clients on every endpoint for 60 s: no error but 429, processes bounded, RSS reported
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(id -u)" -eq 0 ] || { echo "faults: needs root for the tmpfs mounts" >&2; exit 77; }
command -v wrk >/dev/null || { echo "faults: wrk is missing (apt-get install -y wrk)" >&2; exit 1; }
[ -f target/system-status.jar ] || mvn -B -q package -DskipTests
work=$(mktemp -d)
agent=""
cleanup() {
  [ -z "$agent" ] || kill "$agent" 2>/dev/null || true
  umount "$work/ro" "$work/full" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "faults: FAILED: $*" >&2; exit 1; }
fixtures=$(pwd)/src/test/resources/fixtures

# 1 and 2: the unix socket cannot be created.
expect_refusal() {
  local dir=$1 want=$2 out status=0
  out=$(timeout 60 java -XX:+UseSerialGC -Dstatus.port=-1 -Dstatus.bind-address=127.0.0.1 -Dstatus.push.enabled=false \
    -Dstatus.uds-path="$dir/agent.sock" -jar target/system-status.jar 2>&1) || status=$?
  [ "$status" -eq 2 ] || fail "expected exit 2 for $dir, got $status: $out"
  echo "$out" | grep -q "^system-status: cannot start: .*$want" || fail "no clear line for $dir: $out"
  echo "faults: $(echo "$out" | grep '^system-status: cannot start') (exit 2)"
}
mkdir "$work/ro" "$work/full"
mount -t tmpfs -o ro,size=64k tmpfs "$work/ro"
expect_refusal "$work/ro" "is not writable"
mount -t tmpfs -o size=64k,nr_inodes=3 tmpfs "$work/full"
touch "$work/full/a" "$work/full/b" 2>/dev/null || true
expect_refusal "$work/full" "No space left on device"

# 3: 64 clients for 60 s on every endpoint, fake commands with a little latency.
log="$work/argv.log"
for cmd in systemctl journalctl nvidia-smi; do
  case $cmd in
    # One block per unit named, blank-line separated, as the real systemctl show prints them.
    systemctl) body="sleep 0.05; n=0; for u in \"\$@\"; do case \$u in show|--*) continue ;; esac; [ \$n -gt 0 ] && echo; n=\$((n + 1)); sed -e 1d -e '\$d' '$fixtures/systemd/show-running.txt'; done" ;;
    journalctl) body="sed -e 1d -e '\$d' '$fixtures/systemd/journal-ok-short-iso.txt'" ;;
    nvidia-smi) body="sleep 0.3; cat '$fixtures/nvidia-smi-table/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__idle.txt'" ;;
  esac
  printf '#!/bin/sh\necho "%s $*" >> %s\n%s\n' "$cmd" "$log" "$body" > "$work/$cmd"
  chmod +x "$work/$cmd"
done
port=18160
java -XX:+UseSerialGC -Xmx64m -XX:TieredStopAtLevel=1 -Dstatus.bind-address=127.0.0.1 -Dstatus.port=$port \
  -Dstatus.push.enabled=false -Dstatus.commands.systemctl="$work/systemctl" \
  -Dstatus.commands.journalctl="$work/journalctl" -Dstatus.commands.nvidia-smi="$work/nvidia-smi" \
  -jar target/system-status.jar >"$work/agent.log" 2>&1 &
agent=$!
until curl -s -o /dev/null "http://127.0.0.1:$port/health"; do kill -0 $agent || fail "agent died"; sleep 0.05; done
# The most processes the agent runs at once, sampled every 50 ms while the load runs.
( peak=0; while kill -0 $agent 2>/dev/null; do
    n=$(pgrep -c -P $agent || true); [ "$n" -gt "$peak" ] && peak=$n && echo "$peak" > "$work/peak"
    sleep 0.05; done ) &
sampler=$!
: > "$log"
soak=$(wrk -t2 -c64 -d60s --timeout 20s -s src/faults/mixed.lua "http://127.0.0.1:$port" | grep '^soak:')
kill $sampler 2>/dev/null || true
echo "faults: $soak"
processes=$(grep -c . "$log")
peak=$(cat "$work/peak" 2>/dev/null || echo 0)
rss=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' /proc/$agent/status)
# Per 2 s cache window at most one run of each distinct command (7 units, 2 nvidia-smi argv, 1 journal
# tail), plus the metrics collection (8 commands) once per 10 s: about 340 in 60 s.
bound=$(( 31 * 10 + 7 * 8 ))
echo "faults: soak started $processes processes (bound $bound), at most $peak at once (bound 12), agent RSS ${rss} MiB"
echo "$soak" | grep -q ' 0 other, 0 socket errors' || fail "errors under load: $soak"
[ "$processes" -le "$bound" ] || fail "$processes processes in 60 s"
[ "$peak" -le 12 ] || fail "$peak processes at once"
curl -sf -o /dev/null "http://127.0.0.1:$port/health" || fail "the agent stopped answering"
echo "faults: all cases passed"
