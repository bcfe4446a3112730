#include "config/seccomp_profile.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace uxc::config {
namespace {

using Kind = SeccompAction::Kind;

SeccompProfile ParseOk(const std::string& text) {
  Result<SeccompProfile> profile = ParseSeccompProfile(text, "test.seccomp");
  EXPECT_TRUE(profile.ok()) << profile.error().ToString();
  return profile.ok() ? *profile : SeccompProfile{};
}

std::string ParseError(const std::string& text) {
  Result<SeccompProfile> profile = ParseSeccompProfile(text, "test.seccomp");
  EXPECT_FALSE(profile.ok()) << "parsed: " << text;
  return profile.ok() ? "" : profile.error().ToString();
}

TEST(SeccompProfileTest, DefaultProfileIsLxcCommonSeccomp) {
  SeccompProfile profile = ParseOk(std::string(DefaultSeccompProfileText()));
  EXPECT_EQ(profile.version, 2);
  EXPECT_EQ(profile.policy, SeccompProfile::Policy::kDenylist);
  EXPECT_EQ(profile.default_action, (SeccompAction{Kind::kAllow, 0}));
  ASSERT_EQ(profile.rules.size(), 6u);
  EXPECT_EQ(profile.rules[0].kind, SeccompRule::Kind::kRejectForceUmount);
  EXPECT_EQ(profile.rules[0].line, 3);
  const char* names[] = {"kexec_load", "open_by_handle_at", "init_module", "finit_module",
                         "delete_module"};
  for (int i = 0; i < 5; ++i) {
    const SeccompRule& rule = profile.rules[i + 1];
    EXPECT_EQ(rule.kind, SeccompRule::Kind::kSyscall);
    EXPECT_EQ(rule.syscall, names[i]);
    EXPECT_EQ(rule.action, (SeccompAction{Kind::kErrno, 1}));
    EXPECT_EQ(rule.arch, SeccompArch::kAll);
    EXPECT_EQ(rule.line, i + 5);
  }
}

TEST(SeccompProfileTest, DefaultProfileMatchesTheInstalledLxcFile) {
  int fd = open("/usr/share/lxc/config/common.seccomp", O_RDONLY | O_CLOEXEC);
  if (fd < 0) GTEST_SKIP() << "LXC is not installed (tools/packages lists it for CI)";
  std::string text;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0) text.append(buffer, n);
  close(fd);
  EXPECT_EQ(text, DefaultSeccompProfileText());
}

TEST(SeccompProfileTest, DenylistDefaults) {
  SeccompProfile profile = ParseOk("2\ndenylist\nmknod\n");
  EXPECT_EQ(profile.default_action.kind, Kind::kAllow);
  ASSERT_EQ(profile.rules.size(), 1u);
  EXPECT_EQ(profile.rules[0].action.kind, Kind::kKill);
}

TEST(SeccompProfileTest, AllowlistDefaults) {
  SeccompProfile profile = ParseOk("2\nallowlist\nread\n");
  EXPECT_EQ(profile.policy, SeccompProfile::Policy::kAllowlist);
  EXPECT_EQ(profile.default_action.kind, Kind::kKill);
  EXPECT_EQ(profile.rules[0].action.kind, Kind::kAllow);
}

TEST(SeccompProfileTest, OldPolicyNamesAreAccepted) {
  EXPECT_EQ(ParseOk("2\nblacklist\n").policy, SeccompProfile::Policy::kDenylist);
  EXPECT_EQ(ParseOk("2\nwhitelist\n").policy, SeccompProfile::Policy::kAllowlist);
  EXPECT_EQ(ParseOk("1\nwhitelist\n").policy, SeccompProfile::Policy::kAllowlist);
}

TEST(SeccompProfileTest, PolicyLineSetsTheDefaultAction) {
  EXPECT_EQ(ParseOk("2\nallowlist trap\n").default_action.kind, Kind::kTrap);
  EXPECT_EQ(ParseOk("2\nallowlist errno 38\n").default_action, (SeccompAction{Kind::kErrno, 38}));
  EXPECT_EQ(ParseOk("2\ndenylist kill\n").default_action.kind, Kind::kKill);
  EXPECT_EQ(ParseOk("2\nallowlist notify\n").default_action.kind, Kind::kNotify);
  EXPECT_EQ(ParseOk("2\ndenylist allow\n").default_action.kind, Kind::kAllow);
}

