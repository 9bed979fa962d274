#!/usr/bin/env bash
# The real end-to-end test: a QEMU VM booting Debian's own kernel and a bookworm root with systemd as
# PID 1; inside it the Ansible role is applied for real (twice, the second run changing nothing) and
# the checks run (src/e2e/check_guest.py, check_vm.py): the API against systemd, the sandbox, real
# AF_VSOCK bytes over the guest's vsock_loopback, the device cgroup, the IP allowlist. docs/e2e.md.
#
#   sudo bash src/e2e/run-e2e.sh      (root; .ci/run calls it; E2E_CACHE overrides the cache folder)
#
# Exit status: 0 passed, 1 failed. A machine that cannot build or boot the VM fails (never a skip).
# The guest gets no network and no vsock device: nothing it does can reach this machine's hypervisor.
# Results come back on a second disk image, read with debugfs (no mount).
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$(date +%s)
say() { echo "e2e: $*"; }
fail() {
  echo "################################################################################" >&2
  echo "## E2E FAILED: $*" >&2
  echo "################################################################################" >&2
  exit 1
}

[ "$(id -u)" -eq 0 ] || fail "it needs root (debootstrap, mknod); run: sudo bash src/e2e/run-e2e.sh"
for tool in qemu-system-x86_64 debootstrap busybox mke2fs debugfs dpkg-deb apt-get depmod make gcc; do
  command -v "$tool" >/dev/null || fail "$tool is missing (apt-get install qemu-system-x86 debootstrap busybox-static e2fsprogs make gcc)"
done
[ -f target/system-status.jar ] || fail "target/system-status.jar is missing: mvn -B -q package -DskipTests"
[ -f collector-stub/target/collector-stub.jar ] || fail "collector-stub/target/collector-stub.jar is missing: mvn -B -q package -DskipTests"
fixtures=src/test/resources/fixtures
table=$fixtures/nvidia-smi-table/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__idle.txt
query=$fixtures/nvidia-smi-q/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__idle.q.txt
[ -f "$table" ] && [ -f "$query" ] || fail "the H100 captures under $fixtures are missing"

cache=${E2E_CACHE:-/var/cache/system-status-e2e}
t=$(date +%s)
guest=$(bash src/e2e/build-guest.sh "$cache") || fail "building the guest (kernel, initramfs, rootfs) failed"
eval "$(grep -E '^(KERNEL|INITRD|ROOTFS|KVER)=' <<<"$guest")"
say "guest ready in $(( $(date +%s) - t )) s: kernel $KVER, rootfs $(basename "$ROOTFS")"

