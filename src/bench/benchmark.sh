#!/usr/bin/env bash
# The benchmark: one run, one table of medians and ratios, on this machine (loopback only).
#   bash src/bench/benchmark.sh            (about 3 minutes; needs wrk: apt-get install -y wrk)
# Fake commands of known latency stand in for the real ones: systemctl 50 ms (7 units), nvidia-smi
# 300 ms (summary and --query-gpu alike), journalctl instant. Each logs its argv, so processes are counted.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "benchmark: wrk is missing (apt-get install -y wrk)" >&2; exit 1; }
mvn -B -q package -DskipTests

# The flags the Ansible role uses (ansible/roles/system_status/defaults/main.yml: system_status_jvm_options).
ROLE_FLAGS=$(awk '/^system_status_jvm_options:/ {on = 1; next} on && /^  - / {printf "%s ", $2; next} on {exit}' \
  ansible/roles/system_status/defaults/main.yml)
[ -n "$ROLE_FLAGS" ] || { echo "benchmark: cannot read the role's JVM flags" >&2; exit 1; }
SLOWEST_MS=300
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
fixtures=$(pwd)/src/test/resources/fixtures
log="$work/argv.log"
cat > "$work/systemctl" <<SH
#!/bin/sh
echo "systemctl \$*" >> '$log'
sleep 0.05
if [ -e '$work/failed' ] && [ "\$2" = k3s.service ]; then f=show-failed.txt; else f=show-running.txt; fi
sed -e 1d -e '\$d' "$fixtures/systemd/\$f"
SH
cat > "$work/nvidia-smi" <<SH
#!/bin/sh
echo "nvidia-smi \$*" >> '$log'
sleep 0.3
case "\$1" in
  --help-query-gpu) cat '$PWD/src/demo/captures/h100.help-query-gpu.txt' ;;
  --query-gpu=*) awk -F, -v want="\${1#--query-gpu=}" -f '$PWD/src/demo/fake-bin/select-fields.awk' '$PWD/src/demo/captures/h100.query-gpu.csv' ;;
  *) cat '$fixtures/nvidia-smi-table/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__idle.txt' ;;
esac
SH
cat > "$work/journalctl" <<SH
#!/bin/sh
echo "journalctl \$*" >> '$log'
sed -e 1d -e '\$d' '$fixtures/systemd/journal-ok-short-iso.txt'
SH
chmod +x "$work"/systemctl "$work"/nvidia-smi "$work"/journalctl
port=18140

