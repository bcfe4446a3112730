#include "launcher/cli/ls.h"

#include <algorithm>
#include <cstdio>

#include "config/container_config.h"
#include "config/values.h"
#include "launcher/cli/lifecycle_common.h"
#include "launcher/cli/lifecycle_json.h"
#include "launcher/lifecycle/container_usage.h"
#include "launcher/lifecycle/lxc_presence.h"

namespace uxc::cli {
namespace {

const std::vector<OptionSpec>& Options() {
  static const std::vector<OptionSpec> kOptions = {
      {"lxcpath", 'P', true, false, "DIR", "the container path (default: uxc.container_path)"},
      {"fancy", 'f', false, false, "", "the table (the default; accepted for lxc-ls users)"},
      {"running", 0, false, false, "", "only running containers"},
      {"stopped", 0, false, false, "", "only stopped containers"},
      {"format", 0, true, false, "FORMAT", "table (default) or json"},
  };
  return kOptions;
}

int Fail(const Error& error) { return FailWith("ls", error); }

struct Row {
  std::string name;
  std::string state;
  std::string autostart = "0";
  std::vector<std::string> groups;
  std::vector<std::string> ipv4;
  std::vector<std::string> ipv6;
  std::string unprivileged = "true";
};

Row Describe(const std::string& name, const std::string& path) {
  Row row;
  row.name = name;
  auto ref = lifecycle::ResolveContainer(name, path);
  auto status = ref.ok() ? lifecycle::ProbeContainer(*ref) : Result<lifecycle::ContainerStatus>(ref.error());
  if (!status.ok()) {
    std::fprintf(stderr, "uxc ls: %s: %s\n", name.c_str(), status.error().ToString().c_str());
    row.state = "UNKNOWN";
  } else {
    row.state = lifecycle::RunStateName(status->state);
    // lxc-ls's view too: a container LXC's lxc-start runs is RUNNING.
    if (status->state == lifecycle::RunState::kStopped && lifecycle::LxcIsRunning(path, name)) row.state = "RUNNING";
    if (status->state == lifecycle::RunState::kRunning) {
      lifecycle::NetworkView network = lifecycle::ReadNetwork(status->details.init_pid);
      row.ipv4 = network.ipv4;
      row.ipv6 = network.ipv6;
    }
  }
  auto config = config::LoadContainerConfig(config::StandardLayers(path + "/" + name + "/config"));
  if (config.ok()) {
    auto autostart = config::ParseBool(config->GetOr("lxc.start.auto", "0"));
    row.autostart = autostart.ok() && *autostart ? "1" : "0";
    for (const std::string& groups : config->GetList("lxc.group")) {
      size_t start = 0;
      while (start < groups.size()) {
        size_t comma = groups.find(',', start);
        if (comma == std::string::npos) comma = groups.size();
        if (comma > start) row.groups.push_back(groups.substr(start, comma - start));
        start = comma + 1;
      }
    }
  }
  return row;
}

std::string Joined(const std::vector<std::string>& items) {
  if (items.empty()) return "-";
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

void PrintTable(const std::vector<Row>& rows) {
  std::vector<std::vector<std::string>> cells = {
      {"NAME", "STATE", "AUTOSTART", "GROUPS", "IPV4", "IPV6", "UNPRIVILEGED"}};
  for (const Row& row : rows) {
    cells.push_back({row.name, row.state, row.autostart, Joined(row.groups), Joined(row.ipv4), Joined(row.ipv6),
                     row.unprivileged});
  }
  std::vector<size_t> widths(cells[0].size(), 0);
  for (const auto& line : cells) {
    for (size_t i = 0; i < line.size(); ++i) widths[i] = std::max(widths[i], line[i].size());
  }
  for (const auto& line : cells) {
    std::string text;
    for (size_t i = 0; i < line.size(); ++i) {
      std::string cell = line[i];
      if (i + 1 < line.size()) cell.resize(widths[i] + 1, ' ');
      text += cell;
    }
    std::printf("%s\n", text.c_str());
  }
}

void PrintJson(const std::vector<Row>& rows) {
  std::printf("[");
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    std::printf("%s\n  {\"name\": %s, \"state\": %s, \"autostart\": %s, \"groups\": %s, \"ipv4\": %s, "
                "\"ipv6\": %s, \"unprivileged\": %s}",
                i ? "," : "", JsonString(row.name).c_str(), JsonString(row.state).c_str(),
                row.autostart == "1" ? "true" : "false", JsonStringArray(row.groups).c_str(),
                JsonStringArray(row.ipv4).c_str(), JsonStringArray(row.ipv6).c_str(), row.unprivileged.c_str());
  }
  std::printf("%s]\n", rows.empty() ? "" : "\n");
}

}  // namespace

int RunLs(const std::vector<std::string>& args) {
  auto parsed = ParseArgs("ls", Options(), args);
  if (!parsed.ok()) return Fail(parsed.error());
  if (parsed->Has("help")) {
    std::fputs(FormatHelp("ls", "[-P DIR] [--running | --stopped] [--format json]",
                          "Lists the containers: NAME STATE AUTOSTART GROUPS IPV4 IPV6 UNPRIVILEGED.", Options())
                   .c_str(),
               stdout);
    return 0;
  }
  std::string format = parsed->Value("format", "table");
  if (format != "table" && format != "json") {
    return Fail(PlainError("--format takes table or json, not \"" + format + "\""));
  }
  auto path = ContainerPath(*parsed);
  if (!path.ok()) return Fail(path.error());
  std::vector<Row> rows;
  for (const std::string& name : ContainerNames(*path, "ls")) {
    Row row = Describe(name, *path);
    if (parsed->Has("running") && row.state != "RUNNING") continue;
    if (parsed->Has("stopped") && row.state != "STOPPED") continue;
    rows.push_back(std::move(row));
  }
  if (format == "json") {
    PrintJson(rows);
  } else {
    PrintTable(rows);
  }
  return 0;
}

}  // namespace uxc::cli
