// uxc-newidmap, the one call that writes both maps, installed setuid and run
// as real users against real user namespaces. Each test tries to get around
// one check; a refusal of either map must leave both maps (and setgroups)
// untouched. The engine's use of it: uxc usernsexec from an install with and
// without it.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <memory>

#include "gtest/gtest.h"
#include "tests/integration/idmap_fixture.h"

namespace uxc::testing {
namespace {

class IdmapCombinedTest : public IdmapHostTest {
 protected:
  CommandResult MapBoth(const Target& target, const std::string& ranges, const HelperOptions& options = {}) {
    return RunOn(OurCombinedHelper(), target, ranges, options);
  }
  // "u 0 300000 65536 g 0 300000 65536": the full range of both files.
  std::string FullRanges() { return "u 0 " + A() + " 65536 g 0 " + A() + " 65536"; }
  std::string OwnUid() { return std::to_string(users_.a.uid); }
  std::string OwnGid() { return std::to_string(users_.a.gid); }

  // Nothing written: no uid_map, no gid_map, setgroups as the kernel made it.
  void ExpectUntouched(const Target& target) {
    EXPECT_EQ(target.UidMap(), "");
    EXPECT_EQ(target.GidMap(), "");
    EXPECT_EQ(target.Setgroups(), "allow\n");
  }
};

TEST_F(IdmapCombinedTest, MapsBothFullRangesInOneCall) {
  auto target = Target::Start(users_.a);
  auto result = MapBoth(*target, FullRanges());
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out + result.err, "");
  EXPECT_EQ(target->UidMap(), MapLine(0, kSubStartA, 65536));
  EXPECT_EQ(target->GidMap(), MapLine(0, kSubStartA, 65536));
}

TEST_F(IdmapCombinedTest, KeepsTheOrderOfEachKindsRanges) {
  auto target = Target::Start(users_.a);
  auto result = MapBoth(*target, "g 0 " + OwnGid() + " 1 u 1 " + A() + " 100 g 1 " + A() + " 100 u 0 " + OwnUid() +
                                     " 1");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(target->UidMap(), MapLine(1, kSubStartA, 100) + MapLine(0, users_.a.uid, 1));
  EXPECT_EQ(target->GidMap(), MapLine(0, users_.a.gid, 1) + MapLine(1, kSubStartA, 100));
}

TEST_F(IdmapCombinedTest, OwnIdsOnlyDenySetgroups) {
  auto target = Target::Start(users_.a);
  ASSERT_EQ(MapBoth(*target, "u 0 " + OwnUid() + " 1 g 0 " + OwnGid() + " 1").exit_code, 0);
  EXPECT_EQ(target->Setgroups(), "deny\n");
  EXPECT_EQ(target->TrySetgroups(), EPERM);
}

// The setgroups rule looks at the gid ranges alone: a subuid range does not
// lift it.
TEST_F(IdmapCombinedTest, SubuidRangeWithOwnGidStillDeniesSetgroups) {
  auto target = Target::Start(users_.a);
  ASSERT_EQ(MapBoth(*target, "u 0 " + A() + " 65536 g 0 " + OwnGid() + " 1").exit_code, 0);
  EXPECT_EQ(target->Setgroups(), "deny\n");
  EXPECT_EQ(target->TrySetgroups(), EPERM);
}

TEST_F(IdmapCombinedTest, SubgidRangeLeavesSetgroupsAllowed) {
  auto target = Target::Start(users_.a);
  ASSERT_EQ(MapBoth(*target, "u 0 " + OwnUid() + " 1 g 0 " + OwnGid() + " 1 g 1 " + A() + " 65536").exit_code, 0);
  EXPECT_EQ(target->Setgroups(), "allow\n");
  EXPECT_EQ(target->TrySetgroups(), 0);
}

TEST_F(IdmapCombinedTest, GidRangeRefusedWritesNoUidMap) {
  auto target = Target::Start(users_.a);
  auto past_end = MapBoth(*target, "u 0 " + A() + " 65536 g 0 " + A() + " 65537");
  EXPECT_REFUSED(past_end, "0 300000 65537 is not covered by /etc/subgid for uxct-idmap-a (uxct-idmap-a has "
                           "300000:65536; own gid");
  EXPECT_NE(past_end.err.rfind("uxc-newidmap: ", 0), std::string::npos) << past_end.err;
  EXPECT_REFUSED(MapBoth(*target, "u 0 " + A() + " 65536 g 0 " + std::to_string(kSubStartB) + " 1"),
                 "is not covered by /etc/subgid");
  EXPECT_REFUSED(MapBoth(*target, "u 0 " + OwnUid() + " 1 g 0 " + std::to_string(users_.b.gid) + " 1"),
                 "is not covered by /etc/subgid");
  ExpectUntouched(*target);
}

TEST_F(IdmapCombinedTest, UidRangeRefusedWritesNoGidMapAndLeavesSetgroups) {
  auto target = Target::Start(users_.a);
  EXPECT_REFUSED(MapBoth(*target, "u 0 " + A(1) + " 65536 g 0 " + OwnGid() + " 1"), "is not covered by /etc/subuid");
  EXPECT_REFUSED(MapBoth(*target, "u 0 " + OwnUid() + " 2 g 0 " + OwnGid() + " 1"), "is not covered by /etc/subuid");
  ExpectUntouched(*target);
}

TEST_F(IdmapCombinedTest, OverlapsAreRefusedNamingTheMap) {
  auto target = Target::Start(users_.a);
  EXPECT_REFUSED(MapBoth(*target, "u 0 " + A() + " 10 g 0 " + A() + " 10 g 5 " + A(100) + " 10"),
                 "the gid_map: ranges 0 300000 10 and 5 300100 10 overlap inside the namespace");
  EXPECT_REFUSED(MapBoth(*target, "u 0 " + A() + " 10 u 100 " + A(9) + " 10 g 0 " + A() + " 10"),
                 "the uid_map: ranges 0 300000 10 and 100 300009 10 overlap outside the namespace");
  // The same ids in both maps are no overlap: each map is its own.
  ExpectUntouched(*target);
  EXPECT_EQ(MapBoth(*target, "u 0 " + A() + " 10 g 0 " + A() + " 10").exit_code, 0);
}

TEST_F(IdmapCombinedTest, RefusesOverflowInEitherMap) {
  subuid_->Write(users_.a.name + ":4294967200:95\n");
  subgid_->Write(users_.a.name + ":4294967200:95\n");
  auto target = Target::Start(users_.a);
  EXPECT_REFUSED(MapBoth(*target, "u 0 4294967295 1 g 0 4294967200 1"), "u range: outside id \"4294967295\" is "
                                                                         "larger than 4294967294");
  EXPECT_REFUSED(MapBoth(*target, "u 0 4294967200 95 g 0 4294967200 96"), "g range: 0 4294967200 96 runs past id "
                                                                           "4294967294");
  EXPECT_REFUSED(MapBoth(*target, "u 4294967294 4294967200 2 g 0 4294967200 1"), "runs past");
  EXPECT_REFUSED(MapBoth(*target, "u 0 4294967200 95 g 0 4294967200 18446744073709551615"), "larger than");
  ExpectUntouched(*target);
  ASSERT_EQ(MapBoth(*target, "u 0 4294967200 95 g 0 4294967200 95").exit_code, 0);
}

TEST_F(IdmapCombinedTest, RefusesAnotherUsersProcess) {
  auto target = Target::Start(users_.b);
  EXPECT_REFUSED(MapBoth(*target, FullRanges()), "runs as uid " + std::to_string(users_.b.uid));
  ExpectUntouched(*target);
}

TEST_F(IdmapCombinedTest, RefusesOwnProcessInANamespaceRootOwns) {
  auto target = Target::Start(users_.a, Target::Namespace::kForeign);
  EXPECT_REFUSED(MapBoth(*target, "u 0 " + A() + " 1 g 0 " + A() + " 1"), "may not inspect the user namespace");
  EXPECT_EQ(target->UidMap(), "");
  EXPECT_EQ(target->GidMap(), "");
}

TEST_F(IdmapCombinedTest, RefusesAProcessStillInTheHostNamespace) {
  auto target = Target::Start(users_.a, Target::Namespace::kOwn);
  EXPECT_REFUSED(MapBoth(*target, FullRanges()), "is still in your user namespace");
}

TEST_F(IdmapCombinedTest, AnExistingGidMapStopsTheUidMapToo) {
  auto target = Target::Start(users_.a);
  ASSERT_EQ(RunOn(OurHelper(false), *target, "0 " + A() + " 10").exit_code, 0);
  EXPECT_REFUSED(MapBoth(*target, FullRanges()), "already has a gid_map");
  EXPECT_EQ(target->UidMap(), "");
  EXPECT_EQ(target->GidMap(), MapLine(0, kSubStartA, 10));
}

TEST_F(IdmapCombinedTest, AcceptsAProcDirectoryFdAndAPidfd) {
  auto by_dir = Target::Start(users_.a);
  int dir = open(("/proc/" + std::to_string(by_dir->pid())).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(dir, 0);
  auto by_pidfd = Target::Start(users_.a);
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, by_pidfd->pid(), 0));
  ASSERT_GE(pidfd, 0);
  HelperOptions options;
  options.pass_fds = {dir, pidfd};
  for (int fd : {dir, pidfd}) {
    std::vector<std::string> args = {"fd:" + std::to_string(fd)};
    for (std::string& word : Words(FullRanges())) args.push_back(std::move(word));
    auto result = RunHelperAs(users_.a, OurCombinedHelper(), args, options);
    EXPECT_EQ(result.exit_code, 0) << result.err;
  }
  close(dir);
  close(pidfd);
  for (const Target* target : {by_dir.get(), by_pidfd.get()}) {
    EXPECT_EQ(target->UidMap(), MapLine(0, kSubStartA, 65536));
    EXPECT_EQ(target->GidMap(), MapLine(0, kSubStartA, 65536));
  }
}

