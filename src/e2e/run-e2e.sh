#!/usr/bin/env bash
# The real end-to-end test: a Debian guest with a real systemd (systemd-nspawn), the Ansible role
# applied to it for real, and the agent checked from the host against what systemd says inside.
#
#   sudo bash src/e2e/run-e2e.sh      (needs root; .ci/run calls it after the Maven tests)
#
# Exit status: 0 passed, 1 failed, 77 skipped (this machine cannot run systemd-nspawn at all: not
# root, or no namespaces). A skip is not a pass: .ci/run reports it and fails.
#
# Steps: build (once, cached) a bookworm rootfs with python3 and ansible-core; boot it with
# --volatile=overlay so the cache stays pristine; add units that really run, really fail and are
# really missing, and a fake nvidia-smi; run the example playbook inside (ansible-playbook -c local
# through nsenter), twice, the second run changing nothing; then check the agent from the host.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
started=$(date +%s)

say() { echo "e2e: $*"; }
skip() {
  echo "################################################################################" >&2
  echo "## E2E SKIPPED: $*" >&2
  echo "## The real-systemd end-to-end test did NOT run. This is not a pass." >&2
  echo "################################################################################" >&2
  exit 77
}
fail() { echo "e2e: FAILED: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || skip "it needs root (systemd-nspawn); run: sudo bash src/e2e/run-e2e.sh"
unshare --mount --pid --uts --ipc --fork true 2>/dev/null \
  || skip "this root cannot create namespaces (an unprivileged container?), so systemd-nspawn cannot run"
for tool in systemd-nspawn debootstrap nsenter curl python3 java ansible-playbook; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install systemd-container debootstrap curl python3 openjdk-17-jre-headless ansible-core)"
done
[ -f target/system-status.jar ] || fail "target/system-status.jar is missing: mvn -B -q package -DskipTests"
[ -f collector-stub/target/collector-stub.jar ] || fail "collector-stub/target/collector-stub.jar is missing: mvn -B -q -f collector-stub/pom.xml package -DskipTests"
fixtures=../shared/fixtures
table=$fixtures/nvidia-smi-table/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__idle.txt
query=$fixtures/nvidia-smi-q/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__idle.q.txt
[ -f "$table" ] && [ -f "$query" ] || fail "the H100 captures under $fixtures are missing"

