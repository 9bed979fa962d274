#!/usr/bin/env bash
# Measures, on this machine: jar size, time from `java -jar` to the first /health answer, RSS after
# start, and /overview latency (median of 20, no cache) with fake commands that each take 300 ms.
# Usage: bash src/bench/startup-and-overview.sh ["JVM flags"]   (rebuilds the jar first)
set -euo pipefail
cd "$(dirname "$0")/../.."
# Always rebuild: a jar left from older sources would measure the wrong agent.
mvn -B -q package -DskipTests
flags=${1:-}
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
ln -sf "$PWD/src/bench/stand-in/systemctl" "$work/systemctl"  # one block per unit named, as the real one
echo 0.3 > "$work/systemctl.delay"
# The demo's nvidia-smi (a real H100 capture for the table, --help-query-gpu and --query-gpu), 300 ms late.
cat > "$work/nvidia-smi" <<SH
#!/bin/sh
sleep 0.3; exec '$PWD/src/demo/fake-bin/nvidia-smi' "\$@"
SH
ln -sf "$PWD/src/bench/stand-in/systemctl" "$work/journalctl"
chmod +x "$work"/*
port=18123

start=$(date +%s%N)
# shellcheck disable=SC2086
java $flags -Dstatus.bind-address=127.0.0.1 -Dstatus.port=$port -Dstatus.push.enabled=false -Dstatus.cache-ttl=0s \
  -Dstatus.commands.systemctl="$work/systemctl" -Dstatus.commands.journalctl="$work/journalctl" \
  -Dstatus.commands.nvidia-smi="$work/nvidia-smi" -jar target/system-status.jar 2>"$work/agent.log" &
pid=$!
until curl -s -o /dev/null "http://127.0.0.1:$port/health"; do
  kill -0 $pid 2>/dev/null || { echo "the agent exited:"; cat "$work/agent.log"; exit 1; }
  sleep 0.01
done
first=$(( ($(date +%s%N) - start) / 1000000 ))
sleep 1
rss_start=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)

times=()
for _ in $(seq 20); do
  times+=("$(curl -s -o /dev/null -w '%{time_total}' "http://127.0.0.1:$port/overview")")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print (a[10]+a[11])/2*1000}')
rss_after=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)

echo "jvm flags:              ${flags:-(none)}"
echo "jar size:               $(stat -c %s target/system-status.jar) bytes"
echo "first /health after:    ${first} ms"
echo "RSS 1 s after start:    $((rss_start / 1024)) MiB"
echo "overview median of 20:  ${median} ms (each fake command sleeps 300 ms; ratio $(awk "BEGIN {printf \"%.2f\", $median/300}"))"
echo "RSS after 20 overviews: $((rss_after / 1024)) MiB"
