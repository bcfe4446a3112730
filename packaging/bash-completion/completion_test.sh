#!/usr/bin/env bash
# Drives the completion function as bash does on <Tab>: COMP_WORDS and
# COMP_CWORD set, _uxc called, COMPREPLY read. One case per class of word:
# commands, a command's options, subcommands, help topics, container names
# (as positionals, after -n, in another -P directory), template names,
# config keys, directories, and nothing after "--".
# Argument: the uxc binary.
set -uo pipefail
uxc_dir=$(cd "$(dirname "$1")" && pwd)
data=${TEST_TMPDIR:?}/data
other=$TEST_TMPDIR/other
# Two containers in the default container path ($XDG_DATA_HOME/uxc), one
# in another; a directory with no config is not a container.
for container in "$data/uxc/web" "$data/uxc/db" "$other/zz"; do
  mkdir -p "$container"
  echo "lxc.uts.name = $(basename "$container")" >"$container/config"
done
mkdir -p "$data/uxc/notacontainer"

passed=0 failed=0
# expect "WORDS..." -- the words, the last the one being completed.
expect() {
  local want=$1; shift
  local got
  got=$(XDG_DATA_HOME=$data PATH=$uxc_dir:/usr/bin:/bin bash --norc --noprofile -c '
      source packaging/bash-completion/uxc
      COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
      _uxc
      printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' completion "$@")
  got=${got% }
  if [ "$got" = "$want" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: uxc completes \"$*\" to \"$got\", not \"$want\""
  fi
}

expect "start stop" uxc st                                 # commands
expect "--help --version" uxc --
expect "--name --nokill --nowait" uxc stop --n             # options
expect "--format --help --lxcpath --set" uxc config show --  # a subcommand's options
expect "keys show" uxc config ""                           # subcommands
expect "freeze" uxc help fr                                # help topics
expect "db web" uxc start ""                               # container names
expect "web" uxc attach w
expect "db" uxc stop -n d
expect "zz" uxc start -P "$other" ""                       # in another container path
expect "" uxc create ""                                    # create names a new one
expect "busybox debian download local" uxc create x -t ""  # templates
expect "download" uxc create x --template do
expect "lxc.idmap=" uxc start -s lxc.idm                   # config keys
expect "lxc.net.N.ipv4.address= lxc.net.N.ipv4.gateway=" uxc execute c1 -s lxc.net.N.ipv4.
expect "$other" uxc ls -P "${other%r}"                     # a directory
expect "" uxc attach web -- l                              # the container's command: bash's own
echo "$passed passed, $failed failed"
[ $failed = 0 ]