TEST_F(IdmapCombinedTest, HostileEnvironmentHasNoEffect) {
  std::string marker = SharedTempDir() + "/combined-marker";
  HelperOptions hostile;
  hostile.env = {"LD_PRELOAD=" + MarkerLibrary(), "IDMAP_MARKER=" + marker};
  ASSERT_TRUE(PreloadWritesMarker(users_.a, hostile, marker));
  hostile.env.insert(hostile.env.end(), {"LD_LIBRARY_PATH=" + SharedTempDir(), "LD_AUDIT=" + MarkerLibrary(),
                                         "PATH=" + SharedTempDir(), "MALLOC_CHECK_=3"});
  for (int i = 0; i < 2000; ++i) hostile.env.push_back("HUGE" + std::to_string(i) + "=" + std::string(500, 'x'));
  auto target = Target::Start(users_.a);
  auto result = MapBoth(*target, FullRanges(), hostile);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(target->UidMap(), MapLine(0, kSubStartA, 65536));
  EXPECT_EQ(target->GidMap(), MapLine(0, kSubStartA, 65536));
  auto second = Target::Start(users_.a);
  EXPECT_REFUSED(MapBoth(*second, "u 0 " + A() + " 65536 g 0 " + A() + " 65537", hostile), "/etc/subgid");
  ExpectUntouched(*second);
  EXPECT_NE(access(marker.c_str(), F_OK), 0) << "a hostile environment reached the helper";
}

