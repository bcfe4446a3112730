#!/usr/bin/env bash
# The man pages, as mkman writes them from the programs built here:
#  - all eight are written, and `man --warnings` (lintian's check) finds
#    nothing to say about any;
#  - uxc(1) has a section for each command that says what the command's
#    --help says, word for word, and each helper's page holds its --help
#    (help-matches-man); that check fails on a page changed by one word;
#  - uxc.container.conf(5) names every key of `uxc config keys`.
# Arguments: the programs, uxc first.
set -uo pipefail
uxc=$1; shift
out=${TEST_TMPDIR:?}/man
programs=(--program "uxc=$uxc")
for helper in "$@"; do programs+=(--program "$(basename "$helper")=$helper"); done
failed=0
fail() { echo "FAIL: $*"; failed=1; }

packaging/man/mkman "${programs[@]}" --docs docs --version test --out "$out" || { echo "FAIL: mkman"; exit 1; }
pages=(uxc.1 uxc.container.conf.5 uxc-newuidmap.1 uxc-newgidmap.1 uxc-newidmap.1 uxc-user-nic.1 uxc-usernet.5 pam_uxc.8)
for page in "${pages[@]}"; do
  [ -s "$out/$page" ] || { fail "mkman wrote no $page"; continue; }
  # As lintian's groff-message check runs it.
  warnings=$(LC_ALL=C.UTF-8 MANROFFSEQ='' MANWIDTH=80 man --warnings -E UTF-8 -l -Tutf8 -Z "$out/$page" 2>&1 >/dev/null)
  [ -z "$warnings" ] || fail "$page: man --warnings: $warnings"
done

packaging/man/help-matches-man "$uxc" "$out/uxc.1" || fail "uxc(1) and uxc's --help disagree"
for helper in "$@"; do
  packaging/man/help-matches-man --helper "$helper" "$out/$(basename "$helper").1" ||
    fail "$(basename "$helper")(1) and its --help disagree"
done
# The check itself: one word of one command's section changed is caught.
sed 's/^show this help and exit$/show this help and quit/' "$out/uxc.1" >"$out/changed.1"
cmp -s "$out/uxc.1" "$out/changed.1" && fail "the changed page is the same (no option line to change)"
if packaging/man/help-matches-man "$uxc" "$out/changed.1" >"$out/changed.log"; then
  fail "help-matches-man found no disagreement in a page changed by one word"
fi
grep -q "quit" "$out/changed.log" || fail "help-matches-man did not name the changed word: $(cat "$out/changed.log")"

rendered=$(MANWIDTH=4000 man -l "$out/uxc.container.conf.5" 2>/dev/null | sed 's/[‐−]/-/g')
missing=$(grep -vxFf <(sed 's/^ *//' <<<"$rendered") <("$uxc" config keys --names))
[ -z "$missing" ] || fail "uxc.container.conf(5) does not list: $missing"
[ $failed = 0 ] && echo "PASS: ${#pages[@]} man pages, uxc(1) and the helpers' pages agree with their --help"
exit $failed
