// uxc-newuidmap / uxc-newgidmap installed setuid, run as real users against
// real user namespaces. Each test tries to get around one check.
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

class IdmapTest : public IdmapHostTest {
 protected:
  CommandResult MapUid(const Target& target, const std::string& triples, const HelperOptions& options = {}) {
    return RunOn(OurHelper(true), target, triples, options);
  }
  CommandResult MapGid(const Target& target, const std::string& triples, const HelperOptions& options = {}) {
    return RunOn(OurHelper(false), target, triples, options);
  }
};

TEST_F(IdmapTest, MapsTheFullSubordinateRange) {
  auto target = Target::Start(users_.a);
  auto result = MapUid(*target, "0 " + A() + " 65536");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.out + result.err, "");
  EXPECT_EQ(target->UidMap(), MapLine(0, kSubStartA, 65536));
  auto gid = MapGid(*target, "0 " + A() + " 65536");
  ASSERT_EQ(gid.exit_code, 0) << gid.err;
  EXPECT_EQ(target->GidMap(), MapLine(0, kSubStartA, 65536));
}

TEST_F(IdmapTest, MapsOwnIdWithCountOne) {
  auto target = Target::Start(users_.a);
  ASSERT_EQ(MapUid(*target, "0 " + std::to_string(users_.a.uid) + " 1").exit_code, 0);
  EXPECT_EQ(target->UidMap(), MapLine(0, users_.a.uid, 1));
  ASSERT_EQ(MapGid(*target, "0 " + std::to_string(users_.a.gid) + " 1").exit_code, 0);
  EXPECT_EQ(target->GidMap(), MapLine(0, users_.a.gid, 1));
}

TEST_F(IdmapTest, RefusesOwnIdWithALargerCount) {
  auto target = Target::Start(users_.a);
  EXPECT_REFUSED(MapUid(*target, "0 " + std::to_string(users_.a.uid) + " 2"), "is not covered by /etc/subuid");
  EXPECT_EQ(target->UidMap(), "");
}

TEST_F(IdmapTest, MapsSubordinateRangeAndOwnIdTogether) {
  auto target = Target::Start(users_.a);
  auto result = MapUid(*target, "0 " + std::to_string(users_.a.uid) + " 1 1 " + A() + " 65536");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(target->UidMap(), MapLine(0, users_.a.uid, 1) + MapLine(1, kSubStartA, 65536));
}

TEST_F(IdmapTest, ChainsAdjacentSubuidLines) {
  subuid_->Write(users_.a.name + ":" + A(100) + ":100\n" + users_.b.name + ":1000000:10\n" + users_.a.name + ":" +
                 A() + ":100\n");
  auto target = Target::Start(users_.a);
  auto result = MapUid(*target, "0 " + A() + " 200");
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(target->UidMap(), MapLine(0, kSubStartA, 200));
}

TEST_F(IdmapTest, AcceptsANumericOwner) {
  subuid_->Write(std::to_string(users_.a.uid) + ":" + A() + ":10\n");
  auto target = Target::Start(users_.a);
  EXPECT_EQ(MapUid(*target, "0 " + A() + " 10").exit_code, 0);
}

// Issue 11: the hint (what to do) has a line of its own after the refusal,
// both prefixed with the helper's name; it used to be glued to the refusal.
TEST_F(IdmapTest, TheHintHasALineOfItsOwn) {
  auto target = Target::Start(users_.a);
  auto result = MapUid(*target, "0 " + A() + " 65537");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.err, "uxc-newuidmap: 0 300000 65537 is not covered by /etc/subuid for uxct-idmap-a "
                        "(uxct-idmap-a has 300000:65536; own uid " + std::to_string(users_.a.uid) +
                        " with count 1)\nuxc-newuidmap: ask root for a larger range\n");
  EXPECT_EQ(target->UidMap(), "");
}

TEST_F(IdmapTest, RefusesOneIdPastTheEnd) {
  auto target = Target::Start(users_.a);
  auto result = MapUid(*target, "0 " + A() + " 65537");
  EXPECT_REFUSED(result, "0 300000 65537 is not covered by /etc/subuid for uxct-idmap-a (uxct-idmap-a has "
                         "300000:65536; own uid");
  EXPECT_NE(result.err.find("ask root for a larger range"), std::string::npos);
  EXPECT_REFUSED(MapUid(*target, "0 " + A(65535) + " 2"), "is not covered");
  EXPECT_REFUSED(MapUid(*target, "0 " + A(-1) + " 2"), "is not covered");
  EXPECT_EQ(target->UidMap(), "");
}

