#!/bin/sh
# Keeps the agent's class-data archive (AppCDS, one static archive of the JRE's classes and the
# agent's) current for the installed jar, JRE and JVM options. The role runs it on the target as root
# (tasks/cds.yml):
#
#   build-cds-archive.sh JAVA JAR DIR LINK CONFIG [JVM OPTION...]
#
# DIR/system-status-KEY.jsa is the archive, KEY a hash of the jar, the JVM library and the options;
# LINK, the file the unit names, links to it. When it is missing, a training run builds it: the
# agent with CONFIG (C1 its only JIT) on a free loopback port, its unix socket in a private folder,
# push, audit, TLS and tokens off, answers /health, /overview, /services and /metrics (any HTTP answer
# counts) and is stopped with SIGTERM, having written the list of classes it loaded; root then dumps
# those classes of the JRE and the jar (-Xshare:dump) into a temporary name that becomes the archive
# only when the JVM then maps it with the role's own options (-Xshare:on). A static archive rather
# than a dynamic one on top of the JRE's default archive: it holds only the classes the agent loads,
# ~1.2 MiB less RSS at the same start-up (docs/jit-flags.md). A training run that fails or takes
# longer than CDS_TRAINING_TIMEOUT seconds (300), or a dump that takes longer,
# leaves DIR/system-status-KEY.failed (its log) and no archive: later runs for the same KEY do not
# try again (remove that file to retry), and the agent starts without an archive (-Xshare:auto).
# Archives, logs and marks of other keys are removed. With CDS_TRAINING_USER set and run as root, the
# training JVM runs as that user (setpriv, its groups, no new privileges); root writes the archive.
#
# The last line says what happened: "changed: yes (...)" or "changed: no (...)". Exit status 0, also
# when the training run failed (the agent runs without an archive); 2 for wrong arguments.
set -u
[ "$#" -ge 5 ] || { echo "usage: build-cds-archive.sh JAVA JAR DIR LINK CONFIG [JVM OPTION...]" >&2; exit 2; }
java=$1 jar=$2 dir=$3 link=$4 config=$5
shift 5
umask 022
mkdir -p "$dir" && chmod 0755 "$dir" || exit 2

jvm_library=$(dirname "$(dirname "$(readlink -f "$java")")")/lib/server/libjvm.so
jvm_sum=$(sha256sum "$jvm_library" 2>/dev/null | cut -c1-64)
jar_sum=$(sha256sum "$jar" | cut -c1-64) || exit 2
# "static": the kind of archive this script builds, so a role that built the earlier dynamic kind for
# the same jar and JRE rebuilds it.
key=$(printf '%s %s %s static' "$jar_sum" "${jvm_sum:-no-libjvm}" "$*" | sha256sum | cut -c1-16)
archive=$dir/system-status-$key.jsa
failed=$dir/system-status-$key.failed
changed=no

