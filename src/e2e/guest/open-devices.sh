#!/bin/sh
# Opens each device node the e2e checks name and prints one line: e2e-devices: PATH=ERRNO ... (OK when
# the open succeeded). Run by the fake nvidia-smi, so inside the agent's cgroup; plain sh, because it
# runs on every /overview and push tick and must stay fast under TCG.
errno_of() {
  case "$1" in
    "") echo OK ;;
    *"No such device or address"*) echo ENXIO ;;
    *"Operation not permitted"*) echo EPERM ;;
    *"Permission denied"*) echo EACCES ;;
    *"No such file or directory"*) echo ENOENT ;;
    *) echo OTHER ;;
  esac
}
line="e2e-devices:"
for node in /dev/nvidiactl:rw /dev/nvidia0:rw /dev/nvidia-uvm:rw /dev/nvidia-caps/nvidia-cap1:r \
            /dev/e2e-vda:r /dev/e2e-mem:r /dev/vda:r /dev/mem:r /dev/null:rw; do
  path=${node%:*}
  # <> would create a missing path: only existing nodes are opened.
  [ -e "$path" ] || { line="$line $path=ENOENT"; continue; }
  if [ "${node##*:}" = rw ]; then err=$( (exec 3<>"$path") 2>&1 ); else err=$( (exec 3<"$path") 2>&1 ); fi
  line="$line $path=$(errno_of "$err")"
done
echo "$line"
