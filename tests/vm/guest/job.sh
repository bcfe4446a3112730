#!/bin/sh
# The job of one tests/vm/vm run, as root inside the guest (lib.sh's
# vm_make_job describes /vm). It installs the job's files, runs the set-up as
# root, then the script as root or as the test user, and powers off. Its
# output goes to the second serial port, raw, through a pipe (as in CI, not
# a tty), and ends with the line "@@UXC-VM-STATUS=<status>@@".
. /vm/env
stty -F /dev/ttyS1 raw -echo 2>/dev/null
exec 3>/dev/ttyS1
say() { echo "uxc-vm: $*" > /dev/console; }

power_off() {
  sync
  if [ "$VM_HOST" = systemd ]; then systemctl reboot --force --force; else reboot -f; fi
  sleep 60
}

finish() {
  echo "@@UXC-VM-STATUS=$1@@" >&3
  power_off
}

# Runs "$@" with its output on the output port; returns its status.
logged() {
  { "$@"; echo $? > /run/uxc-vm-status; } 2>&1 </dev/null | cat >&3
  return "$(cat /run/uxc-vm-status)"
}

install_files() {
  chmod -R a+rX /vm
  cp -a /vm/files/. /
  # Host libraries, only where the guest has no such file of its own.
  # (cp, not install: busybox-static has no install applet.)
  (cd /vm/libs && find . -type f) | while read -r library; do
    target=${library#.}
    [ -e "$target" ] || { mkdir -p "${target%/*}" && cp "/vm/libs/$library" "$target"; } ||
      say "cannot install the library $target"
  done
  while read -r path; do
    [ -z "$path" ] || { chown 0:0 "$path" && chmod 4755 "$path"; } || say "cannot make $path setuid"
  done < /vm/setuid
}

# The delegated cgroup of --delegate on pure-v2: the user owns the directory
# and the files /sys/kernel/cgroup/delegate lists (cgroup-v2.rst,
# "Delegation Containment"), every controller is enabled down to its parent,
# and the script starts inside it, as under systemd-run --scope -p Delegate=yes.
delegate_cgroup() {
  node=/sys/fs/cgroup/vm.slice/tester.delegate
  mkdir -p "$node"
  controllers=$(sed 's/\([a-z_]*\)/+\1/g' /sys/fs/cgroup/cgroup.controllers)
  echo "$controllers" > /sys/fs/cgroup/vm.slice/cgroup.subtree_control || return 1
  chown "$VM_USER:$VM_USER" "$node" || return 1
  for file in $(cat /sys/kernel/cgroup/delegate); do
    chown "$VM_USER:$VM_USER" "$node/$file" || return 1
  done
  echo "$node"
}

# The script as the user: on systemd in a PAM login (su -l: pam_systemd,
# logind's session, user@.service), on pure-v2 by su from init's cgroup or
# from the delegated one.
run_as_user() {
  if [ "$VM_HOST" = systemd ]; then
    wrap=
    [ "$VM_SCOPE" = 1 ] && wrap='systemd-run --user --scope --quiet -p Delegate=yes --'
    su -l "$VM_USER" -c "PATH=/opt/uxc/bin:\$PATH exec $wrap sh /vm/script"
    return
  fi
  cgroup=
  if [ "$VM_DELEGATE" = 1 ]; then
    cgroup=$(delegate_cgroup) || { echo "uxc-vm: cannot delegate a cgroup to $VM_USER"; return 125; }
  fi
  env -i PATH="$PATH" HOME="/home/$VM_USER" TERM=dumb LANG=C.UTF-8 \
    XDG_RUNTIME_DIR="/run/user/$(id -u "$VM_USER")" CGROUP="$cgroup" \
    sh -c '[ -z "$CGROUP" ] || echo $$ > "$CGROUP/cgroup.procs" || exit 125
           cd "$HOME" && exec su -s /bin/sh "$0" -c "exec sh /vm/script"' "$VM_USER"
}

install_files
cd /root
logged sh /vm/setup
status=$?
if [ $status -ne 0 ]; then
  echo "uxc-vm: the set-up failed with status $status" >&3
  finish $status
fi
if [ "$VM_AS_ROOT" = 1 ]; then
  logged sh /vm/script
else
  logged run_as_user
fi
finish $?