TEST_F(IdmapTest, RefusesAnotherUsersRange) {
  auto target = Target::Start(users_.a);
  EXPECT_REFUSED(MapUid(*target, "0 " + std::to_string(kSubStartB) + " 1"), "is not covered");
  EXPECT_REFUSED(MapUid(*target, "0 " + std::to_string(users_.b.uid) + " 1"), "is not covered");
}

TEST_F(IdmapTest, RefusesOverflow) {
  subuid_->Write(users_.a.name + ":4294967200:95\n");
  auto target = Target::Start(users_.a);
  EXPECT_REFUSED(MapUid(*target, "0 4294967295 1"), "larger than 4294967294");
  EXPECT_REFUSED(MapUid(*target, "0 4294967200 96"), "runs past id 4294967294");
  EXPECT_REFUSED(MapUid(*target, "4294967295 4294967200 1"), "larger than 4294967294");
  EXPECT_REFUSED(MapUid(*target, "4294967294 4294967200 2"), "runs past");
  EXPECT_REFUSED(MapUid(*target, "0 4294967200 4294967296"), "larger than 4294967295");
  EXPECT_REFUSED(MapUid(*target, "1 4294967200 18446744073709551615"), "larger than");
  EXPECT_EQ(target->UidMap(), "");
  ASSERT_EQ(MapUid(*target, "0 4294967200 95").exit_code, 0);
}

TEST_F(IdmapTest, RefusesRangesOverlappingInside) {
  auto target = Target::Start(users_.a);
  EXPECT_REFUSED(MapUid(*target, "0 " + A() + " 10 5 " + A(100) + " 10"), "overlap inside the namespace");
  EXPECT_EQ(target->UidMap(), "");
}

TEST_F(IdmapTest, RefusesRangesOverlappingOutside) {
  auto target = Target::Start(users_.a);
  EXPECT_REFUSED(MapUid(*target, "0 " + A() + " 10 100 " + A(9) + " 10"), "overlap outside the namespace");
  EXPECT_EQ(target->UidMap(), "");
}

TEST_F(IdmapTest, RefusesAnotherUsersProcess) {
  auto target = Target::Start(users_.b);
  EXPECT_REFUSED(MapUid(*target, "0 " + A() + " 1"), "runs as uid " + std::to_string(users_.b.uid));
  EXPECT_REFUSED(MapGid(*target, "0 " + A() + " 1"), "not as you");
  EXPECT_EQ(target->UidMap(), "");
  EXPECT_EQ(target->GidMap(), "");
}

// The process runs as the caller, but the kernel's ptrace rule already keeps
// the caller from opening its namespace (capabilities(7): the target holds
// capabilities in a namespace the caller has none in); NS_GET_OWNER_UID is
// the second, explicit check behind it.
TEST_F(IdmapTest, RefusesOwnProcessInANamespaceRootOwns) {
  auto target = Target::Start(users_.a, Target::Namespace::kForeign);
  EXPECT_REFUSED(MapUid(*target, "0 " + A() + " 1"), "may not inspect the user namespace");
  EXPECT_REFUSED(MapGid(*target, "0 " + A() + " 1"), "may not inspect the user namespace");
  EXPECT_EQ(target->UidMap(), "");
  EXPECT_EQ(target->GidMap(), "");
}

TEST_F(IdmapTest, RefusesAProcessStillInTheHostNamespace) {
  auto target = Target::Start(users_.a, Target::Namespace::kOwn);
  EXPECT_REFUSED(MapUid(*target, "0 " + A() + " 1"), "is still in your user namespace");
}

TEST_F(IdmapTest, RefusesANestedNamespace) {
  auto target = Target::Start(users_.a);
  ASSERT_EQ(MapUid(*target, "0 " + std::to_string(users_.a.uid) + " 1").exit_code, 0);
  ASSERT_EQ(MapGid(*target, "0 " + std::to_string(users_.a.gid) + " 1").exit_code, 0);
  ASSERT_EQ(target->TryNestedUserns(), 0);
  EXPECT_REFUSED(MapUid(*target, "0 " + A() + " 1"), "is not a direct child of yours");
}

TEST_F(IdmapTest, SecondWriteFailsCleanly) {
  auto target = Target::Start(users_.a);
  ASSERT_EQ(MapUid(*target, "0 " + A() + " 10").exit_code, 0);
  EXPECT_REFUSED(MapUid(*target, "0 " + A(10) + " 10"), "already has a uid_map");
  EXPECT_EQ(target->UidMap(), MapLine(0, kSubStartA, 10));
}