TEST(SeccompProfileTest, EveryRuleAction) {
  SeccompProfile profile = ParseOk(
      "2\ndenylist\n"
      "a kill\nb allow\nc trap\nd notify\ne errno 0\nf errno 4095\ng errno 0x10\n");
  ASSERT_EQ(profile.rules.size(), 7u);
  EXPECT_EQ(profile.rules[0].action.kind, Kind::kKill);
  EXPECT_EQ(profile.rules[1].action.kind, Kind::kAllow);
  EXPECT_EQ(profile.rules[2].action.kind, Kind::kTrap);
  EXPECT_EQ(profile.rules[3].action.kind, Kind::kNotify);
  EXPECT_EQ(profile.rules[4].action, (SeccompAction{Kind::kErrno, 0}));
  EXPECT_EQ(profile.rules[5].action, (SeccompAction{Kind::kErrno, 4095}));
  EXPECT_EQ(profile.rules[6].action, (SeccompAction{Kind::kErrno, 16}));
}

TEST(SeccompProfileTest, CommentsAndBlankLines) {
  SeccompProfile profile = ParseOk(
      "# leading comment\n"
      "\n"
      "2\n"
      "denylist  # trailing comment\n"
      "   # indented comment\n"
      "\n"
      "mknod errno 0   # no device nodes\n"
      "\r\n");
  ASSERT_EQ(profile.rules.size(), 1u);
  EXPECT_EQ(profile.rules[0].syscall, "mknod");
  EXPECT_EQ(profile.rules[0].line, 7);
  EXPECT_EQ(profile.policy_line, 4);
}

TEST(SeccompProfileTest, ArchSections) {
  SeccompProfile profile = ParseOk(
      "2\nallowlist\n"
      "read\n"
      "[x86_64]\nopen\n"
      "[X86]\nopen\n"
      "[x32]\nclose\n"
      "[ arm64 ]\nopenat\n"
      "[all]\nwrite\n"
      "[s390x]\nexit\n"
      "[MIPSEL64N32]\nexit\n"
      "[loongarch64]\nexit\n");
  std::vector<SeccompArch> arches;
  for (const SeccompRule& rule : profile.rules) arches.push_back(rule.arch);
  EXPECT_EQ(arches, (std::vector<SeccompArch>{
                        SeccompArch::kAll, SeccompArch::kX86_64, SeccompArch::kX86,
                        SeccompArch::kX32, SeccompArch::kArm64, SeccompArch::kAll,
                        SeccompArch::kS390x, SeccompArch::kMipsel64n32,
                        SeccompArch::kLoongarch64}));
  EXPECT_EQ(SeccompArchName(SeccompArch::kX86_64), "x86_64");
}

