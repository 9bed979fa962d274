#!/usr/bin/env bash
# Chooses the role's JIT flags by measurement: for each candidate set of JVM flags, one agent (push
# off, audit on) started twice, without and with a class-data archive built for that set by the role's
# own training run (files/build-cds-archive.sh): time from `java` to the first /health and RSS 1 s
# after start with the archive, then /health throughput (wrk -t2 -c16, 10 s after a 5 s warm-up) and
# RSS and threads after that load.
#   bash src/bench/jit-flags.sh ["JIT flags" ...]   (needs target/system-status.jar, wrk, python3)
# With arguments, those sets are measured instead of the list below. The environment is passed on,
# so `MALLOC_ARENA_MAX=2 bash src/bench/jit-flags.sh` measures glibc's arena cap as well. Every set
# shares the role's GC and Netty settings; the JIT part differs, and a later -Xmx overrides the heap.
# With OVERVIEW=1, a cached /overview load (as in benchmark.sh: 5 s warm-up, 10 s) follows the /health
# load before RSS and threads are read, and its rate is reported too. With NMT=1, each row adds the JVM's own account of its memory (jcmd VM.native_memory summary, in
# MiB; NMT itself costs ~3 MiB of RSS).
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f target/system-status.jar ] || { echo "jit-flags: mvn -B -q package -DskipTests first" >&2; exit 1; }
base="-XX:+UseSerialGC -Xms16m -Xmx64m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:MaxDirectMemorySize=16m -Dio.netty.allocator.type=unpooled --enable-native-access=ALL-UNNAMED"
trim="-XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=1000"
candidates=(
  "-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=24m"
  "-XX:CICompilerCount=2 -XX:ReservedCodeCacheSize=24m"
  "-XX:CICompilerCount=2 -XX:ReservedCodeCacheSize=24m $trim"
  "-XX:-TieredCompilation -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=16m"
  "-XX:-TieredCompilation -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=16m $trim"
)
[ "$#" -eq 0 ] || candidates=("$@")
port=18150
work=$(mktemp -d)
pid=
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
# shellcheck source=src/bench/lib.sh
. src/bench/lib.sh
stand_in_settings "$work"

# start FLAGS...: starts the agent, sets $pid and $first_ms (launch to first /health).
start() {
  local started; started=$(date +%s%N)
  # shellcheck disable=SC2068
  java $@ -Dmicronaut.config.files="$work/application.json" -Dstatus.bind-address=127.0.0.1 -Dstatus.port=$port \
    -Dstatus.push.enabled=false -jar target/system-status.jar >/dev/null 2>&1 &
  pid=$!
  # One polling process, as benchmark.sh: a curl every 5 ms took CPU from the starting JVM.
  python3 src/bench/first-answer.py "$port" "$pid" || { echo "jit-flags: the agent did not start with: $*" >&2; exit 1; }
  first_ms=$(( ($(date +%s%N) - started) / 1000000 ))
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=; }
nmt() {
  jcmd "$pid" VM.native_memory summary | sed -nE 's/^- *(Java Heap|Class|Code|Symbol|Metaspace|Shared class space|Arena Chunk) +\(reserved=[0-9]+KB, committed=([0-9]+)KB\)/\1 \2/p' \
    | awk '{v = $NF; sub(/ [0-9]+$/, ""); printf "%s%s %.0f", (NR > 1 ? ", " : ""), $0, v / 1024}'
}

printf '| JIT flags (besides: %s) | first /health, no archive / archive | RSS 1 s after start (archive) | /health req/s | RSS after load | threads |%s\n|---|---|---|---|---|---|%s\n' \
  "$base" "${NMT:+ NMT committed, MiB |}" "${NMT:+---|}"
for jit in "${candidates[@]}"; do
  # shellcheck disable=SC2086
  sh ansible/roles/system_status/files/build-cds-archive.sh java target/system-status.jar "$work/cds" "$work/agent.jsa" "$work/application.json" $base $jit \
    && [ -e "$work/agent.jsa" ] || { echo "jit-flags: the training run failed for: $jit" >&2; exit 1; }
  start $base $jit; first_plain=$first_ms; stop
  start $base $jit -Xshare:auto -XX:SharedArchiveFile="$work/agent.jsa" ${NMT:+-XX:NativeMemoryTracking=summary}
  sleep 1; rss_start=$(rss_mib "$pid")
  rps=$(rate /health 10s)
  if [ -n "${OVERVIEW:-}" ]; then
    rps="$rps (/overview $(rate /overview 10s))"
  fi
  rss_after=$(rss_mib "$pid"); threads=$(threads "$pid")
  memory=""; [ -z "${NMT:-}" ] || memory=" $(nmt) |"
  stop
  printf '| %s | %s / %s ms | %s MiB | %s | %s MiB | %s |%s\n' "$jit" "$first_plain" "$first_ms" "$rss_start" "$rps" "$rss_after" "$threads" "$memory"
  rm -f "$work/agent.jsa"
done
printf '\n(%s, %s cores, load %s at the end, %s, MALLOC_ARENA_MAX=%s)\n' "$(date -u +%Y-%m-%d)" "$(nproc)" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" "$(java -version 2>&1 | head -1)" "${MALLOC_ARENA_MAX:-unset}"