TEST_F(IdmapTest, RefusesAnExitedOrMissingProcess) {
  auto target = Target::Start(users_.a);
  pid_t pid = target->pid();
  target->Stop();
  auto result = RunHelperAs(users_.a, OurHelper(true), {std::to_string(pid), "0", A(), "1"});
  EXPECT_REFUSED(result, "does not exist");
}

TEST_F(IdmapTest, AcceptsAProcDirectoryFd) {
  auto target = Target::Start(users_.a);
  int dir = open(("/proc/" + std::to_string(target->pid())).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(dir, 0);
  HelperOptions options;
  options.pass_fds = {dir};
  auto result = RunHelperAs(users_.a, OurHelper(true), {"fd:" + std::to_string(dir), "0", A(), "5"}, options);
  close(dir);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(target->UidMap(), MapLine(0, kSubStartA, 5));
}

TEST_F(IdmapTest, AcceptsAPidfd) {
  auto target = Target::Start(users_.a);
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, target->pid(), 0));
  ASSERT_GE(pidfd, 0);
  HelperOptions options;
  options.pass_fds = {pidfd};
  auto result = RunHelperAs(users_.a, OurHelper(false), {"fd:" + std::to_string(pidfd), "0", A(), "5"}, options);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(target->GidMap(), MapLine(0, kSubStartA, 5));
  // The same pidfd after its process exited.
  auto second = Target::Start(users_.a);
  target->Stop();
  result = RunHelperAs(users_.a, OurHelper(true), {"fd:" + std::to_string(pidfd), "0", A(), "5"}, options);
  close(pidfd);
  EXPECT_REFUSED(result, "has exited");
}

TEST_F(IdmapTest, RefusesFdsThatNameNoProcess) {
  int file = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
  int proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ASSERT_GE(file, 0);
  ASSERT_GE(proc, 0);
  HelperOptions options;
  options.pass_fds = {file, proc};
  EXPECT_REFUSED(RunHelperAs(users_.a, OurHelper(true), {"fd:" + std::to_string(file), "0", A(), "1"}, options),
                 "neither a /proc/PID directory nor a pidfd");
  EXPECT_REFUSED(RunHelperAs(users_.a, OurHelper(true), {"fd:" + std::to_string(proc), "0", A(), "1"}, options),
                 "is not a /proc/PID directory");
  EXPECT_REFUSED(RunHelperAs(users_.a, OurHelper(true), {"fd:900", "0", A(), "1"}), "not an open file descriptor");
  close(file);
  close(proc);
}

TEST_F(IdmapTest, HostileEnvironmentHasNoEffect) {
  std::string library = MarkerLibrary();
  std::string marker = SharedTempDir() + "/marker";
  HelperOptions hostile;
  hostile.env = {"LD_PRELOAD=" + library, "IDMAP_MARKER=" + marker};
  ASSERT_TRUE(PreloadWritesMarker(users_.a, hostile, marker));

  hostile.env.push_back("LD_LIBRARY_PATH=" + SharedTempDir());
  hostile.env.push_back("LD_AUDIT=" + library);
  hostile.env.push_back("PATH=" + SharedTempDir());
  hostile.env.push_back("GCONV_PATH=" + SharedTempDir());
  hostile.env.push_back("MALLOC_CHECK_=3");

  for (int i = 0; i < 2000; ++i) hostile.env.push_back("HUGE" + std::to_string(i) + "=" + std::string(500, 'x'));
  auto target = Target::Start(users_.a);
  auto result = MapUid(*target, "0 " + A() + " 65536", hostile);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(target->UidMap(), MapLine(0, kSubStartA, 65536));
  auto refused = MapGid(*target, "0 " + A() + " 65537", hostile);
  EXPECT_REFUSED(refused, "is not covered by /etc/subgid");
  EXPECT_NE(access(marker.c_str(), F_OK), 0) << "a hostile environment reached the helper";
}

TEST_F(IdmapTest, WorksWithStandardFdsClosed) {
  auto target = Target::Start(users_.a);
  HelperOptions closed;
  closed.close_stdin = closed.close_stdout = closed.close_stderr = true;
  EXPECT_EQ(MapUid(*target, "0 " + A() + " 65536", closed).exit_code, 0);
  EXPECT_EQ(target->UidMap(), MapLine(0, kSubStartA, 65536));
  EXPECT_EQ(MapGid(*target, "0 " + A() + " 65537", closed).exit_code, 1);
  EXPECT_EQ(target->GidMap(), "");
}

