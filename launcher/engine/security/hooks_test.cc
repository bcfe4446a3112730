#include "launcher/engine/security/hooks.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "config/container_config.h"

namespace uxc::security {
namespace {

std::string TempDir() {
  const char* dir = getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

std::string ReadFile(const std::string& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

void WriteScript(const std::string& path, const std::string& body) {
  std::ofstream(path) << "#!/bin/sh\n" << body;
  chmod(path.c_str(), 0755);
}

class HooksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = TempDir() + "/hooks";
    mkdir(dir_.c_str(), 0755);
    out_ = dir_ + "/out";
    unlink(out_.c_str());
    // Records its arguments, one per line, then the LXC_* variables and the
    // two variables the config passes.
    WriteScript(dir_ + "/record",
                "{ echo \"args:$#\"; for a in \"$@\"; do echo \"arg:$a\"; done;"
                "  env | grep -E '^(LXC_|FROM_CONFIG=|HOOK_ONLY=|INHERITED=)' | LC_ALL=C sort; } >> \"$OUT\"\n");
    WriteScript(dir_ + "/fail", "echo ran-fail >> \"$OUT\"; exit 3\n");
    WriteScript(dir_ + "/stdio",
                "if read line; then echo \"stdin:$line\" >> \"$OUT\"; else echo stdin:eof >> "
                "\"$OUT\"; fi; echo to-stdout\n");
    WriteScript(dir_ + "/killself", "kill -9 $$\n");
    environment_.name = "c1";
    environment_.config_file = "/home/u/.local/share/uxc/c1/config";
    environment_.rootfs_mount = "/run/uxc/c1/rootfs";
    environment_.rootfs_path = "/home/u/.local/share/uxc/c1/rootfs";
  }

  config::ContainerConfig Config(const std::string& lines) {
    std::string text = "lxc.environment.hooks = OUT=" + out_ + "\n" + lines;
    Result<config::ContainerConfig> config =
        config::ParseContainerConfigText(text, dir_ + "/config");
    EXPECT_TRUE(config.ok()) << config.error().ToString();
    return config.ok() ? std::move(*config) : config::ContainerConfig();
  }

  std::string dir_;
  std::string out_;
  HookEnvironment environment_;
};

TEST_F(HooksTest, Names) {
  EXPECT_EQ(HookTypeName(HookType::kPreStart), "pre-start");
  EXPECT_EQ(HookTypeName(HookType::kPreMount), "pre-mount");
  EXPECT_EQ(HookTypeName(HookType::kMount), "mount");
  EXPECT_EQ(HookTypeName(HookType::kAutodev), "autodev");
  EXPECT_EQ(HookTypeName(HookType::kStart), "start");
  EXPECT_EQ(HookTypeName(HookType::kStop), "stop");
  EXPECT_EQ(HookTypeName(HookType::kPostStop), "post-stop");
  EXPECT_EQ(HookTypeName(HookType::kStartHost), "start-host");
  EXPECT_EQ(HookTypeName(HookType::kDestroy), "destroy");
}

TEST_F(HooksTest, VersionZeroPassesNameSectionAndTypeAsArguments) {
  setenv("INHERITED", "from-launcher", 1);
  config::ContainerConfig config = Config(
      "lxc.environment = FROM_CONFIG=1\n"
      "lxc.environment.hooks = INHERITED\n"
      "lxc.hook.pre-start = " + dir_ + "/record own-arg\n");
  ASSERT_TRUE(RunHooks(config, HookType::kPreStart, environment_).ok());
  EXPECT_EQ(ReadFile(out_),
            "args:4\narg:own-arg\narg:c1\narg:lxc\narg:pre-start\n"
            "FROM_CONFIG=1\n"
            "INHERITED=from-launcher\n"
            "LXC_CGNS_AWARE=1\n"
            "LXC_CONFIG_FILE=/home/u/.local/share/uxc/c1/config\n"
            "LXC_HOOK_VERSION=0\n"
            "LXC_NAME=c1\n"
            "LXC_ROOTFS_MOUNT=/run/uxc/c1/rootfs\n"
            "LXC_ROOTFS_PATH=/home/u/.local/share/uxc/c1/rootfs\n");
}

TEST_F(HooksTest, VersionOnePassesThemInTheEnvironment) {
  config::ContainerConfig config = Config(
      "lxc.hook.version = 1\n"
      "lxc.hook.mount = " + dir_ + "/record\n");
  Result<PreparedHooks> hooks = PrepareHooks(config, HookType::kMount, environment_);
  ASSERT_TRUE(hooks.ok()) << hooks.error().ToString();
  EXPECT_EQ(hooks->command(0), "exec " + dir_ + "/record");
  launcher::ChildReport error;
  ASSERT_EQ(RunPreparedHooks(*hooks, &error), 0) << error.text;
  std::string out = ReadFile(out_);
  EXPECT_EQ(out.rfind("args:0\n", 0), 0u) << out;
  EXPECT_NE(out.find("LXC_HOOK_TYPE=mount\n"), std::string::npos) << out;
  EXPECT_NE(out.find("LXC_HOOK_SECTION=lxc\n"), std::string::npos) << out;
  EXPECT_NE(out.find("LXC_HOOK_VERSION=1\n"), std::string::npos) << out;
}

TEST_F(HooksTest, StopHookGetsNamespacesAndTarget) {
  environment_.target = "stop";
  environment_.namespaces = {{"mnt", "/proc/42/fd/5"}, {"net", "/proc/42/fd/6"}};
  config::ContainerConfig version0 = Config("lxc.hook.stop = " + dir_ + "/record\n");
  ASSERT_TRUE(RunHooks(version0, HookType::kStop, environment_).ok());
  std::string out = ReadFile(out_);
  EXPECT_EQ(out.rfind("args:5\narg:c1\narg:lxc\narg:stop\narg:mnt:/proc/42/fd/5\n"
                      "arg:net:/proc/42/fd/6\n", 0),
            0u)
      << out;
  EXPECT_NE(out.find("LXC_TARGET=stop\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("LXC_MNT_NS"), std::string::npos) << out;

  unlink(out_.c_str());
  config::ContainerConfig version1 =
      Config("lxc.hook.version = 1\nlxc.hook.stop = " + dir_ + "/record\n");
  ASSERT_TRUE(RunHooks(version1, HookType::kStop, environment_).ok());
  out = ReadFile(out_);
  EXPECT_EQ(out.rfind("args:0\n", 0), 0u) << out;
  EXPECT_NE(out.find("LXC_MNT_NS=/proc/42/fd/5\n"), std::string::npos) << out;
  EXPECT_NE(out.find("LXC_NET_NS=/proc/42/fd/6\n"), std::string::npos) << out;
}

// The stop hooks kept in the container's record run exactly as when
// prepared from the config at the stop, for both hook versions.
TEST_F(HooksTest, RecordedStopHooksRunAsTheConfigsWould) {
  std::vector<NamespaceReference> namespaces = {{"mnt", "/proc/42/fd/5"}, {"net", "/proc/42/fd/6"}};
  for (const char* version : {"", "lxc.hook.version = 1\n"}) {
    config::ContainerConfig config = Config(std::string(version) + "lxc.hook.stop = " + dir_ + "/record\n");
    HookEnvironment at_stop = environment_;
    at_stop.target = "reboot";
    at_stop.namespaces = namespaces;
    unlink(out_.c_str());
    ASSERT_TRUE(RunHooks(config, HookType::kStop, at_stop).ok());
    std::string from_config = ReadFile(out_);

    auto recorded = PrepareStopHooks(config, HookType::kStop, environment_);
    ASSERT_TRUE(recorded.ok()) << recorded.error().ToString();
    EXPECT_EQ(recorded->lines.size(), 1u);
    EXPECT_EQ(recorded->lines[0].find("mnt:"), std::string::npos) << "no namespaces before the stop";
    unlink(out_.c_str());
    ASSERT_TRUE(RunHooks(PrepareRecordedHooks(*recorded, "reboot", namespaces)).ok());
    EXPECT_EQ(ReadFile(out_), from_config);
    EXPECT_NE(from_config.find("LXC_TARGET=reboot\n"), std::string::npos) << from_config;
  }
}

TEST_F(HooksTest, HooksRunInOrderAndStopAtTheFirstFailure) {
  config::ContainerConfig config = Config(
      "lxc.hook.pre-mount = " + dir_ + "/fail\n"
      "lxc.hook.pre-mount = " + dir_ + "/record\n");
  Status status = RunHooks(config, HookType::kPreMount, environment_);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().ToString(),
            "lxc.hook.pre-mount \"" + dir_ + "/fail\" exited with status 3");
  EXPECT_EQ(ReadFile(out_), "ran-fail\n");
}

TEST_F(HooksTest, MissingHookProgram) {
  config::ContainerConfig config = Config("lxc.hook.post-stop = " + dir_ + "/absent\n");
  Status status = RunHooks(config, HookType::kPostStop, environment_);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().ToString(), "lxc.hook.post-stop \"" + dir_ +
                                           "/absent\" exited with status 127 (no such hook "
                                           "program)");
}

TEST_F(HooksTest, KilledHook) {
  config::ContainerConfig config = Config("lxc.hook.start = " + dir_ + "/killself\n");
  Status status = RunHooks(config, HookType::kStart, environment_);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().ToString(),
            "lxc.hook.start \"" + dir_ + "/killself\" was killed by signal 9");
}

TEST_F(HooksTest, StdinIsEmptyAndStdoutGoesToStderr) {
  config::ContainerConfig config = Config("lxc.hook.autodev = " + dir_ + "/stdio\n");
  Result<PreparedHooks> hooks = PrepareHooks(config, HookType::kAutodev, environment_);
  ASSERT_TRUE(hooks.ok());
  // Run with stdout and stdin on pipes of our own: the hook must see an
  // empty stdin although ours has data, and its output must reach stderr.
  int in[2], out[2], err[2];
  ASSERT_EQ(pipe(in), 0);
  ASSERT_EQ(pipe(out), 0);
  ASSERT_EQ(pipe(err), 0);
  ASSERT_EQ(write(in[1], "secret\n", 7), 7);
  close(in[1]);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    launcher::ChildReport error;
    _exit(RunPreparedHooks(*hooks, &error) == 0 ? 0 : 1);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  char buffer[64] = {};
  EXPECT_EQ(read(out[0], buffer, sizeof buffer - 1), 0);
  EXPECT_GT(read(err[0], buffer, sizeof buffer - 1), 0);
  EXPECT_STREQ(buffer, "to-stdout\n");
  close(out[0]);
  close(err[0]);
  EXPECT_EQ(ReadFile(out_), "stdin:eof\n");
}

TEST_F(HooksTest, NameIsQuotedForTheShell) {
  environment_.name = "it's $(touch pwned)";
  config::ContainerConfig config = Config("lxc.hook.pre-start = " + dir_ + "/record\n");
  ASSERT_TRUE(RunHooks(config, HookType::kPreStart, environment_).ok());
  std::string out = ReadFile(out_);
  EXPECT_NE(out.find("arg:it's $(touch pwned)\n"), std::string::npos) << out;
  EXPECT_NE(access("pwned", F_OK), 0);
}

// The launcher's environment is the user's; a hook gets LXC's variables,
// not the user's secrets (issue 9, item 3).
TEST_F(HooksTest, ContainerSideHooksGetNoneOfTheLaunchersEnvironment) {
  setenv("UXC_HOOKS_TEST_SECRET", "hunter2", 1);
  setenv("HOME", "/home/u", 1);
  WriteScript(dir_ + "/env", "env > \"$OUT\"\n");
  config::ContainerConfig config = Config("lxc.hook.version = 1\nlxc.hook.start = " + dir_ + "/env\n");
  ASSERT_TRUE(RunHooks(config, HookType::kStart, environment_).ok());
  std::string out = ReadFile(out_);
  EXPECT_EQ(out.find("hunter2"), std::string::npos) << out;
  EXPECT_EQ(out.find("HOME="), std::string::npos) << out;
  for (const char* expected :
       {"LXC_NAME=c1\n", "LXC_ROOTFS_MOUNT=/run/uxc/c1/rootfs\n", "LXC_CONFIG_FILE=", "LXC_ROOTFS_PATH=",
        "LXC_HOOK_TYPE=start\n", "LXC_HOOK_SECTION=lxc\n", "LXC_HOOK_VERSION=1\n", "container=uxc\n",
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"}) {
    EXPECT_NE(out.find(expected), std::string::npos) << expected << " missing in:\n" << out;
  }
  unsetenv("UXC_HOOKS_TEST_SECRET");
}

TEST_F(HooksTest, HostSideHooksKeepOnlyIdentityAndLocale) {
  setenv("UXC_HOOKS_TEST_SECRET", "hunter2", 1);
  setenv("HOME", "/home/u", 1);
  setenv("LC_TIME", "C.UTF-8", 1);
  WriteScript(dir_ + "/env", "env > \"$OUT\"\n");
  config::ContainerConfig config = Config("lxc.hook.post-stop = " + dir_ + "/env\n");
  ASSERT_TRUE(RunHooks(config, HookType::kPostStop, environment_).ok());
  std::string out = ReadFile(out_);
  EXPECT_EQ(out.find("hunter2"), std::string::npos) << out;
  EXPECT_EQ(out.find("container="), std::string::npos) << out;
  EXPECT_NE(out.find("HOME=/home/u\n"), std::string::npos) << out;
  EXPECT_NE(out.find("LC_TIME=C.UTF-8\n"), std::string::npos) << out;
  EXPECT_NE(out.find("LXC_NAME=c1\n"), std::string::npos) << out;
  unsetenv("UXC_HOOKS_TEST_SECRET");
}

// A hook gets stdio and nothing else of the launcher's fds, whether or not
// they are close-on-exec.
TEST_F(HooksTest, HooksGetNoFdsBeyondStdio) {
  int inherited = open(dir_.c_str(), O_RDONLY | O_DIRECTORY);
  ASSERT_GE(inherited, 3);
  WriteScript(dir_ + "/fds", "ls /proc/self/fd > \"$OUT\"\n");
  config::ContainerConfig config = Config("lxc.hook.start = " + dir_ + "/fds\n");
  ASSERT_TRUE(RunHooks(config, HookType::kStart, environment_).ok());
  close(inherited);
  // ls sees 0-2 and the directory it reads /proc/self/fd through.
  std::string out = ReadFile(out_);
  std::istringstream fds(out);
  int count = 0;
  for (std::string fd; std::getline(fds, fd);) ++count;
  EXPECT_EQ(count, 4) << out;
}

TEST_F(HooksTest, NoHooksNoCommands) {
  config::ContainerConfig config = Config("");
  Result<PreparedHooks> hooks = PrepareHooks(config, HookType::kStart, environment_);
  ASSERT_TRUE(hooks.ok());
  EXPECT_TRUE(hooks->empty());
  launcher::ChildReport error;
  EXPECT_EQ(RunPreparedHooks(*hooks, &error), 0);
}

TEST_F(HooksTest, PreparedHooksSurviveAMove) {
  config::ContainerConfig config = Config(
      "lxc.hook.start = " + dir_ + "/record a\n"
      "lxc.hook.start = " + dir_ + "/record b\n");
  Result<PreparedHooks> prepared = PrepareHooks(config, HookType::kStart, environment_);
  ASSERT_TRUE(prepared.ok());
  PreparedHooks moved = std::move(*prepared);
  EXPECT_EQ(moved.size(), 2u);
  launcher::ChildReport error;
  ASSERT_EQ(RunPreparedHooks(moved, &error), 0) << error.text;
  std::string out = ReadFile(out_);
  EXPECT_NE(out.find("arg:a\n"), std::string::npos);
  EXPECT_NE(out.find("arg:b\n"), std::string::npos);
}

}  // namespace
}  // namespace uxc::security
