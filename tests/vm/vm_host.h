// Runs a script in one of tests/vm's throw-away VMs (tests/vm/README.md):
// a pure cgroup v2 host or a systemd host, booted from Debian's own kernel.
// For the VM tests that tests/run starts as root (--vm-only, or the full run),
// with UXC_REPO naming the source tree and UXC_TEST_BIN the installed binaries.
#pragma once

#include <string>

#include "tests/lib/host.h"

namespace uxc::testing {

struct VmOptions {
  std::string host = "pure-v2";  // or "systemd"
  bool as_root = false;          // else as the guest's test user, tester (uid 1000)
  bool delegate = false;         // pure-v2: inside a cgroup delegated to tester
  bool scope = false;            // systemd: inside systemd-run --user --scope -p Delegate=yes
  bool install_uxc = false;      // the binaries under test at /opt/uxc/bin, helpers setuid
  std::string setup;             // run as root before the script
  int timeout_seconds = 300;     // the VM's wall-clock limit
};

// The script's exit status (124: the time limit hit; 125: the VM failed),
// its output in `out`, the harness's messages in `err`.
CommandResult RunInVm(const VmOptions& options, const std::string& script);

// Shell lines that make a busybox container "box" under ~/containers (with
// the guest's static busybox, /proc mounted), for `uxc execute -P
// ~/containers box -- ...`.
extern const char kMakeBusyboxContainer[];

// The rest of the first line of `text` that starts with `prefix`, or "".
std::string LineAfter(const std::string& text, const std::string& prefix);
// Whether the space-separated `words` include `word`.
bool HasWord(const std::string& words, const std::string& word);

// Everything a failed expectation should show: status, output, harness log.
std::string Describe(const CommandResult& result);

}  // namespace uxc::testing
