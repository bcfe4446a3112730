# shellcheck shell=bash
# tests/vm/pure-v2.sh: the pure cgroup v2 host (sourced by tests/vm/vm).
#
# Its initramfs is two cpio archives end to end, which the kernel unpacks in
# turn: a base cached by content (busybox, dash, accounts, kernel modules,
# the init), then the job of this run under /vm.

# Modules the guest loads at boot: overlay for uxc run's ephemeral root,
# veth and bridge for network tests.
VM_PURE_V2_MODULES=(overlay veth bridge)

vm_host_prepare() {
  local work=$1
  local -n args=$2
  local base
  base=$(vm_pure_v2_base)
  mkdir -p "$work/jobtree"
  mv "$work/job" "$work/jobtree/vm"
  vm_cpio "$work/jobtree" | cat "$base" - > "$work/initramfs.cpio"
  args+=(-kernel "$kernel" -initrd "$work/initramfs.cpio"
         -append "console=ttyS0 quiet loglevel=3 panic=-1 rdinit=/init")
}

# Prints the cached base archive, building it when its inputs changed.
vm_pure_v2_base() {
  vm_need busybox busybox-static
  vm_is_elf /bin/dash || vm_die "no /bin/dash on this host: apt-get install dash"
  local key dir
  key=$( { echo "$kernel_version ${VM_PURE_V2_MODULES[*]}"
           sha256sum "$(command -v busybox)" /bin/dash "$(command -v pamtester || echo /dev/null)"
           cat "$UXC_VM_DIR/pure-v2.sh" "$UXC_VM_DIR/lib.sh" "$UXC_VM_DIR/guest/pure-v2-init"; } | vm_hash)
  dir=$UXC_VM_CACHE/pure-v2/$key
  if [[ ! -f $dir/ok ]]; then
    vm_lock_entry "$dir"
    if [[ ! -f $dir/ok ]]; then
      mkdir -p "$dir"
      vm_pure_v2_tree "$work/base"
      vm_cpio "$work/base" > "$dir/base.cpio"
      touch "$dir/ok"
      rm -rf "$work/base"
    fi
    exec 8>&-
    vm_prune "$UXC_VM_CACHE/pure-v2" "$key"
  fi
  vm_mark_used "$dir"
  echo "$dir/base.cpio"
}

vm_pure_v2_tree() {
  local root=$1 applet ko
  # Merged /usr, as on Debian, so host libraries land where ld.so looks.
  mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib,usr/lib64,etc,root,home/tester,tmp,run,proc,sys,dev,newroot,opt}
  ln -s usr/bin "$root/bin"; ln -s usr/sbin "$root/sbin"
  ln -s usr/lib "$root/lib"; ln -s usr/lib64 "$root/lib64"
  vm_is_elf "$(command -v busybox)" && ldd "$(command -v busybox)" >/dev/null 2>&1 &&
    vm_die "$(command -v busybox) is not static: apt-get install busybox-static"
  cp "$(command -v busybox)" "$root/usr/bin/busybox"
  for applet in $("$root/usr/bin/busybox" --list); do
    [[ -e $root/usr/bin/$applet ]] || ln -s busybox "$root/usr/bin/$applet"
  done
  # Debian's busybox-static prefers its own applets to any binary on PATH
  # (FEATURE_PREFER_APPLETS): sh is dash, so that a copied-in program wins.
  rm -f "$root/usr/bin/sh"
  install -m 0755 /bin/dash "$root/usr/bin/dash"
  vm_copy_libraries /bin/dash "$root"
  ln -s dash "$root/usr/bin/sh"
  vm_pure_v2_pam "$root"
  install -m 0755 "$UXC_VM_DIR/guest/pure-v2-init" "$root/init"
  : > "$root/modules"
  while read -r ko; do
    install -D -m 0644 "$ko" "$root$ko"
    echo "$ko" >> "$root/modules"
  done < <(vm_module_files "$kernel_version" "${VM_PURE_V2_MODULES[@]}")
  vm_guest_accounts "$root"
}

# PAM for the pam_uxc tests: pamtester (it drives a stack in /etc/pam.d
# that a test writes) and pam_exec.so (a stack's line that runs a script
# inside the session), from the host, with their libraries. libpam falls
# back to /etc/pam.d/other for a service without a file: it denies.
vm_pure_v2_pam() {
  local root=$1 pamtester module
  vm_need pamtester pamtester
  pamtester=$(command -v pamtester)
  module=/lib/$(gcc -print-multiarch 2>/dev/null || echo x86_64-linux-gnu)/security/pam_exec.so
  [[ -r $module ]] || vm_die "no $module on this host: apt-get install libpam-modules"
  install -m 0755 "$pamtester" "$root/usr/bin/pamtester"
  install -D -m 0644 "$(readlink -f "$module")" "$root/usr$module"
  vm_copy_libraries "$pamtester" "$root"
  vm_copy_libraries "$module" "$root"
  mkdir -p "$root/etc/pam.d"
  printf 'session required pam_deny.so\n' > "$root/etc/pam.d/other"
  install -m 0644 "$(dirname "$(readlink -f "$module")")/pam_deny.so" "$root/usr$(dirname "$module")/pam_deny.so"
}

# root, tester (uid 1000) with subordinate ids, nobody.
vm_guest_accounts() {
  local root=$1
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'tester:x:1000:1000:test user:/home/tester:/bin/sh' \
    'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' > "$root/etc/passwd"
  printf '%s\n' 'root:x:0:' 'tty:x:5:' 'tester:x:1000:' 'nogroup:x:65534:' > "$root/etc/group"
  printf '%s\n' 'root:*:20000:0:99999:7:::' 'tester:*:20000:0:99999:7:::' \
    'nobody:*:20000:0:99999:7:::' > "$root/etc/shadow"
  chmod 0640 "$root/etc/shadow"
  echo 'tester:100000:65536' > "$root/etc/subuid"
  echo 'tester:100000:65536' > "$root/etc/subgid"
  printf '/bin/sh\n/bin/dash\n' > "$root/etc/shells"
  printf '127.0.0.1 localhost vm\n::1 localhost\n' > "$root/etc/hosts"
  printf 'passwd: files\ngroup: files\n' > "$root/etc/nsswitch.conf"
}