# The training run: train LOG [JVM OPTION...]; 0 when the archive was written and maps, else 1.
train() {
  log=$1 sockets=$(mktemp -d) work=$(mktemp -d "$dir/.training.XXXXXX")
  shift
  # Run as root with CDS_TRAINING_USER set (the role: the service user), the training JVM runs as
  # that user, with its groups and no new privileges, as the unit runs the agent: the agent never
  # runs as root. It writes only a list of class names, into a folder of its own; root dumps the
  # archive itself from that list, the JRE and the jar, so nothing that user runs writes a byte of the
  # archive the unit maps. Lines naming a class file source (for classes of custom class loaders, which
  # the agent has none of) are dropped, so the list can only pick classes of the JRE and the jar.
  as_user=""
  if [ -n "${CDS_TRAINING_USER:-}" ] && [ "$(id -u)" -eq 0 ]; then
    as_user="setpriv --reuid=$CDS_TRAINING_USER --regid=$(id -g "$CDS_TRAINING_USER") --init-groups --no-new-privs --"
    chown "$CDS_TRAINING_USER" "$work" "$sockets" || { rm -rf "$sockets"; return 1; }
  fi
  written=$work/classes.list list=$archive.list.$$ tmp=$archive.tmp.$$
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  deadline=$(( $(date +%s) + ${CDS_TRAINING_TIMEOUT:-300} ))
  # The training JVM compiles with C1 alone, whatever the role's JIT options say: an archive holds
  # classes, not compiled code, so it maps under the unit's own options all the same (the
  # -Xshare:on check below uses exactly those), and C1 alone gets a cold JVM to its answers soonest
  # on a slow guest (under TCG 38 s for the whole training run against 42 s with the role's C2-only
  # set and 50 s with -Xint; docs/e2e.md). Later options win, so these come after the role's.
  training_jit="-XX:+TieredCompilation -XX:TieredStopAtLevel=1"
  $as_user "$java" "$@" $training_jit -XX:DumpLoadedClassList="$written" -Dmicronaut.config.files="$config" \
    -Dstatus.bind-address=127.0.0.1 -Dstatus.port="$port" -Dstatus.uds-path="$sockets/training.sock" \
    -Dstatus.push.enabled=false -Dstatus.audit.enabled=false -Dstatus.auth.token-file= \
    -Dstatus.tls.cert-path= -Dstatus.tls.key-path= -Dstatus.tls.client-ca-path= -Dstatus.tls.client-auth= \
    -jar "$jar" >"$log" 2>&1 &
  pid=$!
  answered=0
  # One Python process asks until the agent answers all five, it exits or the deadline passes.
  if python3 - "$port" "$pid" "$deadline" <<'PY' 2>/dev/null; then answered=1; fi
import http.client, os, sys, time, urllib.error, urllib.request
port, pid, deadline = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def alive():  # a JVM that exited is gone or a zombie (Z) until the shell reaps it
    try:
        with open("/proc/%d/stat" % pid) as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
while time.time() < deadline and alive():
    try:
        for path in ("/health", "/overview", "/services", "/metrics", "/health"):
            try:
                urllib.request.urlopen("http://127.0.0.1:%s%s" % (port, path), timeout=30).read()
            except urllib.error.HTTPError:
                pass  # an answer all the same (a rate limit, a refused caller): the classes are loaded
        sys.exit(0)
    except (OSError, http.client.HTTPException):  # not listening yet, or a broken answer: ask again
        time.sleep(0.5)
sys.exit(1)
PY
  kill -TERM "$pid" 2>/dev/null
  # The JVM closes its class list as it exits; a JVM that does not exit by the deadline is killed.
  while kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt "$(( deadline + 60 ))" ]; do sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  rm -rf "$sockets"
  # The list is read as the user who wrote it (a link to a file only root may read reads nothing).
  if [ "$answered" -eq 1 ] && { $as_user cat "$written" | grep -v ' source: ' >"$list"; [ -s "$list" ]; } \
     && timeout "${CDS_TRAINING_TIMEOUT:-300}" "$java" "$@" -Xshare:dump -XX:SharedClassListFile="$list" \
          -XX:SharedArchiveFile="$tmp" -cp "$jar" >>"$log" 2>&1 \
     && chmod 0644 "$tmp" && "$java" "$@" -Xshare:on -XX:SharedArchiveFile="$tmp" -cp "$jar" -version >>"$log" 2>&1; then
    mv -f "$tmp" "$archive"
    rm -f "$list"
    return 0
  fi
  [ "$answered" -eq 1 ] || echo "build-cds-archive: the agent gave no answer within the time" >>"$log"
  rm -f "$tmp" "$list"
  return 1
}

if [ -s "$archive" ]; then
  what="the archive for this jar and JRE is $archive"
elif [ -e "$failed" ]; then
  what="a training run for this jar and JRE failed before (log: $failed); the agent starts without an archive; remove that file to try again"
else
  changed=yes
  log=$dir/system-status-$key.log
  if train "$log" "$@"; then
    what="a training run built $archive"
    rm -f "$log"
  else
    mv -f "$log" "$failed"
    chmod 0600 "$failed"
    what="the training run failed (log: $failed); the agent starts without an archive"
  fi
fi

if [ -s "$archive" ]; then
  [ "$(readlink "$link")" = "$archive" ] || { ln -sfn "$archive" "$link"; changed=yes; }
elif [ -e "$link" ] || [ -L "$link" ]; then
  rm -f "$link"; changed=yes
fi
# What earlier jars, JREs or options left behind, and training work folders (this run's, and one cut short).
rm -rf "$dir"/.training.*
for old in "$dir"/system-status-*; do
  case "$old" in
    "$archive" | "$failed" | "$link" | "$dir/system-status-*") ;;
    *) rm -f "$old"; changed=yes ;;
  esac
done
echo "changed: $changed ($what)"
