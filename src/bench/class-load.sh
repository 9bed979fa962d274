#!/usr/bin/env bash
# What start-up loads: classes loaded (-Xlog:class+load) by the first /health, and after one /overview
# and one /metrics, how many came from a class-data archive, and the packages that load the most.
#   bash src/bench/class-load.sh [JVM flag ...]   (needs target/system-status.jar)
# e.g. `bash src/bench/class-load.sh -Dlogback.configurationFile=/path/logback.xml` measures logging
# configured from XML (as before issue 16), `... -XX:SharedArchiveFile=agent.jsa` with an archive.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f target/system-status.jar ] || { echo "class-load: mvn -B -q package -DskipTests first" >&2; exit 1; }
work=$(mktemp -d)
pid=
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
port=18160
ln -sf "$PWD/src/bench/stand-in/systemctl" "$work/systemctl"
java -XX:+UseSerialGC -Xmx64m "$@" -Xlog:class+load:file="$work/classes.log" -Dstatus.bind-address=127.0.0.1 \
  -Dstatus.port=$port -Dstatus.push.enabled=false -Dstatus.commands.systemctl="$work/systemctl" \
  -Dstatus.commands.journalctl="$PWD/src/demo/fake-bin/journalctl" -Dstatus.commands.nvidia-smi="$PWD/src/demo/fake-bin/nvidia-smi" \
  -jar target/system-status.jar >/dev/null 2>&1 &
pid=$!
until curl -s -o /dev/null "http://127.0.0.1:$port/health"; do
  kill -0 "$pid" 2>/dev/null || { echo "class-load: the agent did not start" >&2; exit 1; }
  sleep 0.01
done
at_health=$(grep -c . "$work/classes.log")
curl -s -o /dev/null "http://127.0.0.1:$port/overview"
curl -s -o /dev/null "http://127.0.0.1:$port/metrics"
sleep 1
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
echo "classes loaded by the first /health: $at_health; after /overview and /metrics: $(grep -c . "$work/classes.log")," \
  "of which from a class-data archive: $(grep -c 'shared objects file' "$work/classes.log")"
echo "packages loading the most (first three name parts):"
awk '{print $2}' "$work/classes.log" | awk -F. '{print $1 "." $2 "." $3}' | sort | uniq -c | sort -rn | head -15
