# shellcheck shell=bash
# tests/vm/systemd-image.sh: builds the systemd host's disk image and boot
# initramfs (sourced by systemd.sh when the cache has no image for the key).
# Everything in this file is part of the image's cache key.

VM_SUITE=bookworm
# systemd systemd-sysv: PID 1, logind, systemd-run, user@.service;
# dbus dbus-user-session: the system bus logind needs and the user's bus;
# libpam-systemd: a logind session at each PAM login; udev kmod: devices and
# modules; iproute2 and pamtester for network and PAM tests; procps for ps;
# busybox-static to build containers' root file systems from.
VM_PACKAGES=(systemd systemd-sysv dbus dbus-user-session libpam-systemd udev kmod
             iproute2 pamtester procps busybox-static)

vm_build_systemd_image() {
  local dir=$1 started rootfs=$work/rootfs
  vm_need mmdebstrap mmdebstrap
  vm_need mkfs.ext4 e2fsprogs
  vm_need busybox busybox-static
  started=$(vm_now)
  vm_log "building the systemd image (once per change of its inputs): mmdebstrap $VM_SUITE"
  mkdir -p "$work/out"
  # The host's own APT sources name the mirror; none is written here.
  local sources=/etc/apt/sources.list.d/debian.sources
  [[ -r $sources ]] || sources=/etc/apt/sources.list
  [[ -r $sources ]] || vm_die "no Debian APT sources on this host to build the image from"
  local packages
  packages=$(IFS=,; echo "${VM_PACKAGES[*]}")
  mmdebstrap --variant=minbase --include="$packages" \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    "$VM_SUITE" "$rootfs" "$sources" > "$work/mmdebstrap.log" 2>&1 ||
    { tail -n 20 "$work/mmdebstrap.log" >&2; vm_die "mmdebstrap failed (its log's end is above)"; }
  vm_configure_image "$rootfs"
  # ext4 straight from the tree: no loop device, no mount. 512 MiB free for
  # the tests (their writes go to QEMU's snapshot, not to this file).
  local size=$(( $(du -sm "$rootfs" | cut -f1) + 512 ))
  mkfs.ext4 -q -F -L uxc-vm-root -E root_owner=0:0 -d "$rootfs" "$work/out/root.img" "${size}M" >&2
  rm -rf "$rootfs"
  vm_boot_initramfs "$work/initrd"
  vm_cpio "$work/initrd" > "$work/out/boot.cpio"
  printf 'suite=%s\nkernel=%s\npackages=%s\nbuild_seconds=%s\n' \
    "$VM_SUITE" "$kernel_version" "$packages" "$(vm_since "$started")" > "$work/out/info"
  touch "$work/out/ok"
  rm -rf "$dir"
  mv "$work/out" "$dir"
  vm_log "built the systemd image in $(vm_since "$started")s: $dir"
}

vm_configure_image() {
  local rootfs=$1 unit
  echo vm > "$rootfs/etc/hostname"
  printf '127.0.0.1 localhost\n127.0.1.1 vm\n::1 localhost\n' > "$rootfs/etc/hosts"
  : > "$rootfs/etc/fstab"
  # A machine id of its own: an empty one makes every boot a first boot.
  systemd-id128 new > "$rootfs/etc/machine-id" 2>/dev/null ||
    od -An -N16 -tx1 /dev/urandom | tr -d ' \n' > "$rootfs/etc/machine-id"
  chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin useradd -m -u 1000 -U -s /bin/bash tester
  echo 'tester:100000:65536' > "$rootfs/etc/subuid"
  echo 'tester:100000:65536' > "$rootfs/etc/subgid"
  chroot "$rootfs" passwd -d root >/dev/null
  # Units a one-job VM has no use for; each costs boot time under TCG.
  for unit in apt-daily.timer apt-daily-upgrade.timer dpkg-db-backup.timer e2scrub_all.timer \
              e2scrub_reap.service fstrim.timer getty@tty1.service systemd-timesyncd.service \
              systemd-random-seed.service systemd-remount-fs.service systemd-journal-flush.service \
              systemd-update-utmp.service systemd-networkd-wait-online.service \
              modprobe@drm.service modprobe@efi_pstore.service modprobe@dm_mod.service; do
    ln -sf /dev/null "$rootfs/etc/systemd/system/$unit"
  done
  mkdir -p "$rootfs/etc/systemd/journald.conf.d"
  printf '[Journal]\nStorage=volatile\n' > "$rootfs/etc/systemd/journald.conf.d/uxc-vm.conf"
  install -m 0755 "$UXC_VM_DIR/guest/uxc-vm-job" "$rootfs/usr/local/sbin/uxc-vm-job"
  install -m 0644 "$UXC_VM_DIR/guest/uxc-vm-job.service" "$rootfs/etc/systemd/system/uxc-vm-job.service"
  mkdir -p "$rootfs/etc/systemd/system/multi-user.target.wants"
  ln -sf ../uxc-vm-job.service "$rootfs/etc/systemd/system/multi-user.target.wants/uxc-vm-job.service"
  # The kernel's modules, less the hardware QEMU never shows.
  local kdir=$kernel_version/kernel
  mkdir -p "$rootfs/lib/modules"
  tar -C /lib/modules -cf - --exclude="$kdir/sound" --exclude="$kdir/drivers/gpu" \
      --exclude="$kdir/drivers/media" --exclude="$kdir/drivers/net/wireless" \
      --exclude="$kdir/drivers/net/ethernet" --exclude="$kdir/drivers/infiniband" \
      --exclude="$kdir/drivers/staging" --exclude="$kdir/drivers/usb" \
      --exclude="$kdir/drivers/bluetooth" --exclude="$kdir/net/wireless" "$kernel_version" |
    tar -C "$rootfs/lib/modules" -xf -
  depmod -b "$rootfs" "$kernel_version"
  rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
}

# The boot initramfs: busybox and the modules needed to mount the root disk
# (Debian builds virtio_blk and ext4 as modules), then systemd.
vm_boot_initramfs() {
  local root=$1 applet ko
  mkdir -p "$root"/{bin,dev,proc,sys,newroot}
  cp "$(command -v busybox)" "$root/bin/busybox"
  for applet in sh mount umount insmod switch_root sleep cat reboot; do ln -s busybox "$root/bin/$applet"; done
  install -m 0755 "$UXC_VM_DIR/guest/disk-init" "$root/init"
  : > "$root/modules"
  # TCG's CPU has no SSE 4.2: crc32c-intel would fail to load, the generic
  # one does the job.
  while read -r ko; do
    install -D -m 0644 "$ko" "$root$ko"
    echo "$ko" >> "$root/modules"
  done < <(vm_module_files "$kernel_version" virtio_pci virtio_blk ext4 crc32c_generic | grep -v crc32c-intel)
}
