// PID reuse between the caller's check and the helper's write, made to happen:
// in a pid namespace of its own, the test stops the target, sets
// ns_last_pid (proc(5), /proc/sys/kernel/ns_last_pid) so the next fork gets
// the freed pid, and starts another process there. The helper is handed
// fd:N, the /proc/PID directory opened while the first target lived, or
// (uxc-newidmap) wait:N, a pipe the old pid was written to.
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <map>
#include <memory>
#include <sstream>

#include "gtest/gtest.h"
#include "tests/integration/idmap_fixture.h"

namespace uxc::testing {
namespace {

using Findings = std::map<std::string, std::string>;

void Note(Findings& findings, const std::string& key, const CommandResult& result) {
  findings[key + ".exit"] = std::to_string(result.exit_code);
  findings[key + ".err"] = result.err.substr(0, result.err.find('\n'));
}

// Makes the next fork in this pid namespace get `pid` (when it is free).
bool NextForkGets(pid_t pid) {
  FILE* file = fopen("/proc/sys/kernel/ns_last_pid", "w");
  if (file == nullptr) return false;
  bool ok = fprintf(file, "%d", pid - 1) > 0;
  return fclose(file) == 0 && ok;
}

// Runs as pid 1 of a fresh pid namespace with its own /proc.
Findings ReuseScenario(const IdmapUsers& users) {
  Findings findings;
  auto first = Target::Start(users.a);
  pid_t pid = first->pid();
  int dir = open(("/proc/" + std::to_string(pid)).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  findings["dir_opened"] = dir >= 0 ? "yes" : "no";
  // uxc-newidmap wait:N: the pid was written while the first target lived,
  // and is read after the pid went to another process.
  int pid_pipe[2];
  findings["pipe_written"] = pipe2(pid_pipe, O_CLOEXEC) == 0 && dprintf(pid_pipe[1], "%d\n", pid) > 0 &&
                                     close(pid_pipe[1]) == 0
                                 ? "yes"
                                 : "no";
  first->Stop();

  HelperOptions pass;
  pass.pass_fds = {dir};
  std::vector<std::string> by_fd = {"fd:" + std::to_string(dir), "0", std::to_string(kSubStartA), "65536"};
  std::vector<std::string> by_pid = {std::to_string(pid), "0", std::to_string(kSubStartA), "65536"};
  std::string both = " u 0 " + std::to_string(kSubStartA) + " 65536 g 0 " + std::to_string(kSubStartA) + " 65536";
  std::vector<std::string> both_by_fd = Words("fd:" + std::to_string(dir) + both);
  std::vector<std::string> both_by_pid = Words(std::to_string(pid) + both);

  // Reused by another user's process.
  findings["last_pid_set"] = NextForkGets(pid) ? "yes" : "no";
  auto other = Target::Start(users.b);
  findings["other_reused"] = other->pid() == pid ? "yes" : "no";
  Note(findings, "other.ours_fd", RunHelperAs(users.a, OurHelper(true), by_fd, pass));
  Note(findings, "other.shadow_fd", RunHelperAs(users.a, ShadowHelper(true), by_fd, pass));
  Note(findings, "other.ours_pid", RunHelperAs(users.a, OurHelper(true), by_pid));
  Note(findings, "other.combined_fd", RunHelperAs(users.a, OurCombinedHelper(), both_by_fd, pass));
  Note(findings, "other.combined_pid", RunHelperAs(users.a, OurCombinedHelper(), both_by_pid));
  HelperOptions pass_pipe;
  pass_pipe.pass_fds = {pid_pipe[0]};
  Note(findings, "other.combined_wait",
       RunHelperAs(users.a, OurCombinedHelper(), Words("wait:" + std::to_string(pid_pipe[0]) + both), pass_pipe));
  close(pid_pipe[0]);
  findings["other.uid_map"] = other->UidMap();
  findings["other.gid_map"] = other->GidMap();
  other->Stop();

  // Reused by another process of the same user: a pid alone cannot tell.
  NextForkGets(pid);
  auto same = Target::Start(users.a);
  findings["same_reused"] = same->pid() == pid ? "yes" : "no";
  Note(findings, "same.ours_fd", RunHelperAs(users.a, OurHelper(true), by_fd, pass));
  Note(findings, "same.combined_fd", RunHelperAs(users.a, OurCombinedHelper(), both_by_fd, pass));
  findings["same.uid_map_after_fd"] = same->UidMap();
  findings["same.gid_map_after_fd"] = same->GidMap();
  Note(findings, "same.ours_pid", RunHelperAs(users.a, OurHelper(true), by_pid));
  findings["same.uid_map_after_pid"] = same->UidMap();
  same->Stop();
  close(dir);
  return findings;
}

std::string Serialize(const Findings& findings) {
  std::string text;
  for (const auto& [key, value] : findings) {
    std::string flat = value;
    for (char& c : flat) c = c == '\n' ? '|' : c;
    text += key + "=" + flat + "\n";
  }
  return text;
}

Findings Parse(const std::string& text) {
  Findings findings;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    size_t eq = line.find('=');
    if (eq != std::string::npos) findings[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return findings;
}

// Forks into a new pid and mount namespace, runs the scenario as its pid 1
// and returns what it found.
Findings RunInPidNamespace(const IdmapUsers& users) {
  int report[2];
  EXPECT_EQ(pipe2(report, O_CLOEXEC), 0);
  pid_t outer = fork();
  if (outer == 0) {
    if (unshare(CLONE_NEWPID | CLONE_NEWNS) != 0) _exit(100);
    pid_t init = fork();
    if (init == 0) {
      if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
          mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) {
        _exit(101);
      }
      std::string text = Serialize(ReuseScenario(users));
      if (write(report[1], text.data(), text.size()) != static_cast<ssize_t>(text.size())) _exit(102);
      _exit(0);
    }
    int status = 0;
    waitpid(init, &status, 0);
    _exit(WIFEXITED(status) ? WEXITSTATUS(status) : 103);
  }
  close(report[1]);
  std::string text;
  char buffer[4096];
  ssize_t n;
  while ((n = read(report[0], buffer, sizeof buffer)) > 0) text.append(buffer, static_cast<size_t>(n));
  close(report[0]);
  int status = 0;
  waitpid(outer, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "scenario exit status " << status;
  return Parse(text);
}

TEST(IdmapPidReuse, FdOfTheOldProcDirectoryNeverMapsTheNewProcess) {
  IdmapUsers users = EnsureIdmapUsers();
  ScopedHostFile subuid("/etc/subuid", DefaultSubidText(users));
  ScopedHostFile subgid("/etc/subgid", DefaultSubidText(users));
  Findings found = RunInPidNamespace(users);
  ASSERT_EQ(found["dir_opened"], "yes");
  ASSERT_EQ(found["last_pid_set"], "yes");
  ASSERT_EQ(found["other_reused"], "yes") << "the pid was not reused; the race did not happen";
  ASSERT_EQ(found["same_reused"], "yes") << "the pid was not reused; the race did not happen";

  // Another user's process now has the pid.
  EXPECT_EQ(found["other.ours_fd.exit"], "1");
  EXPECT_NE(found["other.ours_fd.err"].find("has exited"), std::string::npos) << found["other.ours_fd.err"];
  EXPECT_NE(found["other.shadow_fd.exit"], "0") << found["other.shadow_fd.err"];
  EXPECT_EQ(found["other.ours_pid.exit"], "1");
  EXPECT_NE(found["other.ours_pid.err"].find("not as you"), std::string::npos) << found["other.ours_pid.err"];
  EXPECT_EQ(found["other.uid_map"], "");
  EXPECT_EQ(found["other.combined_fd.exit"], "1");
  EXPECT_NE(found["other.combined_fd.err"].find("has exited"), std::string::npos) << found["other.combined_fd.err"];
  EXPECT_EQ(found["other.combined_pid.exit"], "1");
  EXPECT_NE(found["other.combined_pid.err"].find("not as you"), std::string::npos) << found["other.combined_pid.err"];
  ASSERT_EQ(found["pipe_written"], "yes");
  EXPECT_EQ(found["other.combined_wait.exit"], "1");
  EXPECT_NE(found["other.combined_wait.err"].find("not as you"), std::string::npos)
      << found["other.combined_wait.err"];
  EXPECT_EQ(found["other.gid_map"], "");

  // The caller's own new process has the pid: the fd still refuses, a bare
  // pid cannot tell the difference and maps the newcomer.
  EXPECT_EQ(found["same.ours_fd.exit"], "1");
  EXPECT_NE(found["same.ours_fd.err"].find("has exited"), std::string::npos) << found["same.ours_fd.err"];
  EXPECT_EQ(found["same.combined_fd.exit"], "1");
  EXPECT_NE(found["same.combined_fd.err"].find("has exited"), std::string::npos) << found["same.combined_fd.err"];
  EXPECT_EQ(found["same.uid_map_after_fd"], "");
  EXPECT_EQ(found["same.gid_map_after_fd"], "");
  EXPECT_EQ(found["same.ours_pid.exit"], "0") << found["same.ours_pid.err"];
  EXPECT_NE(found["same.uid_map_after_pid"], "");
}

}  // namespace
}  // namespace uxc::testing
