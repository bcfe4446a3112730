#include "launcher/templates/config_assembly.h"

#include "gtest/gtest.h"

namespace uxc::templates {
namespace {

TEST(ConfigAssemblyTest, LaysOutSectionsLikeLxcImageTemplates) {
  ConfigParts parts;
  parts.template_name = "download";
  parts.defaults =
      "# my defaults\n"
      "lxc.net.0.type = empty\n"
      "lxc.idmap = u 0 100000 65536\n"
      "  uxc.note = x\n"
      "lxc.net.0.flags = up\n";
  parts.distribution = "lxc.include = LXC_TEMPLATE_CONFIG/debian.common.conf\nlxc.arch = amd64";
  parts.name = "c1";
  parts.rootfs = "/home/u/.local/share/uxc/c1/rootfs";
  parts.fstab_path = "/home/u/.local/share/uxc/c1/fstab";
  EXPECT_EQ(AssembleConfig(parts),
            "# Made by `uxc create -t download`.\n"
            "# my defaults\n"
            "\n# Distribution configuration\n"
            "lxc.include = LXC_TEMPLATE_CONFIG/debian.common.conf\nlxc.arch = amd64\n"
            "\n# Container specific configuration\n"
            "lxc.idmap = u 0 100000 65536\n"
            "  uxc.note = x\n"
            "lxc.rootfs.path = /home/u/.local/share/uxc/c1/rootfs\n"
            "lxc.mount.fstab = /home/u/.local/share/uxc/c1/fstab\n"
            "lxc.uts.name = c1\n"
            "\n# Network configuration\n"
            "lxc.net.0.type = empty\n"
            "lxc.net.0.flags = up\n");
}

TEST(ConfigAssemblyTest, EmptyPartsLeaveNoEmptySections) {
  ConfigParts parts;
  parts.template_name = "local";
  parts.name = "c2";
  parts.rootfs = "/r";
  EXPECT_EQ(AssembleConfig(parts),
            "# Made by `uxc create -t local`.\n"
            "\n# Container specific configuration\n"
            "lxc.rootfs.path = /r\n"
            "lxc.uts.name = c2\n");
}

}  // namespace
}  // namespace uxc::templates
