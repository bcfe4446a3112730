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

TEST(DebianTest, SysvinitInittabHaltsOnSigpwrAndRunsGettysOnPtys) {
  std::string inittab = DebianSysvinitInittab(2);
  EXPECT_NE(inittab.find("\nid:2:initdefault:\n"), std::string::npos) << inittab;
  EXPECT_NE(inittab.find("\nsi::sysinit:/etc/init.d/rcS\n"), std::string::npos) << inittab;
  EXPECT_NE(inittab.find("\nl0:0:wait:/etc/init.d/rc 0\n"), std::string::npos) << inittab;
  EXPECT_NE(inittab.find("\nl6:6:wait:/etc/init.d/rc 6\n"), std::string::npos) << inittab;
  EXPECT_NE(inittab.find("\npf::powerwait:/sbin/shutdown -t1 -a -h now\n"), std::string::npos) << inittab;
  EXPECT_NE(inittab.find("\nca::ctrlaltdel:/sbin/shutdown -t1 -a -r now\n"), std::string::npos) << inittab;
  EXPECT_NE(inittab.find(" console linux\n"), std::string::npos) << inittab;
  EXPECT_NE(inittab.find("\n1:2345:respawn:/sbin/getty --noclear 38400 tty1 linux\n"), std::string::npos);
  EXPECT_NE(inittab.find("\n2:2345:respawn:/sbin/getty --noclear 38400 tty2 linux\n"), std::string::npos);
  EXPECT_EQ(inittab.find("tty3"), std::string::npos) << inittab;
  // Every entry has the four fields id:runlevels:action:process.
  size_t start = 0;
  for (size_t end; (end = inittab.find('\n', start)) != std::string::npos; start = end + 1) {
    std::string line = inittab.substr(start, end - start);
    if (line.empty() || line[0] == '#') continue;
    EXPECT_EQ(std::count(line.begin(), line.end(), ':'), 3) << line;
  }
}

TEST(DebianTest, APlainCreateGetsSystemdWhereADelegatedCgroupCanBeHad) {
  std::string note;
  auto chosen = ChooseInit(std::nullopt, launcher::CgroupProspect{true, ""}, &note);
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ(*chosen, DebianBuild::Init::kSystemd);
  EXPECT_EQ(note, "");
}

TEST(DebianTest, APlainCreateGetsSysvinitWhereNoCgroupCanBeHadAndSaysWhy) {
  std::string note;
  auto chosen = ChooseInit(std::nullopt, launcher::CgroupProspect{false, "no delegation: do X"}, &note);
  ASSERT_TRUE(chosen.ok());
  EXPECT_EQ(*chosen, DebianBuild::Init::kSysvinit);
  EXPECT_NE(note.find("sysvinit, not systemd"), std::string::npos) << note;
  EXPECT_NE(note.find("no delegation: do X"), std::string::npos) << note;
}

TEST(DebianTest, AnExplicitInitIsKeptWhateverTheHost) {
  std::string note;
  launcher::CgroupProspect none{false, "none"};
  EXPECT_EQ(*ChooseInit("systemd", none, &note), DebianBuild::Init::kSystemd);
  EXPECT_EQ(*ChooseInit("sysvinit", launcher::CgroupProspect{true, ""}, &note), DebianBuild::Init::kSysvinit);
  EXPECT_EQ(*ChooseInit("none", none, &note), DebianBuild::Init::kNone);
  EXPECT_EQ(note, "");
}

TEST(DebianTest, AnUnknownInitIsRefusedNamingTheChoices) {
  std::string note;
  auto chosen = ChooseInit("upstart", launcher::CgroupProspect{true, ""}, &note);
  ASSERT_FALSE(chosen.ok());
  std::string message = chosen.error().ToString();
  EXPECT_NE(message.find("bad --init 'upstart'"), std::string::npos) << message;
  EXPECT_NE(message.find("systemd"), std::string::npos) << message;
  EXPECT_NE(message.find("none"), std::string::npos) << message;
}

TEST(DebianTest, ASystemdGuestSkipsTheDebugfsMountItCannotMake) {
  auto fixes = DebianSystemdFixes();
  ASSERT_EQ(fixes.size(), 1u);
  EXPECT_EQ(fixes[0].first, "etc/systemd/system/sys-kernel-debug.mount.d/uxc-container.conf");
  EXPECT_NE(fixes[0].second.find("\n[Unit]\nConditionVirtualization=!container\n"), std::string::npos)
      << fixes[0].second;
}

}  // namespace
}  // namespace uxc::templates
