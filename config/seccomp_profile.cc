#include "config/seccomp_profile.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>
#include <utility>

#include "base/text.h"
#include "base/unique_fd.h"
#include "config/text_util.h"

namespace uxc::config {
namespace {

// The kernel caps a filter's errno at MAX_ERRNO (seccomp(2), SECCOMP_RET_ERRNO).
constexpr int kMaxErrno = 4095;
constexpr size_t kMaxArgCompares = 6;
constexpr size_t kMaxProfileBytes = 1 << 20;

constexpr std::array<std::pair<std::string_view, SeccompArch>, 18> kArchNames = {{
    {"all", SeccompArch::kAll},
    {"x86", SeccompArch::kX86},
    {"x32", SeccompArch::kX32},
    {"x86_64", SeccompArch::kX86_64},
    {"arm", SeccompArch::kArm},
    {"arm64", SeccompArch::kArm64},
    {"ppc", SeccompArch::kPpc},
    {"ppc64", SeccompArch::kPpc64},
    {"ppc64le", SeccompArch::kPpc64le},
    {"mips", SeccompArch::kMips},
    {"mips64", SeccompArch::kMips64},
    {"mips64n32", SeccompArch::kMips64n32},
    {"mipsel", SeccompArch::kMipsel},
    {"mipsel64", SeccompArch::kMipsel64},
    {"mipsel64n32", SeccompArch::kMipsel64n32},
    {"s390", SeccompArch::kS390},
    {"s390x", SeccompArch::kS390x},
    {"loongarch64", SeccompArch::kLoongarch64},
}};

constexpr std::array<std::pair<std::string_view, SeccompCompare>, 14> kCompareNames = {{
    {"!=", SeccompCompare::kNe},
    {"SCMP_CMP_NE", SeccompCompare::kNe},
    {"<", SeccompCompare::kLt},
    {"SCMP_CMP_LT", SeccompCompare::kLt},
    {"<=", SeccompCompare::kLe},
    {"SCMP_CMP_LE", SeccompCompare::kLe},
    {"==", SeccompCompare::kEq},
    {"SCMP_CMP_EQ", SeccompCompare::kEq},
    {">=", SeccompCompare::kGe},
    {"SCMP_CMP_GE", SeccompCompare::kGe},
    {">", SeccompCompare::kGt},
    {"SCMP_CMP_GT", SeccompCompare::kGt},
    {"&=", SeccompCompare::kMaskedEq},
    {"SCMP_CMP_MASKED_EQ", SeccompCompare::kMaskedEq},
}};

constexpr std::string_view kDefaultProfile =
    "2\n"
    "denylist\n"
    "reject_force_umount  # comment this to allow umount -f;  not recommended\n"
    "[all]\n"
    "kexec_load errno 1\n"
    "open_by_handle_at errno 1\n"
    "init_module errno 1\n"
    "finit_module errno 1\n"
    "delete_module errno 1\n";

constexpr std::string_view kActionHelp =
    "an action is one of kill, allow, trap, notify or errno N (N from 0 to 4095)";

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

// An unsigned number in C notation: decimal, 0x hexadecimal or 0 octal.
std::optional<uint64_t> ParseUnsigned(std::string_view text) {
  int base = 10;
  if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text.remove_prefix(2);
  } else if (text.size() > 1 && text[0] == '0') {
    base = 8;
    text.remove_prefix(1);
  }
  if (text.empty()) return std::nullopt;
  uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Parses the text of one profile line by line, remembering where it is.
class ProfileParser {
 public:
  ProfileParser(std::string_view text, const std::string& file) : text_(text) {
    profile_.file = file;
  }

  Result<SeccompProfile> Parse() {
    bool have_version = false;
    bool have_policy = false;
    while (NextLine()) {
      if (line_.empty()) continue;
      if (!have_version) {
        UXC_RETURN_IF_ERROR(ParseVersion());
        have_version = true;
      } else if (!have_policy) {
        UXC_RETURN_IF_ERROR(ParsePolicy());
        have_policy = true;
      } else if (profile_.version == 1) {
        UXC_RETURN_IF_ERROR(ParseNumberRule());
      } else if (line_.front() == '[') {
        UXC_RETURN_IF_ERROR(ParseSection());
      } else {
        UXC_RETURN_IF_ERROR(ParseRule());
      }
    }
    if (!have_version) {
      return PlainError(profile_.file +
                        ": the seccomp profile is empty; its first line is the version, 1 or 2");
    }
    if (!have_policy) {
      return PlainError(profile_.file + ": the seccomp profile has no policy line after the " +
                        "version; write \"denylist\" or \"allowlist\" on line 2");
    }
    return std::move(profile_);
  }

