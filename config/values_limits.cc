// lxc.prlimit.<resource> names and values.
#include <sys/resource.h>

#include <array>

#include "config/text_util.h"
#include "config/values.h"

namespace uxc::config {
namespace {

constexpr std::array<std::pair<std::string_view, int>, 16> kResources = {{
    {"as", RLIMIT_AS},
    {"core", RLIMIT_CORE},
    {"cpu", RLIMIT_CPU},
    {"data", RLIMIT_DATA},
    {"fsize", RLIMIT_FSIZE},
    {"locks", RLIMIT_LOCKS},
    {"memlock", RLIMIT_MEMLOCK},
    {"msgqueue", RLIMIT_MSGQUEUE},
    {"nice", RLIMIT_NICE},
    {"nofile", RLIMIT_NOFILE},
    {"nproc", RLIMIT_NPROC},
    {"rss", RLIMIT_RSS},
    {"rtprio", RLIMIT_RTPRIO},
    {"rttime", RLIMIT_RTTIME},
    {"sigpending", RLIMIT_SIGPENDING},
    {"stack", RLIMIT_STACK},
}};

Result<uint64_t> ParseLimit(std::string_view text) {
  if (text == "unlimited") return static_cast<uint64_t>(RLIM_INFINITY);
  Result<uint64_t> number = ParseUnsigned(text, UINT64_MAX - 1);
  if (!number.ok()) {
    return PlainError("not a limit: " + Quote(text) + "; use a number or \"unlimited\"");
  }
  return number;
}

}  // namespace

Result<int> ParsePrlimitResource(std::string_view name) {
  std::string lower = ToLower(name);
  if (StartsWith(lower, "rlimit_")) lower.erase(0, 7);
  for (const auto& [resource_name, resource] : kResources) {
    if (resource_name == lower) return resource;
  }
  return PlainError("unknown resource limit " + Quote(name) +
                    "; use one of as, core, cpu, data, fsize, locks, memlock, msgqueue, nice, "
                    "nofile, nproc, rss, rtprio, rttime, sigpending, stack");
}

Result<Prlimit> ParsePrlimit(std::string_view value) {
  std::string_view text = Trim(value);
  size_t colon = text.find(':');
  std::string_view soft_text = text.substr(0, colon);
  std::string_view hard_text = colon == std::string_view::npos ? soft_text : text.substr(colon + 1);
  UXC_ASSIGN_OR_RETURN(uint64_t soft, ParseLimit(soft_text));
  UXC_ASSIGN_OR_RETURN(uint64_t hard, ParseLimit(hard_text));
  if (soft > hard) {
    return PlainError("soft limit above the hard limit in " + Quote(value) +
                      "; write SOFT:HARD with SOFT <= HARD");
  }
  return Prlimit{soft, hard};
}

}  // namespace uxc::config
