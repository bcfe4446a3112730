// Attacks through names, lost subordinate ranges and image configs, as a
// real unprivileged user on the installed uxc (docs/security.md, "Names,
// id maps and images"):
// - every command refuses a name that is not one plain path component, and
//   writes nothing outside its directories;
// - destroy after a killed monitor leaves no runtime dir behind;
// - a container made with subordinate ids is not started with the user's
//   own uid (or another range) as root once its /etc/subuid entry goes;
// - an image's config cannot slip a host hook into a new container.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "tests/integration/lifecycle_fixture.h"

namespace uxc::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

void RootShell(const std::string& command) {
  auto done = Run({"/bin/sh", "-c", command});
  ASSERT_EQ(done.exit_code, 0) << command << "\n" << done.err;
}

// The file's content, or "(missing)".
std::string ContentOr(const std::string& path) {
  std::ifstream in(path);
  if (!in) return "(missing)";
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class SecurityNamesTest : public LifecycleTest {
 protected:
  // Waits (bounded) until no process of the test user is left.
  bool AllGone() const {
    for (int i = 0; i < 200; ++i) {
      if (ProcessesOfUser().empty()) return true;
      usleep(50 * 1000);
    }
    return false;
  }

  // The parent of the runtime base, where a "../x" name would put state.
  std::string OutsideRuntime() const { return RuntimeBase() + "/.."; }
};

// A bad name as each command takes it: the first argument, or --name=.
struct Invocation {
  std::string command;
  std::vector<std::string> before;  // options before the name
  std::vector<std::string> after;   // after the name
  bool takes_name_option = true;
};

std::vector<Invocation> EveryNamedCommand() {
  return {
      {"create", {"-t", "busybox"}, {}},
      {"destroy", {}, {}},
      {"start", {}, {}},
      {"stop", {}, {"-k"}},
      {"info", {}, {}},
      {"attach", {}, {"--", "/bin/true"}},
      {"console", {}, {}},
      {"wait", {"-s", "RUNNING", "-t", "1"}, {}},
      {"freeze", {}, {}},
      {"unfreeze", {}, {}},
      {"execute", {}, {"--", "/bin/true"}},
      {"run", {}, {"--", "/bin/true"}, /*takes_name_option=*/false},
  };
}

TEST_F(SecurityNamesTest, EveryCommandRefusesANameThatIsNotOnePathComponent) {
  const std::vector<std::string> bad = {"../uxct-names-x", "uxct-names-a/b", "..", ".", "-x", "a\nb"};
  int cases = 0;
  for (const Invocation& invocation : EveryNamedCommand()) {
    for (const std::string& name : bad) {
      std::vector<std::string> args = invocation.before;
      if (name.front() == '-') {
        if (!invocation.takes_name_option) continue;  // `uxc run -x`: an unknown option, not a name
        args.push_back("--name=" + name);
      } else {
        args.push_back(name);
      }
      args.insert(args.end(), invocation.after.begin(), invocation.after.end());
      auto result = Uxc(invocation.command, args);
      EXPECT_EQ(result.exit_code, 2) << invocation.command << " " << name << ": " << result.err;
      EXPECT_TRUE(Contains(result.err, "uxc " + invocation.command + ": ")) << result.err;
      EXPECT_TRUE(Contains(result.err, "is not a container name: use 1-64 letters, digits")) << result.err;
      EXPECT_TRUE(Contains(result.err, "see `uxc " + invocation.command + " --help`")) << result.err;
      ++cases;
    }
  }
  EXPECT_EQ(cases, 71);
  // Nothing was made beside the container path, in it, or beside the runtime dir.
  EXPECT_FALSE(Exists(scratch_ + "/uxct-names-x"));
  EXPECT_FALSE(Exists(path_ + "/uxct-names-a"));
  EXPECT_FALSE(Exists(path_ + "/-x"));
  EXPECT_FALSE(Exists(path_ + "/lock"));
  EXPECT_FALSE(Exists(scratch_ + "/lock"));
  EXPECT_FALSE(Exists(OutsideRuntime() + "/uxct-names-x"));
  EXPECT_FALSE(Exists(RuntimeBase() + "/uxct-names-a"));
  EXPECT_FALSE(Exists(RuntimeBase() + "/state"));
  ExpectNothingLeft(name_);
}

TEST_F(SecurityNamesTest, ConfigShowRefusesDotNames) {
  for (const char* name : {"..", "."}) {
    auto result = RunAs(user_, {InstalledBinary("uxc"), "config", "show", "-P", path_, name});
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_TRUE(Contains(result.err, "is not a container name")) << result.err;
  }
}

// The attack of issue 9 item 11: `uxc execute ../x` put its foreground
// state outside the runtime dir, and removed what was there.
TEST_F(SecurityNamesTest, ExecuteWithDotDotNameWritesNothingOutsideTheRuntimeDir) {
  const std::string evil = "uxct-names-evil";
  // What the landed code needs to get that far: a directory for the lock
  // beside the container path; the victim: a file where the state would go.
  RootShell("mkdir -p " + scratch_ + "/" + evil + " && chown " + user_.name + " " + scratch_ + "/" + evil);
  auto made_base = Uxc("ls", {});
  ASSERT_EQ(made_base.exit_code, 0) << made_base.err;
  const std::string victim_dir = OutsideRuntime() + "/" + evil;
  RootShell("rm -rf " + victim_dir + " && mkdir -m 0700 " + victim_dir + " && echo precious > " + victim_dir +
            "/state && chown -R " + user_.name + " " + victim_dir);

  auto result = Uxc("execute", {"-f", path_ + "/" + name_ + "/config", "../" + evil, "--", "/bin/true"});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_TRUE(Contains(result.err, "is not a container name")) << result.err;
  EXPECT_EQ(ContentOr(victim_dir + "/state"), "precious\n");
  EXPECT_FALSE(Exists(scratch_ + "/" + evil + "/lock"));
  RootShell("rm -rf " + victim_dir);
  ExpectNothingLeft(name_);
}

TEST_F(SecurityNamesTest, LsSkipsADirectoryWhoseNameIsNotAContainerName) {
  RootShell("cp -a " + path_ + "/" + name_ + "/config /tmp/uxct-names-config && mkdir -p '" + path_ +
            "/-k' && mv /tmp/uxct-names-config '" + path_ + "/-k/config' && chown -R " + user_.name + " '" +
            path_ + "/-k'");
  auto listed = Uxc("ls", {});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_TRUE(Contains(listed.out, name_ + " ")) << listed.out;
  EXPECT_FALSE(Contains(listed.out, "-k ")) << listed.out;
  EXPECT_TRUE(Contains(listed.err, "warning: skipping " + path_ + "/: \"-k\" is not a container name")) << listed.err;
  auto autostart = Uxc("autostart", {"-a", "-L"});
  EXPECT_FALSE(Contains(autostart.out, "-k")) << autostart.out;
}

// Issue 9 item 11: destroy left RUNTIME/NAME behind after a killed monitor.
TEST_F(SecurityNamesTest, DestroyAfterAKilledMonitorRemovesTheRuntimeDirToo) {
  auto started = Uxc("start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  pid_t monitor = MonitorPid(name_);
  ASSERT_GT(monitor, 0);
  ASSERT_EQ(kill(monitor, SIGKILL), 0);
  // Not `uxc wait` or `ls`: they would clean the runtime dir themselves.
  ASSERT_TRUE(AllGone()) << "the container outlived its killed monitor";
  ASSERT_TRUE(Exists(RuntimeBase() + "/" + name_ + "/state")) << "the killed monitor left no state to clean";

  auto destroyed = Uxc("destroy", {name_});
  EXPECT_EQ(destroyed.exit_code, 0) << destroyed.err;
  EXPECT_FALSE(Exists(path_ + "/" + name_));
  ExpectNothingLeft(name_);
}

// Issue 9 item 13: the container's rootfs belongs to the range it was made
// with; with the range gone, container root must not become the user.
class SecuritySubidsTest : public SecurityNamesTest {
 protected:
  void ExpectStartRefused(const std::string& what_changed) {
    auto started = Uxc("start", {name_});
    EXPECT_EQ(started.exit_code, 1) << started.err;
    EXPECT_TRUE(Contains(started.err, "the rootfs " + path_ + "/" + name_ + "/rootfs is owned by host uid 600000"))
        << started.err;
    EXPECT_TRUE(Contains(started.err, what_changed)) << started.err;
    EXPECT_TRUE(Contains(started.err, "usermod --add-subuids 600000-665535 --add-subgids 600000-665535 " +
                                          user_.name))
        << started.err;
    auto executed = Uxc("execute", {name_, "--", "/bin/true"});
    EXPECT_EQ(executed.exit_code, 1) << executed.err;
    EXPECT_TRUE(Contains(executed.err, what_changed)) << executed.err;
    auto run = Uxc("run", {name_, "--", "/bin/true"});
    EXPECT_EQ(run.exit_code, 1) << run.err;
    EXPECT_TRUE(Contains(run.err, what_changed)) << run.err;
    EXPECT_TRUE(ProcessesOfUser().empty());
    EXPECT_EQ(LsState(name_), "STOPPED");
    ExpectNothingLeft(name_);
  }
};

TEST_F(SecuritySubidsTest, StartRefusesWhenTheSubuidEntryIsGone) {
  ScopedHostFile subuid("/etc/subuid", "");
  ScopedHostFile subgid("/etc/subgid", "");
  ExpectStartRefused("but you have no /etc/subuid entry now, so container root would be your own uid " +
                     std::to_string(user_.uid));
}

TEST_F(SecuritySubidsTest, StartRefusesWhenTheRangeMoved) {
  std::string moved = user_.name + ":700000:65536\n";
  ScopedHostFile subuid("/etc/subuid", moved);
  ScopedHostFile subgid("/etc/subgid", moved);
  ExpectStartRefused("which is no longer in your subordinate range (/etc/subuid gives you 700000-765535 now)");
}

TEST_F(SecuritySubidsTest, AUserOwnedRootfsStillRunsWithAndWithoutARange) {
  const std::string own = scratch_ + "/own-rootfs";
  RootShell("mkdir -p " + own + "/bin " + own + "/proc " + own + "/dev " + own + "/sys && cp /bin/busybox " + own +
            "/bin/ && chown -R " + user_.name + ": " + own);
  auto with_range = Uxc("run", {"--rootfs", own, "--", "/bin/busybox", "true"});
  EXPECT_EQ(with_range.exit_code, 0) << with_range.err;
  ScopedHostFile subuid("/etc/subuid", "");
  ScopedHostFile subgid("/etc/subgid", "");
  auto without = Uxc("run", {"--rootfs", own, "--", "/bin/busybox", "true"});
  EXPECT_EQ(without.exit_code, 0) << without.err;
  ExpectNothingLeft(name_);
}

// Issue 9 item 14: an image's config added a host hook that ran, as the
// user, at the container's first start.
class SecurityImageConfigTest : public SecurityNamesTest {
 protected:
  void SetUp() override {
    SecurityNamesTest::SetUp();
    if (HasFatalFailure()) return;
    marker_ = scratch_ + "/hook-ran";
    hook_ = scratch_ + "/hook.sh";
    RootShell("printf '#!/bin/sh\\necho ran > " + marker_ + "\\n' > " + hook_ + " && chmod 0755 " + hook_ +
              " && chown " + user_.name + " " + scratch_);
    RootShell("tar --numeric-owner --owner=0 --group=0 -cf " + scratch_ + "/rootfs.tar -C " + path_ + "/" +
              name_ + "/rootfs . && chmod 0644 " + scratch_ + "/rootfs.tar");
    std::string meta = scratch_ + "/meta";
    RootShell("mkdir -p " + meta + " && printf 'lxc.arch = x86_64\\nlxc.hook.pre-start = " + hook_ +
              "\\nlxc.mount.entry = " + scratch_ + " mnt none bind,create=dir,optional 0 0\\n' > " + meta + "/config && tar -cf " +
              scratch_ + "/meta.tar -C " + meta + " . && chmod 0644 " + scratch_ + "/meta.tar");
  }

  CommandResult CreateFromImage(const std::string& name, const std::vector<std::string>& extra) {
    std::vector<std::string> args = {name, "-t", "local", "--", "--fstree", scratch_ + "/rootfs.tar",
                                     "--metadata", scratch_ + "/meta.tar", "--no-dev"};
    args.insert(args.end(), extra.begin(), extra.end());
    RunOptions slow;
    slow.timeout_seconds = 300;
    return Uxc("create", args, slow);
  }

  std::string marker_;
  std::string hook_;
};

TEST_F(SecurityImageConfigTest, ImageHooksAreLeftOutAndNamed) {
  auto made = CreateFromImage("img", {});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_TRUE(Contains(made.err, "uxc create: warning: left out line 2 of the image's config, as it runs a host "
                                 "program: \"lxc.hook.pre-start = " + hook_ + "\""))
      << made.err;
  EXPECT_TRUE(Contains(made.err, "left out line 3 of the image's config, as it mounts a host path")) << made.err;
  EXPECT_TRUE(Contains(made.err, "-- --trust-image-config")) << made.err;
  std::string config = ReadFileOrDie(path_ + "/img/config");
  EXPECT_FALSE(Contains(config, "\nlxc.hook.pre-start")) << config;
  EXPECT_FALSE(Contains(config, "\nlxc.mount.entry = " + scratch_)) << config;

  auto executed = Uxc("execute", {"img", "--", "/bin/true"});
  EXPECT_EQ(executed.exit_code, 0) << executed.err;
  EXPECT_FALSE(Exists(marker_)) << "the image's pre-start hook ran on the host";
  ExpectNothingLeft("img");
}

TEST_F(SecurityImageConfigTest, TrustImageConfigKeepsThem) {
  auto made = CreateFromImage("img", {"--trust-image-config"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_FALSE(Contains(made.err, "left out")) << made.err;
  std::string config = ReadFileOrDie(path_ + "/img/config");
  EXPECT_TRUE(Contains(config, "\nlxc.hook.pre-start = " + hook_ + "\n")) << config;
  auto executed = Uxc("execute", {"img", "--", "/bin/true"});
  EXPECT_EQ(executed.exit_code, 0) << executed.err;
  EXPECT_TRUE(Exists(marker_)) << "the trusted image's pre-start hook did not run";
  ExpectNothingLeft("img");
}

}  // namespace
}  // namespace uxc::testing
