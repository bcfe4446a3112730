#include "launcher/engine/security/caps.h"

#include <gtest/gtest.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <fstream>
#include <string>

#include "launcher/engine/security/test_child.h"

namespace uxc::security {
namespace {

using testing::Report;
using testing::RunInChild;
using testing::StatusField;

uint64_t Mask(const std::vector<int>& caps) {
  uint64_t mask = 0;
  for (int cap : caps) mask |= uint64_t{1} << cap;
  return mask;
}

uint64_t AllCaps() { return (uint64_t{1} << KernelCapabilityCount()) - 1; }

uint64_t StatusMask(const std::string& field) {
  return std::stoull(StatusField(field), nullptr, 16);
}

TEST(BoundingSetDropsTest, NothingConfiguredDropsOnlyMknod) {
  EXPECT_EQ(BoundingSetDrops(std::nullopt, {}, 41), (std::vector<int>{CAP_MKNOD}));
}

TEST(BoundingSetDropsTest, DropListAddsToMknodInOrder) {
  EXPECT_EQ(BoundingSetDrops(std::nullopt, {CAP_SYS_TIME, CAP_NET_RAW, CAP_SYS_TIME}, 41),
            (std::vector<int>{CAP_NET_RAW, CAP_SYS_TIME, CAP_MKNOD}));
}

TEST(BoundingSetDropsTest, KeepListDropsEverythingElse) {
  std::vector<int> drops = BoundingSetDrops(std::vector<int>{CAP_CHOWN, CAP_SETUID}, {}, 41);
  EXPECT_EQ(drops.size(), 39u);
  EXPECT_EQ(Mask(drops), ((uint64_t{1} << 41) - 1) & ~Mask({CAP_CHOWN, CAP_SETUID}));
}

TEST(BoundingSetDropsTest, KeepingMknodKeepsIt) {
  std::vector<int> drops = BoundingSetDrops(std::vector<int>{CAP_MKNOD}, {}, 41);
  EXPECT_EQ(Mask(drops) & Mask({CAP_MKNOD}), 0u);
}

TEST(BoundingSetDropsTest, KeepNoneDropsAll) {
  EXPECT_EQ(BoundingSetDrops(std::vector<int>{}, {}, 41).size(), 41u);
}

TEST(BoundingSetDropsTest, CapsTheKernelLacksAreLeftOut) {
  EXPECT_EQ(BoundingSetDrops(std::nullopt, {40}, 38), (std::vector<int>{CAP_MKNOD}));
}

TEST(CapsTest, KernelCountMatchesProc) {
  std::ifstream last("/proc/sys/kernel/cap_last_cap");
  int last_cap = -1;
  last >> last_cap;
  ASSERT_GE(last_cap, CAP_AUDIT_READ);
  EXPECT_EQ(KernelCapabilityCount(), last_cap + 1);
}

TEST(CapsTest, NamesComeFromLibcap) {
  EXPECT_EQ(CapabilityName(CAP_SYS_ADMIN), "cap_sys_admin");
  EXPECT_EQ(CapabilityName(CAP_MKNOD), "cap_mknod");
}

TEST(CapsKernelTest, DropBoundingSetChangesOnlyTheBoundingSet) {
  auto result = RunInChild([](int report) {
    uint64_t inherited = StatusMask("CapBnd");
    launcher::ChildReport error;
    if (DropBoundingSet({CAP_MKNOD, CAP_SYS_ADMIN, CAP_NET_RAW}, &error) != 0) {
      Report(report, std::string("failed: ") + error.text);
      return 1;
    }
    Report(report, "CapBnd " + StatusField("CapBnd"));
    Report(report, "CapEff " + StatusField("CapEff"));
    return StatusMask("CapBnd") == (inherited & ~Mask({CAP_MKNOD, CAP_SYS_ADMIN, CAP_NET_RAW})) &&
                   StatusMask("CapEff") == AllCaps() &&
                   prctl(PR_CAPBSET_READ, CAP_SYS_ADMIN) == 0 &&
                   prctl(PR_CAPBSET_READ, CAP_CHOWN) == 1
               ? 0
               : 2;
  });
  EXPECT_EQ(result.exit_code, 0) << result.report;
}

TEST(CapsKernelTest, DroppedCapsStayDroppedAcrossExec) {
  auto result = RunInChild([](int report) {
    launcher::ChildReport error;
    if (DropBoundingSet(BoundingSetDrops(std::vector<int>{CAP_CHOWN}, {}, KernelCapabilityCount()),
                        &error) != 0) {
      Report(report, std::string("failed: ") + error.text);
      return 1;
    }
    dup2(report, STDOUT_FILENO);
    execl("/bin/grep", "grep", "^CapBnd", "/proc/self/status", nullptr);
    return 3;
  });
  EXPECT_EQ(result.exit_code, 0) << result.report;
  EXPECT_EQ(result.report, "CapBnd:\t0000000000000001\n");
}

TEST(CapsKernelTest, ClearInheritableAndAmbient) {
  auto result = RunInChild([](int report) {
    // Raise net_raw into the inheritable and ambient sets first.
    __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
    syscall(SYS_capget, &header, data);
    data[0].inheritable |= 1u << CAP_NET_RAW;
    if (syscall(SYS_capset, &header, data) != 0 ||
        prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, CAP_NET_RAW, 0, 0) != 0) {
      Report(report, std::string("raise: ") + strerror(errno));
      return 1;
    }
    Report(report, "before " + StatusField("CapInh") + " " + StatusField("CapAmb"));
    launcher::ChildReport error;
    if (ClearInheritableAndAmbient(&error) != 0) {
      Report(report, std::string("failed: ") + error.text);
      return 1;
    }
    Report(report, "after " + StatusField("CapInh") + " " + StatusField("CapAmb"));
    return StatusMask("CapInh") == 0 && StatusMask("CapAmb") == 0 &&
                   StatusMask("CapEff") == AllCaps()
               ? 0
               : 2;
  });
  EXPECT_EQ(result.exit_code, 0) << result.report;
  EXPECT_NE(result.report.find("before 0000000000002000 0000000000002000"), std::string::npos)
      << result.report;
}

TEST(CapsKernelTest, FailureNamesTheStepAndKeepsErrno) {
  // Without CAP_SETPCAP the bounding set cannot shrink (prctl(2), EPERM).
  auto result = RunInChild(
      [](int report) {
        if (geteuid() == 0 && setresuid(65534, 65534, 65534) != 0) return 1;
        launcher::ChildReport error;
        int ret = DropBoundingSet({CAP_SYS_ADMIN}, &error);
        Report(report, std::string(error.text) + "|" + std::to_string(error.errno_value));
        return ret == -1 ? 0 : 2;
      },
      /*new_user_namespace=*/false);
  EXPECT_EQ(result.exit_code, 0) << result.report;
  EXPECT_EQ(result.report, "drop capability 21 from the bounding set|" + std::to_string(EPERM) + "\n");
}

}  // namespace
}  // namespace uxc::security