TEST_F(IdmapCombinedTest, WorksWithStandardFdsClosed) {
  HelperOptions closed;
  closed.close_stdin = closed.close_stdout = closed.close_stderr = true;
  auto target = Target::Start(users_.a);
  EXPECT_EQ(MapBoth(*target, FullRanges(), closed).exit_code, 0);
  EXPECT_EQ(target->UidMap(), MapLine(0, kSubStartA, 65536));
  EXPECT_EQ(target->GidMap(), MapLine(0, kSubStartA, 65536));
  auto refused = Target::Start(users_.a);
  EXPECT_EQ(MapBoth(*refused, "u 0 " + A() + " 65536 g 0 " + A() + " 65537", closed).exit_code, 1);
  ExpectUntouched(*refused);
}

TEST_F(IdmapCombinedTest, WorksWith300InheritedFds) {
  HelperOptions many;
  many.inherited_fds = 300;
  auto target = Target::Start(users_.a);
  auto result = MapBoth(*target, FullRanges(), many);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(target->GidMap(), MapLine(0, kSubStartA, 65536));
}

std::string ShortRanges(const char* kind, int count) {
  std::string words;
  for (int i = 0; i < count; ++i) {
    words += std::string(words.empty() ? "" : " ") + kind + " " + std::to_string(i) + " " + std::to_string(50000 + i) +
             " 1";
  }
  return words;
}