TEST_F(IdmapTest, WorksWith300InheritedFds) {
  auto target = Target::Start(users_.a);
  HelperOptions many;
  many.inherited_fds = 300;
  auto result = MapUid(*target, "0 " + A() + " 65536", many);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(target->UidMap(), MapLine(0, kSubStartA, 65536));
}

TEST_F(IdmapTest, MissingSubuidFileAllowsOnlyOwnId) {
  subuid_->Remove();
  auto target = Target::Start(users_.a);
  EXPECT_REFUSED(MapUid(*target, "0 " + A() + " 1"), "/etc/subuid does not exist");
  EXPECT_EQ(MapUid(*target, "0 " + std::to_string(users_.a.uid) + " 1").exit_code, 0);
}

TEST_F(IdmapTest, MalformedSubuidFileIsRefusedWithItsLine) {
  subuid_->Write(DefaultSubidText(users_) + users_.a.name + ":0x10:5\n");
  auto target = Target::Start(users_.a);
  EXPECT_REFUSED(MapUid(*target, "0 " + A() + " 1"), "/etc/subuid:3: the start \"0x10\" is not a decimal number");
  subuid_->Write(DefaultSubidText(users_) + users_.a.name + ":0:0\n");
  EXPECT_REFUSED(MapUid(*target, "0 " + A() + " 1"), "/etc/subuid:3: the count is 0");
  EXPECT_EQ(target->UidMap(), "");
}

TEST_F(IdmapTest, SymlinkedSubuidFileIsRefused) {
  std::string real = SharedTempDir() + "/subuid";
  std::ofstream(real) << DefaultSubidText(users_);
  subuid_->Remove();
  ASSERT_EQ(symlink(real.c_str(), "/etc/subuid"), 0);
  auto target = Target::Start(users_.a);
  EXPECT_REFUSED(MapUid(*target, "0 " + A() + " 1"), "symlink");
  unlink("/etc/subuid");
}

