#include "config/key_validators.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <sys/socket.h>

#include <array>
#include <charconv>
#include <climits>

#include "config/text_util.h"
#include "config/values.h"

namespace uxc::config::validators {
namespace {

// Passes a parser's error on and drops its value.
template <typename T>
Status Check(Result<T> result) {
  if (!result.ok()) return result.take_error();
  return OkStatus();
}

template <size_t N>
Status OneOf(std::string_view value, const std::array<std::string_view, N>& choices) {
  std::string list;
  for (std::string_view choice : choices) {
    if (choice == value) return OkStatus();
    if (!list.empty()) list += ", ";
    list += choice;
  }
  return PlainError(Quote(value) + " is not one of " + list);
}

bool ParseSigned(std::string_view text, int64_t* out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

// The part of `key` after `prefix`, e.g. "nofile" of "lxc.prlimit.nofile".
std::string_view Suffix(std::string_view key, std::string_view prefix) {
  return key.size() > prefix.size() ? key.substr(prefix.size()) : std::string_view();
}

bool IsDottedName(std::string_view name) {
  if (name.empty() || name.front() == '.' || name.back() == '.') return false;
  for (char c : name) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '.' || c == '_' || c == '-' || c == '/';
    if (!allowed) return false;
  }
  return name.find("..") == std::string_view::npos;
}

}  // namespace

Status AnyText(std::string_view, std::string_view) { return OkStatus(); }

Status Path(std::string_view, std::string_view value) {
  if (value.find('\n') != std::string_view::npos) return PlainError("a path cannot hold a newline");
  return OkStatus();
}

Status DevDirectoryName(std::string_view, std::string_view value) {
  if (value.size() > 255 || value == "." || value == ".." ||
      value.find_first_of("/\n") != std::string_view::npos) {
    return PlainError(Quote(value) + " is not a directory name for under /dev; write one name, e.g. lxc");
  }
  return OkStatus();
}

Status Bool(std::string_view, std::string_view value) { return Check(ParseBool(value)); }

Status Signal(std::string_view, std::string_view value) { return Check(ParseSignal(value)); }

Status Count(std::string_view, std::string_view value) {
  return Check(ParseUnsigned(value, INT_MAX));
}

Status SignedInt(std::string_view, std::string_view value) {
  int64_t number;
  if (!ParseSigned(value, &number) || number < INT_MIN || number > INT_MAX) {
    return PlainError("not an integer: " + Quote(value) + "; write e.g. 10 or -5");
  }
  return OkStatus();
}

Status Id(std::string_view, std::string_view value) {
  return Check(ParseUnsigned(value, UINT32_MAX - 1));
}

Status IdList(std::string_view, std::string_view value) {
  for (std::string_view id : Split(value, ',')) {
    if (!ParseUnsigned(Trim(id), UINT32_MAX - 1).ok()) {
      return PlainError("not a comma-separated list of group ids: " + Quote(value) +
                        "; write e.g. 10,100");
    }
  }
  return OkStatus();
}

Status SizeOrAuto(std::string_view, std::string_view value) {
  if (value == "auto") return OkStatus();
  return Check(ParseSize(value));
}

Status IdMap(std::string_view, std::string_view value) { return Check(ParseIdMapping(value)); }

Status MountEntry(std::string_view, std::string_view value) {
  return Check(ParseMountEntry(value));
}

Status MountAuto(std::string_view, std::string_view value) {
  return Check(ParseMountAuto(value));
}

Status CapDrop(std::string_view, std::string_view value) {
  if (EqualsIgnoreCase(Trim(value), "none")) {
    return PlainError("\"none\" only means something for lxc.cap.keep; to drop nothing, clear "
                      "the list with an empty \"lxc.cap.drop =\"");
  }
  return Check(ParseCapabilities(value));
}

Status CapKeep(std::string_view, std::string_view value) {
  return Check(ParseCapabilities(value));
}

Status Environment(std::string_view, std::string_view value) {
  std::string_view name = value.substr(0, value.find('='));
  bool valid = !name.empty() && !(name[0] >= '0' && name[0] <= '9');
  for (char c : name) {
    valid = valid && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                      (c >= '0' && c <= '9') || c == '_');
  }
  if (!valid) {
    return PlainError("not an environment variable: " + Quote(value) +
                      "; write NAME=VALUE, or NAME alone to pass the caller's value on");
  }
  return OkStatus();
}

