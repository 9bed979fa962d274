#!/usr/bin/env bash
# Measures /metrics latency on this machine: median of 20 sequential scrapes after 200 warm-up ones, for
#   cached: status.metrics.min-interval=1h, so every measured scrape answers from the last collection;
#   fresh:  status.metrics.min-interval=0s and cache-ttl=0s, so every scrape runs one systemctl for the 7 units, the wide
#           GPU query (all 212 fields the H100 capture's driver lists) (the kernel journal once per status.gpu.xid-refresh, 30 s)
#           (fake commands replaying the H100 capture, no added delay).
# Usage: bash src/bench/scrape-latency.sh ["JVM flags"]   (builds the jar when sources are newer)
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -f target/system-status.jar ] || [ -n "$(find src/main src/protocol/main pom.xml src/pom.xml -newer target/system-status.jar | head -1)" ]; then
  mvn -B -q package -DskipTests
fi
flags=${1:-}
work=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$work"' EXIT
fixtures=$(pwd)/src/test/resources/fixtures
ln -sf "$PWD/src/bench/stand-in/systemctl" "$work/systemctl"  # one block per unit named, as the real one
# The demo's nvidia-smi: the H100 capture's field list, and its full-field query cut to the asked fields
# (the wide query: every field driver 590.48.01 lists, 212 columns).
cp src/demo/fake-bin/nvidia-smi src/demo/fake-bin/select-fields.awk "$work/"
sed -i "s|\$here/../captures|$PWD/src/demo/captures|g" "$work/nvidia-smi"
ln -sf "$PWD/src/bench/stand-in/systemctl" "$work/journalctl"
chmod +x "$work"/*
port=18124
warmup=200
scrapes=$((warmup + 20 + 1))

median_of_20() {
  local times=()
  for _ in $(seq 20); do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$port/metrics")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", (a[10]+a[11])/2*1000}'
}

measure() {
  # shellcheck disable=SC2086
  java $flags -Dstatus.bind-address=127.0.0.1 -Dstatus.port=$port -Dstatus.push.enabled=false "$@" \
    -Dstatus.commands.systemctl="$work/systemctl" -Dstatus.commands.journalctl="$work/journalctl" \
    -Dstatus.commands.nvidia-smi="$work/nvidia-smi" -jar target/system-status.jar >"$work/agent.out" 2>"$work/agent.log" &
  pid=$!
  until curl -s -o /dev/null "http://127.0.0.1:$port/health"; do
    kill -0 $pid 2>/dev/null || { echo "the agent exited:"; cat "$work/agent.log"; exit 1; }
    sleep 0.05
  done
  # Warm up (the JIT): with only 20 scrapes first, the cached median is ~3x higher on 2 cores.
  for _ in $(seq "$warmup"); do curl -s -o /dev/null "http://127.0.0.1:$port/metrics"; done
  median=$(median_of_20)
  # How many GPU queries really ran in all the scrapes (warm-up, measured, this one): cached vs fresh.
  queries=$(curl -s "http://127.0.0.1:$port/metrics" \
    | awk '/^system_status_command_runs_total\{command="nvidia-smi",outcome="ok"\}/ {print $2}')
  kill $pid; wait $pid 2>/dev/null || true; pid=
}

echo "jvm flags:                    ${flags:-(none)}"
measure -Dstatus.metrics.min-interval=1h
echo "cached scrape, median of 20:  ${median} ms (GPU queries run in ${scrapes} scrapes: ${queries})"
measure -Dstatus.metrics.min-interval=0s -Dstatus.cache-ttl=0s
echo "fresh scrape, median of 20:   ${median} ms (GPU queries run in ${scrapes} scrapes: ${queries}; each also runs one systemctl for the 7 units)"
echo "java:                         $(java -version 2>&1 | head -1)"