TEST(SeccompProfileTest, ArgumentComparisons) {
  SeccompProfile profile = ParseOk(
      "2\ndenylist\n"
      "ioctl errno 1 [1,0x5412,==]\n"
      "personality errno 1 [0, 8, SCMP_CMP_NE]\n"
      "clone errno 1 [0,0x10000000,&=,0x10000000] [1,0,!=]\n"
      "socket errno 97 [0,10,==][1,3,<=]\n"
      "mmap kill [2,010,>] [3,1,>=] [4,2,<] [5,3,SCMP_CMP_MASKED_EQ,7]\n"
      "kill allow [0,1,==]\n");
  ASSERT_EQ(profile.rules.size(), 6u);
  const SeccompRule& ioctl = profile.rules[0];
  ASSERT_EQ(ioctl.args.size(), 1u);
  EXPECT_EQ(ioctl.args[0], (SeccompArgCompare{1, SeccompCompare::kEq, 0x5412, 0}));
  EXPECT_EQ(profile.rules[1].args[0], (SeccompArgCompare{0, SeccompCompare::kNe, 8, 0}));
  const SeccompRule& clone = profile.rules[2];
  ASSERT_EQ(clone.args.size(), 2u);
  EXPECT_EQ(clone.args[0],
            (SeccompArgCompare{0, SeccompCompare::kMaskedEq, 0x10000000, 0x10000000}));
  EXPECT_EQ(clone.args[1], (SeccompArgCompare{1, SeccompCompare::kNe, 0, 0}));
  const SeccompRule& socket = profile.rules[3];
  EXPECT_EQ(socket.action, (SeccompAction{Kind::kErrno, 97}));
  ASSERT_EQ(socket.args.size(), 2u);
  EXPECT_EQ(socket.args[1], (SeccompArgCompare{1, SeccompCompare::kLe, 3, 0}));
  const SeccompRule& mmap = profile.rules[4];
  ASSERT_EQ(mmap.args.size(), 4u);
  EXPECT_EQ(mmap.args[0], (SeccompArgCompare{2, SeccompCompare::kGt, 8, 0}));
  EXPECT_EQ(mmap.args[1].op, SeccompCompare::kGe);
  EXPECT_EQ(mmap.args[2].op, SeccompCompare::kLt);
  EXPECT_EQ(mmap.args[3], (SeccompArgCompare{5, SeccompCompare::kMaskedEq, 3, 7}));
  EXPECT_EQ(profile.rules[5].syscall, "kill");
  EXPECT_EQ(profile.rules[5].action.kind, Kind::kAllow);
}

TEST(SeccompProfileTest, ComparisonWithoutActionUsesTheDefaultRuleAction) {
  SeccompProfile profile = ParseOk("2\ndenylist\nioctl [1,0x5412,==]\n");
  EXPECT_EQ(profile.rules[0].action.kind, Kind::kKill);
  EXPECT_EQ(profile.rules[0].args.size(), 1u);
}

TEST(SeccompProfileTest, RejectForceUmountKeepsItsSection) {
  SeccompProfile profile = ParseOk("2\ndenylist\n[x86_64]\nreject_force_umount\n");
  ASSERT_EQ(profile.rules.size(), 1u);
  EXPECT_EQ(profile.rules[0].kind, SeccompRule::Kind::kRejectForceUmount);
  EXPECT_EQ(profile.rules[0].arch, SeccompArch::kX86_64);
}

TEST(SeccompProfileTest, VersionOneListsNumbers) {
  SeccompProfile profile = ParseOk("1\nallowlist\n0\n1\n  60\n0x3c\n# comment\n\n231\n");
  EXPECT_EQ(profile.version, 1);
  std::vector<int> numbers;
  for (const SeccompRule& rule : profile.rules) {
    EXPECT_EQ(rule.kind, SeccompRule::Kind::kSyscallNumber);
    EXPECT_EQ(rule.action.kind, Kind::kAllow);
    numbers.push_back(rule.number);
  }
  EXPECT_EQ(numbers, (std::vector<int>{0, 1, 60, 60, 231}));
  EXPECT_EQ(profile.rules[4].line, 9);
}

