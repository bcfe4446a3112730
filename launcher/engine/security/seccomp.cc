#include "launcher/engine/security/seccomp.h"

#include <linux/seccomp.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <map>
#include <cerrno>
#include <memory>
#include <utility>

#include "base/unique_fd.h"

namespace uxc::security {
namespace {

using config::SeccompAction;
using config::SeccompArch;
using config::SeccompArgCompare;
using config::SeccompCompare;
using config::SeccompProfile;
using config::SeccompRule;

struct ArchToken {
  SeccompArch arch;
  uint32_t token;
};

constexpr std::array<ArchToken, 16> kArchTokens = {{
    {SeccompArch::kX86, SCMP_ARCH_X86},
    {SeccompArch::kX32, SCMP_ARCH_X32},
    {SeccompArch::kX86_64, SCMP_ARCH_X86_64},
    {SeccompArch::kArm, SCMP_ARCH_ARM},
    {SeccompArch::kArm64, SCMP_ARCH_AARCH64},
    {SeccompArch::kPpc, SCMP_ARCH_PPC},
    {SeccompArch::kPpc64, SCMP_ARCH_PPC64},
    {SeccompArch::kPpc64le, SCMP_ARCH_PPC64LE},
    {SeccompArch::kMips, SCMP_ARCH_MIPS},
    {SeccompArch::kMips64, SCMP_ARCH_MIPS64},
    {SeccompArch::kMips64n32, SCMP_ARCH_MIPS64N32},
    {SeccompArch::kMipsel, SCMP_ARCH_MIPSEL},
    {SeccompArch::kMipsel64, SCMP_ARCH_MIPSEL64},
    {SeccompArch::kMipsel64n32, SCMP_ARCH_MIPSEL64N32},
    {SeccompArch::kS390, SCMP_ARCH_S390},
    {SeccompArch::kS390x, SCMP_ARCH_S390X},
}};

std::string ArchName(uint32_t token) {
  for (const ArchToken& entry : kArchTokens) {
    if (entry.token == token) return std::string(config::SeccompArchName(entry.arch));
  }
  return "arch " + std::to_string(token);
}

// The architectures whose syscalls a process on this host can make: the
// native one and the compat ABIs the kernel may offer beside it.
std::vector<uint32_t> HostArchitectures() {
  uint32_t native = seccomp_arch_native();
  switch (native) {
    case SCMP_ARCH_X86_64:
      return {native, SCMP_ARCH_X86, SCMP_ARCH_X32};
    case SCMP_ARCH_AARCH64:
      return {native, SCMP_ARCH_ARM};
    case SCMP_ARCH_PPC64:
      return {native, SCMP_ARCH_PPC};
    case SCMP_ARCH_MIPS64:
      return {native, SCMP_ARCH_MIPS, SCMP_ARCH_MIPS64N32};
    case SCMP_ARCH_MIPSEL64:
      return {native, SCMP_ARCH_MIPSEL, SCMP_ARCH_MIPSEL64N32};
    case SCMP_ARCH_S390X:
      return {native, SCMP_ARCH_S390};
    default:
      return {native};
  }
}

bool RuleAppliesTo(SeccompArch section, uint32_t token) {
  if (section == SeccompArch::kAll) return true;
  for (const ArchToken& entry : kArchTokens) {
    if (entry.arch == section) return entry.token == token;
  }
  return false;  // a section libseccomp does not know, e.g. loongarch64
}

uint32_t ScmpAction(const SeccompAction& action) {
  switch (action.kind) {
    case SeccompAction::Kind::kKill:
      return SCMP_ACT_KILL_PROCESS;
    case SeccompAction::Kind::kAllow:
      return SCMP_ACT_ALLOW;
    case SeccompAction::Kind::kTrap:
      return SCMP_ACT_TRAP;
    case SeccompAction::Kind::kErrno:
      return SCMP_ACT_ERRNO(static_cast<uint16_t>(action.errno_value));
    case SeccompAction::Kind::kNotify:
      // Without a listener the kernel answers a notify action with ENOSYS
      // (seccomp(2), SECCOMP_RET_USER_NOTIF); uxc says so in the filter.
      return SCMP_ACT_ERRNO(ENOSYS);
  }
  return SCMP_ACT_KILL_PROCESS;
}

scmp_compare ScmpCompare(SeccompCompare op) {
  switch (op) {
    case SeccompCompare::kNe:
      return SCMP_CMP_NE;
    case SeccompCompare::kLt:
      return SCMP_CMP_LT;
    case SeccompCompare::kLe:
      return SCMP_CMP_LE;
    case SeccompCompare::kEq:
      return SCMP_CMP_EQ;
    case SeccompCompare::kGe:
      return SCMP_CMP_GE;
    case SeccompCompare::kGt:
      return SCMP_CMP_GT;
    case SeccompCompare::kMaskedEq:
      return SCMP_CMP_MASKED_EQ;
  }
  return SCMP_CMP_EQ;
}

std::vector<scmp_arg_cmp> ScmpComparisons(const std::vector<SeccompArgCompare>& args) {
  std::vector<scmp_arg_cmp> comparisons;
  for (const SeccompArgCompare& arg : args) {
    scmp_arg_cmp cmp{};
    cmp.arg = arg.index;
    cmp.op = ScmpCompare(arg.op);
    // libseccomp: SCMP_CMP_MASKED_EQ tests (arg & datum_a) == datum_b.
    if (arg.op == SeccompCompare::kMaskedEq) {
      cmp.datum_a = arg.mask;
      cmp.datum_b = arg.value;
    } else {
      cmp.datum_a = arg.value;
    }
    comparisons.push_back(cmp);
  }
  return comparisons;
}

struct ContextRelease {
  void operator()(void* context) const { seccomp_release(context); }
};
using Context = std::unique_ptr<void, ContextRelease>;

struct ArchContext {
  uint32_t arch;
  Context context;
};

Result<ArchContext> NewContext(uint32_t arch, uint32_t default_action) {
  Context context(seccomp_init(default_action));
  if (!context) return PlainError("create a seccomp filter (libseccomp: seccomp_init failed)");
  // The child sets no_new_privs itself when lxc.no_new_privs asks for it;
  // loading the filter must not imply it (LXC does the same).
  int ret = seccomp_attr_set(context.get(), SCMP_FLTATR_CTL_NNP, 0);
  if (ret < 0) return ErrnoError(-ret, "turn off no_new_privs in the seccomp filter");
  if (arch != seccomp_arch_native()) {
    ret = seccomp_arch_add(context.get(), arch);
    if (ret < 0) return ErrnoError(-ret, "add " + ArchName(arch) + " to the seccomp filter");
    ret = seccomp_arch_remove(context.get(), SCMP_ARCH_NATIVE);
    if (ret < 0) return ErrnoError(-ret, "split the seccomp filter by architecture");
  }
  return ArchContext{arch, std::move(context)};
}

// The BPF program of a finished filter; `file` names it in errors.
Result<std::vector<sock_filter>> Export(void* context, const std::string& file) {
  UniqueFd memory(memfd_create("uxc-seccomp", MFD_CLOEXEC));
  if (!memory) return ErrnoError("create a memfd for the seccomp filter");
  int ret = seccomp_export_bpf(context, memory.get());
  if (ret < 0) return ErrnoError(-ret, "compile the seccomp filter to BPF");
  off_t size = lseek(memory.get(), 0, SEEK_END);
  if (size < 0) return ErrnoError("measure the compiled seccomp filter");
  if (size % sizeof(sock_filter) != 0 || size == 0) {
    return PlainError("libseccomp produced a malformed BPF program of " +
                      std::to_string(size) + " bytes");
  }
  size_t length = static_cast<size_t>(size) / sizeof(sock_filter);
  if (length > BPF_MAXINSNS) {
    return PlainError(file + ": the seccomp profile compiles to " +
                      std::to_string(length) + " BPF instructions, more than the kernel's " +
                      std::to_string(BPF_MAXINSNS) + "; use fewer rules");
  }
  std::vector<sock_filter> program(length);
  char* bytes = reinterpret_cast<char*>(program.data());
  size_t done = 0;
  while (done < static_cast<size_t>(size)) {
    ssize_t n = pread(memory.get(), bytes + done, static_cast<size_t>(size) - done,
                      static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return ErrnoError("read back the compiled seccomp filter");
    done += static_cast<size_t>(n);
  }
  return program;
}

// Builds one filter from a profile; keeps the state of one build. A review
// walks the rules as a build does, for its warnings, but leaves libseccomp's
// filters empty (null) and compiles nothing.
class FilterBuilder {
 public:
  enum class Mode { kCompile, kReview };
  FilterBuilder(const SeccompProfile& profile, Mode mode) : profile_(profile), mode_(mode) {}

  Result<SeccompFilter> Build() {
    default_action_ = ScmpAction(profile_.default_action);
    NoteNotify(profile_.default_action, profile_.policy_line);
    std::vector<uint32_t> arches =
        profile_.version == 1 ? std::vector<uint32_t>{seccomp_arch_native()} : HostArchitectures();
    for (uint32_t arch : arches) {
      if (mode_ == Mode::kReview) {
        contexts_.push_back(ArchContext{arch, nullptr});
        continue;
      }
      UXC_ASSIGN_OR_RETURN(ArchContext context, NewContext(arch, default_action_));
      contexts_.push_back(std::move(context));
    }
    for (const SeccompRule& rule : profile_.rules) UXC_RETURN_IF_ERROR(AddRule(rule));
    if (mode_ == Mode::kReview) return std::move(filter_);
    UXC_RETURN_IF_ERROR(MergeContexts());
    UXC_ASSIGN_OR_RETURN(std::vector<sock_filter> program, Export(contexts_[0].context.get(), profile_.file));
    filter_.program = std::move(program);
    return std::move(filter_);
  }

 private:
  std::string Where(int line) const { return profile_.file + ":" + std::to_string(line); }

  void NoteNotify(const SeccompAction& action, int line) {
    if (action.kind != SeccompAction::Kind::kNotify || notify_noted_) return;
    notify_noted_ = true;
    filter_.warnings.push_back(
        Where(line) +
        ": the notify action needs a seccomp listener, and uxc runs none "
        "(lxc.seccomp.notify.proxy is not supported); such syscalls fail with ENOSYS");
  }

  Status AddRule(const SeccompRule& rule) {
    NoteNotify(rule.action, rule.line);
    switch (rule.kind) {
      case SeccompRule::Kind::kRejectForceUmount: {
        SeccompRule umount = rule;
        umount.syscall = "umount2";
        umount.action = {SeccompAction::Kind::kErrno, EACCES};
        umount.args = {{1, SeccompCompare::kMaskedEq, MNT_FORCE, MNT_FORCE}};
        return AddNamedRule(umount);
      }
      case SeccompRule::Kind::kSyscallNumber:
        return AddToContext(contexts_[0], rule, rule.number, "syscall " + std::to_string(rule.number));
      case SeccompRule::Kind::kSyscall:
        return AddNamedRule(rule);
    }
    return OkStatus();
  }

  Status AddNamedRule(const SeccompRule& rule) {
    // libseccomp takes native syscall numbers (negative pseudo numbers for
    // calls the native ABI lacks) and translates them per architecture.
    int native_number = seccomp_syscall_resolve_name(rule.syscall.c_str());
    if (native_number == __NR_SCMP_ERROR) {
      filter_.warnings.push_back(Where(rule.line) + ": unknown syscall \"" + rule.syscall +
                                 "\" (libseccomp knows no such name); the rule is ignored");
      return OkStatus();
    }
    for (ArchContext& context : contexts_) {
      if (!RuleAppliesTo(rule.arch, context.arch)) continue;
      if (seccomp_syscall_resolve_name_arch(context.arch, rule.syscall.c_str()) < 0) continue;
      UXC_RETURN_IF_ERROR(AddToContext(context, rule, native_number, rule.syscall));
    }
    return OkStatus();
  }

  Status AddToContext(ArchContext& context, const SeccompRule& rule, int number,
                      const std::string& what) {
    uint32_t action = ScmpAction(rule.action);
    // A rule that repeats the default changes nothing, and libseccomp
    // refuses it.
    if (action == default_action_) return OkStatus();
    if (rule.args.empty() && !FirstUnconditionalRule(context.arch, number, rule, what)) {
      return OkStatus();
    }
    if (mode_ == Mode::kReview) return OkStatus();
    std::vector<scmp_arg_cmp> comparisons = ScmpComparisons(rule.args);
    int ret = seccomp_rule_add_array(context.context.get(), action, number,
                                     static_cast<unsigned>(comparisons.size()),
                                     comparisons.empty() ? nullptr : comparisons.data());
    if (ret < 0) {
      return ErrnoError(-ret, Where(rule.line) + ": add the seccomp rule for " + what + " (" +
                                  rule.action.ToString() + ") on " + ArchName(context.arch) +
                                  "; check that it does not contradict an earlier rule");
    }
    return OkStatus();
  }

  // libseccomp silently keeps the first of two rules for the same call;
  // say so when a later one is dropped.
  bool FirstUnconditionalRule(uint32_t arch, int number, const SeccompRule& rule,
                              const std::string& what) {
    auto [existing, inserted] = unconditional_.try_emplace({arch, number}, rule.line);
    if (inserted) return true;
    if (arch == contexts_[0].arch) {
      filter_.warnings.push_back(Where(rule.line) + ": " + what + " already has a rule on line " +
                                 std::to_string(existing->second) + "; this one (" +
                                 rule.action.ToString() + ") is ignored");
    }
    return false;
  }

  Status MergeContexts() {
    for (size_t i = 1; i < contexts_.size(); ++i) {
      int ret = seccomp_merge(contexts_[0].context.get(), contexts_[i].context.get());
      if (ret < 0) {
        return ErrnoError(-ret, "merge the " + ArchName(contexts_[i].arch) + " seccomp filter");
      }
      // On success seccomp_merge(3) has released the merged-in filter.
      (void)contexts_[i].context.release();
    }
    contexts_.resize(1);
    return OkStatus();
  }

  const SeccompProfile& profile_;
  const Mode mode_;
  uint32_t default_action_ = SCMP_ACT_KILL_PROCESS;
  std::vector<ArchContext> contexts_;
  SeccompFilter filter_;
  bool notify_noted_ = false;
  std::map<std::pair<uint32_t, int>, int> unconditional_;  // (arch, nr) -> line
};

}  // namespace

Result<SeccompFilter> BuildSeccompFilter(const config::SeccompProfile& profile) {
  return FilterBuilder(profile, FilterBuilder::Mode::kCompile).Build();
}

std::vector<std::string> ReviewSeccompProfile(const config::SeccompProfile& profile) {
  // A review calls nothing that fails: only name lookups, no filter.
  Result<SeccompFilter> reviewed = FilterBuilder(profile, FilterBuilder::Mode::kReview).Build();
  return reviewed.ok() ? std::move(reviewed->warnings) : std::vector<std::string>();
}

Result<std::vector<sock_filter>> BuildTerminalIoctlFilter() {
  std::vector<ArchContext> contexts;
  for (uint32_t arch : HostArchitectures()) {
    UXC_ASSIGN_OR_RETURN(ArchContext context, NewContext(arch, SCMP_ACT_ALLOW));
    int ret = seccomp_attr_set(context.context.get(), SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_ALLOW);
    if (ret < 0) return ErrnoError(-ret, "let the terminal filter pass other architectures");
    for (unsigned long command : {TIOCSTI, TIOCLINUX}) {
      ret = seccomp_rule_add(context.context.get(), SCMP_ACT_ERRNO(EPERM), SCMP_SYS(ioctl), 1,
                             SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffu, command));
      if (ret < 0) return ErrnoError(-ret, "refuse TIOCSTI and TIOCLINUX on " + ArchName(arch));
    }
    contexts.push_back(std::move(context));
  }
  for (size_t i = 1; i < contexts.size(); ++i) {
    int ret = seccomp_merge(contexts[0].context.get(), contexts[i].context.get());
    if (ret < 0) {
      return ErrnoError(-ret, "merge the terminal filter of " + ArchName(contexts[i].arch));
    }
    (void)contexts[i].context.release();  // seccomp_merge(3) released it
  }
  return Export(contexts[0].context.get(), "the terminal filter");
}

int LoadSeccompFilter(const sock_filter* program, size_t length) {
  sock_fprog fprog{};
  fprog.len = static_cast<unsigned short>(length);
  fprog.filter = const_cast<sock_filter*>(program);
  return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) == 0 ? 0 : -1;
}

}  // namespace uxc::security
