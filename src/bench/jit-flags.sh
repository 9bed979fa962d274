#!/usr/bin/env bash
# Chooses the role's JIT flags by measurement: /health throughput (wrk -t2 -c16, 10 s after a 5 s
# warm-up) and RSS after that load, for each candidate set of JVM flags, one agent each, push off.
#   bash src/bench/jit-flags.sh ["JIT flags" ...]   (needs target/system-status.jar and wrk)
# With arguments, those sets are measured instead of the list below. The environment is passed on,
# so `MALLOC_ARENA_MAX=2 bash src/bench/jit-flags.sh` measures glibc's arena cap as well.
# Every set shares the role's GC and Netty settings; the JIT part differs, and a later -Xmx overrides the heap.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f target/system-status.jar ] || { echo "jit-flags: mvn -B -q package -DskipTests first" >&2; exit 1; }
base="-XX:+UseSerialGC -Xms8m -Xmx64m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:MaxDirectMemorySize=16m -Dio.netty.allocator.type=unpooled --enable-native-access=ALL-UNNAMED"
candidates=(
  "-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=24m"
  "-XX:CICompilerCount=2 -XX:ReservedCodeCacheSize=24m"
  "-XX:CICompilerCount=2 -XX:ReservedCodeCacheSize=32m"
  "-XX:CICompilerCount=2 -XX:ReservedCodeCacheSize=16m -Xmx32m"
  "-XX:-TieredCompilation -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=16m"
  "-XX:-TieredCompilation -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=16m -Xmx32m"
)
[ "$#" -eq 0 ] || candidates=("$@")
port=18150
printf '| JIT flags (besides: %s) | /health req/s | RSS after load |\n|---|---|---|\n' "$base"
for jit in "${candidates[@]}"; do
  # shellcheck disable=SC2086
  java $base $jit -Dstatus.bind-address=127.0.0.1 -Dstatus.port=$port -Dstatus.push.enabled=false \
    -jar target/system-status.jar >/dev/null 2>&1 &
  pid=$!
  until curl -s -o /dev/null "http://127.0.0.1:$port/health"; do sleep 0.05; done
  wrk -t2 -c16 -d5s "http://127.0.0.1:$port/health" >/dev/null
  rps=$(wrk -t2 -c16 -d10s "http://127.0.0.1:$port/health" | awk '/Requests\/sec/ {printf "%.0f", $2}')
  rss=$(awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$pid/status")
  kill "$pid"; wait "$pid" 2>/dev/null || true
  printf '| %s | %s | %s MiB |\n' "$jit" "$rps" "$rss"
done
printf '\n(%s cores, load %s, MALLOC_ARENA_MAX=%s)\n' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" "${MALLOC_ARENA_MAX:-unset}"
