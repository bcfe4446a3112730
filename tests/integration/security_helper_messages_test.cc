// What the setuid id-map helpers say to a caller, installed setuid for real
// and run as real unprivileged users (issue 9, items 7 and 12): a root-only
// policy file's lines of another user are never shown, and each message
// names the cause the caller can act on. docs/security.md lists the threats.
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "tests/integration/idmap_fixture.h"

namespace uxc::testing {
namespace {

class HelperMessagesTest : public IdmapHostTest {
 protected:
  // /etc/subuid and /etc/subgid as root keeps a policy it does not publish:
  // `lines` after A's entry, mode 0600.
  void WriteRootOnlyPolicy(const std::string& lines) {
    std::string text = users_.a.name + ":" + A() + ":65536\n" + lines;
    subuid_->Write(text);
    subgid_->Write(text);
    ASSERT_EQ(chmod("/etc/subuid", 0600), 0);
    ASSERT_EQ(chmod("/etc/subgid", 0600), 0);
  }

  // Runs each of the three helpers as A against a fresh target of A's.
  std::vector<CommandResult> RunEveryHelper() {
    std::vector<CommandResult> results;
    for (bool uid : {true, false}) {
      auto target = Target::Start(users_.a);
      results.push_back(RunOn(OurHelper(uid), *target, "0 " + A() + " 1"));
    }
    auto target = Target::Start(users_.a);
    results.push_back(RunOn(OurCombinedHelper(), *target, "u 0 " + A() + " 1 g 0 " + A() + " 1"));
    return results;
  }
};

// Item 7: B's malformed line in a 0600 /etc/subuid reached A's terminal
// whole. Now A learns file:line and the reason only.
TEST_F(HelperMessagesTest, AnotherUsersMalformedLineIsNotEchoed) {
  const std::string b = users_.b.name;
  const std::string lines[] = {
      b + ":400000:65536:SECRET-TOKEN\n",  // field count
      b + ":SECRET-TOKEN:65536\n",         // start
      b + ":400000:SECRET-TOKEN\n",        // count
      b + " SECRET-TOKEN:400000:65536\n",  // owner with a blank
      b + ":4294967290:77777\n",           // range past the last id
      "SECRET-TOKEN\n",                    // no colon at all
  };
  for (const std::string& line : lines) {
    WriteRootOnlyPolicy(line);
    // The control: A cannot read the file itself.
    EXPECT_NE(RunAs(users_.a, {"cat", "/etc/subuid"}).exit_code, 0);
    for (const CommandResult& result : RunEveryHelper()) {
      EXPECT_REFUSED(result, ":2: ");
      EXPECT_NE(result.err.find("/etc/sub"), std::string::npos) << result.err;
      EXPECT_EQ(result.err.find("SECRET"), std::string::npos) << "leaked: " << result.err;
      EXPECT_EQ(result.err.find(b), std::string::npos) << "leaked: " << result.err;
      EXPECT_EQ(result.err.find("77777"), std::string::npos) << "leaked: " << result.err;
    }
  }
}

// The caller's own bad line may be shown to them: it helps them ask root.
TEST_F(HelperMessagesTest, TheCallersOwnMalformedLineIsQuoted) {
  subuid_->Write(users_.a.name + ":" + A() + ":65536:extra\n");
  ASSERT_EQ(chmod("/etc/subuid", 0600), 0);
  auto target = Target::Start(users_.a);
  EXPECT_REFUSED(RunOn(OurHelper(true), *target, "0 " + A() + " 1"),
                 "/etc/subuid:1: \"" + users_.a.name + ":" + A() + ":65536:extra\" has 4 field(s)");
}

// Item 12: a pidfd of B's process said "signal ...: Operation not permitted".
TEST_F(HelperMessagesTest, AnotherUsersPidfdIsNotYours) {
  auto target = Target::Start(users_.b);
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, target->pid(), 0));
  ASSERT_GE(pidfd, 0);
  HelperOptions options;
  options.pass_fds = {pidfd};
  std::string fd = "fd:" + std::to_string(pidfd);
  auto uid = RunHelperAs(users_.a, OurHelper(true), {fd, "0", A(), "1"}, options);
  auto both = RunHelperAs(users_.a, OurCombinedHelper(), {fd, "u", "0", A(), "1", "g", "0", A(), "1"}, options);
  close(pidfd);
  for (const CommandResult& result : {uid, both}) {
    EXPECT_REFUSED(result, "is not yours: it runs as uid " + std::to_string(users_.b.uid));
    EXPECT_EQ(result.err.find("Operation not permitted"), std::string::npos) << result.err;
  }
  EXPECT_EQ(target->UidMap(), "");
}