 private:
  // Moves to the next line with its comment and surrounding blanks removed.
  bool NextLine() {
    if (at_ >= text_.size()) return false;
    size_t end = text_.find('\n', at_);
    if (end == std::string_view::npos) end = text_.size();
    std::string_view line = text_.substr(at_, end - at_);
    at_ = end + 1;
    ++line_number_;
    size_t comment = line.find('#');
    if (comment != std::string_view::npos) line = line.substr(0, comment);
    line_ = Trim(line);
    return true;
  }

  Error LineError(const std::string& message) const {
    return PlainError(profile_.file + ":" + std::to_string(line_number_) + ": " + message);
  }

  Status ParseVersion() {
    if (line_ == "1" || line_ == "2") {
      profile_.version = line_ == "1" ? 1 : 2;
      return OkStatus();
    }
    return LineError("unsupported seccomp profile version \"" + std::string(line_) +
                     "\"; the first line must be 1 or 2");
  }

  Status ParsePolicy() {
    std::vector<std::string_view> words = SplitFields(line_);
    std::string policy = Lower(words[0]);
    profile_.policy_line = line_number_;
    if (policy == "denylist" || policy == "blacklist") {
      if (profile_.version == 1) {
        return LineError("a version 1 profile can only be an allowlist of syscall numbers; "
                         "write \"allowlist\", or use version 2 for a denylist");
      }
      profile_.policy = SeccompProfile::Policy::kDenylist;
      profile_.default_action = {SeccompAction::Kind::kAllow, 0};
      rule_action_ = {SeccompAction::Kind::kKill, 0};
    } else if (policy == "allowlist" || policy == "whitelist") {
      profile_.policy = SeccompProfile::Policy::kAllowlist;
      profile_.default_action = {SeccompAction::Kind::kKill, 0};
      rule_action_ = {SeccompAction::Kind::kAllow, 0};
    } else {
      return LineError("unknown seccomp policy \"" + std::string(words[0]) +
                       "\"; line 2 is \"denylist\" or \"allowlist\", optionally followed by the "
                       "default action");
    }
    if (words.size() == 1) return OkStatus();
    UXC_ASSIGN_OR_RETURN(SeccompAction action, ParseAction(words, 1, "policy"));
    profile_.default_action = action;
    return OkStatus();
  }

  // words[first...] name exactly one action.
  Result<SeccompAction> ParseAction(const std::vector<std::string_view>& words, size_t first,
                                    const char* what) const {
    std::string name = Lower(words[first]);
    size_t expected_words = 1;
    SeccompAction action;
    if (name == "kill") {
      action.kind = SeccompAction::Kind::kKill;
    } else if (name == "allow") {
      action.kind = SeccompAction::Kind::kAllow;
    } else if (name == "trap") {
      action.kind = SeccompAction::Kind::kTrap;
    } else if (name == "notify") {
      action.kind = SeccompAction::Kind::kNotify;
    } else if (name == "errno") {
      action.kind = SeccompAction::Kind::kErrno;
      expected_words = 2;
      if (words.size() < first + 2) {
        return LineError(std::string("the ") + what + " action errno needs a number, e.g. " +
                         "\"errno 1\" for EPERM");
      }
      std::optional<uint64_t> value = ParseUnsigned(words[first + 1]);
      if (!value || *value > kMaxErrno) {
        return LineError("bad errno value \"" + std::string(words[first + 1]) +
                         "\"; it must be a number from 0 to 4095");
      }
      action.errno_value = static_cast<int>(*value);
    } else {
      return LineError(std::string("unknown ") + what + " action \"" + std::string(words[first]) +
                       "\"; " + std::string(kActionHelp));
    }
    if (words.size() > first + expected_words) {
      return LineError("unexpected \"" + std::string(words[first + expected_words]) +
                       "\" after the action " + action.ToString() +
                       "; argument comparisons are written [INDEX,VALUE,OP] or "
                       "[INDEX,VALUE,&=,MASK]");
    }
    return action;
  }

