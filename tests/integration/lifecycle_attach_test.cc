// `uxc attach` confines what it runs as the container's init is confined, as
// lxc-attach does by default: the bounding set of lxc.cap.drop/keep, the
// seccomp profile and lxc.no_new_privs. A static probe copied into the
// busybox container reports what the kernel let it do.
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>

#include "tests/integration/lifecycle_fixture.h"

namespace uxc::testing {
namespace {

constexpr uid_t kContainerRoot = 600000;  // the fixture's first subordinate id

// The value of "Key=..." in the probe's output.
std::string Field(const std::string& output, const std::string& key) {
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with(key + "=")) return line.substr(key.size() + 1);
  }
  return "(no " + key + ")";
}

// The value of "Key:" in /proc/PID/status.
std::string StatusField(pid_t pid, const std::string& key) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (!line.starts_with(key + ":")) continue;
    size_t value = line.find_first_not_of(" \t", key.size() + 1);
    return value == std::string::npos ? "" : line.substr(value);
  }
  return "(no " + key + ")";
}

// The probe, built beside this test and found through its runfiles.
std::string ProbePath() {
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return "";
  self[n] = '\0';
  return std::string(self) + ".runfiles/uxc/tests/integration/security_probe";
}

class AttachConfinementTest : public LifecycleTest {
 protected:
  void SetUp() override {
    LifecycleTest::SetUp();
    if (HasFatalFailure()) return;
    std::string probe = ProbePath();
    ASSERT_EQ(access(probe.c_str(), X_OK), 0) << probe << ": " << strerror(errno);
    std::string target = path_ + "/" + name_ + "/rootfs/bin/probe";
    ASSERT_EQ(uxc::testing::Run({"cp", probe, target}).exit_code, 0);
    ASSERT_EQ(chown(target.c_str(), kContainerRoot, kContainerRoot), 0);
    ASSERT_EQ(chmod(target.c_str(), 0755), 0);
  }

  void AppendToConfig(const std::string& lines) {
    std::ofstream config(path_ + "/" + name_ + "/config", std::ios::app);
    config << lines;
    ASSERT_TRUE(config.good());
  }

  // `uxc attach NAME -- /bin/probe ARGS...`.
  std::string Probe(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {name_, "--", "/bin/probe"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto result = Uxc("attach", argv);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result.out;
  }

  void Stop() {
    auto stopped = Uxc("stop", {name_, "-k"});
    EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
    ExpectNothingLeft(name_);
  }
};

TEST_F(AttachConfinementTest, BoundingSetAndSeccompAreTheInits) {
  AppendToConfig("lxc.cap.drop = sys_admin net_raw\n");
  auto started = Uxc("start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  pid_t init = InitPid(name_);
  std::string status = Probe({"status"});
  EXPECT_EQ(Field(status, "CapBnd"), StatusField(init, "CapBnd")) << status;
  // cap_sys_admin (21) and cap_net_raw (13) are gone from both.
  uint64_t bounding = std::stoull(Field(status, "CapBnd"), nullptr, 16);
  EXPECT_EQ(bounding & ((uint64_t{1} << 21) | (uint64_t{1} << 13)), 0u) << status;
  EXPECT_EQ(Field(status, "Seccomp"), "2") << status;
  EXPECT_EQ(Field(status, "NoNewPrivs"), "0") << status;
  // The default profile (LXC's common.seccomp): kexec_load fails with EPERM,
  // and umount2(MNT_FORCE) is rejected with EACCES, which only the filter
  // returns.
  EXPECT_EQ(Probe({"kexec"}), "kexec_load=EPERM\n");
  EXPECT_EQ(Field(Probe({"umount", "/proc"}), "umount_force"), "EACCES");
  Stop();
}

TEST_F(AttachConfinementTest, NoNewPrivsFromTheConfig) {
  AppendToConfig("lxc.no_new_privs = 1\n");
  auto started = Uxc("start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  EXPECT_EQ(StatusField(InitPid(name_), "NoNewPrivs"), "1");
  std::string status = Probe({"status"});
  EXPECT_EQ(Field(status, "NoNewPrivs"), "1") << status;
  EXPECT_EQ(Field(status, "CapBnd"), StatusField(InitPid(name_), "CapBnd")) << status;
  Stop();
}

TEST_F(AttachConfinementTest, NeverLooserThanAnInitStartedWithOverrides) {
  // -s applies to this start only: the config on disk does not say it, the
  // init's /proc/PID/status does.
  auto started = Uxc("start", {name_, "-s", "lxc.cap.drop=sys_ptrace", "-s", "lxc.no_new_privs=1"});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  pid_t init = InitPid(name_);
  std::string status = Probe({"status"});
  EXPECT_EQ(Field(status, "CapBnd"), StatusField(init, "CapBnd")) << status;
  uint64_t bounding = std::stoull(Field(status, "CapBnd"), nullptr, 16);
  EXPECT_EQ(bounding & (uint64_t{1} << 19), 0u) << "cap_sys_ptrace: " << status;
  EXPECT_EQ(Field(status, "NoNewPrivs"), "1") << status;
  Stop();
}

TEST_F(AttachConfinementTest, AnUnreadableConfigStopsTheAttach) {
  auto started = Uxc("start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  AppendToConfig("lxc.cap.keep = chown\n");  // with lxc.cap.drop: refused
  auto attached = Uxc("attach", {name_, "--", "/bin/probe", "status"});
  EXPECT_EQ(attached.exit_code, 1) << attached.out;
  EXPECT_NE(attached.err.find("lxc.cap.keep and"), std::string::npos) << attached.err;
  EXPECT_TRUE(attached.out.empty()) << attached.out;
  Stop();
}

}  // namespace
}  // namespace uxc::testing
