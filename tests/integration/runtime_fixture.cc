#include "tests/integration/runtime_fixture.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace uxc::testing {
namespace {

void CollectTree(const std::string& root, const std::string& relative, std::set<std::string>& out) {
  DIR* dir = opendir((root + relative).c_str());
  if (dir == nullptr) return;
  while (dirent* entry = readdir(dir)) {
    std::string name = entry->d_name;
    if (name == "." || name == "..") continue;
    std::string path = relative + "/" + name;
    out.insert(path);
    if (entry->d_type == DT_DIR) CollectTree(root, path, out);
  }
  closedir(dir);
}

}  // namespace

void RuntimeTest::SetUp() {
  user_ = EnsureUser("uxct-runtime");
  std::string range = user_.name + ":" + std::to_string(kRuntimeSubidStart) + ":" +
                      std::to_string(kRuntimeSubidCount) + "\n";
  subuid_ = std::make_unique<ScopedHostFile>("/etc/subuid", range);
  subgid_ = std::make_unique<ScopedHostFile>("/etc/subgid", range);
  std::string pattern = "/var/tmp/uxc-runtime-XXXXXX";
  ASSERT_NE(mkdtemp(pattern.data()), nullptr);
  scratch_ = pattern;
  ASSERT_EQ(chmod(scratch_.c_str(), 0755), 0);
  rootfs_ = scratch_ + "/rootfs";
  MakeBusyboxRootfs(rootfs_, kRuntimeSubidStart);
  path_ = scratch_ + "/containers";
  RootShell("mkdir -p " + path_ + " && chown " + user_.name + ": " + path_);
}

void RuntimeTest::TearDown() {
  if (!scratch_.empty()) uxc::testing::Run({"rm", "-rf", "--one-file-system", scratch_});
  subgid_.reset();
  subuid_.reset();
}

CommandResult RuntimeTest::Uxc(const std::vector<std::string>& args, const RunOptions& options) {
  std::vector<std::string> argv = {InstalledBinary("uxc")};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunAs(user_, argv, options);
}

CommandResult RuntimeTest::RunScript(const std::string& script,
                                     const std::vector<std::string>& defines,
                                     const std::string& rootfs) {
  std::vector<std::string> args = {"run", "--rootfs", rootfs.empty() ? rootfs_ : rootfs};
  for (const std::string& define : defines) {
    args.push_back("-s");
    args.push_back(define);
  }
  args.insert(args.end(), {"--", "/bin/sh", "-c", script});
  return Uxc(args);
}

void RuntimeTest::WriteContainer(const std::string& name, const std::string& config) {
  std::string dir = path_ + "/" + name;
  std::string text = config;
  if (text.find("lxc.rootfs.path") == std::string::npos)
    text += "\nlxc.rootfs.path = dir:" + rootfs_ + "\n";
  RootShell("mkdir -p " + dir);
  std::ofstream(dir + "/config") << text;
  RootShell("chown -R " + user_.name + ": " + dir);
}

CommandResult RuntimeTest::Execute(const std::string& name, const std::vector<std::string>& argv) {
  std::vector<std::string> args = {"execute", "-P", path_, name, "--"};
  args.insert(args.end(), argv.begin(), argv.end());
  return Uxc(args);
}

std::string RuntimeTest::SharedDirectory(const std::string& name) {
  std::string dir = scratch_ + "/" + name;
  RootShell("mkdir -p " + dir + " && chown " + std::to_string(kRuntimeSubidStart) + ":" +
            std::to_string(kRuntimeSubidStart) + " " + dir);
  return dir;
}

void MakeBusyboxRootfs(const std::string& dir, uid_t owner) {
  std::string o = std::to_string(owner);
  RootShell(
      "set -e; d=" + dir +
      "; mkdir -p $d/bin $d/sbin $d/etc $d/proc $d/sys $d/dev $d/tmp $d/root $d/usr/bin "
      "$d/usr/sbin $d/var $d/mnt; chmod 1777 $d/tmp; cp /bin/busybox $d/bin/busybox; "
      "for a in $(/bin/busybox --list); do [ $a = busybox ] || ln -s busybox $d/bin/$a; done; "
      "echo 'root:x:0:0:root:/root:/bin/sh' > $d/etc/passwd; "
      "echo 'user:x:1000:1000:user:/tmp:/bin/sh' >> $d/etc/passwd; "
      "printf 'root:x:0:\\ntty:x:5:\\nuser:x:1000:\\n' > $d/etc/group; "
      "chown -R -h " +
      o + ":" + o + " $d");
}

std::set<std::string> HostMountPoints() {
  std::set<std::string> points;
  std::ifstream mountinfo("/proc/self/mountinfo");
  std::string line;
  while (std::getline(mountinfo, line)) {
    std::istringstream fields(line);
    std::string id, parent, device, root, point;
    fields >> id >> parent >> device >> root >> point;
    points.insert(point);
  }
  return points;
}

std::set<pid_t> ProcessesOf(uid_t uid) {
  std::set<pid_t> pids;
  DIR* proc = opendir("/proc");
  while (dirent* entry = readdir(proc)) {
    pid_t pid = atoi(entry->d_name);
    if (pid <= 0) continue;
    struct stat st;
    if (stat(("/proc/" + std::string(entry->d_name)).c_str(), &st) != 0) continue;
    std::ifstream status("/proc/" + std::string(entry->d_name) + "/status");
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("Uid:", 0) != 0) continue;
      uid_t real = static_cast<uid_t>(strtoul(line.c_str() + 4, nullptr, 10));
      if (real == uid ||
          (real >= kRuntimeSubidStart && real < kRuntimeSubidStart + kRuntimeSubidCount)) {
        pids.insert(pid);
      }
    }
  }
  closedir(proc);
  return pids;
}

std::set<std::string> TreeOf(const std::string& dir) {
  std::set<std::string> tree;
  CollectTree(dir, "", tree);
  return tree;
}

std::string RootShell(const std::string& command) {
  CommandResult result = Run({"/bin/sh", "-c", command});
  EXPECT_EQ(result.exit_code, 0) << command << "\n" << result.err;
  return result.out;
}

::testing::AssertionResult Contains(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << part << "\" not found in:\n" << text;
}

}  // namespace uxc::testing
