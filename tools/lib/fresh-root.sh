# A fresh Debian 12 root to run things in as a new machine would, shared by
# tools/fresh-ci and the package's installation test (tests/package). Source
# it; as root:
#   image=$(fresh_root_image)            # Debian's required and important
#                                        # packages plus git, a tar cached
#                                        # under /var/cache/uxc-fresh-ci,
#                                        # keyed by what makes it
#   fresh_root_unpack "$image" DIR
#   fresh_root_run DIR "BIND_SPEC..." COMMAND...
# fresh_root_run enters DIR as the root of private mount and pid namespaces
# with /dev, /sys, a new /proc, and tmpfs /run and /tmp; BIND_SPEC is a list
# of "SRC:DST:ro" or "SRC:DST:rw" words, DST inside the root. COMMAND runs
# with a clean environment.

fresh_root_image() {
  local suite=bookworm mirror=http://deb.debian.org/debian variant=important extra=git,ca-certificates
  local cache_dir=/var/cache/uxc-fresh-ci key image
  key=$(printf '%s\n' "$suite" "$mirror" "$variant" "$extra" | sha256sum | cut -c1-16)
  image="$cache_dir/$suite-$variant-$key.tar"
  mkdir -p "$cache_dir"
  if [ ! -s "$image" ]; then
    echo "== building the fresh root ($image)" >&2
    mmdebstrap --variant="$variant" --include="$extra" --format=tar "$suite" "$image.partial" \
      "deb $mirror $suite main" "deb $mirror $suite-updates main" \
      "deb http://deb.debian.org/debian-security $suite-security main" >&2 || return 1
    mv "$image.partial" "$image"
  fi
  echo "$image"
}

fresh_root_unpack() {
  local image=$1 root=$2
  tar -C "$root" -xf "$image"
  chmod 0755 "$root"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
}

fresh_root_run() {
  local root=$1 binds=$2; shift 2
  unshare --mount --pid --fork --propagation private -- bash -c '
    set -e
    root=$1 binds=$2; shift 2
    # pivot_root, not chroot: the kernel refuses user namespaces to a chrooted
    # process (unshare(2), EPERM), and the tests create them.
    mount --bind "$root" "$root"
    mount --rbind /dev "$root/dev"
    mount --rbind /sys "$root/sys"
    mount -t proc proc "$root/proc"
    mount -t tmpfs -o mode=0755 tmpfs "$root/run"
    install -d -m 1777 "$root/run/lock"   # as a booted Debian has it
    mount -t tmpfs -o mode=1777 tmpfs "$root/tmp"
    for spec in $binds; do
      IFS=: read -r src dst mode <<<"$spec"
      mkdir -p "$root$dst"
      mount --bind "$src" "$root$dst"
      [ "$mode" = rw ] || mount -o remount,bind,ro "$root$dst"
    done
    cd "$root"
    mkdir -p .old-root
    pivot_root . .old-root
    umount -l /.old-root
    rmdir /.old-root
    exec /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 TERM=dumb "$@"
  ' fresh-root "$root" "$binds" "$@"
}
