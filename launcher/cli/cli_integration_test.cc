// The installed `uxc` run as a real unprivileged user: checkconfig's report
// on this host and `config show`. Needs root (tests/run): it creates the
// user and replaces /etc/subuid, /etc/subgid and /etc/uxc/usernet for the
// test.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>

#include "tests/lib/host.h"

namespace uxc {
namespace {

using testing::CommandResult;
using testing::HostUser;
using testing::ScopedHostFile;

constexpr char kUser[] = "uxct-cli";

// What the mount table says, decided independently of the code under test.
std::string ExpectedLayout() {
  std::ifstream mountinfo("/proc/self/mountinfo");
  bool v1_controller = false;
  bool v2 = false;
  for (std::string line; std::getline(mountinfo, line);) {
    if (line.find(" - cgroup2 ") != std::string::npos) v2 = true;
    if (line.find(" - cgroup ") != std::string::npos && line.find("name=") == std::string::npos) {
      v1_controller = true;
    }
  }
  if (v2) return v1_controller ? "hybrid" : "v2";
  return v1_controller ? "v1" : "none";
}

class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    user_ = new HostUser(testing::EnsureUser(kUser));
    // /etc/uxc may not exist on a fresh host; make it for the usernet file.
    struct stat status;
    made_etc_uxc_ = stat("/etc/uxc", &status) != 0;
    if (made_etc_uxc_) {
      ASSERT_EQ(mkdir("/etc/uxc", 0755), 0);
    }
  }
  static void TearDownTestSuite() {
    if (made_etc_uxc_) rmdir("/etc/uxc");
    delete user_;
  }

  void SetUp() override {
    subuid_ = std::make_unique<ScopedHostFile>("/etc/subuid", "someone:100000:65536\n");
    subgid_ = std::make_unique<ScopedHostFile>("/etc/subgid", "someone:100000:65536\n");
    usernet_ = std::make_unique<ScopedHostFile>("/etc/uxc/usernet", "# none for the test user\n");
  }

  CommandResult Uxc(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {testing::InstalledBinary("uxc")};
    argv.insert(argv.end(), args.begin(), args.end());
    return testing::RunAs(*user_, argv);
  }

  // Writes a file in the user's home as the user.
  void WriteAsUser(const std::string& relative_path, const std::string& content) {
    std::string path = user_->home + "/" + relative_path;
    testing::RunOptions options;
    options.stdin_data = content;
    CommandResult result =
        testing::RunAs(*user_, {"sh", "-c", "mkdir -p \"$(dirname \"$1\")\" && cat > \"$1\"", "sh", path}, options);
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }

  static HostUser* user_;
  static bool made_etc_uxc_;
  std::unique_ptr<ScopedHostFile> subuid_;
  std::unique_ptr<ScopedHostFile> subgid_;
  std::unique_ptr<ScopedHostFile> usernet_;
};

HostUser* CliTest::user_ = nullptr;
bool CliTest::made_etc_uxc_ = false;

TEST_F(CliTest, CheckconfigReportsTheCgroupLayoutOfThisHost) {
  CommandResult result = Uxc({"checkconfig"});
  std::string layout = ExpectedLayout();
  EXPECT_NE(result.out.find("  layout: " + layout + ":"), std::string::npos) << result.out;
  if (layout == "hybrid") {
    EXPECT_NE(result.out.find("OK       layout: hybrid: cgroup v1 controllers ("), std::string::npos) << result.out;
    EXPECT_NE(result.out.find(") under /sys/fs/cgroup/*, cgroup2 at /sys/fs/cgroup/unified with "),
              std::string::npos)
        << result.out;
  }
  if (layout == "hybrid" || layout == "v2") {
    // The user runs in root's cgroup, which is not delegated to them.
    EXPECT_NE(result.out.find("LIMITED  delegation: your cgroup "), std::string::npos) << result.out;
    EXPECT_NE(result.out.find(" is not writable by uxct-cli: "), std::string::npos) << result.out;
  } else {
    EXPECT_EQ(result.out.find("delegation: "), std::string::npos) << result.out;  // no cgroup2 to delegate
  }
}