TEST_F(IdmapTest, RefusesTooManyTriples) {
  // Short numbers, so that 340 lines fit in the one write of less than a page.
  subuid_->Write(users_.a.name + ":50000:1000\n");
  auto target = Target::Start(users_.a);
  std::string triples;
  for (int i = 0; i < 341; ++i) triples += (i ? " " : "") + std::to_string(i) + " " + std::to_string(50000 + i) + " 1";
  EXPECT_REFUSED(MapUid(*target, triples), "341 ranges given: the kernel accepts at most 340");
  triples.clear();
  for (int i = 0; i < 340; ++i) triples += (i ? " " : "") + std::to_string(i) + " " + std::to_string(50000 + i) + " 1";
  auto result = MapUid(*target, triples);
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST_F(IdmapTest, RefusesAMapLongerThanAPage) {
  subuid_->Write(users_.a.name + ":3000000000:1000\n");
  auto target = Target::Start(users_.a);
  std::string triples;
  for (int i = 0; i < 200; ++i) {
    triples += (i ? " " : "") + std::to_string(4000000000u + i) + " " + std::to_string(3000000000u + i) + " 1";
  }
  EXPECT_REFUSED(MapUid(*target, triples), "the kernel takes less than 4096 in its one write");
}

TEST_F(IdmapTest, RefusesNonNumericArguments) {
  auto target = Target::Start(users_.a);
  std::string pid = std::to_string(target->pid());
  auto run = [&](std::vector<std::string> args) { return RunHelperAs(users_.a, OurHelper(true), args); };
  EXPECT_REFUSED(run({"abc", "0", A(), "1"}), "the target pid \"abc\" is not a decimal number");
  EXPECT_REFUSED(run({pid, "zero", A(), "1"}), "inside id \"zero\" is not a decimal number");
  EXPECT_REFUSED(run({pid, "0", "0x493e0", "1"}), "outside id \"0x493e0\" is not a decimal number");
  EXPECT_REFUSED(run({pid, "0", A(), "-1"}), "count \"-1\" is not a decimal number");
  EXPECT_REFUSED(run({pid, "0", "01", "1"}), "leading 0");
  EXPECT_REFUSED(run({pid, "0", A(), "1", "2"}), "ranges come as <inside> <outside> <count>, but 4 arguments");
  EXPECT_REFUSED(run({pid}), "no ranges given");
  EXPECT_REFUSED(run({}), "no target process given");
  EXPECT_EQ(target->UidMap(), "");
}

TEST_F(IdmapTest, ExitsCleanlyWithAnEmptyArgv) {
  HelperOptions options;
  options.empty_argv = true;
  EXPECT_REFUSED(RunHelperAs(users_.a, OurHelper(true), {}, options), "no target process given");
}

TEST_F(IdmapTest, OwnGidOnlyDeniesSetgroups) {
  auto target = Target::Start(users_.a);
  ASSERT_EQ(MapUid(*target, "0 " + std::to_string(users_.a.uid) + " 1").exit_code, 0);
  ASSERT_EQ(MapGid(*target, "0 " + std::to_string(users_.a.gid) + " 1").exit_code, 0);
  EXPECT_EQ(target->Setgroups(), "deny\n");
  EXPECT_EQ(target->TrySetgroups(), EPERM);
}

TEST_F(IdmapTest, SubgidRangeLeavesSetgroupsAllowed) {
  auto target = Target::Start(users_.a);
  ASSERT_EQ(MapUid(*target, "0 " + A() + " 65536").exit_code, 0);
  ASSERT_EQ(MapGid(*target, "0 " + A() + " 65536").exit_code, 0);
  EXPECT_EQ(target->Setgroups(), "allow\n");
  EXPECT_EQ(target->TrySetgroups(), 0);
}

TEST_F(IdmapTest, SubgidRangeWithOwnGidLeavesSetgroupsAllowed) {
  auto target = Target::Start(users_.a);
  ASSERT_EQ(MapUid(*target, "0 " + A() + " 65536").exit_code, 0);
  ASSERT_EQ(MapGid(*target, "0 " + std::to_string(users_.a.gid) + " 1 1 " + A() + " 65536").exit_code, 0);
  EXPECT_EQ(target->Setgroups(), "allow\n");
}

TEST_F(IdmapTest, HelpAndVersion) {
  auto help = RunHelperAs(users_.a, OurHelper(true), {"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_EQ(help.out.rfind("usage: uxc-newuidmap <pid>|fd:<N> <inside> <outside> <count>", 0), 0u) << help.out;
  auto gid_help = RunHelperAs(users_.a, OurHelper(false), {"--help"});
  EXPECT_NE(gid_help.out.find("setgroups"), std::string::npos);
  auto version = RunHelperAs(users_.a, OurHelper(false), {"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out.rfind("uxc-newgidmap (uxc) ", 0), 0u) << version.out;
}

TEST_F(IdmapTest, RefusesToRunWithoutTheSetuidBit) {
  std::string copy = SharedTempDir() + "/uxc-newuidmap-plain";
  ASSERT_EQ(uxc::testing::Run({"/bin/cp", OurHelper(true), copy}).exit_code, 0);
  chmod(copy.c_str(), 0755);
  auto target = Target::Start(users_.a);
  EXPECT_REFUSED(RunHelperAs(users_.a, copy, {std::to_string(target->pid()), "0", A(), "1"}),
                 "is not running setuid root (effective uid " + std::to_string(users_.a.uid) + ")");
}

// Root gets no exemption (as in shadow): its own uid 0 with count 1, or what
// /etc/subuid grants root, and only in namespaces root owns.
TEST_F(IdmapTest, RootCallerIsTreatedLikeAnyUser) {
  HostUser root{"root", 0, 0, "/root"};
  auto own = Target::Start(root);
  auto refused = RunHelperAs(root, OurHelper(true), {std::to_string(own->pid()), "0", A(), "1"});
  EXPECT_REFUSED(refused, "is not covered by /etc/subuid: root has no entry there");
  auto allowed = RunHelperAs(root, OurHelper(true), {std::to_string(own->pid()), "0", "0", "1"});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_EQ(own->UidMap(), MapLine(0, 0, 1));
  auto users = Target::Start(users_.a);
  EXPECT_REFUSED(RunHelperAs(root, OurHelper(true), {std::to_string(users->pid()), "0", "0", "1"}),
                 "not as you (uid 0)");
}

TEST_F(IdmapTest, ExplainsNoNewPrivs) {
  auto target = Target::Start(users_.a);
  HelperOptions options;
  options.no_new_privs = true;
  EXPECT_REFUSED(MapUid(*target, "0 " + A() + " 1", options), "no_new_privs");
  EXPECT_EQ(target->UidMap(), "");
}

}  // namespace
}  // namespace uxc::testing
