// `uxc destroy` of a container whose files belong to ids the user no longer
// maps: /etc/subuid moved or dropped the range after `uxc create` (issue 10).
// destroy must remove nothing and say what root must run, never leave a
// container without its config. Also `uxc create -B`.
#include <unistd.h>

#include "tests/integration/templates_fixture.h"

namespace uxc::testing {
namespace {

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

class DestroyTest : public TemplatesTest {
 protected:
  void SetUp() override {
    TemplatesTest::SetUp();
    if (HasFatalFailure()) return;
    auto made = Create("c1", "busybox");
    ASSERT_EQ(made.exit_code, 0) << made.err;
  }

  std::string Range(uid_t start, uid_t count) const {
    return user_.name + ":" + std::to_string(start) + ":" + std::to_string(count) + "\n";
  }

  // Nothing was removed: the config, the rootfs and its files, and ls's row.
  void ExpectContainerWhole(const std::string& destroy_err) {
    EXPECT_TRUE(Exists(ContainerDir("c1") + "/config")) << "destroy deleted the config";
    EXPECT_TRUE(Exists(Rootfs("c1") + "/bin/busybox")) << "destroy deleted part of the rootfs";
    EXPECT_TRUE(Exists(Rootfs("c1") + "/etc/inittab")) << "destroy deleted part of the rootfs";
    EXPECT_FALSE(Contains(destroy_err, "rm: cannot remove")) << destroy_err;
    auto listed = Uxc({"ls", "-P", path_, "-1"});
    EXPECT_EQ(listed.out, "c1\n") << listed.err;
  }
};

TEST_F(DestroyTest, RangeMovedAfterCreateRemovesNothingAndSaysWhatRootMustRun) {
  ScopedHostFile subuid("/etc/subuid", Range(700000, 65536));
  ScopedHostFile subgid("/etc/subgid", Range(700000, 65536));
  auto refused = Destroy("c1");
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "uxc destroy: cannot remove " + ContainerDir("c1"))) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "the rootfs is owned by host uid 200000, which is no longer in your "
                                    "subordinate range (/etc/subuid gives you 700000-765535 now)"))
      << refused.err;
  EXPECT_TRUE(Contains(refused.err, "Nothing was removed")) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "(`usermod --add-subuids 200000-265535 --add-subgids 200000-265535 " +
                                        user_.name + "`), then run `uxc destroy c1` again"))
      << refused.err;
  EXPECT_TRUE(Contains(refused.err, "`rm -rf --one-file-system -- " + ContainerDir("c1") + "`")) << refused.err;
  ExpectContainerWhole(refused.err);

  // With the range given back, as the message says, destroy finishes.
  subuid.Write(Range(kSubidStart, kSubidCount));
  subgid.Write(Range(kSubidStart, kSubidCount));
  auto destroyed = Destroy("c1");
  EXPECT_EQ(destroyed.exit_code, 0) << destroyed.err;
  EXPECT_TRUE(ListDirectory(path_).empty());
}

TEST_F(DestroyTest, RangeGoneAfterCreateRemovesNothing) {
  ScopedHostFile subuid("/etc/subuid", "");
  ScopedHostFile subgid("/etc/subgid", "");
  auto refused = Destroy("c1");
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "but you have no /etc/subuid entry now")) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "Nothing was removed")) << refused.err;
  ExpectContainerWhole(refused.err);
  // What the message tells root to run removes it.
  Shell("rm -rf --one-file-system -- " + ContainerDir("c1"));
  EXPECT_TRUE(ListDirectory(path_).empty());
}

TEST_F(DestroyTest, AFileOutsideANarrowedRangeIsNamed) {
  // Container uid 5000 owns one file; the range then shrinks to 1000 ids, so
  // the rootfs's owner still fits but that file does not.
  auto chowned = Uxc({"usernsexec", "--", "chown", "5000:5000", Rootfs("c1") + "/etc/inittab"});
  ASSERT_EQ(chowned.exit_code, 0) << chowned.err;
  ASSERT_EQ(StatOrDie(Rootfs("c1") + "/etc/inittab").st_uid, kSubidStart + 5000);
  ScopedHostFile subuid("/etc/subuid", Range(kSubidStart, 1000));
  ScopedHostFile subgid("/etc/subgid", Range(kSubidStart, 1000));
  auto refused = Destroy("c1");
  EXPECT_EQ(refused.exit_code, 1) << refused.err;
  EXPECT_TRUE(Contains(refused.err, "cannot remove " + Rootfs("c1") + "/etc/inittab: it belongs to an id you can "
                                    "no longer map"))
      << refused.err;
  EXPECT_TRUE(Contains(refused.err, "`rm -rf --one-file-system -- " + ContainerDir("c1") + "`")) << refused.err;
  ExpectContainerWhole(refused.err);
}

TEST_F(DestroyTest, ARangeThatStillMapsEverythingDestroys) {
  // The range grew: the rootfs's ids are still the user's.
  ScopedHostFile subuid("/etc/subuid", Range(kSubidStart, 2 * kSubidCount));
  ScopedHostFile subgid("/etc/subgid", Range(kSubidStart, 2 * kSubidCount));
  auto destroyed = Destroy("c1");
  EXPECT_EQ(destroyed.exit_code, 0) << destroyed.err;
  EXPECT_TRUE(ListDirectory(path_).empty());
}

using CreateBackingStoreTest = TemplatesTest;

TEST_F(CreateBackingStoreTest, OnlyDirIsAccepted) {
  auto made = Uxc({"create", "b1", "-P", path_, "-t", "busybox", "-B", "dir"});
  EXPECT_EQ(made.exit_code, 0) << made.err;
  EXPECT_TRUE(Exists(Rootfs("b1") + "/bin/busybox"));
  for (const char* store : {"lvm", "btrfs", "overlay"}) {
    auto refused = Uxc({"create", "b2", "-P", path_, "-t", "busybox", "-B", store});
    EXPECT_EQ(refused.exit_code, 2) << refused.err;
    EXPECT_TRUE(Contains(refused.err, "uxc create: -B " + std::string(store) + ": uxc keeps a rootfs in a plain "
                                      "directory only"))
        << refused.err;
    EXPECT_FALSE(Exists(ContainerDir("b2")));
  }
  EXPECT_EQ(Destroy("b1").exit_code, 0);
}

}  // namespace
}  // namespace uxc::testing
