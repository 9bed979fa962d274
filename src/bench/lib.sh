# Sourced by the bench scripts (run from the repository root).

# role_flags: the JVM flags the Ansible role puts in the unit (defaults/main.yml: system_status_jvm_options).
role_flags() {
  awk '/^system_status_jvm_options:/ {on = 1; next} on && /^  - / {printf "%s ", $2; next} on {exit}' \
    ansible/roles/system_status/defaults/main.yml
}

# stand_in_settings DIR: DIR/application.json, a settings file (as the role writes one) that points the
# agent at the systemctl stand-in (linked as DIR/systemctl) and the demo's journalctl and nvidia-smi.
stand_in_settings() {
  ln -sf "$PWD/src/bench/stand-in/systemctl" "$1/systemctl"
  printf '{"status": {"commands": {"systemctl": "%s", "journalctl": "%s", "nvidia-smi": "%s"}}}\n' "$1/systemctl" \
    "$PWD/src/demo/fake-bin/journalctl" "$PWD/src/demo/fake-bin/nvidia-smi" > "$1/application.json"
}