# start_agent FLAGS PROPS...: starts the jar, sets $agent and $first_ms (launch to first /health).
start_agent() {
  local flags=$1; shift
  local started; started=$(date +%s%N)
  # shellcheck disable=SC2086
  java $flags -Dstatus.bind-address=127.0.0.1 -Dstatus.port=$port \
    -Dstatus.commands.systemctl="$work/systemctl" -Dstatus.commands.journalctl="$work/journalctl" \
    -Dstatus.commands.nvidia-smi="$work/nvidia-smi" "$@" -jar target/system-status.jar >>"$work/agent.log" 2>&1 &
  agent=$!; pids+=("$agent")
  until curl -s -o /dev/null "http://127.0.0.1:$port/health"; do
    kill -0 "$agent" 2>/dev/null || { cat "$work/agent.log" >&2; exit 1; }
    sleep 0.005
  done
  first_ms=$(( ($(date +%s%N) - started) / 1000000 ))
}
stop_agent() { kill "$agent"; wait "$agent" 2>/dev/null || true; }
rss_mib() { awk '/VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$agent/status"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
# rate PATH SECONDS: requests per second after a 5 s warm-up of the same path (the JIT has compiled it).
rate() {
  wrk -t2 -c16 -d5s "http://127.0.0.1:$port$1" >/dev/null
  wrk -t2 -c16 -d"$2" "http://127.0.0.1:$port$1" | awk '/Requests\/sec/ {printf "%.0f", $2}'
}

# 1. Default JVM flags, no cache: start-up, RSS, overview latency against the slowest command.
start_agent "" -Dstatus.push.enabled=false -Dstatus.cache-ttl=0s
first_default=$first_ms; sleep 1; rss_start_default=$(rss_mib)
for _ in $(seq 3); do curl -s -o /dev/null "http://127.0.0.1:$port/overview"; done
overview_ms=$(for _ in $(seq 20); do curl -s -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$port/overview"; done \
  | awk '{print $1 * 1000}' | median)
stop_agent

# 2. Default flags, default 2 s cache: coalescing under 1,000 concurrent requests, then throughput.
start_agent "" -Dstatus.push.enabled=false
: > "$log"
urls="$work/urls"; for _ in $(seq 1000); do echo "url = \"http://127.0.0.1:$port/overview\""; echo "output = /dev/null"; done > "$urls"
started=$(date +%s%N)
curl -s --no-progress-meter --parallel --parallel-max 1000 --config "$urls"
burst_ms=$(( ($(date +%s%N) - started) / 1000000 ))
processes=$(grep -vc -- '--help-query-gpu' "$log")  # the field list is learnt once per agent, not per set
windows=$(( burst_ms / 2000 + 1 ))
health_rps=$(rate /health 10s)
overview_rps=$(rate /overview 10s)
rss_after_default=$(rss_mib)
stop_agent

# 3. The role's flags: start-up, RSS, throughput.
start_agent "$ROLE_FLAGS" -Dstatus.push.enabled=false
first_role=$first_ms; sleep 1; rss_start_role=$(rss_mib)
role_health_rps=$(rate /health 10s); role_overview_rps=$(rate /overview 10s)
rss_after_role=$(rss_mib)
stop_agent
# 3b. The same with a dynamic class-data archive (one training start, then reuse): not in the role yet.
start_agent "$ROLE_FLAGS -XX:ArchiveClassesAtExit=$work/agent.jsa" -Dstatus.push.enabled=false
curl -s -o /dev/null "http://127.0.0.1:$port/overview"; curl -s -o /dev/null "http://127.0.0.1:$port/metrics"
stop_agent
start_agent "$ROLE_FLAGS -XX:SharedArchiveFile=$work/agent.jsa" -Dstatus.push.enabled=false
first_archive=$first_ms
stop_agent

# 4. Push: a unit fails or recovers; time until the collector stub prints the new state (interval 1 s).
java -XX:+UseSerialGC -jar collector-stub/target/collector-stub.jar --listen tcp://127.0.0.1:18141 --interval 1s \
  </dev/null >"$work/stub.log" 2>&1 &
pids+=("$!")
start_agent "$ROLE_FLAGS" -Dstatus.push.address=tcp://127.0.0.1:18141 -Dstatus.push.interval=1s -Dstatus.cache-ttl=0s \
  -Dstatus.push.agent-id=bench -Dstatus.services[0].id=k3s -Dstatus.services[0].unit=k3s.service
until grep -q -- "-> healthy" "$work/stub.log"; do sleep 0.05; done
push_ms=$(for _ in $(seq 10); do
  sleep 1.$((RANDOM % 10))
  seen=$(wc -l < "$work/stub.log")
  if [ -e "$work/failed" ]; then rm "$work/failed"; want="-> healthy"; else touch "$work/failed"; want="-> degraded"; fi
  changed=$(date +%s%N)
  until tail -n +"$((seen + 1))" "$work/stub.log" | grep -q -- "$want"; do sleep 0.01; done
  line=$(tail -n +"$((seen + 1))" "$work/stub.log" | grep -m1 -- "$want")
  echo $(( ($(date -d "${line%% *}" +%s%N) - changed) / 1000000 ))
done | median)
stop_agent

printf '\nsystem-status benchmark, %s, %s cores, %s\n\n' "$(date -u +%Y-%m-%d)" "$(nproc)" "$(java -version 2>&1 | head -1)"
printf '| measure | result | target |\n|---|---|---|\n'
printf '| /overview, 7 x 50 ms systemctl + 300 ms nvidia-smi, no cache (median of 20) | %s ms = %.2f x the slowest command | <= 1.2 x |\n' \
  "$overview_ms" "$(awk "BEGIN {print $overview_ms / $SLOWEST_MS}")"
printf '| 1,000 concurrent /overview (2 s cache) | %s processes (%.1f sets of 10: 7 systemctl, the summary, the GPU query, the kernel journal) in %s ms, i.e. %s cache window(s) | one set per window |\n' \
  "$processes" "$(awk "BEGIN {print $processes / 10}")" "$burst_ms" "$windows"
printf '| /health throughput, default flags (wrk -t2 -c16, 10 s) | %s req/s = %.1f x FastAPI 3.7k | >= 10 x |\n' "$health_rps" "$(awk "BEGIN {print $health_rps / 3700}")"
printf '| /health throughput, role flags | %s req/s = %.1f x FastAPI 3.7k | >= 10 x |\n' "$role_health_rps" "$(awk "BEGIN {print $role_health_rps / 3700}")"
printf '| cached /overview throughput, default / role flags | %s / %s req/s | |\n' "$overview_rps" "$role_overview_rps"
printf '| first /health after java -jar, default / role flags | %s / %s ms | <= 500 ms |\n' "$first_default" "$first_role"
printf '| first /health, role flags + a class-data archive (not in the role yet) | %s ms | <= 500 ms |\n' "$first_archive"
printf '| RSS 1 s after start / after load, default flags | %s / %s MiB | < 64 MB |\n' "$rss_start_default" "$rss_after_default"
printf '| RSS 1 s after start / after load, role flags | %s / %s MiB | < 64 MB |\n' "$rss_start_role" "$rss_after_role"
printf '| unit state change -> collector stub, push interval 1 s (median of 10) | %s ms | within interval + 1 s |\n' "$push_ms"
