// Runtime directory squatting (issue 9, item 8), for real: a second local
// user pre-creates the directory uxc used to fall back to (/tmp/uxc-UID, as
// a directory or a symlink) or the one two users shared with
// XDG_RUNTIME_DIR=/tmp (/tmp/uxc). The victim still starts, lists and stops
// containers; where something is wrong, the message names who made it.
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "tests/integration/lifecycle_fixture.h"

namespace uxc::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class RuntimeDirSquatTest : public LifecycleTest {
 protected:
  void SetUp() override {
    LifecycleTest::SetUp();
    squatter_ = EnsureUser("uxct-squatter");
  }
  void TearDown() override {
    for (const std::string& path : planted_) uxc::testing::Run({"rm", "-rf", path});
    LifecycleTest::TearDown();
  }

  // `command` run by the squatter; what it creates is removed after the test.
  void Plant(const std::string& path, const std::vector<std::string>& command) {
    struct stat st;
    ASSERT_NE(lstat(path.c_str(), &st), 0) << path << " exists already";
    planted_.push_back(path);
    auto made = RunAs(squatter_, command);
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }

  // start, ls, info and stop as the victim, with `env`.
  void StartListStop(const RunOptions& options) {
    auto started = Uxc("start", {name_}, options);
    ASSERT_EQ(started.exit_code, 0) << started.err;
    auto listed = Uxc("ls", {}, options);
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    EXPECT_TRUE(Contains(listed.out, "RUNNING")) << listed.out;
    auto info = Uxc("info", {name_}, options);
    EXPECT_EQ(info.exit_code, 0) << info.err;
    EXPECT_TRUE(Contains(info.out, "RUNNING")) << info.out;
    auto stopped = Uxc("stop", {name_, "-k"}, options);
    EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
    ExpectNothingLeft(name_);
  }

  std::string OldFallback() const { return "/tmp/uxc-" + std::to_string(user_.uid); }

  HostUser squatter_;
  std::vector<std::string> planted_;
};

TEST_F(RuntimeDirSquatTest, ASquattedDirectoryInTmpDoesNotLockTheVictimOut) {
  Plant(OldFallback(), {"mkdir", "-m", "0777", OldFallback()});
  StartListStop({});
}

TEST_F(RuntimeDirSquatTest, ASquattedSymlinkInTmpDoesNotLockTheVictimOut) {
  Plant(OldFallback(), {"ln", "-s", squatter_.home, OldFallback()});
  StartListStop({});
}

// XDG_RUNTIME_DIR=/tmp: the other user's /tmp/uxc is not shared; uxc says
// why it does not use /tmp and where its files are instead.
TEST_F(RuntimeDirSquatTest, XdgRuntimeDirTmpIsNotSharedWithAnotherUser) {
  struct stat st;
  if (lstat("/tmp/uxc", &st) != 0) Plant("/tmp/uxc", {"mkdir", "-m", "0700", "/tmp/uxc"});
  RunOptions options;
  options.env["XDG_RUNTIME_DIR"] = "/tmp";
  auto started = Uxc("start", {name_}, options);
  ASSERT_EQ(started.exit_code, 0) << started.err;
  EXPECT_TRUE(Contains(started.err, "XDG_RUNTIME_DIR=/tmp belongs to root (uid 0), not to you: uxc keeps its "
                                    "runtime files in " + RuntimeBase()))
      << started.err;
  auto stopped = Uxc("stop", {name_, "-k"}, options);
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  StartListStop(options);
}

// An XDG_RUNTIME_DIR that another user made is not used, and the warning
// names its owner.
TEST_F(RuntimeDirSquatTest, AnXdgRuntimeDirOfAnotherUserIsNamedAndNotUsed) {
  std::string dir = "/tmp/uxct-squatted-xdg";
  Plant(dir, {"mkdir", "-m", "0777", dir});
  RunOptions options;
  options.env["XDG_RUNTIME_DIR"] = dir;
  auto started = Uxc("start", {name_}, options);
  ASSERT_EQ(started.exit_code, 0) << started.err;
  EXPECT_TRUE(Contains(started.err, "XDG_RUNTIME_DIR=" + dir + " belongs to " + squatter_.name + " (uid " +
                                        std::to_string(squatter_.uid) + "), not to you"))
      << started.err;
  auto stopped = Uxc("stop", {name_, "-k"}, options);
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  ExpectNothingLeft(name_);
}

// Should the runtime dir itself ever belong to someone else (only root can
// arrange that in the victim's home), the error names them and what to do.
TEST_F(RuntimeDirSquatTest, ARuntimeDirOfAnotherUserIsRefusedByName) {
  ASSERT_EQ(RunAs(user_, {"mkdir", "-p", "-m", "0700", RuntimeBase()}).exit_code, 0);
  ASSERT_EQ(chown(RuntimeBase().c_str(), squatter_.uid, squatter_.gid), 0);
  auto started = Uxc("start", {name_});
  EXPECT_EQ(started.exit_code, 1);
  EXPECT_TRUE(Contains(started.err, "runtime dir " + RuntimeBase() + " belongs to " + squatter_.name + " (uid " +
                                        std::to_string(squatter_.uid) + "), not to you"))
      << started.err;
  EXPECT_TRUE(Contains(started.err, "remove it (`rm -r " + RuntimeBase() + "`)")) << started.err;
  ASSERT_EQ(chown(RuntimeBase().c_str(), user_.uid, user_.gid), 0);
  StartListStop({});
}

}  // namespace
}  // namespace uxc::testing