TEST_F(CliTest, CheckconfigReportsAMissingSubuidEntryWithAFix) {
  CommandResult result = Uxc({"checkconfig"});
  EXPECT_EQ(result.exit_code, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("uxc checkconfig for uxct-cli (uid " + std::to_string(user_->uid) + ")"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("  MISSING  /etc/subuid: no entry for uxct-cli\n"
                            "           fix: ask root to run `usermod --add-subuids 165536-231071 uxct-cli`\n"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("  MISSING  /etc/subgid: no entry for uxct-cli\n"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("Not ready: "), std::string::npos) << result.out;
}

TEST_F(CliTest, CheckconfigFindsTheSubuidEntries) {
  subuid_->Write("someone:100000:65536\nuxct-cli:300000:65536\n");
  subgid_->Write(std::to_string(user_->uid) + ":300000:65536\n");
  CommandResult result = Uxc({"checkconfig"});
  EXPECT_NE(result.out.find("  OK       /etc/subuid: uxct-cli has 300000:65536\n"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("  OK       /etc/subgid: uxct-cli has 300000:65536\n"), std::string::npos) << result.out;
}

// Debian 12's adduser makes homes 0700; container root (the first
// subordinate uid) then cannot reach ~/.local/share/uxc. checkconfig names the
// directory and the fix, and the fix it gives really works.
TEST_F(CliTest, CheckconfigFindsAHomeContainerRootCannotEnter) {
  subuid_->Write("uxct-cli:300000:65536\n");
  subgid_->Write("uxct-cli:300000:65536\n");
  struct RestoreHome {
    std::string home;
    ~RestoreHome() {
      testing::Run({"setfacl", "-b", home});
      chmod(home.c_str(), 0755);
    }
  } restore{user_->home};
  ASSERT_EQ(chmod(user_->home.c_str(), 0700), 0);
  testing::Run({"setfacl", "-b", user_->home});
  CommandResult blocked = Uxc({"checkconfig"});
  EXPECT_EQ(blocked.exit_code, 1) << blocked.out;
  std::string fix = "setfacl -m u:300000:x " + user_->home;
  EXPECT_NE(blocked.out.find("  MISSING  " + user_->home + ": container root (host uid 300000) cannot enter it "
                             "(mode 0700)"),
            std::string::npos)
      << blocked.out;
  EXPECT_NE(blocked.out.find("fix: run `" + fix + "` (only container root may pass), or `chmod o+x " +
                             user_->home + "`"),
            std::string::npos)
      << blocked.out;

  auto enter_as_container_root = [&] {
    return testing::Run({"setpriv", "--reuid=300000", "--regid=300000", "--clear-groups", "sh", "-c", "cd \"$1\"",
                         "sh", user_->home});
  };
  EXPECT_NE(enter_as_container_root().exit_code, 0) << "the blocked home let container root in";

  CommandResult fixed = testing::RunAs(*user_, {"sh", "-c", fix});
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  CommandResult ready = Uxc({"checkconfig"});
  EXPECT_EQ(ready.out.find("cannot enter"), std::string::npos) << ready.out;
  EXPECT_NE(ready.out.find("container root (host uid 300000) can reach it"), std::string::npos) << ready.out;
  // And container root really can: a process with its ids searches the home.
  CommandResult probe = enter_as_container_root();
  EXPECT_EQ(probe.exit_code, 0) << probe.err;
}

TEST_F(CliTest, CheckconfigJudgesTheInstalledHelpers) {
  CommandResult result = Uxc({"checkconfig"});
  for (std::string helper : {"uxc-newidmap", "uxc-newuidmap", "uxc-newgidmap"}) {
    std::string path = testing::InstalledBinary(helper);
    struct stat status;
    bool setuid_root = stat(path.c_str(), &status) == 0 && (status.st_mode & S_ISUID) && status.st_uid == 0;
    if (setuid_root) {
      EXPECT_NE(result.out.find("  OK       " + helper + ": " + path + " (setuid root)\n"), std::string::npos)
          << result.out;
    } else {
      // uxc-newidmap is optional: the pair stands in for it.
      std::string status_word = helper == "uxc-newidmap" ? "  LIMITED  " : "  MISSING  ";
      EXPECT_NE(result.out.find(status_word + helper + ": "), std::string::npos) << result.out;
    }
  }
}

TEST_F(CliTest, CheckconfigShowsTheUsernetQuota) {
  CommandResult without = Uxc({"checkconfig"});
  EXPECT_NE(without.out.find("  LIMITED  usernet: /etc/uxc/usernet has no line for uxct-cli or the groups "),
            std::string::npos)
      << without.out;
  usernet_->Write("uxct-cli veth uxctbr9 2\n");
  CommandResult with = Uxc({"checkconfig"});
  EXPECT_NE(with.out.find("usernet: 2 veth nic(s) on uxctbr9 (uxct-cli veth uxctbr9 2 (line 1)); in use: "),
            std::string::npos)
      << with.out;
  EXPECT_NE(with.out.find("but there is no bridge uxctbr9\n"
                          "           fix: ask root to create it: `ip link add uxctbr9 type bridge"),
            std::string::npos)
      << with.out;
}

TEST_F(CliTest, ConfigShowPrintsEachValueWithItsOrigin) {
  WriteAsUser(".local/share/uxc/c1/config",
              "lxc.uts.name = c1\nlxc.utsname = c1old\nlxc.idmap = u 0 300000 65536\n");
  CommandResult result = Uxc({"config", "show", "c1", "-s", "lxc.idmap=g 0 300000 65536"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("lxc.uts.name = c1old"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("# ~/.local/share/uxc/c1/config:2\nlxc.uts.name = c1old\n"), std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("# ~/.local/share/uxc/c1/config:3\nlxc.idmap = u 0 300000 65536\n"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("# command line\nlxc.idmap = g 0 300000 65536\n"), std::string::npos) << result.out;
  CommandResult table = Uxc({"config", "show", "c1", "--format", "table"});
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("lxc.idmap = u 0 300000 65536   # ~/.local/share/uxc/c1/config:3\n"), std::string::npos)
      << table.out;
  CommandResult json = Uxc({"config", "show", "c1", "--format", "json"});
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_NE(json.out.find("{\"key\": \"lxc.idmap\", \"value\": \"u 0 300000 65536\", \"file\": \"" + user_->home +
                          "/.local/share/uxc/c1/config\", \"line\": 3}"),
            std::string::npos)
      << json.out;
  EXPECT_NE(result.err.find("uxc config show: warning: " + user_->home +
                            "/.local/share/uxc/c1/config:2: lxc.utsname is deprecated"),
            std::string::npos)
      << result.err;
}

// Issue 10: the "# file:line" notes became part of each value when the
// output was loaded back.
TEST_F(CliTest, ConfigShowOutputLoadsBackWithTheSameSettings) {
  WriteAsUser(".config/uxc/default.conf", "lxc.net.0.type = veth\nlxc.net.0.link = uxcbr0\n");
  WriteAsUser(".local/share/uxc/c1/config",
              "lxc.uts.name = c1\nlxc.idmap = u 0 300000 65536\nlxc.idmap = g 0 300000 65536\n"
              "lxc.mount.entry = /srv srv none bind,create=dir 0 0\nlxc.environment = \"PADDED= b \"\n");
  CommandResult shown = Uxc({"config", "show", "c1", "-s", "lxc.uts.name=other"});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  WriteAsUser("shown.conf", shown.out);
  CommandResult reloaded = Uxc({"config", "show", user_->home + "/shown.conf", "--format", "json"});
  ASSERT_EQ(reloaded.exit_code, 0) << reloaded.err << "\n" << shown.out;
  CommandResult original = Uxc({"config", "show", "c1", "-s", "lxc.uts.name=other", "--format", "json"});
  ASSERT_EQ(original.exit_code, 0) << original.err;
  // The same keys and values in the same order; only the origins differ.
  auto settings = [](const std::string& json) {
    std::string kept;
    for (size_t at = json.find("{\"key\""); at != std::string::npos; at = json.find("{\"key\"", at + 1)) {
      kept += json.substr(at, json.find(", \"file\"", at) - at) + "\n";
    }
    return kept;
  };
  EXPECT_FALSE(settings(original.out).empty()) << original.out;
  EXPECT_EQ(settings(reloaded.out), settings(original.out)) << shown.out;
  EXPECT_NE(settings(reloaded.out).find("\"value\": \"PADDED= b \""), std::string::npos) << reloaded.out;
  EXPECT_NE(settings(reloaded.out).find("\"value\": \"other\""), std::string::npos) << reloaded.out;
}

TEST_F(CliTest, ConfigShowNamesTheFileAndLineOfAnUnknownKey) {
  WriteAsUser("bad.conf", "lxc.uts.name = c1\nlxc.mount.entyr = none /x tmpfs defaults 0 0\n");
  CommandResult result = Uxc({"config", "show", user_->home + "/bad.conf"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find(user_->home + "/bad.conf:2: "), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("lxc.mount.entry"), std::string::npos) << result.err;
  EXPECT_EQ(result.out, "");
}

TEST_F(CliTest, HelpVersionAndUnknownCommands) {
  CommandResult help = Uxc({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("  checkconfig  "), std::string::npos) << help.out;
  EXPECT_NE(help.out.find("  config       "), std::string::npos) << help.out;
  CommandResult version = Uxc({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("uxc ", 0), 0u) << version.out;
  CommandResult typo = Uxc({"chekconfig"});
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_NE(typo.err.find("unknown command \"chekconfig\"; did you mean \"checkconfig\"?"), std::string::npos)
      << typo.err;
  CommandResult command_help = Uxc({"help", "checkconfig"});
  EXPECT_EQ(command_help.exit_code, 0);
  EXPECT_EQ(command_help.out.rfind("Usage: uxc checkconfig", 0), 0u) << command_help.out;
}

// Each command's usage errors (docs/errors.md): exit status 2 and one
// "uxc COMMAND: " prefix, ending with the pointer to its help.
TEST_F(CliTest, UsageErrorsExitTwoWithOnePrefixInEveryCommand) {
  const std::vector<std::vector<std::string>> bad_lines = {
      {"ls", "--bogus"},           {"info", "--bogus", "c1"},    {"info"},
      {"start", "--bogus", "c1"},  {"stop", "-t", "soon", "c1"}, {"stop", "c1", "c2"},
      {"destroy", "--bogus"},      {"destroy"},                  {"create", "--bogus"},
      {"create", "c1"},            {"wait", "c1"},               {"run", "--bogus"},
      {"execute", "--bogus"},      {"console", "--bogus"},       {"attach", "--bogus"},
      {"autostart", "extra"},      {"usernsexec", "--bogus"},    {"freeze", "--bogus"},
      {"checkconfig", "--bogus"},  {"config", "show", "--bogus"}, {"ls", "--format", "yaml"},
      {"config", "show", "c1", "--format", "yaml"}, {"create", "c1", "-t", "busybox", "-B", "lvm"},
  };
  for (const auto& line : bad_lines) {
    CommandResult result = Uxc(line);
    std::string command = line[0] == "config" ? "config show" : line[0];
    std::string prefix = "uxc " + command + ": ";
    EXPECT_EQ(result.exit_code, 2) << line[0] << " " << line[1 % line.size()] << ": " << result.err;
    EXPECT_EQ(result.err.rfind(prefix, 0), 0u) << result.err;
    EXPECT_EQ(result.err.find(prefix, 1), std::string::npos) << "doubled prefix: " << result.err;
    EXPECT_NE(result.err.find("--help`"), std::string::npos) << result.err;
  }
}

TEST_F(CliTest, RuntimeFailuresStillExitOne) {
  CommandResult missing = Uxc({"info", "nosuchcontainer"});
  EXPECT_EQ(missing.exit_code, 1) << missing.err;
  EXPECT_EQ(missing.err.rfind("uxc info: ", 0), 0u) << missing.err;
  CommandResult no_destroy = Uxc({"destroy", "nosuchcontainer"});
  EXPECT_EQ(no_destroy.exit_code, 1) << no_destroy.err;
}

}  // namespace
}  // namespace uxc