TEST(SeccompProfileTest, ErrorsNameFileLineAndFix) {
  struct Case {
    const char* text;
    const char* expected;  // a part of the message
  } cases[] = {
      {"", "test.seccomp: the seccomp profile is empty"},
      {"# only a comment\n", "test.seccomp: the seccomp profile is empty"},
      {"2\n", "has no policy line"},
      {"3\ndenylist\n", "test.seccomp:1: unsupported seccomp profile version \"3\""},
      {"two\ndenylist\n", "test.seccomp:1: unsupported seccomp profile version"},
      {"2\ngreylist\n", "test.seccomp:2: unknown seccomp policy \"greylist\""},
      {"2\ndenylist debug\n", "test.seccomp:2: unknown policy action \"debug\""},
      {"2\ndenylist errno\n", "test.seccomp:2: the policy action errno needs a number"},
      {"2\ndenylist kill trap\n", "test.seccomp:2: unexpected \"trap\" after the action kill"},
      {"1\ndenylist\n", "test.seccomp:2: a version 1 profile can only be an allowlist"},
      {"1\nallowlist\nread\n", "test.seccomp:3: \"read\" is not a syscall number"},
      {"1\nallowlist\n-1\n", "test.seccomp:3: \"-1\" is not a syscall number"},
      {"2\ndenylist\nmknod errno\n", "test.seccomp:3: the rule action errno needs a number"},
      {"2\ndenylist\nmknod errno 4096\n", "test.seccomp:3: bad errno value \"4096\""},
      {"2\ndenylist\nmknod errno -1\n", "test.seccomp:3: bad errno value \"-1\""},
      {"2\ndenylist\nmknod log\n", "test.seccomp:3: unknown rule action \"log\""},
      {"2\ndenylist\nmknod errno 1 2\n", "test.seccomp:3: unexpected \"2\" after the action"},
      {"2\ndenylist\nMknod\n", "test.seccomp:3: \"Mknod\" is not a syscall name"},
      {"2\ndenylist\n[sparc]\n", "test.seccomp:3: unknown architecture section \"[sparc]\""},
      {"2\ndenylist\n[x86_64\n", "test.seccomp:3: unterminated architecture section"},
      {"2\ndenylist\nreject_force_umount kill\n",
       "test.seccomp:3: reject_force_umount takes no action"},
      {"2\ndenylist\n\nioctl errno 1 [1,2]\n", "test.seccomp:4: bad argument comparison [1,2]"},
      {"2\ndenylist\nioctl errno 1 [1,2,==,3,4]\n", "test.seccomp:3: bad argument comparison"},
      {"2\ndenylist\nioctl errno 1 [6,2,==]\n", "test.seccomp:3: bad argument index \"6\""},
      {"2\ndenylist\nioctl errno 1 [x,2,==]\n", "test.seccomp:3: bad argument index \"x\""},
      {"2\ndenylist\nioctl errno 1 [1,-2,==]\n", "test.seccomp:3: bad value \"-2\""},
      {"2\ndenylist\nioctl errno 1 [1,99999999999999999999,==]\n", "bad value"},
      {"2\ndenylist\nioctl errno 1 [1,2,=]\n", "test.seccomp:3: unknown comparison \"=\""},
      {"2\ndenylist\nioctl errno 1 [1,2,&=,zz]\n", "test.seccomp:3: bad mask \"zz\""},
      {"2\ndenylist\nioctl errno 1 [1,2,==\n", "test.seccomp:3: unterminated argument"},
      {"2\ndenylist\nioctl errno 1 [1,2,==] junk\n", "test.seccomp:3: unexpected \"junk\""},
      {"2\ndenylist\n [1,2,==]\n", "test.seccomp:3: unknown architecture section \"[1,2,==]\""},
      {"2\ndenylist\nioctl [0,1,==] [1,1,==] [2,1,==] [3,1,==] [4,1,==] [5,1,==] [0,2,==]\n",
       "test.seccomp:3: more than 6 argument comparisons"},
  };
  for (const Case& c : cases) {
    std::string message = ParseError(c.text);
    EXPECT_NE(message.find(c.expected), std::string::npos)
        << "profile: " << c.text << "\nmessage: " << message;
  }
}

TEST(SeccompProfileTest, LoadReadsTheFileAndNamesItInErrors) {
  const char* tmp = getenv("TEST_TMPDIR");
  std::string path = std::string(tmp != nullptr ? tmp : "/tmp") + "/profile.seccomp";
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  std::string text = "2\ndenylist\nbogus action\n";
  ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  close(fd);
  Result<SeccompProfile> profile = LoadSeccompProfile(path);
  ASSERT_FALSE(profile.ok());
  EXPECT_EQ(profile.error().message.rfind(path + ":3: unknown rule action \"action\"", 0), 0u)
      << profile.error().message;

  Result<SeccompProfile> missing = LoadSeccompProfile(path + ".missing");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().errno_value, ENOENT);
  EXPECT_NE(missing.error().message.find(path + ".missing"), std::string::npos);
}

}  // namespace
}  // namespace uxc::config