// The shell and the helper start with fds 0-2 only, so that a dynamically
// linked (ASan) helper's loader finds a free fd under the limit too.
HelperOptions OnlyStandardFds() {
  HelperOptions options;
  options.as_root_before_exec = [] { close_range(3, ~0U, 0); };
  return options;
}

// Item 12: `ulimit -n 4` gave "Too many open files: ask root to fix it".
TEST_F(HelperMessagesTest, ASmallOpenFileLimitSaysHowToRaiseIt) {
  auto target = Target::Start(users_.a);
  std::string command = "ulimit -n 4 && exec " + OurHelper(true) + " " + std::to_string(target->pid()) + " 0 " + A() +
                        " 1";
  auto result = RunHelperAs(users_.a, "/bin/sh", {"-c", command}, OnlyStandardFds());
  EXPECT_REFUSED(result, "your open-file limit (`ulimit -n`) is 4");
  EXPECT_NE(result.err.find("raise it with `ulimit -n 1024`"), std::string::npos) << result.err;
  EXPECT_EQ(result.err.find("ask root"), std::string::npos) << result.err;
  EXPECT_EQ(target->UidMap(), "");
}

// A low soft limit under a high hard one is the caller's to raise, and the
// helper raises it for itself.
TEST_F(HelperMessagesTest, ALowSoftOpenFileLimitIsRaisedWithinTheHardOne) {
  auto target = Target::Start(users_.a);
  std::string command = "ulimit -Sn 4 && exec " + OurHelper(true) + " " + std::to_string(target->pid()) + " 0 " +
                        A() + " 1";
  auto result = RunHelperAs(users_.a, "/bin/sh", {"-c", command}, OnlyStandardFds());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(target->UidMap(), MapLine(0, kSubStartA, 1));
}

// Item 12: a non-regular /etc/subuid said "ask root to fix it (ask root to
// fix the file)"; a FIFO hung the helper until its caller gave up.
TEST_F(HelperMessagesTest, ANonRegularSubuidGetsOneHint) {
  for (const char* kind : {"a directory", "a FIFO"}) {
    subuid_->Remove();
    if (std::string(kind) == "a directory") {
      ASSERT_EQ(mkdir("/etc/subuid", 0755), 0);
    } else {
      ASSERT_EQ(mkfifo("/etc/subuid", 0644), 0);
    }
    auto target = Target::Start(users_.a);
    auto result = RunOn(OurHelper(true), *target, "0 " + A() + " 1");
    if (std::string(kind) == "a directory") {
      ASSERT_EQ(rmdir("/etc/subuid"), 0);
    } else {
      ASSERT_EQ(unlink("/etc/subuid"), 0);
    }
    subuid_->Write(DefaultSubidText(users_));
    EXPECT_REFUSED(result, std::string("/etc/subuid is not a regular file (it is ") + kind + ")");
    size_t hints = 0;
    for (size_t at = result.err.find("ask root"); at != std::string::npos; at = result.err.find("ask root", at + 1)) {
      ++hints;
    }
    EXPECT_EQ(hints, 1u) << result.err;
    EXPECT_EQ(target->UidMap(), "");
  }
}

}  // namespace
}  // namespace uxc::testing
