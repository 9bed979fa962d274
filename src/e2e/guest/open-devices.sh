#!/bin/sh
# Opens each device node the e2e checks name and prints one line: e2e-devices: PATH=ERRNO ... (OK when
# the open succeeded). Run by the fake nvidia-smi, so inside the agent's cgroup; plain sh, because it
# runs on every /overview and push tick and must stay fast under TCG.
errno_of() {
  case "$1" in
    "") errno=OK ;;
    *"No such device or address"*) errno=ENXIO ;;
    *"Operation not permitted"*) errno=EPERM ;;
    *"Permission denied"*) errno=EACCES ;;
    *"No such file or directory"*) errno=ENOENT ;;
    *) errno=OTHER ;;
  esac
}
# No command substitution: every fork costs under TCG, and this runs on every push tick. A failed
# redirection on a regular builtin (true) only fails that command; its message goes to $err_file.
err_file=${TMPDIR:-/tmp}/e2e-open-devices.$$
line="e2e-devices:"
for node in /dev/nvidiactl:rw /dev/nvidia0:rw /dev/nvidia-uvm:rw /dev/nvidia-caps/nvidia-cap1:r \
            /dev/e2e-vda:r /dev/e2e-mem:r /dev/vda:r /dev/mem:r /dev/null:rw; do
  path=${node%:*}
  # <> would create a missing path: only existing nodes are opened.
  [ -e "$path" ] || { line="$line $path=ENOENT"; continue; }
  err=""
  if [ "${node##*:}" = rw ]; then true 2>"$err_file" 3<>"$path" || read -r err <"$err_file"
  else true 2>"$err_file" 3<"$path" || read -r err <"$err_file"; fi
  errno_of "$err"
  line="$line $path=$errno"
done
rm -f "$err_file"
echo "$line"
