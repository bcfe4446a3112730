// uxc-newidmap's deferred target, wait:N: the helper is started before the
// process it maps exists and reads that process's pid from the pipe N. Every
// check a pid argument gets must still refuse through the pipe, and whatever
// the pipe carries other than one pid line must leave the target untouched.
// Last, uxc itself: a start that fails before the clone ends its early helper.
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "gtest/gtest.h"
#include "tests/integration/idmap_fixture.h"

namespace uxc::testing {
namespace {

// A pipe whose read end the helper inherits as wait:N.
class PidPipe {
 public:
  PidPipe() { EXPECT_EQ(pipe2(fds_, O_CLOEXEC), 0); }
  ~PidPipe() {
    CloseWriteEnd();
    if (fds_[0] >= 0) close(fds_[0]);
  }
  int read_end() const { return fds_[0]; }
  void Write(const std::string& bytes) {
    ASSERT_EQ(write(fds_[1], bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }
  void CloseWriteEnd() {
    if (fds_[1] >= 0) close(fds_[1]);
    fds_[1] = -1;
  }

 private:
  int fds_[2] = {-1, -1};
};

class IdmapDeferredTest : public IdmapHostTest {
 protected:
  std::string FullRanges() { return "u 0 " + A() + " 65536 g 0 " + A() + " 65536"; }

  // uxc-newidmap wait:FD RANGES as user A, with `fd` inherited.
  CommandResult MapWaiting(int fd, const std::string& ranges, HelperOptions options = {}) {
    std::vector<std::string> args = {"wait:" + std::to_string(fd)};
    for (std::string& word : Words(ranges)) args.push_back(std::move(word));
    options.pass_fds.push_back(fd);
    return RunHelperAs(users_.a, OurCombinedHelper(), args, options);
  }

  // The helper given a pipe that already carries `bytes` and is closed.
  CommandResult MapWithPipeBytes(const std::string& bytes, const std::string& ranges) {
    PidPipe pipe;
    pipe.Write(bytes);
    pipe.CloseWriteEnd();
    return MapWaiting(pipe.read_end(), ranges);
  }

  void ExpectUntouched(const Target& target) {
    EXPECT_EQ(target.UidMap(), "");
    EXPECT_EQ(target.GidMap(), "");
    EXPECT_EQ(target.Setgroups(), "allow\n");
  }
  void ExpectFullyMapped(const Target& target) {
    EXPECT_EQ(target.UidMap(), MapLine(0, kSubStartA, 65536));
    EXPECT_EQ(target.GidMap(), MapLine(0, kSubStartA, 65536));
  }
};

// As uxc uses it: the helper runs first, the process is made, then its pid
// is written. The target is forked after the pipe exists, so it holds a copy
// of the write end: the helper must not wait for the end of the pipe.
TEST_F(IdmapDeferredTest, MapsAProcessStartedAfterTheHelper) {
  PidPipe pipe;
  CommandResult result;
  std::thread helper([&] { result = MapWaiting(pipe.read_end(), FullRanges()); });
  auto target = Target::Start(users_.a);
  pipe.Write(std::to_string(target->pid()) + "\n");
  helper.join();
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out + result.err, "");
  ExpectFullyMapped(*target);
}

// Ranges the caller may not map are refused while the pipe is still open
// and empty: the checks come before the pid (else this would hang until
// RunHelperAs gives up and kills the helper).
TEST_F(IdmapDeferredTest, RefusesRangesBeforeThePidIsWritten) {
  PidPipe pipe;
  EXPECT_REFUSED(MapWaiting(pipe.read_end(), "u 0 " + A() + " 65536 g 0 " + A() + " 65537"),
                 "0 300000 65537 is not covered by /etc/subgid");
  EXPECT_REFUSED(MapWaiting(pipe.read_end(), "u 0 " + std::to_string(kSubStartB) + " 1 g 0 " + A() + " 1"),
                 "is not covered by /etc/subuid");
  EXPECT_REFUSED(MapWaiting(pipe.read_end(), "u 0 " + A() + " 10 u 5 " + A(100) + " 10 g 0 " + A() + " 1"),
                 "overlap inside the namespace");
}

// What uxc does when its start fails before the clone: it closes the pipe.
TEST_F(IdmapDeferredTest, APipeClosedBeforeAnyPidWritesNothing) {
  auto target = Target::Start(users_.a);
  PidPipe pipe;
  CommandResult result;
  std::thread helper([&] { result = MapWaiting(pipe.read_end(), FullRanges()); });
  pipe.CloseWriteEnd();
  helper.join();
  EXPECT_REFUSED(result, "uxc-newidmap: wait:" + std::to_string(pipe.read_end()) +
                             ": the pipe was closed before a pid was written to it (the start was given up)");
  ExpectUntouched(*target);
}

TEST_F(IdmapDeferredTest, RefusesAnythingButOnePidLine) {
  auto target = Target::Start(users_.a);
  std::string pid = std::to_string(target->pid());
  struct Case {
    std::string bytes;
    std::string refusal;
  };
  const std::vector<Case> cases = {
      {"", "the pipe was closed before a pid was written"},
      {pid, "has no newline: the pipe was closed after it"},
      {pid + "\n" + pid + "\n", "more than one line was written to the pipe"},
      {pid + "\n\n", "more than one line was written to the pipe"},
      {"\n", "the pid line \"\" is not a decimal number"},
      {" " + pid + "\n", "is not a decimal number"},
      {pid + " \n", "is not a decimal number"},
      {pid + "\r\n", "\"" + pid + "\\r\" is not a decimal number"},
      {"-" + pid + "\n", "is not a decimal number"},
      {"0" + pid + "\n", "has a leading 0"},
      {"0\n", "the pid line \"0\" is not a process"},
      {"self\n", "is not a decimal number"},
      {"4194305\n", "is larger than 4194304"},
      {std::string(100, '1') + "\n", "is longer than 15 characters"},
      {std::string(1 << 16, '7'), "is longer than 15 characters"},
      {std::string("12\0\n", 4), "\"12\\x00\" is not a decimal number"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE("pipe bytes: " + c.bytes.substr(0, 40));
    EXPECT_REFUSED(MapWithPipeBytes(c.bytes, FullRanges()), c.refusal);
  }
  ExpectUntouched(*target);
  // The control: the same pipe carrying exactly the pid maps it.
  auto result = MapWithPipeBytes(pid + "\n", FullRanges());
  EXPECT_EQ(result.exit_code, 0) << result.err;
  ExpectFullyMapped(*target);
}

TEST_F(IdmapDeferredTest, RefusesAnFdThatIsNotAPipe) {
  auto target = Target::Start(users_.a);
  int file = open(("/proc/" + std::to_string(target->pid())).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(file, 0);
  int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(null, 0);
  int sockets[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets), 0);
  std::string pid_line = std::to_string(target->pid()) + "\n";
  ASSERT_EQ(write(sockets[1], pid_line.data(), pid_line.size()), static_cast<ssize_t>(pid_line.size()));
  for (int fd : {file, null, sockets[0]}) {
    EXPECT_REFUSED(MapWaiting(fd, FullRanges()), "wait:" + std::to_string(fd) + ": fd " + std::to_string(fd) +
                                                     " is not a pipe: pass the read end of a pipe");
  }
  // Not open in the helper (the test passes no fd 900).
  EXPECT_REFUSED(RunHelperAs(users_.a, OurCombinedHelper(), Words("wait:900 " + FullRanges())),
                 "wait:900: fd 900 is not open");
  // Standard input closed: the helper opens /dev/null there, no pipe.
  HelperOptions closed;
  closed.close_stdin = true;
  EXPECT_REFUSED(MapWaiting(0, FullRanges(), closed), "wait:0: fd 0 is not a pipe");
  close(file);
  close(null);
  close(sockets[0]);
  close(sockets[1]);
  ExpectUntouched(*target);
}

TEST_F(IdmapDeferredTest, RefusesAnotherUsersProcess) {
  auto target = Target::Start(users_.b);
  EXPECT_REFUSED(MapWithPipeBytes(std::to_string(target->pid()) + "\n", FullRanges()),
                 "runs as uid " + std::to_string(users_.b.uid));
  ExpectUntouched(*target);
}

TEST_F(IdmapDeferredTest, RefusesANamespaceTheCallerDoesNotOwn) {
  auto target = Target::Start(users_.a, Target::Namespace::kForeign);
  EXPECT_REFUSED(MapWithPipeBytes(std::to_string(target->pid()) + "\n", "u 0 " + A() + " 1 g 0 " + A() + " 1"),
                 "may not inspect the user namespace");
  EXPECT_EQ(target->UidMap(), "");
  EXPECT_EQ(target->GidMap(), "");
}

TEST_F(IdmapDeferredTest, RefusesAProcessStillInTheHostNamespace) {
  auto target = Target::Start(users_.a, Target::Namespace::kOwn);
  EXPECT_REFUSED(MapWithPipeBytes(std::to_string(target->pid()) + "\n", FullRanges()),
                 "is still in your user namespace");
}

TEST_F(IdmapDeferredTest, RefusesAMappedNamespaceAndAnExitedProcess) {
  auto target = Target::Start(users_.a);
  std::string pid_line = std::to_string(target->pid()) + "\n";
  ASSERT_EQ(MapWithPipeBytes(pid_line, FullRanges()).exit_code, 0);
  EXPECT_REFUSED(MapWithPipeBytes(pid_line, FullRanges()), "already has a uid_map");
  target->Stop();
  EXPECT_REFUSED(MapWithPipeBytes(pid_line, FullRanges()), "does not exist");
}

// Shadow's command line is unchanged: the pair takes no wait:N.
TEST_F(IdmapDeferredTest, ThePairRefusesAWaitTarget) {
  auto target = Target::Start(users_.a);
  for (bool uid : {true, false}) {
    PidPipe pipe;
    pipe.Write(std::to_string(target->pid()) + "\n");
    HelperOptions options;
    options.pass_fds = {pipe.read_end()};
    auto result = RunHelperAs(users_.a, OurHelper(uid),
                              {"wait:" + std::to_string(pipe.read_end()), "0", A(), "1"}, options);
    EXPECT_REFUSED(result, "wait:N is uxc-newidmap's form");
  }
  ExpectUntouched(*target);
}

TEST_F(IdmapDeferredTest, HelpNamesTheWaitForm) {
  auto help = RunHelperAs(users_.a, OurCombinedHelper(), {"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_EQ(help.out.rfind("usage: uxc-newidmap <pid>|fd:<N>|wait:<N> u|g", 0), 0u) << help.out;
  EXPECT_NE(help.out.find("wait:<N> names an inherited pipe"), std::string::npos) << help.out;
}

// uxc starts uxc-newidmap before it plans the start; a start that fails
// before the clone (here a pre-start hook) ends that helper, which has
// mapped nothing. The hook records the helper while it waits for the pid.
TEST_F(IdmapDeferredTest, AStartThatFailsBeforeTheCloneEndsTheEarlyHelper) {
  std::string dir = SharedTempDir() + "/early-helper";
  auto install = [](std::vector<std::string> args) {
    args.insert(args.begin(), "/usr/bin/install");
    ASSERT_EQ(uxc::testing::Run(args).exit_code, 0) << args.back();
  };
  install({"-d", "-m", "0755", dir, dir + "/rootfs"});
  install({"-m", "0755", InstalledBinary("uxc"), dir + "/uxc"});
  install({"-o", "root", "-m", "4755", InstalledBinary("uxc-newidmap"), dir + "/uxc-newidmap"});
  std::string record = SharedTempDir() + "/early-helper-children";
  install({"-o", users_.a.name, "-m", "0644", "/dev/null", record});
  // The hook records every uxc-newidmap of this install: pid and arguments.
  std::string hook = dir + "/record-helpers";
  std::ofstream(hook) << "#!/bin/sh\n"
                         "for f in /proc/[0-9]*/cmdline; do\n"
                         "  args=$(tr '\\0' ' ' < \"$f\" 2>/dev/null)\n"
                         "  case \"$args\" in \"" << dir << "/uxc-newidmap wait:\"*)\n"
                         "    p=${f#/proc/}; echo \"${p%/cmdline} $args\" >> " << record << ";;\n"
                         "  esac\n"
                         "done\n"
                         "exit 3\n";
  chmod(hook.c_str(), 0755);
  HelperOptions options;
  options.env = {"PATH=/usr/bin:/bin"};
  auto result = RunHelperAs(
      users_.a, dir + "/uxc",
      {"run", "--rootfs", dir + "/rootfs", "-s", "lxc.hook.pre-start=" + hook, "--", "/bin/true"}, options);
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("pre-start"), std::string::npos) << result.err;

  std::ifstream in(record);
  std::string line, helper_pid;
  while (std::getline(in, line)) {
    if (line.find(dir + "/uxc-newidmap wait:") == std::string::npos) continue;
    helper_pid = line.substr(0, line.find(' '));
    EXPECT_NE(line.find(" u 0 " + A() + " 65536 g 0 " + A() + " 65536"), std::string::npos) << line;
  }
  ASSERT_FALSE(helper_pid.empty()) << "uxc had no uxc-newidmap child while the hook ran: " << result.err;
  // Ended and reaped by uxc before it exited: its pid names no uxc-newidmap now.
  std::ifstream cmdline("/proc/" + helper_pid + "/cmdline");
  std::string now((std::istreambuf_iterator<char>(cmdline)), std::istreambuf_iterator<char>());
  EXPECT_EQ(now.find("uxc-newidmap"), std::string::npos) << now;
}

// The early helper refuses a range before uxc has a pid to send (the hook
// gives it the time): uxc's write finds the pipe closed (EPIPE, not a
// SIGPIPE that would kill uxc) and reports the helper's own message.
TEST_F(IdmapDeferredTest, ARefusalBeforeThePidIsReportedByUxc) {
  std::string dir = SharedTempDir() + "/early-refused";
  auto install = [](std::vector<std::string> args) {
    args.insert(args.begin(), "/usr/bin/install");
    ASSERT_EQ(uxc::testing::Run(args).exit_code, 0) << args.back();
  };
  install({"-d", "-m", "0755", dir, dir + "/rootfs"});
  install({"-m", "0755", InstalledBinary("uxc"), dir + "/uxc"});
  install({"-o", "root", "-m", "4755", InstalledBinary("uxc-newidmap"), dir + "/uxc-newidmap"});
  HelperOptions options;
  options.env = {"PATH=/usr/bin:/bin"};
  auto result = RunHelperAs(users_.a, dir + "/uxc",
                            {"run", "--rootfs", dir + "/rootfs", "-s", "lxc.idmap=u 0 " + A() + " 65536", "-s",
                             "lxc.idmap=g 0 " + A() + " 65537", "-s", "lxc.hook.pre-start=sleep 0.3; true", "--",
                             "/bin/true"},
                            options);
  EXPECT_EQ(result.term_signal, 0) << result.err;
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("uxc-newidmap: 0 300000 65537 is not covered by /etc/subgid"), std::string::npos)
      << result.err;
}

}  // namespace
}  // namespace uxc::testing
