#!/usr/bin/env bash
# Measures the push channel on this machine, with the agent jar and the collector stub as separate
# processes on loopback TCP:
#   1. time from a unit's state change (the fake systemctl starts reporting failed, or recovers) to the
#      stub printing the new lifecycle state, median of 10, with status.push.interval=1s;
#   2. the agent's RSS before and after 10,000 push cycles at a 10 ms interval while the collector is
#      killed and restarted every 10 s.
# Usage: bash src/bench/push.sh ["JVM flags"]   (rebuilds both jars first; takes about 3 minutes)
set -euo pipefail
cd "$(dirname "$0")/../.."
# Always rebuild: a jar left from older sources would measure the wrong agent.
mvn -B -q package -DskipTests
flags=${1:--XX:+UseSerialGC -Xmx64m -XX:TieredStopAtLevel=1}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
fixtures=$(pwd)/src/test/resources/fixtures
cat > "$work/systemctl" <<SH
#!/bin/sh
if [ -e '$work/failed' ]; then sed -e 1d -e '\$d' '$fixtures/systemd/show-failed.txt'; else sed -e 1d -e '\$d' '$fixtures/systemd/show-running.txt'; fi
SH
cat > "$work/nvidia-smi" <<SH
#!/bin/sh
cat '$fixtures/nvidia-smi-table/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__idle.txt'
SH
cp "$work/systemctl" "$work/journalctl"
chmod +x "$work"/*
port=18124; collector=18125

start_stub() {
  java -XX:+UseSerialGC -jar collector-stub/target/collector-stub.jar --listen "tcp://127.0.0.1:$collector" \
    --interval "$1" </dev/null >>"$work/stub.log" 2>&1 &
  stub=$!; pids+=("$stub")
}
start_agent() {
  # shellcheck disable=SC2086
  java $flags -Dstatus.bind-address=127.0.0.1 -Dstatus.port=$port -Dstatus.cache-ttl="$2" \
    -Dstatus.services[0].id=k3s -Dstatus.services[0].unit=k3s.service \
    -Dstatus.commands.systemctl="$work/systemctl" -Dstatus.commands.journalctl="$work/journalctl" \
    -Dstatus.commands.nvidia-smi="$work/nvidia-smi" -Dstatus.push.agent-id=bench-guest \
    -Dstatus.push.address="tcp://127.0.0.1:$collector" -Dstatus.push.interval="$1" \
    -Dstatus.push.backoff-initial=50ms -Dstatus.push.backoff-max=500ms \
    -jar target/system-status.jar >"$work/agent.log" 2>&1 &
  agent=$!; pids+=("$agent")
}
# Waits for the stub to print a line containing $1 after line $2 of its log; prints its timestamp in ns.
await_line() {
  for _ in $(seq 1000); do
    line=$(tail -n +"$(( $2 + 1 ))" "$work/stub.log" | grep -m1 -F -- "$1" || true)
    if [ -n "$line" ]; then date -d "${line%% *}" +%s%N; return; fi
    sleep 0.01
  done
  echo "the stub never printed '$1'" >&2; cat "$work/stub.log" >&2; exit 1
}

# 1. State change to host, median of 10 (5 failures and 5 recoveries).
start_stub 1s
start_agent 1s 0s
await_line "-> healthy" 0 >/dev/null
latencies=()
for i in $(seq 10); do
  sleep 1.$((RANDOM % 10))
  seen=$(wc -l < "$work/stub.log")
  if [ -e "$work/failed" ]; then rm "$work/failed"; want="-> healthy"; else touch "$work/failed"; want="-> degraded"; fi
  changed=$(date +%s%N)
  received=$(await_line "$want" "$seen")
  latencies+=("$(( (received - changed) / 1000000 ))")
done
kill "$agent" "$stub"; wait "$agent" "$stub" 2>/dev/null || true
median=$(printf '%s\n' "${latencies[@]}" | sort -n | awk '{a[NR]=$1} END {print (a[5]+a[6])/2}')

# 2. RSS over 10,000 push cycles at 10 ms, the collector restarted every 10 s.
rm -f "$work/failed"; : > "$work/stub.log"
start_stub 10s
start_agent 10ms 2s
await_line "-> healthy" 0 >/dev/null
sleep 5
rss_before=$(awk '/VmRSS/ {print $2}' /proc/$agent/status)
restarts=0
cycles=0
until [ "$cycles" -ge 10000 ]; do
  sleep 10
  kill "$stub"; wait "$stub" 2>/dev/null || true
  start_stub 10s; restarts=$((restarts + 1))
  # One overview is handed to the channel per push cycle.
  cycles=$(curl -s "http://127.0.0.1:$port/metrics" | awk '/^system_status_push_overviews_total / {printf "%d", $2}')
  cycles=${cycles:-0}
done
rss_after=$(awk '/VmRSS/ {print $2}' /proc/$agent/status)

echo "jvm flags:                         $flags"
echo "state change -> host, median of 10: ${median} ms (push interval 1 s; each: ${latencies[*]} ms)"
echo "agent RSS before 10,000 cycles:    $((rss_before / 1024)) MiB"
echo "agent RSS after ${cycles} cycles:     $((rss_after / 1024)) MiB (collector restarted ${restarts} times)"
