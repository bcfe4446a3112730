#include "launcher/templates/debian.h"

#include <algorithm>
#include <set>

#include "gtest/gtest.h"

namespace uxc::templates {
namespace {

DebianBuild Build() {
  DebianBuild build;
  build.arch = "amd64";
  build.mirror = "http://deb.debian.org/debian";
  return build;
}

TEST(DebianTest, CacheNameIsStableAndReadable) {
  std::string name = DebianCacheName(Build());
  EXPECT_EQ(name, DebianCacheName(Build()));
  EXPECT_EQ(name.rfind("bookworm-minbase-amd64-", 0), 0u) << name;
  EXPECT_EQ(name.size(), std::string("bookworm-minbase-amd64-").size() + 16 + 4);
  EXPECT_EQ(name.substr(name.size() - 4), ".tar");
}

TEST(DebianTest, EveryInputChangesTheCacheName) {
  std::set<std::string> names = {DebianCacheName(Build())};
  DebianBuild build = Build();
  build.release = "trixie";
  names.insert(DebianCacheName(build));
  build = Build();
  build.variant = "buildd";
  names.insert(DebianCacheName(build));
  build = Build();
  build.arch = "arm64";
  names.insert(DebianCacheName(build));
  build = Build();
  build.mirror = "http://ftp.de.debian.org/debian";
  names.insert(DebianCacheName(build));
  build = Build();
  build.packages = "init";
  names.insert(DebianCacheName(build));
  EXPECT_EQ(names.size(), 6u);
}

TEST(DebianTest, MmdebstrapWritesATarballToStdout) {
  DebianBuild build = Build();
  build.packages = "init,ifupdown";
  auto argv = MmdebstrapArgv(build);
  auto has = [&](const std::string& arg) { return std::find(argv.begin(), argv.end(), arg) != argv.end(); };
  EXPECT_TRUE(has("--mode=root"));
  EXPECT_TRUE(has("--format=tar"));
  EXPECT_TRUE(has("--variant=minbase"));
  EXPECT_TRUE(has("--include=init,ifupdown"));
  ASSERT_GE(argv.size(), 3u);
  EXPECT_EQ(argv[argv.size() - 3], "bookworm");
  EXPECT_EQ(argv[argv.size() - 2], "-");
  EXPECT_EQ(argv.back(), "http://deb.debian.org/debian");
}

TEST(DebianTest, ConfigIncludesDebianUsernsConfig) {
  std::string config = DebianConfig("amd64");
  EXPECT_NE(config.find("lxc.include = LXC_TEMPLATE_CONFIG/debian.userns.conf\n"), std::string::npos);
  EXPECT_NE(config.find("lxc.arch = amd64\n"), std::string::npos);
}

}  // namespace
}  // namespace uxc::templates
