#!/usr/bin/env bash
# Host bridge: makes a guest's status API reachable on the host's network by forwarding a host TCP
# port (8080 by default) to the guest's status port, with socat in a hardened systemd unit on the host.
#
#   host-bridge.sh --guest 192.168.122.10[:8080] [--listen [ADDRESS:]PORT] [--name NAME]
#   host-bridge.sh --remove [--listen [ADDRESS:]PORT] [--name NAME]
#
#   --guest    the guest's address and status port (port 8080 when left out); IPv6 as [fd00::10]:8080
#   --listen   where the host accepts: PORT or ADDRESS:PORT (default 0.0.0.0:8080, every interface)
#   --name     the bridge's name, one per guest (default: the listen port); the unit is
#              system-status-bridge-NAME.service
#   --remove   stop and delete that bridge (a no-op when there is none)
#
# Idempotent: run it again with the same arguments and nothing changes (no restart, "unchanged");
# with other arguments the unit is rewritten and restarted. Needs root, systemd and socat
# (apt-get install socat). Prints one line saying what it did.
set -euo pipefail

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
die() { echo "host-bridge: $*" >&2; exit 1; }

guest="" listen="0.0.0.0:8080" name="" remove=false
while [ $# -gt 0 ]; do
  case "$1" in
    --guest) [ $# -ge 2 ] || usage; guest=$2; shift 2 ;;
    --listen) [ $# -ge 2 ] || usage; listen=$2; shift 2 ;;
    --name) [ $# -ge 2 ] || usage; name=$2; shift 2 ;;
    --remove) remove=true; shift ;;
    -h|--help) usage ;;
    *) echo "host-bridge: unknown argument '$1'" >&2; usage ;;
  esac
done

# ADDRESS:PORT, [IPV6]:PORT or PORT; prints "ADDRESS PORT" (ADDRESS without brackets).
split_endpoint() {
  local value=$1 default_port=$2 address port
  case "$value" in
    \[*\]:*) address=${value%]:*}; address=${address#[}; port=${value##*]:} ;;
    \[*\]) address=${value#[}; address=${address%]}; port=$default_port ;;
    *:*:*) die "write an IPv6 address in brackets: [$value]:PORT" ;;
    *:*) address=${value%:*}; port=${value##*:} ;;
    *) address=$value; port=$default_port ;;
  esac
  [[ "$port" =~ ^[0-9]{1,5}$ ]] && [ "$port" -ge 1 ] && [ "$port" -le 65535 ] || die "bad port in '$value'"
  [[ "$address" =~ ^[A-Za-z0-9._:-]+$ ]] || die "bad address in '$value'"
  echo "$address $port"
}

if [[ "$listen" =~ ^[0-9]+$ ]]; then listen="0.0.0.0:$listen"; fi
read -r listen_address listen_port <<<"$(split_endpoint "$listen" 8080)"
name=${name:-$listen_port}
[[ "$name" =~ ^[A-Za-z0-9_.-]{1,64}$ ]] || die "--name must be 1-64 of [A-Za-z0-9_.-], got '$name'"
unit=system-status-bridge-$name.service
path=/etc/systemd/system/$unit

[ "$(id -u)" -eq 0 ] || die "needs root (it writes $path)"
[ -d /run/systemd/system ] || die "needs systemd as the init system"

if $remove; then
  if [ ! -e "$path" ]; then
    echo "host-bridge: $unit is not installed; nothing to remove"
    exit 0
  fi
  # One reload, once the file is gone (disable's own would be a second).
  systemctl disable --no-reload --now "$unit" >/dev/null 2>&1 || true
  rm -f "$path"
  systemctl daemon-reload
  systemctl reset-failed "$unit" >/dev/null 2>&1 || true
  echo "host-bridge: removed $unit"
  exit 0
fi

[ -n "$guest" ] || usage
read -r guest_address guest_port <<<"$(split_endpoint "$guest" 8080)"
socat=$(command -v socat) || die "socat is missing: apt-get install socat"
bracket() { case "$1" in *:*) echo "[$1]" ;; *) echo "$1" ;; esac; }

desired=$(cat <<EOF
# Written by host-bridge.sh: host $(bracket "$listen_address"):$listen_port -> guest status API $(bracket "$guest_address"):$guest_port.
# Remove with: host-bridge.sh --remove --name $name
[Unit]
Description=Bridge host port $listen_port to the system-status API of $guest_address
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=$socat TCP-LISTEN:$listen_port,bind=$(bracket "$listen_address"),reuseaddr,fork,max-children=64 TCP:$(bracket "$guest_address"):$guest_port,connect-timeout=5
# socat exits 143 on SIGTERM (systemctl stop).
SuccessExitStatus=143
Restart=on-failure
RestartSec=2s
DynamicUser=yes
NoNewPrivileges=yes
CapabilityBoundingSet=
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
ProtectClock=yes
ProtectHostname=yes
ProtectProc=invisible
ProcSubset=pid
RestrictAddressFamilies=AF_INET AF_INET6
RestrictNamespaces=yes
RestrictRealtime=yes
RestrictSUIDSGID=yes
LockPersonality=yes
MemoryDenyWriteExecute=yes
SystemCallArchitectures=native
SystemCallFilter=@system-service
SystemCallFilter=~@privileged @resources

[Install]
WantedBy=multi-user.target
EOF
)

if [ -f "$path" ] && [ "$(cat "$path")" = "$desired" ] \
  && systemctl is-enabled --quiet "$unit" && systemctl is-active --quiet "$unit"; then
  echo "host-bridge: $unit unchanged ($listen_address:$listen_port -> $guest_address:$guest_port)"
  exit 0
fi
printf '%s\n' "$desired" >"$path.tmp"
chmod 0644 "$path.tmp"
mv "$path.tmp" "$path"
# One reload (in a slow VM each takes seconds), done here so that the new file is loaded whether or
# not enable has a link to add; enable itself does not reload again.
systemctl daemon-reload
systemctl enable --no-reload "$unit" >/dev/null 2>&1
systemctl restart "$unit"
systemctl is-active --quiet "$unit" || die "$unit did not start: journalctl -u $unit"
echo "host-bridge: $unit forwards $listen_address:$listen_port -> $guest_address:$guest_port"