TEST_F(IdmapCombinedTest, RefusesTooManyRangesInEitherMap) {
  // Short numbers, so that 340 lines fit in the one write of less than a page.
  subuid_->Write(users_.a.name + ":50000:1000\n");
  subgid_->Write(users_.a.name + ":50000:1000\n");
  auto target = Target::Start(users_.a);
  EXPECT_REFUSED(MapBoth(*target, ShortRanges("u", 341) + " " + ShortRanges("g", 1)),
                 "341 u ranges given: the kernel accepts at most 340");
  EXPECT_REFUSED(MapBoth(*target, ShortRanges("u", 1) + " " + ShortRanges("g", 341)), "341 g ranges given");
  EXPECT_REFUSED(MapBoth(*target, ShortRanges("u", 341) + " " + ShortRanges("g", 340)),
                 "681 ranges given: the kernel accepts at most 340 lines in each of the two maps");
  ExpectUntouched(*target);
  auto result = MapBoth(*target, ShortRanges("u", 340) + " " + ShortRanges("g", 340));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  std::string uid_map = target->UidMap(), gid_map = target->GidMap();
  EXPECT_EQ(std::count(uid_map.begin(), uid_map.end(), '\n'), 340);
  EXPECT_EQ(std::count(gid_map.begin(), gid_map.end(), '\n'), 340);
}

TEST_F(IdmapCombinedTest, RefusesAGidMapLongerThanAPage) {
  subuid_->Write(users_.a.name + ":3000000000:1000\n");
  subgid_->Write(users_.a.name + ":3000000000:1000\n");
  auto target = Target::Start(users_.a);
  std::string ranges = "u 0 3000000000 1";
  for (int i = 0; i < 200; ++i) {
    ranges += " g " + std::to_string(4000000000u + i) + " " + std::to_string(3000000000u + i) + " 1";
  }
  EXPECT_REFUSED(MapBoth(*target, ranges), "the gid_map: the map is");
  ExpectUntouched(*target);
}

TEST_F(IdmapCombinedTest, RefusesBadArguments) {
  auto target = Target::Start(users_.a);
  std::string pid = std::to_string(target->pid());
  auto run = [&](const std::string& words) { return RunHelperAs(users_.a, OurCombinedHelper(), Words(words)); };
  EXPECT_REFUSED(run(pid + " u 0 " + A() + " 1"), "no g range given: uxc-newidmap writes both maps");
  EXPECT_REFUSED(run(pid + " g 0 " + A() + " 1"), "no u range given");
  EXPECT_REFUSED(run(pid + " 0 " + A() + " 1"), "ranges come as u|g <inside> <outside> <count>, but 3 arguments");
  EXPECT_REFUSED(run(pid + " b 0 " + A() + " 1"), "\"b\" is not u or g");
  EXPECT_REFUSED(run(pid + " u zero " + A() + " 1 g 0 " + A() + " 1"), "u range: inside id \"zero\"");
  EXPECT_REFUSED(run(pid + " u 0 " + A() + " 1 g 0 0x493e0 1"), "g range: outside id \"0x493e0\"");
  EXPECT_REFUSED(run("abc u 0 " + A() + " 1 g 0 " + A() + " 1"), "the target pid \"abc\" is not a decimal number");
  EXPECT_REFUSED(run(""), "no target process given (see uxc-newidmap --help)");
  ExpectUntouched(*target);
}

TEST_F(IdmapCombinedTest, MissingSubgidFileAllowsOnlyTheOwnGid) {
  subgid_->Remove();
  auto target = Target::Start(users_.a);
  EXPECT_REFUSED(MapBoth(*target, FullRanges()), "/etc/subgid does not exist");
  ExpectUntouched(*target);
  auto result = MapBoth(*target, "u 0 " + A() + " 65536 g 0 " + OwnGid() + " 1");
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(target->Setgroups(), "deny\n");
}