Status Arch(std::string_view, std::string_view value) {
  static constexpr std::array<std::string_view, 28> kArches = {
      "arm",     "armel",  "armhf",   "armv7l", "athlon",   "i386",     "i486",
      "i586",    "i686",   "linux32", "mips",   "mipsel",   "ppc",      "powerpc",
      "x86",     "aarch64", "amd64",  "arm64",  "linux64",  "mips64",   "mips64el",
      "ppc64",   "ppc64el", "ppc64le", "powerpc64", "riscv64", "s390x", "x86_64"};
  return OneOf(value, kArches);
}

Status LogLevel(std::string_view, std::string_view value) {
  if (ParseUnsigned(value, 8).ok()) return OkStatus();
  static constexpr std::array<std::string_view, 10> kLevels = {
      "NOTSET", "TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "ERROR", "CRIT", "ALERT", "FATAL"};
  std::string upper(value);
  for (char& c : upper) c = static_cast<char>(toupper(static_cast<unsigned char>(c)));
  if (OneOf(upper, kLevels).ok()) return OkStatus();
  return PlainError("not a log level: " + Quote(value) +
                    "; use TRACE, DEBUG, INFO, NOTICE, WARN, ERROR, CRIT, ALERT, FATAL or 0-8");
}

Status SyslogFacility(std::string_view, std::string_view value) {
  static constexpr std::array<std::string_view, 9> kFacilities = {
      "daemon", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"};
  return OneOf(value, kFacilities);
}

Status HookVersion(std::string_view, std::string_view value) {
  static constexpr std::array<std::string_view, 2> kVersions = {"0", "1"};
  return OneOf(value, kVersions);
}

Status Namespaces(std::string_view, std::string_view value) {
  static constexpr std::array<std::string_view, 9> kNamespaces = {
      "cgroup", "ipc", "mnt", "mount", "net", "pid", "time", "user", "uts"};
  for (std::string_view name : SplitFields(value)) {
    Status status = OneOf(name, kNamespaces);
    if (!status.ok()) return PlainError("namespace " + status.error().message);
  }
  return OkStatus();
}

Status NamespaceShare(std::string_view key, std::string_view value) {
  static constexpr std::array<std::string_view, 7> kShareable = {"cgroup", "ipc", "mnt", "net",
                                                                 "pid",    "time", "uts"};
  Status status = OneOf(Suffix(key, "lxc.namespace.share."), kShareable);
  if (!status.ok()) return PlainError("lxc.namespace.share.<ns>: " + status.error().message);
  return Path(key, value);
}

Status TimeOffset(std::string_view, std::string_view value) {
  std::string_view text = Trim(value);
  size_t digits_end = 0;
  if (digits_end < text.size() && text[digits_end] == '-') ++digits_end;
  while (digits_end < text.size() && text[digits_end] >= '0' && text[digits_end] <= '9') {
    ++digits_end;
  }
  int64_t number;
  static constexpr std::array<std::string_view, 6> kUnits = {"h", "m", "s", "ms", "us", "ns"};
  if (!ParseSigned(text.substr(0, digits_end), &number) ||
      !OneOf(Trim(text.substr(digits_end)), kUnits).ok()) {
    return PlainError("not a time offset: " + Quote(value) +
                      "; write an integer with a unit of h, m, s, ms, us or ns, e.g. -5s");
  }
  return OkStatus();
}

Status Cgroup2(std::string_view key, std::string_view value) {
  UXC_RETURN_IF_ERROR(Check(ParseCgroup2Key(key)));
  return Path(key, value);
}

Status Cgroup1(std::string_view key, std::string_view) {
  std::string_view file = Suffix(key, "lxc.cgroup.");
  if (StartsWith(file, "dir.")) {
    return PlainError(Quote(key) + " is not a key; the cgroup placement keys are "
                      "lxc.cgroup.dir, lxc.cgroup.dir.container, lxc.cgroup.dir.container.inner, "
                      "lxc.cgroup.dir.monitor and lxc.cgroup.dir.monitor.pivot");
  }
  if (!IsDottedName(file) || file.find('.') == std::string_view::npos) {
    return PlainError(Quote(key) + " is not lxc.cgroup.<controller>.<file>");
  }
  return OkStatus();
}

Status Prlimit(std::string_view key, std::string_view value) {
  UXC_RETURN_IF_ERROR(Check(ParsePrlimitResource(Suffix(key, "lxc.prlimit."))));
  return Check(ParsePrlimit(value));
}

Status Sysctl(std::string_view key, std::string_view value) {
  std::string_view name = Suffix(key, "lxc.sysctl.");
  if (!IsDottedName(name)) {
    return PlainError(Quote(key) + " does not name a sysctl; write e.g. lxc.sysctl.net.ipv4.ip_forward");
  }
  return Path(key, value);
}

Status Proc(std::string_view key, std::string_view value) {
  std::string_view file = Suffix(key, "lxc.proc.");
  if (!IsDottedName(file) || file.find('/') != std::string_view::npos) {
    return PlainError(Quote(key) + " does not name a file of /proc/PID; write e.g. "
                      "lxc.proc.oom_score_adj");
  }
  if (file == "oom_score_adj") {
    int64_t score;
    if (!ParseSigned(Trim(value), &score) || score < -1000 || score > 1000) {
      return PlainError("oom_score_adj must be an integer from -1000 to 1000, not " + Quote(value));
    }
  }
  return OkStatus();
}

Status UxcSettingElsewhere(std::string_view key, std::string_view) {
  return PlainError(std::string(key) +
                    " is a tool setting, not a container key; put it in ~/.config/uxc/uxc.conf "
                    "or /etc/uxc/uxc.conf");
}

Status NetType(std::string_view, std::string_view value) {
  static constexpr std::array<std::string_view, 7> kTypes = {"veth",  "macvlan", "ipvlan", "vlan",
                                                             "phys",  "empty",   "none"};
  return OneOf(value, kTypes);
}

Status NetFlags(std::string_view, std::string_view value) {
  static constexpr std::array<std::string_view, 1> kFlags = {"up"};
  return OneOf(value, kFlags);
}

Status InterfaceName(std::string_view, std::string_view value) {
  bool valid = value.size() < IFNAMSIZ && value != "." && value != "..";
  for (char c : value) valid = valid && c != '/' && c != ':' && !IsBlank(c) && c > ' ';
  if (!valid) {
    return PlainError("not an interface name: " + Quote(value) + "; use at most " +
                      std::to_string(IFNAMSIZ - 1) + " characters without '/', ':' or spaces");
  }
  return OkStatus();
}

Status HwAddr(std::string_view, std::string_view value) { return Check(ParseHwAddr(value)); }

Status Mtu(std::string_view, std::string_view value) {
  Result<uint64_t> mtu = ParseUnsigned(value, 65535);
  if (!mtu.ok() || *mtu < 68) {
    return PlainError("not an MTU: " + Quote(value) + "; use 68 to 65535");
  }
  return OkStatus();
}

Status Ipv4Address(std::string_view, std::string_view value) {
  return Check(ParseIpAddress(value, AF_INET));
}

Status Ipv6Address(std::string_view, std::string_view value) {
  return Check(ParseIpAddress(value, AF_INET6));
}

Status Ipv4Gateway(std::string_view, std::string_view value) {
  return Check(ParseGateway(value, AF_INET));
}

Status Ipv6Gateway(std::string_view, std::string_view value) {
  return Check(ParseGateway(value, AF_INET6));
}

Status Ipv4Route(std::string_view, std::string_view value) {
  if (value.find('/') == std::string_view::npos) {
    return PlainError("a route needs a prefix: " + Quote(value) + "; write e.g. 10.0.4.0/24");
  }
  return Check(ParseIpAddress(value, AF_INET));
}

Status Ipv6Route(std::string_view, std::string_view value) {
  if (value.find('/') == std::string_view::npos) {
    return PlainError("a route needs a prefix: " + Quote(value) + "; write e.g. fd00:1::/64");
  }
  return Check(ParseIpAddress(value, AF_INET6));
}

Status VethMode(std::string_view, std::string_view value) {
  static constexpr std::array<std::string_view, 2> kModes = {"bridge", "router"};
  return OneOf(value, kModes);
}

Status MacvlanMode(std::string_view, std::string_view value) {
  static constexpr std::array<std::string_view, 4> kModes = {"private", "vepa", "bridge",
                                                             "passthru"};
  return OneOf(value, kModes);
}

Status IpvlanMode(std::string_view, std::string_view value) {
  static constexpr std::array<std::string_view, 3> kModes = {"l3", "l3s", "l2"};
  return OneOf(value, kModes);
}

Status IpvlanIsolation(std::string_view, std::string_view value) {
  static constexpr std::array<std::string_view, 3> kModes = {"bridge", "private", "vepa"};
  return OneOf(value, kModes);
}

Status VlanId(std::string_view, std::string_view value) {
  Result<uint64_t> id = ParseUnsigned(value, 4094);
  if (!id.ok()) return PlainError("not a VLAN id: " + Quote(value) + "; use 0 to 4094");
  return OkStatus();
}

Status QueueCount(std::string_view, std::string_view value) {
  Result<uint64_t> count = ParseUnsigned(value, 4096);
  if (!count.ok() || *count == 0) {
    return PlainError("not a queue count: " + Quote(value) + "; use 1 to 4096");
  }
  return OkStatus();
}

}  // namespace uxc::config::validators
