#!/usr/bin/env bash
# Clients that pipeline requests and never read (issue 13): /health p99 of a well-behaved client (a new
# connection per request) while 1 and while 20 such clients hammer /metrics, and with 3,000 idle
# connections (alone, and with the 20 hammers), with the role's JVM flags. Each row: p50/p99/max,
# failures (no 200 within 2 s), OutOfMemoryError lines in the agent's log, peak RSS.
# Usage: bash src/bench/backpressure.sh [SECONDS per row, default 10]   (run it under flock /tmp/heavy.lock)
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -f target/system-status.jar ] || [ -n "$(find src/main pom.xml -newer target/system-status.jar | head -1)" ]; then
  mvn -B -q package -DskipTests
fi
seconds=${1:-10}
# shellcheck source=src/bench/lib.sh
. src/bench/lib.sh
ROLE_FLAGS=$(role_flags)
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
ln -sf "$PWD/src/bench/stand-in/systemctl" "$work/systemctl"  # one block per unit named, as the real one
# The demo's nvidia-smi: a real H100 capture for the table, --help-query-gpu and --query-gpu.
printf '#!/bin/sh\nexec %s "$@"\n' "$PWD/src/demo/fake-bin/nvidia-smi" > "$work/nvidia-smi"
chmod +x "$work/nvidia-smi"
ln -sf "$PWD/src/bench/stand-in/systemctl" "$work/journalctl"
port=18125
ulimit -n 20000

row() {
  local label=$1 hammers=$2 idle=$3
  # shellcheck disable=SC2086
  java $ROLE_FLAGS -Dstatus.bind-address=127.0.0.1 -Dstatus.port=$port -Dstatus.push.enabled=false \
    -Dstatus.commands.systemctl="$work/systemctl" -Dstatus.commands.journalctl="$work/journalctl" \
    -Dstatus.commands.nvidia-smi="$work/nvidia-smi" -jar target/system-status.jar >/dev/null 2>"$work/agent.log" &
  pid=$!
  until curl -s -o /dev/null "http://127.0.0.1:$port/health"; do
    kill -0 $pid 2>/dev/null || { echo "the agent exited:"; cat "$work/agent.log"; exit 1; }
    sleep 0.05
  done
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/metrics"; done
  figures=$(python3 src/bench/backpressure.py $port $pid "$hammers" "$idle" "$seconds")
  alive=yes; kill -0 $pid 2>/dev/null || alive=no
  oom=$(grep -c OutOfMemoryError "$work/agent.log" || true)
  closed=$(grep -c "was not taken within" "$work/agent.log" || true)
  kill $pid; wait $pid 2>/dev/null || true; pid=
  printf '| %s | %s | OOM lines %s | non-reading connections closed %s | agent alive %s |\n' "$label" "$figures" "$oom" "$closed" "$alive"
}

echo "jvm flags (role): $ROLE_FLAGS"
echo "java: $(java -version 2>&1 | head -1); $seconds s per row"
row "1 non-reading pipelining client" 1 0
row "20 non-reading pipelining clients" 20 0
row "3,000 idle connections" 0 3000
row "3,000 idle connections + 20 non-reading clients" 20 3000
