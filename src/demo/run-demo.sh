#!/usr/bin/env bash
# Builds the agent, starts it on loopback (and a unix socket), shows a few answers, and keeps it running
# until Ctrl-C. Uses the real systemctl/journalctl/nvidia-smi where this machine has them, and the demo
# stand-ins in src/demo/fake-bin where it does not.
#
#   bash src/demo/run-demo.sh          a free port the kernel picks
#   bash src/demo/run-demo.sh 8080     this port (the demo stops if something else holds it)
#
# Every answer shown comes from the agent this script started: the TCP port is read from that process's
# own listening socket (its /proc fd table matched against the kernel's socket table), never assumed.
set -euo pipefail
cd "$(dirname "$0")/../.."
port=${1:-${DEMO_PORT:--1}}
case "$port" in
  -1) ;;
  *[!0-9]* | '') echo "demo: the port must be a number, got '$port'" >&2; exit 2 ;;
esac
[ -f target/system-status.jar ] || mvn -B -q package -DskipTests

fake=$PWD/src/demo/fake-bin
if [ -d /run/systemd/system ]; then systemctl=/usr/bin/systemctl journalctl=/usr/bin/journalctl
else systemctl=$fake/systemctl journalctl=$fake/journalctl; echo "demo: no running systemd here, using stand-ins"; fi
if [ -x /usr/bin/nvidia-smi ]; then nvidia=/usr/bin/nvidia-smi
else nvidia=$fake/nvidia-smi; echo "demo: no nvidia-smi here, replaying a real H100 capture"; fi
# The push channel stays off unless STATUS_PUSH_ADDRESS names a collector over TCP or a unix socket.
# Never auto or vsock: auto means vsock://2:1024, the host of the machine the demo runs on.
push=(-Dstatus.push.enabled=false)
case "${STATUS_PUSH_ADDRESS:-}" in
  '') ;;
  tcp://* | unix://*) push=(-Dstatus.push.enabled=true "-Dstatus.push.address=$STATUS_PUSH_ADDRESS") ;;
  *) echo "demo: STATUS_PUSH_ADDRESS must be tcp://HOST:PORT or unix:///PATH (the demo never dials vsock)" >&2; exit 2 ;;
esac

# Per run, so two demos (or a stale one) never share a socket or an audit file.
run=$(mktemp -d "${TMPDIR:-/tmp}/system-status-demo.XXXXXX")
socket=$run/status.sock
# The audit log (one JSON line per request, on the agent's standard output) goes to its own file here.
audit=$run/audit.log

env -u STATUS_PUSH_ADDRESS -u STATUS_PUSH_ENABLED java -XX:+UseSerialGC -Xmx64m -XX:TieredStopAtLevel=1 "${push[@]}" \
  -Dstatus.bind-address=127.0.0.1 -Dstatus.port="$port" -Dstatus.uds-path="$socket" \
  -Dstatus.commands.systemctl="$systemctl" -Dstatus.commands.journalctl="$journalctl" \
  -Dstatus.commands.nvidia-smi="$nvidia" -jar target/system-status.jar >"$audit" &
agent=$!
trap 'kill $agent 2>/dev/null; wait $agent 2>/dev/null; rm -rf "$run"' EXIT INT TERM

# The TCP ports process $1 listens on: its socket inodes, looked up in the kernel's socket tables
# (state 0A: LISTEN; Java binds an IPv4 address through an IPv6 socket, so tcp6 is read too).
listening_ports() {
  local inodes
  inodes=$(ls -l "/proc/$1/fd" 2>/dev/null | sed -n 's/.*socket:\[\([0-9]*\)\]$/\1/p' | tr '\n' ' ')
  [ -n "$inodes" ] || return 0
  awk -v own=" $inodes" '$4 == "0A" && index(own, " " $10 " ") { split($2, addr, ":"); print addr[2] }' /proc/net/tcp /proc/net/tcp6 \
    | while read -r hex; do echo $((16#$hex)); done
}

bound=""
for _ in $(seq 300); do
  kill -0 "$agent" 2>/dev/null || { echo "demo: the agent stopped before it listened (see the line above)" >&2; exit 1; }
  bound=$(listening_ports "$agent" | head -n1)
  [ -n "$bound" ] && [ -S "$socket" ] && break
  sleep 0.1
done
[ -n "$bound" ] || { echo "demo: the agent did not listen within 30 s" >&2; exit 1; }
if [ "$port" != -1 ] && [ "$bound" != "$port" ]; then
  echo "demo: the agent listens on $bound, not on the $port asked for" >&2; exit 1
fi
base=http://127.0.0.1:$bound
curl -sf -o /dev/null --retry 20 --retry-connrefused --retry-delay 0 --max-time 10 "$base/health" \
  || { echo "demo: the agent (pid $agent) does not answer on $base" >&2; exit 1; }
echo "demo: agent pid $agent listens on $base and $socket; every answer below is its own."

show() { local what=$1; shift; echo; echo "# $what"; echo "\$ curl $*"; curl -sS "$@"; echo; }
show "liveness: answers without running any command" "$base/health"
show "one allowlisted unit, from systemctl show" "$base/services/k3s/status"
show "its newest journal lines, from journalctl -u" "$base/services/k3s/logs?lines=3"
show "every check at once, over the unix socket: ok only when every unit is healthy and nvidia-smi exits 0" \
  --unix-socket "$socket" http://localhost/overview
echo; echo "# the GPU series of the Prometheus scrape (nvidia_gpu_exporter's names)"
echo "\$ curl -s $base/metrics | grep '^nvidia_smi_'"
curl -s "$base/metrics" | grep '^nvidia_smi_' || true
echo; echo "# the audit log: one JSON line per request above (who asked, what ran)"
echo "\$ tail -2 $audit"
tail -2 "$audit"
echo
echo "demo: the agent (pid $agent) is running on $base and $socket (audit log: $audit); Ctrl-C stops it."
wait $agent
