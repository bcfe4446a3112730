#include "launcher/cli/usernsexec.h"

#include <cstdio>

#include "config/tool_settings.h"
#include "config/values.h"
#include "launcher/args/args.h"
#include "launcher/cli/failure.h"
#include "launcher/engine/subordinate_ids.h"
#include "launcher/engine/userns_exec.h"

namespace uxc::cli {
namespace {

const std::vector<OptionSpec>& Options() {
  static const std::vector<OptionSpec> kOptions = {
      {"map", 'm', true, true, "u|g|b:NSID:HOSTID:RANGE",
       "map RANGE ids from HOSTID on at NSID (u uids, g gids, b both); repeatable. Default: "
       "your first /etc/subuid and /etc/subgid ranges at 0"},
      {"self", 's', false, false, "", "also map your own uid and gid, at the first free id"},
  };
  return kOptions;
}

int Fail(const Error& error) { return FailWith("usernsexec", error); }

// "u:0:100000:65536" → config::IdMapping.
Result<std::vector<config::IdMapping>> ParseMaps(const std::vector<std::string>& values) {
  std::vector<std::string> lines;
  for (std::string value : values) {
    for (char& c : value) {
      if (c == ':') c = ' ';
    }
    lines.push_back(value);
  }
  auto mappings = config::ParseIdMappings(lines);
  if (!mappings.ok()) return UsageErrorFor("usernsexec", "-m: " + mappings.error().ToString());
  return mappings;
}

Result<launcher::IdMapPlan> PlanMaps(const ParsedArgs& parsed, const launcher::Caller& caller) {
  launcher::IdMapPlan maps;
  if (parsed.Has("map")) {
    UXC_ASSIGN_OR_RETURN(auto mappings, ParseMaps(parsed.Values("map")));
    maps = launcher::PlanFromMappings(mappings);
    if (maps.uids.empty() || maps.gids.empty()) {
      return UsageErrorFor("usernsexec", std::string("-m maps no ") + (maps.uids.empty() ? "uids" : "gids") +
                                             "; add a u: (or b:) and a g: mapping");
    }
  } else {
    UXC_ASSIGN_OR_RETURN(auto defaults, launcher::DefaultIdMapFromHost(caller));
    maps = std::move(defaults);
  }
  if (parsed.Has("self")) launcher::AddOwnIds(caller, &maps);
  return maps;
}

}  // namespace

int RunUsernsexec(const std::vector<std::string>& args) {
  auto parsed = ParseArgs("usernsexec", Options(), args, /*stop_at_first_positional=*/true);
  if (!parsed.ok()) return Fail(parsed.error());
  if (parsed->Has("help")) {
    std::fputs(FormatHelp("usernsexec", "[-m u|g|b:NSID:HOSTID:RANGE]... [-s] [--] [CMD [ARGS]]",
                          "Runs CMD (default /bin/sh) as root of a new user namespace with its own "
                          "mount namespace, so that you can edit or remove files owned by your "
                          "subordinate ids (e.g. a container's rootfs).",
                          Options())
                   .c_str(),
               stdout);
    return 0;
  }
  launcher::Caller caller = launcher::CurrentCaller();
  auto maps = PlanMaps(*parsed, caller);
  if (!maps.ok()) return Fail(maps.error());
  if (!maps->note.empty()) std::fprintf(stderr, "uxc usernsexec: %s\n", maps->note.c_str());

  auto settings = config::LoadToolSettings(config::CurrentToolEnvironment());
  if (!settings.ok()) return Fail(settings.error());

  launcher::UsernsExecRequest request;
  request.maps = std::move(*maps);
  request.argv = parsed->positionals;
  request.argv.insert(request.argv.end(), parsed->after_dashdash.begin(),
                      parsed->after_dashdash.end());
  if (request.argv.empty()) request.argv = {"/bin/sh"};
  request.caller = caller;
  request.helpers = {settings->newuidmap, settings->newgidmap};
  auto status = launcher::RunInUserNamespace(request);
  if (!status.ok()) return Fail(status.error());
  return *status;
}

}  // namespace uxc::cli