# ---------------------------------------------------------------------------------------------------
# The rootfs, built once and cached outside the repository. The key changes whenever what goes into
# it changes; an interrupted build never becomes the cache (it is renamed into place at the end).
cache=${E2E_CACHE:-/var/cache/system-status-e2e}
packages_base=systemd,systemd-sysv,dbus,libpam-systemd,libnss-systemd,python3
packages_extra="ansible-core socat"
key=$(printf 'v1 bookworm minbase %s %s' "$packages_base" "$packages_extra" | sha256sum | cut -c1-12)
rootfs=$cache/rootfs-bookworm-$key
# The Debian mirror this machine's apt uses (E2E_MIRROR overrides it).
mirror=${E2E_MIRROR:-$( { grep -rhoE 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null || true; } | head -n1 | tr -d ' ')}
mirror=${mirror:-http://deb.debian.org/debian}
security=${E2E_SECURITY_MIRROR:-$( { grep -rhoE 'https?://[^ ]+/debian-security/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null || true; } | head -n1 | tr -d ' ')}
mkdir -p "$cache" "$cache/apt-archives/partial"
if [ ! -d "$rootfs" ]; then
  build=$cache/build-$$
  say "building the guest rootfs once (debootstrap bookworm from $mirror, ~1 min) into $rootfs"
  rm -rf "$build"
  debootstrap --variant=minbase --include="$packages_base" bookworm "$build" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { tail -n 20 "$cache/debootstrap.log" >&2; rm -rf "$build"; fail "debootstrap failed (log: $cache/debootstrap.log)"; }
  cat >"$build/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
EOF
  [ -z "$security" ] || echo "deb $security bookworm-security main" >>"$build/etc/apt/sources.list"
  chroot "$build" sh -c "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $packages_extra && apt-get clean" \
    >>"$cache/debootstrap.log" 2>&1 || { tail -n 20 "$cache/debootstrap.log" >&2; rm -rf "$build"; fail "installing $packages_extra into the rootfs failed"; }
  mv "$build" "$rootfs"
fi

# ---------------------------------------------------------------------------------------------------
work=$(mktemp -d /tmp/system-status-e2e.XXXXXX)
mkdir -m 0755 "$work/push"
# Three distinct free loopback ports (held open together while the kernel picks them).
read -r agent_port collector_port bridge_port < <(python3 -c '
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')
nspawn_pid="" collector_pid="" collector_unix_pid="" cgroups=()

cleanup() {
  local rc=$?
  if [ -n "$nspawn_pid" ] && kill -0 "$nspawn_pid" 2>/dev/null; then
    kill -TERM "$nspawn_pid"
    for _ in $(seq 100); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$nspawn_pid" 2>/dev/null || true
  fi
  for pid in $collector_pid $collector_unix_pid; do kill "$pid" 2>/dev/null || true; done
  # nspawn leaves its payload/supervisor cgroups behind: remove the empty ones under ours, deepest first.
  for cg in "${cgroups[@]}"; do
    find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  done
  if [ "$rc" -eq 0 ]; then rm -rf "$work"; else say "kept $work (collector.log, ansible-*.log, guest-journal.txt)"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# The collector stub: the host side of the push channel.
java -jar collector-stub/target/collector-stub.jar --listen "tcp://127.0.0.1:$collector_port" --interval 1s \
  --record "$work/collector.ndjson" >"$work/collector.log" 2>&1 &
collector_pid=$!

# Boot. Without a systemd as PID 1 here (FACTS.md) nspawn needs --register=no --keep-unit; it then
# makes its payload/supervisor cgroups inside its own, so it runs in a cgroup of this test's own,
# not beside other nspawn runs on this machine. With systemd as PID 1, nspawn makes its own scope.
nspawn_opts=(--register=no)
if [ ! -d /run/systemd/system ]; then
  nspawn_opts+=(--keep-unit)
  for hierarchy in /sys/fs/cgroup/systemd /sys/fs/cgroup/unified; do
    [ -f "$hierarchy/cgroup.procs" ] || continue
    mkdir -p "$hierarchy/system-status-e2e-$$"
    cgroups+=("$hierarchy/system-status-e2e-$$")
  done
  if [ "${#cgroups[@]}" -eq 0 ] && [ -f /sys/fs/cgroup/cgroup.procs ]; then
    mkdir -p "/sys/fs/cgroup/system-status-e2e-$$"
    cgroups+=("/sys/fs/cgroup/system-status-e2e-$$")
  fi
fi
(
  for cg in "${cgroups[@]}"; do echo "$BASHPID" >"$cg/cgroup.procs"; done
  exec setsid systemd-nspawn -D "$rootfs" -b "${nspawn_opts[@]}" --console=passive --volatile=overlay \
    --machine=system-status-e2e --bind-ro="$repo:/mnt/system-status" \
    --bind="$cache/apt-archives:/var/cache/apt/archives" --bind="$work/push:/run/e2e-push"
) >"$work/nspawn.log" 2>&1 &
nspawn_pid=$!
leader=""
for _ in $(seq 100); do
  leader=$(pgrep -P "$nspawn_pid" -x systemd || true)
  [ -n "$leader" ] && break
  kill -0 "$nspawn_pid" 2>/dev/null || { cat "$work/nspawn.log" >&2; fail "systemd-nspawn exited"; }
  sleep 0.1
done
[ -n "$leader" ] || { cat "$work/nspawn.log" >&2; fail "no systemd inside the container after 10 s"; }
guest() { nsenter -t "$leader" -a env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
for _ in $(seq 300); do
  state=$(guest systemctl is-system-running 2>/dev/null || true)
  case "$state" in running|degraded) break ;; esac
  sleep 0.1
done
case "$state" in running|degraded) ;; *) fail "the guest's systemd is '$state' after 30 s" ;; esac
say "guest booted ($state) in $(( $(date +%s) - started )) s; agent port $agent_port, collector port $collector_port"

# The units the allowlist names, and a fake nvidia-smi on the path (the agent's default /usr/bin/nvidia-smi).
root=/proc/$leader/root
install -m 0644 src/e2e/guest/e2e-running.service src/e2e/guest/e2e-failing.service "$root/etc/systemd/system/"
install -d "$root/usr/share/e2e-nvidia-smi"
install -m 0644 "$table" "$root/usr/share/e2e-nvidia-smi/table.txt"
install -m 0644 "$query" "$root/usr/share/e2e-nvidia-smi/q.txt"
install -m 0644 src/demo/captures/h100.query-gpu.csv "$root/usr/share/e2e-nvidia-smi/query.csv"
install -m 0644 src/demo/captures/h100.help-query-gpu.txt "$root/usr/share/e2e-nvidia-smi/help.txt"
install -m 0644 src/demo/fake-bin/select-fields.awk "$root/usr/share/e2e-nvidia-smi/select-fields.awk"
install -m 0755 src/e2e/guest/nvidia-smi "$root/usr/bin/nvidia-smi"
guest systemctl daemon-reload
guest systemctl enable --now e2e-running.service >/dev/null 2>&1
guest systemctl enable e2e-failing.service >/dev/null 2>&1
guest systemctl start e2e-failing.service 2>/dev/null || true
for _ in $(seq 50); do
  [ "$(guest systemctl is-active e2e-failing.service || true)" = failed ] && break
  sleep 0.1
done
[ "$(guest systemctl is-active e2e-failing.service || true)" = failed ] || fail "e2e-failing.service did not fail"

# ---------------------------------------------------------------------------------------------------
# The role, for real: the example playbook, run inside the guest by its own ansible-playbook
# (-c local, as ansible-pull would), twice. The repository is bind-mounted read-only at /mnt/system-status.
playbook() {
  guest env ANSIBLE_FORCE_COLOR=0 ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=0 \
    ansible-playbook -i /mnt/system-status/src/e2e/guest/inventory.ini /mnt/system-status/ansible/site.yml \
    -e @/mnt/system-status/src/e2e/guest/vars.yml -e "system_status_port=$agent_port" \
    -e "system_status_push_address=tcp://127.0.0.1:$collector_port" "$@"
}
recap() { grep -E '^e2e-guest +:' "$1" || true; }
guest dpkg -s openjdk-17-jre-headless >/dev/null 2>&1 && fail "the guest has a JRE before the role ran; the role must install it"
t=$(date +%s)
playbook >"$work/ansible-1.log" 2>&1 || { tail -n 40 "$work/ansible-1.log" >&2; fail "the first playbook run failed"; }
say "role applied in $(( $(date +%s) - t )) s: $(recap "$work/ansible-1.log")"
t=$(date +%s)
playbook >"$work/ansible-2.log" 2>&1 || { tail -n 40 "$work/ansible-2.log" >&2; fail "the second playbook run failed"; }
say "role applied again in $(( $(date +%s) - t )) s: $(recap "$work/ansible-2.log")"
recap "$work/ansible-2.log" | grep -qE ' changed=0 .* failed=0 ' \
  || { grep -B2 -A6 '^changed:' "$work/ansible-2.log" >&2 || true; fail "the second run of the role changed something (not idempotent)"; }

# ---------------------------------------------------------------------------------------------------
# From the host: the API against systemd inside, the push channel, the process's credentials, the
# unit checks, and the host bridge.
export E2E_LEADER=$leader E2E_AGENT_PORT=$agent_port E2E_BRIDGE_PORT=$bridge_port \
  E2E_RECORD=$work/collector.ndjson E2E_WORK=$work
checks_failed() {
  guest journalctl --no-pager -o short-iso >"$work/guest-journal.txt" 2>&1 || true
  fail "the checks above failed"
}
python3 src/e2e/check_guest.py main || checks_failed

# Push over a unix socket instead: the agent then loads junixsocket's native library, which it unpacks
# into java.io.tmpdir (the private /tmp), and connects through a path under ProtectSystem=strict. A
# second collector stub listens on a socket in a host directory bound into the guest (mode 0777 so
# that chutes may connect). The configuration change must restart the service.
old_pid=$(python3 src/e2e/check_guest.py pid)
(umask 000; exec java -jar collector-stub/target/collector-stub.jar --listen "unix://$work/push/collector.sock" \
  --interval 1s --record "$work/collector-unix.ndjson" >"$work/collector-unix.log" 2>&1) &
collector_unix_pid=$!
t=$(date +%s)
playbook -e system_status_push_address=unix:///run/e2e-push/collector.sock >"$work/ansible-3.log" 2>&1 \
  || { tail -n 40 "$work/ansible-3.log" >&2; fail "the playbook run with a unix push address failed"; }
say "role re-applied with another push address in $(( $(date +%s) - t )) s: $(recap "$work/ansible-3.log")"
E2E_RECORD=$work/collector-unix.ndjson python3 src/e2e/check_guest.py native "$old_pid" || checks_failed
say "PASSED in $(( $(date +%s) - started )) s"
