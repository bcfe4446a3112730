#include "launcher/cli/config_key_table.h"

#include <set>

#include "gtest/gtest.h"
#include "launcher/engine/build_limits.h"

namespace uxc::cli {
namespace {

const KeyRow* Find(const std::vector<KeyRow>& rows, const std::string& pattern) {
  for (const KeyRow& row : rows) {
    if (row.pattern == pattern) return &row;
  }
  return nullptr;
}

TEST(ConfigKeyTableTest, EveryKeyOnceInTableOrder) {
  std::vector<KeyRow> rows = KeyTable(launcher::BuildLimits());
  ASSERT_EQ(rows.size(), config::AllKeys().size());
  std::set<std::string> seen;
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].pattern, config::AllKeys()[i]->pattern);
    EXPECT_TRUE(seen.insert(rows[i].pattern).second) << rows[i].pattern;
  }
}

TEST(ConfigKeyTableTest, ClassifiesByTableAndBuildLimits) {
  std::vector<KeyRow> rows = KeyTable(launcher::BuildLimits());
  const KeyRow* idmap = Find(rows, "lxc.idmap");
  ASSERT_NE(idmap, nullptr);
  EXPECT_EQ(idmap->kind, "list");
  EXPECT_EQ(idmap->support, "supported");
  EXPECT_EQ(idmap->reason, "");
  const KeyRow* rootfs_mount = Find(rows, "lxc.rootfs.mount");
  ASSERT_NE(rootfs_mount, nullptr);
  EXPECT_EQ(rootfs_mount->support, "limited");
  EXPECT_NE(rootfs_mount->reason.find("ignored"), std::string::npos);
  const KeyRow* net_type = Find(rows, "lxc.net.N.type");
  ASSERT_NE(net_type, nullptr);
  EXPECT_EQ(net_type->support, "depends on value");
  const KeyRow* setting = Find(rows, "uxc.container_path");
  ASSERT_NE(setting, nullptr);
  EXPECT_EQ(setting->support, "refused");
  EXPECT_NE(setting->reason.find("uxc.conf"), std::string::npos);
  const KeyRow* mount_auto = Find(rows, "lxc.mount.auto");
  ASSERT_NE(mount_auto, nullptr);
  EXPECT_EQ(mount_auto->kind, "merge");
}

TEST(ConfigKeyTableTest, ABuildLimitMakesASupportedKeyLimited) {
  static const config::BuildLimit kLimit = {"lxc.idmap", "ignored: a test limit"};
  std::vector<KeyRow> rows = KeyTable(std::span<const config::BuildLimit>(&kLimit, 1));
  const KeyRow* idmap = Find(rows, "lxc.idmap");
  ASSERT_NE(idmap, nullptr);
  EXPECT_EQ(idmap->support, "limited");
  EXPECT_EQ(idmap->reason, "ignored: a test limit");
}

TEST(ConfigKeyTableTest, FormatsOneTabSeparatedLineOfFiveFieldsPerKey) {
  std::string text = FormatKeyTable({{"lxc.a", "scalar", "limited", "one\tline", "why\nnot"}});
  EXPECT_EQ(text, "lxc.a\tscalar\tlimited\tone line\twhy not\n");
}

}  // namespace
}  // namespace uxc::cli
