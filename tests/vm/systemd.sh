# shellcheck shell=bash
# tests/vm/systemd.sh: the systemd host (sourced by tests/vm/vm).
#
# A Debian bookworm disk (systemd-image.sh builds it), cached by content: the
# suite, the packages, the kernel and the files that shape the image. QEMU
# uses it as a snapshot, so a run never changes it. The job goes in as a tar on a
# virtio disk whose serial is uxc-vm-job; the image's uxc-vm-job.service
# unpacks it to /vm once multi-user.target is reached, and runs it.

vm_host_prepare() {
  local work=$1
  local -n args=$2
  local image
  image=$(vm_systemd_image)
  tar -C "$work/job" -cf "$work/job.tar" .
  args+=(-kernel "$kernel" -initrd "$image/boot.cpio"
         -drive "file=$image/root.img,if=none,id=root,format=raw,snapshot=on,cache=unsafe"
         -device virtio-blk-pci,drive=root,serial=uxc-vm-root
         -drive "file=$work/job.tar,if=none,id=job,format=raw,readonly=on"
         -device virtio-blk-pci,drive=job,serial=uxc-vm-job
         -append "console=ttyS0 quiet loglevel=3 panic=-1 systemd.show_status=false uxc.vm.job=1")
}

# Prints the directory of the cached image, building it when its inputs changed.
vm_systemd_image() {
  local key dir
  . "$UXC_VM_DIR/systemd-image.sh"
  key=$( { echo "$VM_SUITE $kernel_version ${VM_PACKAGES[*]}"
           cat "$UXC_VM_DIR/systemd-image.sh" "$UXC_VM_DIR/guest/disk-init" \
               "$UXC_VM_DIR/guest/uxc-vm-job" "$UXC_VM_DIR/guest/uxc-vm-job.service"; } | vm_hash)
  dir=$UXC_VM_CACHE/systemd/$key
  if [[ ! -f $dir/ok ]]; then
    vm_lock_entry "$dir"
    [[ -f $dir/ok ]] || vm_build_systemd_image "$dir"
    exec 8>&-
    vm_prune "$UXC_VM_CACHE/systemd" "$key"
  fi
  vm_mark_used "$dir"
  echo "$dir"
}

