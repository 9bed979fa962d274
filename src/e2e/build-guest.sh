#!/usr/bin/env bash
# Builds (once, cached) what the VM end-to-end test boots: Debian's own kernel (downloaded and
# unpacked, never installed here), a busybox initramfs, a small kernel module that registers the
# NVIDIA driver's character-device names, and a debootstrap'd bookworm root as an ext4 image.
#   bash src/e2e/build-guest.sh CACHE      prints KERNEL=, INITRD=, ROOTFS=, KVER= lines
# Each part lives in a folder named after a hash of its inputs; an interrupted build never becomes the
# cache (built under a temporary name, renamed at the end). Needs root (debootstrap, mknod).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cache=$1
mkdir -p "$cache"
say() { echo "e2e: $*" >&2; }
fail() { echo "e2e: FAILED: $*" >&2; exit 1; }
key() { { printf '%s\n' "$@"; } | sha256sum | cut -c1-12; }
# The Debian mirror this machine's apt uses (E2E_MIRROR overrides it).
mirror=${E2E_MIRROR:-$( { grep -rhoE 'https?://[^ ]+/debian/?( |$)' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null || true; } | head -n1 | tr -d ' ')}
mirror=${mirror:-http://deb.debian.org/debian}

# --- The kernel: the package linux-image-amd64 points to, unpacked, its modules indexed. ----------
image_pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-/ {print $2; exit}')
[ -n "$image_pkg" ] || fail "apt knows no linux-image-amd64 (apt-get update?)"
image_ver=$(apt-cache show "$image_pkg" | awk '/^Version:/ {print $2; exit}')
kver=${image_pkg#linux-image-}
kernel_dir=$cache/kernel-$(key "$image_pkg" "$image_ver")
if [ ! -d "$kernel_dir" ]; then
  say "downloading and unpacking $image_pkg $image_ver (and its headers, for the fake NVIDIA module)"
  tmp=$kernel_dir.tmp.$$; rm -rf "$tmp"; mkdir -p "$tmp/debs" "$tmp/root"
  common=linux-headers-${kver%-amd64}-common
  kbuild=linux-kbuild-$(echo "$kver" | cut -d. -f1,2)
  (cd "$tmp/debs" && apt-get download -q -o APT::Sandbox::User=root "$image_pkg=$image_ver" "linux-headers-$kver=$image_ver" \
    "$common=$image_ver" "$kbuild=$image_ver" >/dev/null) || fail "apt-get download of the kernel packages failed"
  for deb in "$tmp"/debs/*.deb; do dpkg-deb -x "$deb" "$tmp/root"; done
  depmod -b "$tmp/root" "$kver"
  # The headers include their common half by absolute path: point it into this folder instead.
  sed -i "s|include /usr/src/|include $kernel_dir/root/usr/src/|" "$tmp/root/usr/src/linux-headers-$kver/Makefile"
  rm -rf "$tmp/debs"
  mv "$tmp" "$kernel_dir"
fi
kernel=$kernel_dir/root/boot/vmlinuz-$kver
moddir=$kernel_dir/root/lib/modules/$kver

# --- The fake NVIDIA module: built against those headers with this machine's gcc. ----------------
module_dir=$cache/fake-nvidia-$(key "$kernel_dir" "$(cat "$here/guest/fake_nvidia.c")")
if [ ! -d "$module_dir" ]; then
  say "building fake_nvidia.ko for $kver"
  tmp=$module_dir.tmp.$$; rm -rf "$tmp"; mkdir -p "$tmp"
  cp "$here/guest/fake_nvidia.c" "$tmp/"
  echo 'obj-m := fake_nvidia.o' >"$tmp/Kbuild"
  make -s -C "$kernel_dir/root/usr/src/linux-headers-$kver" M="$tmp" modules >"$tmp/build.log" 2>&1 \
    || { cat "$tmp/build.log" >&2; fail "building fake_nvidia.ko failed (gcc-12 and make needed)"; }
  mv "$tmp" "$module_dir"
fi

# --- The initramfs: busybox, the modules that reach the root disk, an /init that switches root. ---
initrd=$cache/initrd-$(key "$kernel_dir" "$(cat "$here/guest/init")" "$(sha256sum /bin/busybox)").cpio.gz
if [ ! -f "$initrd" ]; then
  say "making the initramfs"
  tmp=$(mktemp -d)
  mkdir -p "$tmp/bin" "$tmp/lib/modules" "$tmp/dev" "$tmp/proc" "$tmp/sys" "$tmp/newroot"
  cp /bin/busybox "$tmp/bin/busybox"
  install -m 0755 "$here/guest/init" "$tmp/init"
  : >"$tmp/lib/modules/load-order"
  for module in virtio_pci virtio_blk ext4; do
    modprobe -d "$kernel_dir/root" -S "$kver" --show-depends "$module" | awk '$1 == "insmod" {print $2}' |
      while read -r path; do
        name=$(basename "$path")
        grep -qx "$name" "$tmp/lib/modules/load-order" && continue
        cp "$path" "$tmp/lib/modules/$name"
        echo "$name" >>"$tmp/lib/modules/load-order"
      done
  done
  (cd "$tmp" && find . | busybox cpio -o -H newc 2>/dev/null | gzip -1) >"$initrd.tmp"
  rm -rf "$tmp"
  mv "$initrd.tmp" "$initrd"
fi

# --- The root: bookworm with systemd as PID 1 and everything the role and the checks need. --------
# The guest has no network: the JRE the role installs and Ansible are there beforehand. debootstrap's
# own resolver cannot configure ansible-core's Python dependencies, so apt installs those afterwards.
packages=systemd,systemd-sysv,udev,kmod,dbus,libpam-systemd,libnss-systemd,iproute2,socat,python3,openjdk-17-jre-headless
packages_apt="ansible-core python3-apt"
# v1: the recipe below; bump it when the recipe changes (the packages, kernel and unit are in the key).
rootfs=$cache/rootfs-$(key v1 bookworm "$packages" "$packages_apt" "$kernel_dir" "$(cat "$here/guest/e2e-checks.service")").ext4
if [ ! -f "$rootfs" ]; then
  tree=$cache/rootfs-tree.$$
  rm -rf "$tree"
  log=$cache/debootstrap.log
  say "debootstrap bookworm from $mirror (~2 min)"
  debootstrap --variant=minbase --include="$packages" bookworm "$tree" "$mirror" >"$log" 2>&1 \
    || { cp "$tree/debootstrap/debootstrap.log" "$log.inner" 2>/dev/null; tail -n 20 "$log" >&2; rm -rf "$tree"; fail "debootstrap failed (logs: $log, $log.inner)"; }
  echo "deb $mirror bookworm main" >"$tree/etc/apt/sources.list"
  mount -t proc proc "$tree/proc"
  chroot "$tree" sh -c "apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $packages_apt && apt-get clean" \
    >>"$log" 2>&1 || { umount "$tree/proc"; tail -n 20 "$log" >&2; rm -rf "$tree"; fail "installing $packages_apt into the rootfs failed (log: $log)"; }
  umount "$tree/proc"
  # No mirrors inside: the guest has no network, so the role's apt task must find everything installed.
  : >"$tree/etc/apt/sources.list"
  rm -rf "$tree"/var/cache/apt/archives/*.deb "$tree"/var/lib/apt/lists/*_Packages
  echo e2e-guest >"$tree/etc/hostname"
  echo "127.0.1.1 e2e-guest" >>"$tree/etc/hosts"
  # The kernel modules the checks load (vsock over loopback, a dummy interface), and the fake driver.
  for sub in kernel/net/vmw_vsock kernel/drivers/net/dummy.ko; do
    mkdir -p "$tree/lib/modules/$kver/$(dirname "$sub")"
    cp -a "$moddir/$sub" "$tree/lib/modules/$kver/$(dirname "$sub")/"
  done
  mkdir -p "$tree/lib/modules/$kver/extra"
  cp "$module_dir/fake_nvidia.ko" "$tree/lib/modules/$kver/extra/"
  cp "$moddir"/modules.order "$moddir"/modules.builtin* "$tree/lib/modules/$kver/"
  depmod -b "$tree" "$kver"
  # The oneshot unit that runs the checks from the second disk and powers off.
  install -m 0644 "$here/guest/e2e-checks.service" "$tree/etc/systemd/system/"
  ln -s ../e2e-checks.service "$tree/etc/systemd/system/multi-user.target.wants/e2e-checks.service"
  # Nothing waits for a network that never comes, no getty on a console nobody reads.
  rm -f "$tree/etc/systemd/system/getty.target.wants/"* 2>/dev/null || true
  size=$(( $(du -sm "$tree" | cut -f1) * 13 / 10 + 200 ))
  mke2fs -q -t ext4 -L e2e-root -d "$tree" "$rootfs.tmp" "${size}M" >/dev/null || fail "mke2fs of the rootfs failed"
  rm -rf "$tree"
  mv "$rootfs.tmp" "$rootfs"
fi

echo "KERNEL=$kernel"
echo "INITRD=$initrd"
echo "ROOTFS=$rootfs"
echo "KVER=$kver"
