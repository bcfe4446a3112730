#include "tests/vm/vm_host.h"

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

namespace uxc::testing {
namespace {

std::string Repository() {
  const char* repo = std::getenv("UXC_REPO");
  if (repo == nullptr || *repo == '\0') {
    std::fprintf(stderr, "vm tests: set UXC_REPO to the source tree (tests/run does)\n");
    std::abort();
  }
  return repo;
}

// tools/install's prefix: the directory above the installed bin/.
std::string InstallPrefix() {
  std::string uxc = InstalledBinary("uxc");
  std::string bin = uxc.substr(0, uxc.rfind('/'));
  return bin.substr(0, bin.rfind('/'));
}

}  // namespace

const char kMakeBusyboxContainer[] = R"sh(
rootfs=$HOME/rootfs
mkdir -p $rootfs/bin $rootfs/etc $rootfs/proc $rootfs/sys $rootfs/dev $rootfs/tmp $rootfs/root
cp /bin/busybox $rootfs/bin/busybox
for applet in $(/bin/busybox --list); do [ $applet = busybox ] || ln -sf busybox $rootfs/bin/$applet; done
echo 'root:x:0:0:root:/root:/bin/sh' > $rootfs/etc/passwd
echo 'root:x:0:' > $rootfs/etc/group
mkdir -p $HOME/containers/box
printf 'lxc.rootfs.path = dir:%s\nlxc.mount.auto = proc:mixed sys:ro\n' $rootfs > $HOME/containers/box/config
)sh";

CommandResult RunInVm(const VmOptions& options, const std::string& script) {
  std::vector<std::string> argv = {Repository() + "/tests/vm/vm", options.host,
                                   "--timeout", std::to_string(options.timeout_seconds)};
  if (options.as_root) argv.push_back("--root");
  if (options.delegate) argv.push_back("--delegate");
  if (options.scope) argv.push_back("--scope");
  if (options.install_uxc) argv.insert(argv.end(), {"--install", InstallPrefix()});
  if (!options.setup.empty()) argv.insert(argv.end(), {"--setup", options.setup});
  argv.insert(argv.end(), {"-c", script});
  RunOptions run;
  // The harness enforces the limit itself; this one only catches a stuck
  // harness, and leaves room for a cold cache's image build (tests/run
  // builds it beforehand with --prepare).
  run.timeout_seconds = options.timeout_seconds + 1200;
  run.cwd = "/";
  // The harness's own settings (README.md) pass through, e.g. a cold cache.
  for (const char* name : {"UXC_VM_CACHE", "UXC_VM_KEEP", "UXC_VM_KERNEL_VERSION"}) {
    if (const char* value = std::getenv(name)) run.env[name] = value;
  }
  return Run(argv, run);
}

std::string LineAfter(const std::string& text, const std::string& prefix) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with(prefix)) return line.substr(prefix.size());
  }
  return "";
}

bool HasWord(const std::string& words, const std::string& word) {
  std::istringstream stream(words);
  for (std::string each; stream >> each;) {
    if (each == word) return true;
  }
  return false;
}

std::string Describe(const CommandResult& result) {
  return "status " + std::to_string(result.exit_code) + "\n--- output:\n" + result.out +
         "--- harness:\n" + result.err;
}

}  // namespace uxc::testing