TEST_F(IdmapCombinedTest, HelpAndVersion) {
  auto help = RunHelperAs(users_.a, OurCombinedHelper(), {"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_EQ(help.out.rfind("usage: uxc-newidmap <pid>|fd:<N>|wait:<N> u|g <inside> <outside> <count>", 0), 0u) << help.out;
  EXPECT_NE(help.out.find("setgroups"), std::string::npos) << help.out;
  auto version = RunHelperAs(users_.a, OurCombinedHelper(), {"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("uxc-newidmap (uxc) ", 0), 0u) << version.out;
}

TEST_F(IdmapCombinedTest, RefusesToRunWithoutTheSetuidBit) {
  std::string copy = SharedTempDir() + "/uxc-newidmap-plain";
  ASSERT_EQ(uxc::testing::Run({"/bin/cp", OurCombinedHelper(), copy}).exit_code, 0);
  chmod(copy.c_str(), 0755);
  auto target = Target::Start(users_.a);
  EXPECT_REFUSED(RunOn(copy, *target, FullRanges()), "is not running setuid root");
  ExpectUntouched(*target);
}

// uxc looks for its helpers next to itself: an install is a directory.
class IdmapEngineTest : public IdmapHostTest {
 protected:
  // A directory holding uxc and the named helpers, setuid root.
  std::string Install(const std::string& name, const std::vector<std::string>& helpers) {
    std::string dir = SharedTempDir() + "/" + name;
    auto install = [](std::vector<std::string> args) {
      args.insert(args.begin(), "/usr/bin/install");
      EXPECT_EQ(uxc::testing::Run(args).exit_code, 0) << args.back();
    };
    install({"-d", "-m", "0755", dir});
    install({"-m", "0755", InstalledBinary("uxc"), dir + "/uxc"});
    for (const std::string& helper : helpers) {
      install({"-o", "root", "-m", "4755", InstalledBinary(helper), dir + "/" + helper});
    }
    return dir;
  }
  // `uxc usernsexec` maps the default ranges and prints both maps.
  CommandResult Usernsexec(const std::string& dir, std::vector<std::string> env = {}) {
    env.push_back("PATH=/usr/bin:/bin");
    HelperOptions options;
    options.env = env;
    return RunHelperAs(users_.a, dir + "/uxc",
                       {"usernsexec", "--", "/bin/cat", "/proc/self/uid_map", "/proc/self/gid_map"}, options);
  }
  std::string BothMaps() { return MapLine(0, kSubStartA, 65536) + MapLine(0, kSubStartA, 65536); }
};

TEST_F(IdmapEngineTest, UsesTheCombinedHelperAlone) {
  auto result = Usernsexec(Install("combined-only", {"uxc-newidmap"}));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, BothMaps());
}

TEST_F(IdmapEngineTest, FallsBackToThePairWithoutTheCombinedHelper) {
  auto result = Usernsexec(Install("pair-only", {"uxc-newuidmap", "uxc-newgidmap"}));
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out, BothMaps());
}

// A helper named in uxc.conf (here one that cannot work) means the pair,
// even when uxc-newidmap is installed.
TEST_F(IdmapEngineTest, AHelperNamedInUxcConfKeepsThePair) {
  std::string dir = Install("named-pair", {"uxc-newidmap"});
  std::string config = SharedTempDir() + "/named-pair-config";
  ASSERT_EQ(uxc::testing::Run({"/usr/bin/install", "-d", "-m", "0755", config, config + "/uxc"}).exit_code, 0);
  std::ofstream(config + "/uxc/uxc.conf") << "uxc.newuidmap = /bin/true\n";
  chmod((config + "/uxc/uxc.conf").c_str(), 0644);
  auto result = Usernsexec(dir, {"XDG_CONFIG_HOME=" + config});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("/bin/true is not setuid root"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("uxc.newuidmap"), std::string::npos) << result.err;
}

TEST_F(IdmapEngineTest, ARefusalOfTheCombinedHelperNamesBothFiles) {
  subgid_->Write(users_.a.name + ":" + A() + ":10\n");
  std::string dir = Install("combined-refused", {"uxc-newidmap"});
  HelperOptions options;
  options.env = {"PATH=/usr/bin:/bin"};
  auto result = RunHelperAs(users_.a, dir + "/uxc",
                            {"usernsexec", "-m", "u:0:" + A() + ":65536", "-m", "g:0:" + A() + ":65536", "--",
                             "/bin/true"},
                            options);
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("uxc-newidmap: 0 300000 65536 is not covered by /etc/subgid"), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("/etc/subuid /etc/subgid"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace uxc::testing
