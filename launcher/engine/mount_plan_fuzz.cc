// libFuzzer target: the planners' parsers on arbitrary lines. Each line is
// taken as an lxc.mount.entry value (and turned into a mount step), as
// lxc.mount.auto tokens, as an lxc.prlimit value and as an lxc.arch name.
// None may crash; a step made must describe itself and have an absolute
// target inside the container.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "config/values.h"
#include "launcher/engine/mount_auto.h"
#include "launcher/engine/mount_entries.h"
#include "launcher/engine/process_settings.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream lines(std::string(reinterpret_cast<const char*>(data), size));
  std::string line;
  while (std::getline(lines, line)) {
    auto entry = uxc::config::ParseMountEntry(line);
    if (entry.ok()) {
      auto step = uxc::launcher::StepFromMountEntry(*entry, "/home/a/rootfs", "fuzz:1");
      if (step.ok()) {
        if (step->target.empty() || step->target[0] != '/' || step->target == "/") abort();
        if (uxc::launcher::DescribeStep(*step).empty()) abort();
      }
    }
    auto mounts = uxc::launcher::ParseAutoMounts({line});
    if (mounts.ok()) {
      uxc::launcher::AutoMountContext context;
      std::vector<std::string> notes;
      for (const auto& step : uxc::launcher::PlanProcAndSys(*mounts, context)) {
        if (step.target.empty() || step.target[0] != '/') abort();
      }
      (void)uxc::launcher::PlanCgroup(*mounts, context, &notes);
    }
    (void)uxc::launcher::ParseRlimit(line);
    (void)uxc::launcher::PersonalityFor(line, "x86_64");
  }
  return 0;
}
