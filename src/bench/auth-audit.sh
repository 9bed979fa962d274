#!/usr/bin/env bash
# Throughput cost of token auth and of the audit log, on loopback: four agents run side by side,
#   base:  no token file, audit off     token: token file, audit off
#   audit: no token file, audit on      both:  token file, audit on
# and wrk (2 threads, 16 connections, the token always sent) takes turns on them, round after round,
# on /health and on /services, so that drift on a shared machine hits every configuration alike.
# /health is always open: there the token costs reading the header and checking the token, nothing
# else; /services needs the token. Audit lines go to a file, as journald or a log file takes them.
# Reported: the median requests/s per configuration, and the median of the per-round ratios to base.
# Usage: bash src/bench/auth-audit.sh [seconds per round (5)] [rounds (6)]
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
if [ ! -f target/system-status.jar ] || [ -n "$(find src/main src/protocol/main pom.xml src/pom.xml -newer target/system-status.jar | head -1)" ]; then
  mvn -B -q package -DskipTests
fi
seconds=${1:-5}
rounds=${2:-6}
configs="base token audit both"
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
token=bench-token-0123456789abcdef
printf '%s\n' "$token" > "$work/tokens"
chmod 600 "$work/tokens"
fixtures=$(pwd)/src/test/resources/fixtures
cat > "$work/systemctl" <<SH
#!/bin/sh
sed -e 1d -e '\$d' '$fixtures/systemd/show-running.txt'
SH
cp "$work/systemctl" "$work/journalctl"
cp "$work/systemctl" "$work/nvidia-smi"
ln -sf "$PWD/src/bench/stand-in/systemctl" "$work/systemctl"  # one block per unit named, as the real one
chmod +x "$work/systemctl" "$work/journalctl" "$work/nvidia-smi"

port_of() { case $1 in base) echo 18131 ;; token) echo 18132 ;; audit) echo 18133 ;; both) echo 18134 ;; esac; }
flags_of() {
  case $1 in
    base) echo "-Dstatus.audit.enabled=false" ;;
    token) echo "-Dstatus.audit.enabled=false -Dstatus.auth.token-file=$work/tokens" ;;
    audit) echo "-Dstatus.audit.enabled=true" ;;
    both) echo "-Dstatus.audit.enabled=true -Dstatus.auth.token-file=$work/tokens" ;;
  esac
}
load() { wrk -t2 -c16 -d"${seconds}s" -H "Authorization: Bearer $token" "http://127.0.0.1:$(port_of "$1")$2"; }

for config in $configs; do
  # shellcheck disable=SC2046
  java -XX:+UseSerialGC -Xmx64m $(flags_of "$config") -Dstatus.push.enabled=false \
    -Dstatus.bind-address=127.0.0.1 -Dstatus.port="$(port_of "$config")" \
    -Dstatus.commands.systemctl="$work/systemctl" -Dstatus.commands.journalctl="$work/journalctl" \
    -Dstatus.commands.nvidia-smi="$work/nvidia-smi" -jar target/system-status.jar \
    >"$work/audit-$config.log" 2>"$work/agent-$config.log" &
  pids+=($!)
done
for config in $configs; do
  until curl -s -o /dev/null "http://127.0.0.1:$(port_of "$config")/health"; do
    sleep 0.1
    grep -q "cannot start\|Exception" "$work/agent-$config.log" && { cat "$work/agent-$config.log"; exit 1; }
  done
  load "$config" /health >/dev/null     # JIT warm-up
  load "$config" /services >/dev/null
done
for round in $(seq "$rounds"); do
  for path in /health /services; do
    for config in $configs; do
      echo "$round $config $path $(load "$config" "$path" | awk '/^Requests\/sec:/ {printf "%d", $2}')" >> "$work/results"
    done
  done
done

# shellcheck source=src/bench/lib.sh
. src/bench/lib.sh
echo "wrk -t2 -c16, ${rounds} rounds of ${seconds} s per configuration and path, configurations taking turns"
echo "path       config   median req/s   median ratio to base (per round)"
for path in /health /services; do
  for config in $configs; do
    value=$(awk -v c="$config" -v p="$path" '$2==c && $3==p {print $4}' "$work/results" | median)
    ratio=$(awk -v c="$config" -v p="$path" '$3==p && $2=="base" {b[$1]=$4} $3==p && $2==c {v[$1]=$4}
      END {for (r in v) print v[r]/b[r]}' "$work/results" | median)
    printf '%-10s %-8s %12.0f   %.3f\n' "$path" "$config" "$value" "$ratio"
  done
done
echo "audit lines written by the 'both' agent: $(wc -l < "$work/audit-both.log"); the last one:"
tail -1 "$work/audit-both.log"
echo "java: $(java -version 2>&1 | head -1); cores: $(nproc); load average before the end: $(cut -d' ' -f1-3 /proc/loadavg)"
