#!/usr/bin/env bash
# Builds the agent, starts it on 127.0.0.1:8080 (and a unix socket), shows a few answers, and keeps
# it running until Ctrl-C. Uses the real systemctl/journalctl/nvidia-smi where this machine has them,
# and the demo stand-ins in src/demo/fake-bin where it does not.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f target/system-status.jar ] || mvn -B -q package -DskipTests

fake=$PWD/src/demo/fake-bin
if [ -d /run/systemd/system ]; then systemctl=/usr/bin/systemctl journalctl=/usr/bin/journalctl
else systemctl=$fake/systemctl journalctl=$fake/journalctl; echo "demo: no running systemd here, using stand-ins"; fi
if [ -x /usr/bin/nvidia-smi ]; then nvidia=/usr/bin/nvidia-smi
else nvidia=$fake/nvidia-smi; echo "demo: no nvidia-smi here, replaying a real H100 capture"; fi
socket=${TMPDIR:-/tmp}/system-status-demo.sock
# The audit log (one JSON line per request, on the agent's standard output) goes to its own file here.
audit=${TMPDIR:-/tmp}/system-status-demo-audit.log
# The push channel is on when STATUS_PUSH_ADDRESS names a collector (see the README's push section).
push=-Dstatus.push.enabled=${STATUS_PUSH_ADDRESS:+true}
[ "$push" = "-Dstatus.push.enabled=true" ] || push=-Dstatus.push.enabled=false

java -XX:+UseSerialGC -Xmx64m -XX:TieredStopAtLevel=1 "$push" \
  -Dstatus.bind-address=127.0.0.1 -Dstatus.port=8080 -Dstatus.uds-path="$socket" \
  -Dstatus.commands.systemctl="$systemctl" -Dstatus.commands.journalctl="$journalctl" \
  -Dstatus.commands.nvidia-smi="$nvidia" -jar target/system-status.jar >"$audit" &
agent=$!
trap 'kill $agent 2>/dev/null; wait $agent 2>/dev/null' EXIT INT TERM
for _ in $(seq 100); do curl -s -o /dev/null http://127.0.0.1:8080/health && break; sleep 0.1; done

show() { echo; echo "\$ curl $*"; curl -sS "$@"; echo; }
show http://127.0.0.1:8080/health
show http://127.0.0.1:8080/services/k3s/status
show "http://127.0.0.1:8080/services/k3s/logs?lines=3"
show --unix-socket "$socket" http://localhost/overview
echo; echo "\$ curl -s http://127.0.0.1:8080/metrics | grep '^nvidia_smi_'"
curl -s http://127.0.0.1:8080/metrics | grep '^nvidia_smi_' || true
echo
echo "\$ tail -2 $audit"
tail -2 "$audit"
echo
echo "demo: the agent is running on http://127.0.0.1:8080 and $socket (audit log: $audit); Ctrl-C stops it."
wait $agent
