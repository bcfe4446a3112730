// The config that LXC's own `lxc-create -t busybox` writes for an
// unprivileged user loads in uxc. Runs as root (tests/run) to create the
// user and its subordinate ranges; lxc-create itself runs as that user.
#include <string>

#include <gtest/gtest.h>

#include "config/container_config.h"
#include "tests/lib/host.h"

namespace uxc::config {
namespace {

using uxc::testing::EnsureUser;
using uxc::testing::HostUser;
using uxc::testing::ReadFileOrDie;
using uxc::testing::RunAs;
using uxc::testing::ScopedHostFile;

constexpr char kUser[] = "uxct-config";
constexpr char kContainer[] = "uxct-config-busybox";
// Far from the ranges other tests hand out.
constexpr char kRange[] = "700000:65536";

std::string WithEntry(const std::string& path) {
  return ReadFileOrDie(path) + kUser + ":" + kRange + "\n";
}

class LxcCreateBusybox : public ::testing::Test {
 protected:
  void SetUp() override {
    user_ = EnsureUser(kUser);
    subuid_.emplace("/etc/subuid", WithEntry("/etc/subuid"));
    subgid_.emplace("/etc/subgid", WithEntry("/etc/subgid"));
    // What LXC's documentation tells an unprivileged user to write.
    RunOrFail({"sh", "-c",
               "mkdir -p ~/.config/lxc && printf '%s\\n' "
               "'lxc.idmap = u 0 700000 65536' 'lxc.idmap = g 0 700000 65536' "
               "'lxc.net.0.type = empty' > ~/.config/lxc/default.conf"});
    Destroy();
  }

  void TearDown() override { Destroy(); }

  // The container's files belong to its subordinate ids, so the user cannot
  // remove them when lxc-create failed half-way; root can.
  void Destroy() {
    RunAs(user_, {"lxc-destroy", "-n", kContainer});
    uxc::testing::Run({"rm", "-rf", user_.home + "/.local/share/lxc/" + kContainer});
  }

  uxc::testing::CommandResult RunOrFail(const std::vector<std::string>& argv) {
    uxc::testing::RunOptions options;
    options.timeout_seconds = 300;
    uxc::testing::CommandResult result = RunAs(user_, argv, options);
    EXPECT_EQ(result.exit_code, 0) << argv[0] << ": " << result.out << result.err;
    return result;
  }

  HostUser user_;
  std::optional<ScopedHostFile> subuid_;
  std::optional<ScopedHostFile> subgid_;
};

TEST_F(LxcCreateBusybox, ItsConfigLoads) {
  uxc::testing::CommandResult created =
      RunOrFail({"lxc-create", "-t", "busybox", "-n", kContainer});
  ASSERT_EQ(created.exit_code, 0);
  std::string config_path = user_.home + "/.local/share/lxc/" + kContainer + "/config";
  Result<ContainerConfig> config = LoadContainerConfig({{{config_path, false}}, {}});
  ASSERT_TRUE(config.ok()) << config.error().ToString() << "\n" << ReadFileOrDie(config_path);
  EXPECT_EQ(config->GetList("lxc.idmap"),
            (std::vector<std::string>{"u 0 700000 65536", "g 0 700000 65536"}));
  EXPECT_EQ(config->Get("lxc.net.0.type"), "empty");
  EXPECT_EQ(config->Get("lxc.uts.name"), kContainer);
  std::optional<std::string> rootfs = config->Get("lxc.rootfs.path");
  ASSERT_TRUE(rootfs.has_value());
  EXPECT_NE(rootfs->find(std::string(kContainer) + "/rootfs"), std::string::npos) << *rootfs;
  // Lines of /usr/share/lxc/templates/lxc-busybox, with lxc.mount.auto in
  // canonical order.
  EXPECT_EQ(config->Get("lxc.mount.auto"), "proc:mixed sys:ro cgroup:mixed");
  EXPECT_EQ(config->Get("lxc.signal.halt"), "SIGUSR1");
  EXPECT_EQ(config->GetList("lxc.cap.drop"),
            std::vector<std::string>{"sys_module mac_admin mac_override sys_time"});
  EXPECT_GE(config->GetList("lxc.mount.entry").size(), 2u);
  for (const Warning& warning : config->warnings()) {
    ADD_FAILURE() << "unexpected warning: " << warning.ToString();
  }
}

}  // namespace
}  // namespace uxc::config
