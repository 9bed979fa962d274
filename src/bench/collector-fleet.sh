#!/usr/bin/env bash
# The host collector under a fleet: 300 simulated guests (half TCP, half unix; src/bench/fleet_guests.py)
# push an overview every second for 60 s while 10 of them per second flip between healthy and
# degraded. Reports the collector's CPU (share of one core over the 60 s) and RSS (max of 1 s samples,
# and the kernel's high-water mark), and the latency from a flip's write to its event on GET /events
# (median and p99). Run it under the shared lock: flock /tmp/heavy.lock bash src/bench/collector-fleet.sh
# Usage: bash src/bench/collector-fleet.sh ["JVM flags"] [guests] [seconds]
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q package -DskipTests
flags=${1:--XX:+UseSerialGC}
guests=${2:-300}
seconds=${3:-60}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
listen=18191; http=18192
# shellcheck disable=SC2086
java $flags -jar collector-stub/target/collector-stub.jar --listen "tcp://127.0.0.1:$listen" \
  --listen "unix://$work/collector.sock" --http "tcp://127.0.0.1:$http" --interval 1s </dev/null >"$work/collector.log" 2>&1 &
collector=$!; pids+=("$collector")
for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$http/agents" && break; sleep 0.1; done

cpu_ticks() { awk '{print $14 + $15}' "/proc/$collector/stat"; }
python3 src/bench/fleet_guests.py "$listen" "$work/collector.sock" "$http" "$guests" "$seconds" 10 >"$work/guests.log" 2>&1 &
guests_pid=$!; pids+=("$guests_pid")
for _ in $(seq 300); do grep -q "connected and pushing" "$work/guests.log" 2>/dev/null && break; sleep 0.1; done
start_ticks=$(cpu_ticks); start=$(date +%s%N); max_rss=0
while kill -0 "$guests_pid" 2>/dev/null; do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$collector/status")
  [ "$rss" -gt "$max_rss" ] && max_rss=$rss
  sleep 1
done
end_ticks=$(cpu_ticks); end=$(date +%s%N)
wait "$guests_pid" || { echo "collector-fleet: the guests failed" >&2; cat "$work/guests.log" >&2; exit 1; }
hwm=$(awk '/VmHWM/ {print $2}' "/proc/$collector/status")
known=$(curl -sf "http://127.0.0.1:$http/metrics" | awk '/^collector_guests /{print $2}')
refused=$(curl -sf "http://127.0.0.1:$http/metrics" | awk '/^collector_lines_refused_total /{print $2}')
cat "$work/guests.log"
hz=$(getconf CLK_TCK)
awk -v t=$((end_ticks - start_ticks)) -v hz="$hz" -v ns=$((end - start)) \
  'BEGIN { printf "collector CPU: %.1f%% of one core over %.0f s\n", 100 * t / hz / (ns / 1e9), ns / 1e9 }'
echo "collector RSS: max $((max_rss / 1024)) MiB (1 s samples), high-water $((hwm / 1024)) MiB; flags: $flags"
echo "collector: $known guests known, $refused lines refused"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
