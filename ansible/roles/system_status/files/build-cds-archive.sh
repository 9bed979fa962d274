#!/bin/sh
# Builds the agent's class-data archive (AppCDS, a JDK 17 dynamic archive) by a training run: the
# agent starts on a loopback port with push off and no unix socket, answers /health and /overview,
# and is stopped with SIGTERM; the JVM writes the classes it loaded on exit.
#
#   build-cds-archive.sh JAVA JAR ARCHIVE CONFIG [JVM OPTION...]
#
# The archive is written next to ARCHIVE and renamed into place only when the JVM wrote it, so a
# failed run leaves no archive (the agent then starts without one: -Xshare:auto, JDK 17's default).
# Exit status: 0 built, 1 the training run failed.
set -eu
java=$1 jar=$2 archive=$3 config=$4
shift 4
tmp="$archive.tmp.$$"
log="$archive.log"
rm -f "$tmp"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$java" "$@" -XX:ArchiveClassesAtExit="$tmp" -Dmicronaut.config.files="$config" \
  -Dstatus.bind-address=127.0.0.1 -Dstatus.port="$port" -Dstatus.uds-path= -Dstatus.push.enabled=false \
  -Dstatus.audit.enabled=false -Dstatus.auth.token-file= -Dstatus.tls.cert-path= -Dstatus.tls.key-path= \
  -Dstatus.tls.client-ca-path= -Dstatus.rate-limit.per-second=0 -jar "$jar" >"$log" 2>&1 &
pid=$!
answered=0
for _ in $(seq 300); do
  if python3 - "$port" <<'PY' 2>/dev/null; then answered=1; break; fi
import sys, urllib.request
base = "http://127.0.0.1:%s" % sys.argv[1]
for path in ("/health", "/overview", "/services", "/metrics", "/health"):
    urllib.request.urlopen(base + path, timeout=30).read()
PY
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" || true
if [ "$answered" -eq 1 ] && [ -s "$tmp" ]; then
  mv -f "$tmp" "$archive"
  exit 0
fi
rm -f "$tmp"
echo "build-cds-archive: the training run did not produce an archive (see $log)" >&2
exit 1
