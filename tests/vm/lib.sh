# shellcheck shell=bash
# tests/vm/lib.sh: what the VM harness's host side shares (sourced by
# tests/vm/vm, pure_v2.sh and systemd_image.sh). Functions only.
#
# The cache lives under $UXC_VM_CACHE (default /var/cache/uxc-vm), one
# directory per kind of artefact, one entry per content key:
#   kernel/<key>/vmlinux      the ELF kernel unpacked from Debian's bzImage
#   pure-v2/<key>/base.cpio   the pure cgroup v2 host's initramfs, less the job
#   systemd/<key>/            the systemd host's disk image and boot initramfs
# An entry is complete when its file "ok" exists; "used" is touched at each
# use, and vm_prune keeps the newest few of a kind.

UXC_VM_CACHE=${UXC_VM_CACHE:-/var/cache/uxc-vm}
UXC_VM_DIR=${UXC_VM_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
# Entries of a kind kept beside the one in use: worktrees on other commits
# may still boot theirs.
UXC_VM_KEEP=${UXC_VM_KEEP:-3}

vm_log() { printf 'vm: %s\n' "$*" >&2; }
# Exit status 125 is the harness's own failure, never the script's.
vm_die() { printf 'vm: error: %s\n' "$*" >&2; exit 125; }

vm_need() {
  local tool=$1 package=$2
  command -v "$tool" >/dev/null ||
    vm_die "$tool not found: apt-get install $package (tools/packages lists it)"
}

vm_now() { date +%s.%N; }
vm_since() { awk -v a="$1" -v b="$(vm_now)" 'BEGIN { printf "%.1f", b - a }'; }

vm_hash() { sha256sum | cut -c1-16; }

# The Debian kernel to boot: $UXC_VM_KERNEL_VERSION, else the newest one
# installed with its modules.
vm_kernel_version() {
  if [[ -n ${UXC_VM_KERNEL_VERSION:-} ]]; then echo "$UXC_VM_KERNEL_VERSION"; return; fi
  local newest
  newest=$(find /boot -maxdepth 1 -name 'vmlinuz-*' -printf '%f\n' 2>/dev/null |
           sed 's/^vmlinuz-//' | sort -V | tail -n 1)
  [[ -n $newest ]] || vm_die "no Debian kernel in /boot: apt-get install linux-image-amd64"
  [[ -d /lib/modules/$newest ]] || vm_die "no /lib/modules/$newest: reinstall linux-image-$newest"
  echo "$newest"
}

# Takes the lock of a cache entry (fd 8) so that one caller builds it and the
# others wait; pruning skips entries locked by a user.
vm_lock_entry() {
  mkdir -p "$(dirname "$1")"
  exec 8>"$1.lock"
  flock 8
}

# Removes all but the $UXC_VM_KEEP most recently used entries of a kind,
# never the one given, never one another run holds locked.
vm_prune() {
  local kind_dir=$1 current=$2 entry
  find "$kind_dir" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' 2>/dev/null |
    while read -r entry; do
      [[ $entry == "$current" ]] && continue
      printf '%s %s\n' "$(stat -c %Y "$kind_dir/$entry/used" 2>/dev/null || echo 0)" "$entry"
    done | sort -rn | tail -n +$((UXC_VM_KEEP + 1)) | while read -r _ entry; do
      (flock -n 9 || exit 0
       rm -rf "${kind_dir:?}/$entry" "$kind_dir/$entry.lock"
       vm_log "pruned the old cache entry $kind_dir/$entry") 9>"$kind_dir/$entry.lock"
    done
}

vm_mark_used() { touch "$1/used"; }

# Prints an uncompressed ELF vmlinux for the kernel, unpacked once from the
# bzImage and cached: QEMU boots it through its PVH entry, and the guest
# skips decompressing itself under TCG (about 2 s a boot).
vm_kernel() {
  local version=$1 bzimage=/boot/vmlinuz-$1
  [[ -r $bzimage ]] || vm_die "cannot read $bzimage: run as root, or apt-get install linux-image-amd64"
  local key dir
  key=$(vm_hash < "$bzimage")
  dir=$UXC_VM_CACHE/kernel/$version-$key
  if [[ ! -f $dir/ok ]]; then
    vm_lock_entry "$dir"
    [[ -f $dir/ok ]] || vm_unpack_vmlinux "$bzimage" "$dir"
    exec 8>&-
    vm_prune "$UXC_VM_CACHE/kernel" "$version-$key"
  fi
  vm_mark_used "$dir"
  echo "$dir/vmlinux"
}

# The bzImage carries the kernel as one compressed stream (xz on Debian):
# find its magic, decompress from there, and keep the result if it is ELF.
# Decompressors complain about the bytes after the stream, hence no $? check.
vm_unpack_vmlinux() {
  local bzimage=$1 dir=$2 format magic offset
  mkdir -p "$dir"
  for format in 'xz \xfd7zXZ\x00' 'zstd \x28\xb5\x2f\xfd' 'gzip \x1f\x8b\x08'; do
    magic=${format#* }
    offset=$(LC_ALL=C grep -obUaP "$magic" "$bzimage" | head -n 1 | cut -d: -f1)
    [[ -n $offset ]] || continue
    tail -c +$((offset + 1)) "$bzimage" | "${format%% *}" -dc 2>/dev/null > "$dir/vmlinux.new" || true
    if [[ $(head -c 4 "$dir/vmlinux.new" | od -An -tx1 | tr -d ' ') == 7f454c46 ]]; then
      mv "$dir/vmlinux.new" "$dir/vmlinux"
      touch "$dir/ok"
      return
    fi
  done
  rm -rf "$dir"
  vm_die "found no ELF kernel inside $bzimage (apt-get install xz-utils zstd)"
}

# The .ko files, in load order, that modprobe would insert for the modules
# (dependencies first); built-in modules give none.
vm_module_files() {
  local version=$1 module line seen=" "
  shift
  for module in "$@"; do
    local plan
    plan=$(modprobe -S "$version" --show-depends "$module" 2>&1) || vm_die "kernel module $module: $plan"
    while read -r line; do
      [[ $line == insmod\ * ]] || continue
      line=${line#insmod }; line=${line%% *}
      [[ $seen == *" $line "* ]] && continue
      seen+="$line "
      echo "$line"
    done <<< "$plan"
  done
}

vm_is_elf() { [[ $(head -c 4 "$1" 2>/dev/null | od -An -tx1 | tr -d ' ') == 7f454c46 ]]; }

# Copies the shared libraries (and ELF interpreter) an ELF file needs into
# the tree $2, at their host paths; files already there are kept.
vm_copy_libraries() {
  local file=$1 tree=$2 library
  vm_is_elf "$file" || return 0
  while read -r library; do
    [[ -n $library && -e $library && ! -e $tree$library ]] || continue
    install -D -m 0755 "$(readlink -f "$library")" "$tree$library"
  done < <(ldd "$file" 2>/dev/null | awk '
      /=> not found/ { print "vm: missing library " $1 > "/dev/stderr"; next }
      /=>/ { if ($3 ~ /^\//) print $3; next }
      $1 ~ /^\// { print $1 }')
}

# Writes the tree $1 as an uncompressed newc cpio (the guest would otherwise
# spend seconds decompressing it under TCG), every entry owned by root.
vm_cpio() {
  (cd "$1" && find . -print0 | LC_ALL=C sort -z | cpio --null -o -H newc -R 0:0 --quiet)
}

# What every guest shares: the job in /vm (see guest/job.sh), with
#   env         shell variables for guest/job.sh
#   script      the script under test; setup: the root set-up before it
#   setuid      guest paths to make setuid root, one a line
#   files/      copied over / as they are (--file)
#   libs/       host libraries of the files' ELF binaries, used where the
#               guest has none of its own
# Arguments: the job directory, then the options parsed by tests/vm/vm.
vm_make_job() {
  local job=$1 item source target
  mkdir -p "$job/files" "$job/libs"
  cp "$UXC_VM_DIR/guest/job.sh" "$job/job.sh"
  printf '%s\n' "$VM_SCRIPT" > "$job/script"
  printf '%s\n' "$VM_SETUP" > "$job/setup"
  : > "$job/setuid"
  if [[ -n $VM_INSTALL ]]; then
    local name
    mkdir -p "$job/files/opt/uxc"
    cp -a "$VM_INSTALL/." "$job/files/opt/uxc/"
    for name in "$job"/files/opt/uxc/bin/*; do
      [[ -u $name ]] && echo "/opt/uxc/bin/${name##*/}" >> "$job/setuid"
    done
  fi
  for item in "${VM_FILES[@]}"; do
    source=${item%%:*}; target=${item#*:}
    [[ $item == *:* && $target == /* ]] || vm_die "--file $item: give SOURCE:/GUEST/PATH"
    [[ -e $source ]] || vm_die "--file $item: no $source on this host"
    mkdir -p "$job/files$(dirname "$target")"
    cp -a "$source" "$job/files$target"
  done
  while IFS= read -r -d '' item; do vm_copy_libraries "$item" "$job/libs"; done \
    < <(find "$job/files" -type f -print0)
  {
    printf 'VM_HOST=%s\nVM_USER=%s\nVM_AS_ROOT=%s\n' "$VM_HOST" "$VM_USER" "$VM_AS_ROOT"
    printf 'VM_DELEGATE=%s\nVM_SCOPE=%s\n' "$VM_DELEGATE" "$VM_SCOPE"
  } > "$job/env"
}

# QEMU's command line shared by both hosts: TCG, no display, no reboot (a
# guest's reboot or panic ends QEMU at once), serial 0 the console, serial 1
# the job's output. Fills the array named $1.
vm_qemu_args() {
  local -n args_=$1
  local console=$2 output=$3
  args_=(-accel tcg -nodefaults -display none -vga none -no-reboot
         -m "$VM_MEMORY" -smp 2
         -serial "file:$console" -serial "file:$output")
  if [[ -r /usr/share/qemu/qboot.rom ]]; then args_+=(-bios /usr/share/qemu/qboot.rom); fi
}

# The job's last line on its output is "@@UXC-VM-STATUS=<n>@@".
vm_status_of() {
  { grep -a -o '@@UXC-VM-STATUS=[0-9]*@@' "$1" 2>/dev/null || true; } | tail -n 1 | tr -dc '0-9'
}
