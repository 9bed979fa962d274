#!/bin/bash
# Runs inside the e2e VM (e2e-checks.service, as root, from the second disk mounted at /mnt/e2e):
# prepares the guest (test units, fake nvidia-smi, vsock loopback, fake NVIDIA device nodes, a dummy
# interface), applies the Ansible role twice for real, then runs the checks. Every check's line goes
# to /mnt/e2e/results/checks.txt; the last line of result.txt is "passed" or "failed".
set -uo pipefail
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 HOME=/root
e2e=/mnt/e2e
repo=$e2e/repo
results=$e2e/results
mkdir -p "$results"
exec > >(tee -a "$results/log.txt") 2>&1
echo failed >"$results/result.txt"
step() { echo "e2e-guest: $* ($(cut -d' ' -f1 /proc/uptime) s since boot)"; }
# A phase starts now: "UPTIME NAME" into phases.txt, which run-e2e.sh turns into the phase table.
phase() { echo "$(cut -d' ' -f1 /proc/uptime) $*" >>"$results/phases.txt"; step "$*"; }
finish() { sync; exit "$1"; }
fail() { echo "  FAIL $*" | tee -a "$results/checks.txt"; journalctl --no-pager -o short-iso >"$results/journal.txt" 2>&1; finish 1; }
phase "preparation (test units, modules, device nodes)"

# Units that really run and really fail (the allowlist also names one that is really missing).
install -m 0644 "$repo"/src/e2e/guest/e2e-running.service "$repo"/src/e2e/guest/e2e-failing.service /etc/systemd/system/
# enable's own reload loads both new files: one reload (each takes a second or more under TCG).
systemctl enable e2e-running.service e2e-failing.service >/dev/null 2>&1
systemctl start e2e-running.service
systemctl start e2e-failing.service 2>/dev/null
[ "$(systemctl is-active e2e-failing.service)" = failed ] || fail "e2e-failing.service did not fail"

# The fake nvidia-smi on the agent's default path: replays H100 captures and opens the device nodes.
install -d /usr/share/e2e-nvidia-smi
install -m 0644 "$e2e"/fixtures/* /usr/share/e2e-nvidia-smi/
install -m 0755 "$repo"/src/e2e/guest/nvidia-smi /usr/bin/nvidia-smi

# vsock with real bytes: the loopback transport (CID 1); the guest has no virtio-vsock device.
modprobe vsock_loopback || fail "modprobe vsock_loopback"
# Guest addresses that are not localhost: 10.99.0.1 outside the role's IPAddressAllow=, 192.0.2.1 inside it.
modprobe dummy && ip link add e2e0 type dummy && ip addr add 10.99.0.1/32 dev e2e0 && ip addr add 192.0.2.1/32 dev e2e0 && ip link set e2e0 up \
  || fail "the dummy interface e2e0 (10.99.0.1, 192.0.2.1)"

# The NVIDIA driver's device names in /proc/devices (as a real driver registers them), and nodes with
# the majors a real system has: 195 fixed, nvidia-uvm and nvidia-caps as the kernel assigned them.
# Mode 0666 as the real driver makes them, so that only the device cgroup decides. Twins of /dev/vda
# and /dev/mem, also 0666, show the cgroup refusing what the file mode would allow.
modprobe fake_nvidia || fail "modprobe fake_nvidia"
uvm=$(awk '$2 == "nvidia-uvm" {print $1}' /proc/devices)
caps=$(awk '$2 == "nvidia-caps" {print $1}' /proc/devices)
mknod -m 0666 /dev/nvidiactl c 195 255
mknod -m 0666 /dev/nvidia0 c 195 0
mknod -m 0666 /dev/nvidia-uvm c "$uvm" 0
mkdir -p /dev/nvidia-caps
mknod -m 0444 /dev/nvidia-caps/nvidia-cap1 c "$caps" 1
vda=$(stat -c '%t %T' /dev/vda)
mknod -m 0666 /dev/e2e-vda b $((16#${vda% *})) $((16#${vda#* }))
mknod -m 0666 /dev/e2e-mem c 1 1
grep -E 'nvidia' /proc/devices | sed 's/^/e2e-guest: \/proc\/devices: /'

# The role, for real, twice: the second run must change nothing. One ansible-playbook applies
# site.yml twice (the playbook twice on its command line, each a full run of the play, handlers
# flushed at its end): under TCG a second process would pay Ansible's start again (~6 s) and rebuild
# every module's payload (~1 s a module; Ansible caches them per process). Ansible prints a PLAY RECAP
# after each playbook, counting from the start of the process: the second run changed nothing when
# its recap's changed= is still the first's and none of its tasks says "changed". guest/ansible.cfg
# has the settings that matter under TCG; each run's seconds per task go to results/ansible-N.times,
# and the second run's start to the phases (callback_plugins/task_timer.py).
# What an earlier version of the role left: its YAML settings file, which the role now removes (it writes
# application.json); the checks assert it is gone.
mkdir -p /etc/system-status
printf 'status:\n  port: 8080\n' > /etc/system-status/application.yml
phase "role run 1"
ANSIBLE_CONFIG="$repo"/src/e2e/guest/ansible.cfg E2E_TASK_TIMES="$results/ansible-%d.times" E2E_PHASES="$results/phases.txt" \
  ansible-playbook -i "$repo"/src/e2e/guest/inventory.ini "$repo"/ansible/site.yml "$repo"/ansible/site.yml \
  -e @"$repo"/src/e2e/guest/vars.yml >"$results/ansible.log" 2>&1
ansible_status=$?
mapfile -t recaps < <(grep -E '^e2e-guest +:' "$results/ansible.log")
clean() { grep -qE ' unreachable=0 +failed=0 ' <<<"$1"; }
changed() { sed -E 's/.* changed=([0-9]+) .*/\1/' <<<"$1"; }
tasks_seconds() { awk 'NR == 1 {printf "%.0f s of tasks", $1}' "$results/ansible-$1.times" 2>/dev/null; }
second_run() { awk '/^PLAY \[/ { plays++ } plays >= 2' "$results/ansible.log"; }
[ "${#recaps[@]}" -ge 1 ] && clean "${recaps[0]}" || { tail -n 40 "$results/ansible.log"; fail "the role's first run failed"; }
echo "  ok   role applied ($(tasks_seconds 1)): ${recaps[0]}" | tee -a "$results/checks.txt"
[ "$ansible_status" -eq 0 ] && [ "${#recaps[@]}" -eq 2 ] && clean "${recaps[1]}" \
  || { tail -n 40 "$results/ansible.log"; fail "the role's second run failed"; }
if [ "$(changed "${recaps[1]}")" = "$(changed "${recaps[0]}")" ] && ! second_run | grep -q '^changed:'; then
  echo "  ok   role applied again, nothing changed ($(tasks_seconds 2); no task changed, the recap after both runs: ${recaps[1]})" \
    | tee -a "$results/checks.txt"
else
  second_run | grep -B2 -A6 '^changed:'
  fail "the role's second run changed something (not idempotent)"
fi

python3 "$repo"/src/e2e/check_guest.py 2>&1
status=$?
# The journal is for reading a failure: run-e2e.sh removes a passing run's results, and under TCG
# formatting the whole journal takes seconds.
phase "journal copy (on failure), power-off"
[ "$status" -eq 0 ] || journalctl --no-pager -o short-iso >"$results/journal.txt" 2>&1
step "checks done (exit $status)"
[ "$status" -eq 0 ] && echo passed >"$results/result.txt"
finish "$status"
