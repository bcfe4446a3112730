#include "launcher/cli/checkconfig.h"

#include <cstdio>

#include "launcher/args/args.h"
#include "launcher/cli/checkconfig_checks.h"
#include "launcher/cli/failure.h"
#include "launcher/cli/host_facts.h"

namespace uxc::cli {

int RunCheckconfig(const std::vector<std::string>& args) {
  Result<ParsedArgs> parsed = ParseArgs("checkconfig", {}, args);
  if (!parsed.ok()) return FailWith("checkconfig", parsed.error());
  if (parsed->Has("help")) {
    std::fputs(FormatHelp("checkconfig", "",
                          "Checks that this host lets you run unprivileged containers: the kernel's namespaces and "
                          "user namespace sysctls, the cgroup layout and what is delegated to you, your "
                          "/etc/subuid and /etc/subgid entries, the setuid helpers and your /etc/uxc/usernet "
                          "quota. Each line says OK, or what is MISSING (needed) or LIMITED (optional) and how "
                          "to fix it. Exits 0 when nothing needed is missing, 1 otherwise.",
                          {})
                   .c_str(),
               stdout);
    return 0;
  }
  if (!parsed->positionals.empty() || parsed->saw_dashdash) {
    std::fprintf(stderr, "uxc checkconfig: takes no arguments; see `uxc checkconfig --help`\n");
    return 2;
  }
  HostFacts facts = GatherHostFacts();
  std::vector<Check> checks = CheckHost(facts);
  std::fputs(FormatReport(facts, checks).c_str(), stdout);
  return AllNeededPresent(checks) ? 0 : 1;
}

}  // namespace uxc::cli