work=$(mktemp -d /tmp/system-status-e2e.XXXXXX)
qemu_pid=""
cleanup() {
  local rc=$?
  [ -z "$qemu_pid" ] || kill "$qemu_pid" 2>/dev/null || true
  if [ "$rc" -eq 0 ]; then rm -rf "$work"; else echo "e2e: kept $work (console.log, results/: log.txt, journal.txt, ansible.log)" >&2; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

t=$(date +%s)
# The second disk: what the guest needs from this repository, and an empty results folder.
payload=$work/payload
mkdir -p "$payload/repo/target" "$payload/repo/collector-stub/target" "$payload/repo/src" "$payload/fixtures" "$payload/results"
cp -r ansible "$payload/repo/"
cp -r src/e2e "$payload/repo/src/"
cp target/system-status.jar "$payload/repo/target/"
cp collector-stub/target/collector-stub.jar "$payload/repo/collector-stub/target/"
cp "$table" "$payload/fixtures/table.txt"
cp "$query" "$payload/fixtures/q.txt"
cp src/demo/captures/h100.query-gpu.csv "$payload/fixtures/query.csv"
cp src/demo/captures/h100.help-query-gpu.txt "$payload/fixtures/help.txt"
cp src/demo/fake-bin/select-fields.awk "$payload/fixtures/"
cp src/e2e/guest/open-devices.sh "$payload/fixtures/"
mke2fs -q -t ext4 -L e2e-payload -d "$payload" "$work/payload.img" 256M >/dev/null || fail "mke2fs of the payload disk failed"

# Under TCG a process start costs most: QEMU reuses translated code only at the same virtual address,
# so without address-space randomisation (norandmaps) python, libc and libjvm, mapped where the last
# process had them, need no new translation; mitigations=off spares the emulated CPU the kernel's
# speculation barriers, which only guard against a CPU that is not there. Neither touches what the
# checks prove (the agent's own sandbox is systemd's, unchanged). docs/e2e.md has the figures.
guest_speed="norandmaps mitigations=off"
# TCG unless the CPU really has hardware virtualisation (/dev/kvm alone is not enough: kvm_pvm here).
accel=(-accel tcg,thread=multi -cpu max)
if [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then accel=(-accel kvm -cpu host); fi
say "payload disk ready in $(( $(date +%s) - t )) s"
say "booting the VM (${accel[1]}) with $(nproc) host cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
# CPU seconds of this script's finished children (the VM's, once it has exited): times' second line,
# written from this shell (in a pipe or $(...) it would count a subshell's children).
children_cpu() { awk 'NR == 2 { split($1 " " $2, t, /[ms ]+/); print t[1] * 60 + t[2] + t[3] * 60 + t[4] }' "$1"; }
times >"$work/times-before"
t=$(date +%s.%N)
timeout "${E2E_VM_TIMEOUT:-600}" qemu-system-x86_64 "${accel[@]}" -smp 2 -m 2048 -nodefaults -no-reboot \
  -display none -nic none -serial "file:$work/console.log" \
  -kernel "$KERNEL" -initrd "$INITRD" \
  -append "console=ttyS0 root=/dev/vda init=/lib/systemd/systemd panic=-1 systemd.show_status=0 quiet $guest_speed" \
  -drive "file=$ROOTFS,format=raw,if=virtio,snapshot=on" \
  -drive "file=$work/payload.img,format=raw,if=virtio" &
qemu_pid=$!
vm_status=0
wait "$qemu_pid" || vm_status=$?
qemu_pid=""
vm_end=$(awk -v a="$t" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}')
vm_s=${vm_end%.*}
times >"$work/times-after"
vm_cpu=$(awk -v a="$(children_cpu "$work/times-before")" -v b="$(children_cpu "$work/times-after")" 'BEGIN {printf "%.0f", b - a}')
[ "$vm_status" -ne 124 ] || fail "the VM did not power off within ${E2E_VM_TIMEOUT:-600} s (console: $work/console.log)"
[ "$vm_status" -eq 0 ] || { tail -n 30 "$work/console.log" >&2; fail "qemu exited $vm_status"; }

debugfs -R "rdump /results $work" "$work/payload.img" >/dev/null 2>&1 || fail "cannot read the results back from the payload disk"
[ -s "$work/results/checks.txt" ] || { tail -n 40 "$work/console.log" >&2; cat "$work/results/log.txt" 2>/dev/null | tail -n 40 >&2; fail "the guest wrote no check results (it did not boot, or the check unit never ran)"; }
cat "$work/results/checks.txt"
# Where the VM's time went: phases.txt has "SECONDS-SINCE-BOOT NAME" at each phase's start.
if [ -s "$work/results/phases.txt" ]; then
  say "the VM's phases (seconds; the guest's clock from boot, the last phase ends when QEMU exited):"
  awk -v end="$vm_end" '{ at[NR] = $1; $1 = ""; name[NR] = substr($0, 2) }
    END { printf "  %6.1f  boot: QEMU, kernel, systemd up to the check unit\n", at[1]
          for (i = 1; i <= NR; i++) printf "  %6.1f  %s\n", (i < NR ? at[i + 1] : end) - at[i], name[i] }' "$work/results/phases.txt"
fi
for n in 1 2; do
  if [ -s "$work/results/ansible-$n.times" ]; then
    say "role run $n, slowest tasks:"; head -n 6 "$work/results/ansible-$n.times" | sed 's/^/  /'
  fi
done
passed=$(grep -c '^  ok ' "$work/results/checks.txt" || true)
failed=$(grep -c '^  FAIL ' "$work/results/checks.txt" || true)
say "VM ran ${vm_s} s (QEMU used ${vm_cpu} s of CPU; load now $(cut -d' ' -f1-3 /proc/loadavg)); $passed checks passed, $failed failed"
[ "$(cat "$work/results/result.txt" 2>/dev/null)" = passed ] && [ "$failed" -eq 0 ] \
  || { tail -n 30 "$work/results/log.txt" >&2; fail "$failed check(s) failed in the VM"; }
say "PASSED in $(( $(date +%s) - started )) s"
