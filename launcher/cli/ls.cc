#include "launcher/cli/ls.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

#include <algorithm>
#include <cstdio>

#include "config/container_config.h"
#include "config/values.h"
#include "launcher/cli/failure.h"
#include "launcher/cli/lifecycle_common.h"
#include "launcher/cli/ls_row.h"
#include "launcher/lifecycle/container_usage.h"
#include "launcher/lifecycle/lxc_presence.h"
#include "launcher/lifecycle/payload_cgroup.h"

namespace uxc::cli {
namespace {

const std::vector<OptionSpec>& Options() {
  static const std::vector<OptionSpec> kOptions = {
      {"lxcpath", 'P', true, false, "DIR", "the container path (default: uxc.container_path)"},
      {"fancy", 'f', false, false, "", "the table (the default; accepted for lxc-ls users)"},
      {"fancy-format", 'F', true, false, "COLUMNS",
       "the table's columns, a comma list of NAME, STATE, PID, AUTOSTART, GROUPS, IPV4, IPV6, UNPRIVILEGED"},
      {"line", '1', false, false, "", "only the names, one per line"},
      {"active", 0, false, false, "", "only active containers (running or frozen)"},
      {"running", 0, false, false, "", "only running containers (combines with --stopped, --frozen)"},
      {"stopped", 0, false, false, "", "only stopped containers"},
      {"frozen", 0, false, false, "", "only frozen containers (`uxc freeze`)"},
      {"groups", 'g', true, true, "GROUPS", "only containers in one of these lxc.group groups (comma list)"},
      {"format", 0, true, false, "FORMAT", "table (default) or json"},
  };
  return kOptions;
}

int Fail(const Error& error) { return FailWith("ls", error); }

std::string IsoUtc(time_t when) {
  tm utc;
  gmtime_r(&when, &utc);
  char text[32];
  strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

// The container's creation time: the birth time of its directory where the
// filesystem records one (statx), else its config's last change.
std::string CreatedTime(const std::string& container_dir, const std::string& config_file) {
  struct statx dir_stat;
  if (statx(AT_FDCWD, container_dir.c_str(), 0, STATX_BTIME, &dir_stat) == 0 && (dir_stat.stx_mask & STATX_BTIME)) {
    return IsoUtc(dir_stat.stx_btime.tv_sec);
  }
  struct stat config_stat;
  if (stat(config_file.c_str(), &config_stat) != 0) return "";
  return IsoUtc(config_stat.st_mtime);
}

void AddState(const std::string& name, const std::string& path, LsRow* row) {
  auto ref = lifecycle::ResolveContainer(name, path);
  auto status = ref.ok() ? lifecycle::ProbeContainer(*ref) : Result<lifecycle::ContainerStatus>(ref.error());
  if (!status.ok()) {
    std::fprintf(stderr, "uxc ls: %s: %s\n", name.c_str(), status.error().ToString().c_str());
    row->state = "UNKNOWN";
    return;
  }
  row->state = lifecycle::ShownState(*status, ref->paths);
  // lxc-ls's view too: a container LXC's lxc-start runs is RUNNING.
  if (status->state == lifecycle::RunState::kStopped && lifecycle::LxcIsRunning(path, name)) row->state = "RUNNING";
  if (status->state == lifecycle::RunState::kRunning) {
    row->pid = status->details.init_pid;
    lifecycle::NetworkView network = lifecycle::ReadNetwork(status->details.init_pid);
    row->ipv4 = network.ipv4;
    row->ipv6 = network.ipv6;
  }
}

void AddConfig(const std::string& config_file, LsRow* row) {
  auto config = config::LoadContainerConfig(config::StandardLayers(config_file));
  if (!config.ok()) return;
  auto autostart = config::ParseBool(config->GetOr("lxc.start.auto", "0"));
  row->autostart = autostart.ok() && *autostart ? "1" : "0";
  for (const std::string& groups : config->GetList("lxc.group")) {
    for (const std::string& group : CommaList(groups)) row->groups.push_back(group);
  }
}

LsRow Describe(const std::string& name, const std::string& path) {
  LsRow row;
  row.name = name;
  row.config_path = path + "/" + name + "/config";
  AddState(name, path, &row);
  AddConfig(row.config_path, &row);
  row.created = CreatedTime(path + "/" + name, row.config_path);
  return row;
}

Result<LsFilter> SelectionOf(const ParsedArgs& parsed) {
  if (parsed.positionals.size() > 1) {
    return UsageErrorFor("ls", "unexpected argument \"" + parsed.positionals[1] + "\": give one FILTER");
  }
  LsSelection selection;
  if (!parsed.positionals.empty()) selection.filter = parsed.positionals.front();
  if (parsed.Has("running") || parsed.Has("active")) selection.states.push_back("RUNNING");
  if (parsed.Has("frozen") || parsed.Has("active")) selection.states.push_back("FROZEN");
  if (parsed.Has("stopped")) selection.states.push_back("STOPPED");
  for (const std::string& groups : parsed.Values("groups")) {
    for (const std::string& group : CommaList(groups)) selection.groups.push_back(group);
  }
  return LsFilter::Make(std::move(selection));
}

std::string Help() {
  return FormatHelp("ls",
                    "[-P DIR] [FILTER] [-1 | -F COLUMNS | --format json] [--active | --running | --stopped | "
                    "--frozen]... [-g GROUPS]",
                    "Lists the containers: NAME STATE AUTOSTART GROUPS IPV4 IPV6 UNPRIVILEGED. FILTER is a "
                    "POSIX extended regular expression the name must match (as in lxc-ls). The state options "
                    "combine: --running --stopped lists both. --format json adds each container's pid (null "
                    "when not running), its config file and its creation time (the birth time of its "
                    "directory, else its config's last change).",
                    Options());
}

Result<std::vector<std::string>> Columns(const ParsedArgs& parsed) {
  if (!parsed.Has("fancy-format")) return DefaultColumns();
  return ParseColumns(parsed.Value("fancy-format"));
}

// Checked before anything is read, so that a bad line prints nothing else.
Status CheckOutputOptions(const ParsedArgs& parsed) {
  std::string format = parsed.Value("format", "table");
  if (format != "table" && format != "json") {
    return UsageErrorFor("ls", "--format takes table or json, not \"" + format + "\"");
  }
  UXC_RETURN_IF_ERROR(Columns(parsed));
  if (parsed.Has("line") + (format == "json") + parsed.Has("fancy-format") > 1) {
    return UsageErrorFor("ls", "choose one of -1, -F and --format json");
  }
  return OkStatus();
}

// The output: names (-1), JSON, or the table with -F's columns.
void Print(const ParsedArgs& parsed, const std::vector<LsRow>& rows) {
  if (parsed.Has("line")) {
    for (const LsRow& row : rows) std::printf("%s\n", row.name.c_str());
  } else if (parsed.Value("format") == "json") {
    std::fputs(FormatJson(rows).c_str(), stdout);
  } else {
    std::fputs(FormatTable(rows, *Columns(parsed)).c_str(), stdout);
  }
}

}  // namespace

int RunLs(const std::vector<std::string>& args) {
  auto parsed = ParseArgs("ls", Options(), args);
  if (!parsed.ok()) return Fail(parsed.error());
  if (parsed->Has("help")) {
    std::fputs(Help().c_str(), stdout);
    return 0;
  }
  if (Status output = CheckOutputOptions(*parsed); !output.ok()) return Fail(output.error());
  auto filter = SelectionOf(*parsed);
  if (!filter.ok()) return Fail(filter.error());
  auto path = ContainerPath(*parsed);
  if (!path.ok()) return Fail(path.error());
  std::vector<LsRow> rows;
  for (const std::string& name : ContainerNames(*path, "ls")) {
    LsRow row = Describe(name, *path);
    if (filter->Keeps(row)) rows.push_back(std::move(row));
  }
  Print(*parsed, rows);
  return 0;
}

}  // namespace uxc::cli