  Status ParseNumberRule() {
    std::optional<uint64_t> number = ParseUnsigned(line_);
    if (!number || *number > 0x7fffffff) {
      return LineError("\"" + std::string(line_) +
                       "\" is not a syscall number; a version 1 profile lists one syscall "
                       "number per line (use version 2 for names and actions)");
    }
    SeccompRule rule;
    rule.kind = SeccompRule::Kind::kSyscallNumber;
    rule.number = static_cast<int>(*number);
    rule.action = rule_action_;
    rule.line = line_number_;
    profile_.rules.push_back(std::move(rule));
    return OkStatus();
  }

  Status ParseSection() {
    if (line_.back() != ']') {
      return LineError("unterminated architecture section \"" + std::string(line_) +
                       "\"; write e.g. [x86_64] alone on its line");
    }
    std::string name = Lower(Trim(line_.substr(1, line_.size() - 2)));
    for (const auto& [arch_name, arch] : kArchNames) {
      if (name == arch_name) {
        arch_ = arch;
        return OkStatus();
      }
    }
    std::string known;
    for (const auto& entry : kArchNames) {
      known += known.empty() ? "" : ", ";
      known += entry.first;
    }
    return LineError("unknown architecture section \"" + std::string(line_) +
                     "\"; known sections: " + known);
  }

  Status ParseRule() {
    size_t bracket = line_.find('[');
    std::string_view head = Trim(line_.substr(0, bracket));
    std::string_view comparisons =
        bracket == std::string_view::npos ? std::string_view() : line_.substr(bracket);
    // Not empty: the line does not start with '[' (that is a section).
    std::vector<std::string_view> words = SplitFields(head);
    SeccompRule rule;
    rule.arch = arch_;
    rule.line = line_number_;
    rule.action = rule_action_;
    if (words[0] == "reject_force_umount") {
      if (words.size() > 1 || !comparisons.empty()) {
        return LineError("reject_force_umount takes no action or arguments; it makes "
                         "umount2(..., MNT_FORCE) fail with EACCES");
      }
      rule.kind = SeccompRule::Kind::kRejectForceUmount;
      profile_.rules.push_back(std::move(rule));
      return OkStatus();
    }
    UXC_RETURN_IF_ERROR(CheckSyscallName(words[0]));
    rule.syscall = std::string(words[0]);
    if (words.size() > 1) {
      UXC_ASSIGN_OR_RETURN(SeccompAction action, ParseAction(words, 1, "rule"));
      rule.action = action;
    }
    UXC_ASSIGN_OR_RETURN(std::vector<SeccompArgCompare> args, ParseComparisons(comparisons));
    rule.args = std::move(args);
    profile_.rules.push_back(std::move(rule));
    return OkStatus();
  }

  Status CheckSyscallName(std::string_view name) const {
    bool valid = std::all_of(name.begin(), name.end(), [](char c) {
      return std::islower(static_cast<unsigned char>(c)) ||
             std::isdigit(static_cast<unsigned char>(c)) || c == '_';
    });
    if (valid) return OkStatus();
    return LineError("\"" + std::string(name) +
                     "\" is not a syscall name; a rule is SYSCALL [ACTION] [INDEX,VALUE,OP]..., "
                     "e.g. \"kexec_load errno 1\"");
  }

  Result<std::vector<SeccompArgCompare>> ParseComparisons(std::string_view text) const {
    std::vector<SeccompArgCompare> args;
    text = Trim(text);
    while (!text.empty()) {
      if (text.front() != '[') {
        return LineError("unexpected \"" + std::string(text) +
                         "\" after an argument comparison; each is written [INDEX,VALUE,OP]");
      }
      size_t close = text.find(']');
      if (close == std::string_view::npos) {
        return LineError("unterminated argument comparison \"" + std::string(text) +
                         "\"; write [INDEX,VALUE,OP] or [INDEX,VALUE,&=,MASK]");
      }
      if (args.size() == kMaxArgCompares) {
        return LineError("more than 6 argument comparisons; a syscall has at most 6 arguments");
      }
      UXC_ASSIGN_OR_RETURN(SeccompArgCompare arg, ParseComparison(text.substr(1, close - 1)));
      args.push_back(arg);
      text = Trim(text.substr(close + 1));
    }
    return args;
  }

