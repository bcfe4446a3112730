// no_new_privs as a real unprivileged user: a setuid-root program run after
// ApplySecurity gains nothing when lxc.no_new_privs is set, and gains root
// when it is not (so that the test can tell the two apart).
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "gtest/gtest.h"
#include "launcher/engine/security/security.h"
#include "tests/lib/host.h"

namespace uxc::testing {
namespace {

class NoNewPrivsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    user_ = EnsureUser("uxct-security");
    char dir[] = "/var/tmp/uxc-nnp.XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr) << strerror(errno);
    dir_ = dir;
    ASSERT_EQ(chmod(dir_.c_str(), 0755), 0);
    program_ = dir_ + "/id";
    CommandResult copy = uxc::testing::Run({"cp", "/usr/bin/id", program_});
    ASSERT_EQ(copy.exit_code, 0) << copy.err;
    ASSERT_EQ(chown(program_.c_str(), 0, 0), 0);
    ASSERT_EQ(chmod(program_.c_str(), 04755), 0);
  }

  void TearDown() override {
    unlink(program_.c_str());
    rmdir(dir_.c_str());
  }

  // Forks, becomes the test user, applies `plan` and execs the setuid copy
  // of id(1); returns what it prints ("uid=... euid=0(root) ..." when the
  // setuid bit took effect) or the failure.
  std::string RunSetuidAfter(const security::SecurityPlan& plan) {
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) return "pipe2 failed";
    pid_t pid = fork();
    if (pid == 0) {
      dup2(pipe_fds[1], STDOUT_FILENO);
      dup2(pipe_fds[1], STDERR_FILENO);
      if (setgroups(0, nullptr) != 0 || setresgid(user_.gid, user_.gid, user_.gid) != 0 ||
          setresuid(user_.uid, user_.uid, user_.uid) != 0) {
        _exit(90);
      }
      launcher::ChildReport error;
      if (security::ApplySecurity(plan, &error) != 0) {
        dprintf(STDOUT_FILENO, "%s: %s", error.text, strerror(error.errno_value));
        _exit(91);
      }
      execl(program_.c_str(), "id", nullptr);
      _exit(92);
    }
    close(pipe_fds[1]);
    std::string output;
    char buffer[512];
    ssize_t n;
    while ((n = read(pipe_fds[0], buffer, sizeof buffer)) > 0) output.append(buffer, n);
    close(pipe_fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      return "child failed (" + std::to_string(status) + "): " + output;
    }
    return output;
  }

  HostUser user_;
  std::string dir_;
  std::string program_;
};

TEST_F(NoNewPrivsTest, WithoutItTheSetuidBitGivesRoot) {
  security::SecurityPlan plan;
  std::string output = RunSetuidAfter(plan);
  EXPECT_NE(output.find("euid=0(root)"), std::string::npos) << output;
}

TEST_F(NoNewPrivsTest, WithItTheSetuidBitGivesNothing) {
  security::SecurityPlan plan;
  plan.no_new_privs = true;
  std::string output = RunSetuidAfter(plan);
  EXPECT_EQ(output.find("euid="), std::string::npos) << output;
  EXPECT_EQ(output.rfind("uid=" + std::to_string(user_.uid) + "(" + user_.name + ")", 0), 0u)
      << output;
}

TEST_F(NoNewPrivsTest, LetsAnUnprivilegedUserLoadTheFilter) {
  // seccomp(2): without CAP_SYS_ADMIN a filter needs no_new_privs first;
  // ApplySecurity sets it before loading.
  security::SecurityPlan plan;
  plan.no_new_privs = true;
  std::string base = RunSetuidAfter(plan);
  ASSERT_EQ(base.find("child failed"), std::string::npos) << base;
  security::SecurityPlan without_nnp;
  without_nnp.seccomp_program = {{0x06, 0, 0, 0x7fff0000}};  // BPF: return ALLOW
  std::string refused = RunSetuidAfter(without_nnp);
  EXPECT_NE(refused.find("load the seccomp filter (lxc.seccomp.profile): Permission denied"),
            std::string::npos)
      << refused;
  without_nnp.no_new_privs = true;
  std::string loaded = RunSetuidAfter(without_nnp);
  EXPECT_EQ(loaded.rfind("uid=" + std::to_string(user_.uid), 0), 0u) << loaded;
}

}  // namespace
}  // namespace uxc::testing
