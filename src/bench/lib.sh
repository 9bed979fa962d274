# Sourced by the bench scripts (run from the repository root).

# role_flags: the JVM flags the Ansible role puts in the unit (defaults/main.yml: system_status_jvm_options);
# fails, saying so, when it finds none.
role_flags() {
  local flags
  flags=$(awk '/^system_status_jvm_options:/ {on = 1; next} on && /^  - / {printf "%s ", $2; next} on {exit}' \
    ansible/roles/system_status/defaults/main.yml)
  [ -n "$flags" ] || { echo "$(basename "$0" .sh): cannot read the role's JVM flags" >&2; return 1; }
  echo "$flags"
}

# stand_in_settings DIR: DIR/application.json, a settings file (as the role writes one) that points the
# agent at the systemctl stand-in (linked as DIR/systemctl) and the demo's journalctl and nvidia-smi.
stand_in_settings() {
  ln -sf "$PWD/src/bench/stand-in/systemctl" "$1/systemctl"
  printf '{"status": {"commands": {"systemctl": "%s", "journalctl": "%s", "nvidia-smi": "%s"}}}\n' "$1/systemctl" \
    "$PWD/src/demo/fake-bin/journalctl" "$PWD/src/demo/fake-bin/nvidia-smi" > "$1/application.json"
}

# rss_mib PID [DECIMALS]: the process's resident set (VmRSS) in MiB, rounded to DECIMALS places (0).
rss_mib() { awk -v d="${2:-0}" '/VmRSS/ {printf "%." d "f", $2 / 1024}' "/proc/$1/status"; }

# main_cpu_ms PID: CPU time, in ms, the JVM's main thread has used so far (the launcher's threads are
# named "java"; schedstat counts in ns). Less noisy than the wall time for start-up work on a shared machine.
main_cpu_ms() {
  local t
  for t in /proc/"$1"/task/*; do
    if [ "$(cat "$t/comm")" = java ]; then cut -d' ' -f1 "$t/schedstat"; fi
  done | awk '{s += $1} END {printf "%d", s / 1e6}'
}

# threads PID: how many threads the process has.
threads() { awk '/^Threads/ {print $2}' "/proc/$1/status"; }

# median: the median of the numbers on standard input, one per line.
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# rate PATH SECONDS: requests per second (wrk -t2 -c16) on 127.0.0.1:$port after a 5 s warm-up of the
# same path (the JIT has compiled it).
rate() {
  wrk -t2 -c16 -d5s "http://127.0.0.1:$port$1" >/dev/null
  wrk -t2 -c16 -d"$2" "http://127.0.0.1:$port$1" | awk '/Requests\/sec/ {printf "%.0f", $2}'
}