  Result<SeccompArgCompare> ParseComparison(std::string_view text) const {
    std::vector<std::string_view> fields;
    size_t start = 0;
    while (true) {
      size_t comma = text.find(',', start);
      fields.push_back(Trim(text.substr(start, comma - start)));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    std::string shown = "[" + std::string(text) + "]";
    if (fields.size() != 3 && fields.size() != 4) {
      return LineError("bad argument comparison " + shown +
                       "; write [INDEX,VALUE,OP] or [INDEX,VALUE,&=,MASK]");
    }
    SeccompArgCompare arg;
    std::optional<uint64_t> index = ParseUnsigned(fields[0]);
    if (!index || *index >= kMaxArgCompares) {
      return LineError("bad argument index \"" + std::string(fields[0]) + "\" in " + shown +
                       "; syscall arguments are numbered 0 to 5");
    }
    arg.index = static_cast<unsigned>(*index);
    std::optional<uint64_t> value = ParseUnsigned(fields[1]);
    if (!value) {
      return LineError("bad value \"" + std::string(fields[1]) + "\" in " + shown +
                       "; write an unsigned number (decimal, 0x hex or 0 octal)");
    }
    arg.value = *value;
    auto op = std::find_if(kCompareNames.begin(), kCompareNames.end(),
                           [&](const auto& entry) { return entry.first == fields[2]; });
    if (op == kCompareNames.end()) {
      return LineError("unknown comparison \"" + std::string(fields[2]) + "\" in " + shown +
                       "; use != < <= == >= > &= or the SCMP_CMP_* names");
    }
    arg.op = op->second;
    if (fields.size() == 4) {
      std::optional<uint64_t> mask = ParseUnsigned(fields[3]);
      if (!mask) {
        return LineError("bad mask \"" + std::string(fields[3]) + "\" in " + shown +
                         "; write an unsigned number (decimal, 0x hex or 0 octal)");
      }
      arg.mask = *mask;
    }
    return arg;
  }

  std::string_view text_;
  size_t at_ = 0;
  int line_number_ = 0;
  std::string_view line_;
  SeccompArch arch_ = SeccompArch::kAll;
  SeccompAction rule_action_;
  SeccompProfile profile_;
};

}  // namespace

std::string SeccompAction::ToString() const {
  switch (kind) {
    case Kind::kKill:
      return "kill";
    case Kind::kAllow:
      return "allow";
    case Kind::kTrap:
      return "trap";
    case Kind::kNotify:
      return "notify";
    case Kind::kErrno:
      return "errno " + std::to_string(errno_value);
  }
  return "kill";
}

std::string_view SeccompArchName(SeccompArch arch) {
  for (const auto& [name, value] : kArchNames) {
    if (value == arch) return name;
  }
  return "all";
}

Result<SeccompProfile> ParseSeccompProfile(std::string_view text, const std::string& file) {
  return ProfileParser(text, file).Parse();
}

Result<SeccompProfile> LoadSeccompProfile(const std::string& path) {
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (!fd) {
    return ErrnoError("open the seccomp profile " + path +
                      " (lxc.seccomp.profile); check the path and its permissions");
  }
  std::string text;
  char buffer[4096];
  while (true) {
    ssize_t n = read(fd.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError("read the seccomp profile " + path);
    if (n == 0) break;
    text.append(buffer, static_cast<size_t>(n));
    if (text.size() > kMaxProfileBytes) {
      return PlainError("the seccomp profile " + path + " is larger than 1 MiB; is it a profile?");
    }
  }
  return ParseSeccompProfile(text, path);
}

std::string_view DefaultSeccompProfileText() { return kDefaultProfile; }

}  // namespace uxc::config
