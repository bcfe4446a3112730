#include "launcher/cli/info.h"

#include <string.h>
#include <time.h>

#include <cstdio>
#include <optional>

#include "config/container_config.h"
#include "launcher/cli/container_name_arg.h"
#include "launcher/cli/failure.h"
#include "launcher/cli/lifecycle_common.h"
#include "launcher/cli/lifecycle_json.h"
#include "launcher/lifecycle/container_usage.h"
#include "launcher/lifecycle/last_exit.h"
#include "launcher/lifecycle/payload_cgroup.h"
#include "launcher/lifecycle/nic_concern.h"

namespace uxc::cli {
namespace {

const std::vector<OptionSpec>& Options() {
  static const std::vector<OptionSpec> kOptions =
      ContainerOptions({
          {"state", 's', false, false, "", "show the state (with -p, -i: only what they name)"},
          {"pid", 'p', false, false, "", "show the init's pid"},
          {"ips", 'i', false, false, "", "show the addresses"},
          {"no-humanize", 'H', false, false, "", "raw numbers: bytes instead of KiB and MiB"},
          {"format", 0, true, false, "FORMAT", "table (default; \"text\" is the same) or json"},
      });
  return kOptions;
}

int Fail(const Error& error) { return FailWith("info", error); }

// What the text output shows: everything, or only what -s, -p, -i name.
struct Shown {
  bool state = true;
  bool pid = true;
  bool ips = true;
  bool usage = true;
  bool raw = false;
};

Shown ShownBy(const ParsedArgs& parsed) {
  Shown shown;
  shown.raw = parsed.Has("no-humanize");
  if (!parsed.Has("state") && !parsed.Has("pid") && !parsed.Has("ips")) return shown;
  shown.state = parsed.Has("state");
  shown.pid = parsed.Has("pid");
  shown.ips = parsed.Has("ips");
  shown.usage = false;
  return shown;
}

std::string Bytes(uint64_t bytes, bool raw) {
  if (raw) return std::to_string(bytes);
  char text[32];
  if (bytes >= (1ull << 20)) {
    std::snprintf(text, sizeof text, "%.2f MiB", bytes / 1048576.0);
  } else {
    std::snprintf(text, sizeof text, "%.2f KiB", bytes / 1024.0);
  }
  return text;
}

// What info shows of the container's use: from its own cgroup where it has
// one and the controller is enabled there (a figure whose controller is
// not enabled is left out, never guessed), else summed from /proc.
struct Figures {
  double cpu_seconds = 0;
  uint64_t memory_bytes = 0;
  int processes = 0;
  std::optional<uint64_t> memory_peak;
  std::optional<uint64_t> blkio_bytes;
  std::optional<kernel::CgroupStats> cgroup;
  std::string cgroup_path;
};

Figures FiguresOf(const lifecycle::ContainerUsage& usage, const std::optional<kernel::Cgroup>& cgroup) {
  Figures figures;
  figures.cpu_seconds = usage.cpu_seconds;
  figures.memory_bytes = usage.rss_bytes;
  figures.processes = usage.processes;
  if (!cgroup) return figures;
  auto stats = cgroup->ReadStats();
  if (!stats.ok()) {
    std::fprintf(stderr, "uxc info: warning: %s; the figures are summed from /proc\n",
                 stats.error().ToString().c_str());
    return figures;
  }
  figures.cgroup = *stats;
  figures.cgroup_path = cgroup->path();
  figures.cpu_seconds = static_cast<double>(stats->cpu_usage_usec) / 1e6;
  if (stats->memory_current) figures.memory_bytes = *stats->memory_current;
  figures.memory_peak = stats->memory_peak;
  if (stats->pids_current) figures.processes = static_cast<int>(*stats->pids_current);
  if (stats->io_read_bytes) figures.blkio_bytes = *stats->io_read_bytes + *stats->io_written_bytes;
  return figures;
}

// lxc-info's "Link:" lines: a veth's host end with its counters (TX is
// what the host end sent), then the container's other interfaces.
void PrintLink(const std::string& name, uint64_t tx, uint64_t rx, bool raw) {
  std::printf("%-15s %s\n", "Link:", name.c_str());
  std::printf(" %-14s %s\n", "TX bytes:", Bytes(tx, raw).c_str());
  std::printf(" %-14s %s\n", "RX bytes:", Bytes(rx, raw).c_str());
  std::printf(" %-14s %s\n", "Total bytes:", Bytes(tx + rx, raw).c_str());
}

bool IsVethPeer(const lifecycle::Interface& interface, const std::vector<lifecycle::HostLink>& links) {
  for (const lifecycle::HostLink& link : links) {
    if (link.container_nic == interface.name) return true;
  }
  return false;
}

// lxc-info's lines and order: CPU use, BlkIO use, Memory use, then the links.
void PrintUsage(const Figures& figures, const lifecycle::NetworkView& network,
                const std::vector<lifecycle::HostLink>& links, bool raw) {
  std::printf("%-15s %.2f seconds\n", "CPU use:", figures.cpu_seconds);
  if (figures.blkio_bytes) std::printf("%-15s %s\n", "BlkIO use:", Bytes(*figures.blkio_bytes, raw).c_str());
  std::printf("%-15s %s\n", "Memory use:", Bytes(figures.memory_bytes, raw).c_str());
  if (figures.memory_peak) std::printf("%-15s %s\n", "Memory peak:", Bytes(*figures.memory_peak, raw).c_str());
  std::printf("%-15s %d\n", "Processes:", figures.processes);
  for (const lifecycle::HostLink& link : links) PrintLink(link.name, link.tx_bytes, link.rx_bytes, raw);
  for (const lifecycle::Interface& interface : network.interfaces) {
    if (!IsVethPeer(interface, links)) PrintLink(interface.name, interface.tx_bytes, interface.rx_bytes, raw);
  }
}

// The cgroup's own figures, each only where its file exists.
std::string CgroupJson(const Figures& figures, bool frozen) {
  if (!figures.cgroup) return "null";
  const kernel::CgroupStats& stats = *figures.cgroup;
  std::string json = "{\"path\": " + JsonString(figures.cgroup_path) + ", \"frozen\": " +
                     (frozen ? "true" : "false") + ", \"cpu_usage_usec\": " + std::to_string(stats.cpu_usage_usec) +
                     ", \"cpu_user_usec\": " + std::to_string(stats.cpu_user_usec) +
                     ", \"cpu_system_usec\": " + std::to_string(stats.cpu_system_usec);
  auto add = [&json](const char* key, const std::optional<uint64_t>& value) {
    if (value) json += ", \"" + std::string(key) + "\": " + std::to_string(*value);
  };
  add("cpu_throttled_usec", stats.cpu_throttled_usec);
  add("memory_current", stats.memory_current);
  add("memory_peak", stats.memory_peak);
  add("io_read_bytes", stats.io_read_bytes);
  add("io_written_bytes", stats.io_written_bytes);
  add("pids_current", stats.pids_current);
  return json + "}";
}

// "2026-12-07T17:01:02Z"
std::string IsoTime(int64_t seconds) {
  time_t when = static_cast<time_t>(seconds);
  tm utc = {};
  char text[32];
  if (gmtime_r(&when, &utc) == nullptr || strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc) == 0) return "";
  return text;
}

// The record of the last exit (last_exit.h); none when it cannot be read,
// with a warning: info still shows the rest.
std::optional<lifecycle::LastExit> LastExitOf(const lifecycle::ContainerRef& ref) {
  auto exit = lifecycle::ReadLastExit(ref.container_dir);
  if (exit.ok()) return *exit;
  std::fprintf(stderr, "uxc info: warning: %s\n", exit.error().ToString().c_str());
  return std::nullopt;
}

std::string LastExitJson(const std::optional<lifecycle::LastExit>& exit) {
  if (!exit) return "null";
  std::string signal = "null";
  if (exit->signal > 0) {
    const char* name = sigabbrev_np(exit->signal);
    signal = JsonString(name != nullptr ? "SIG" + std::string(name) : std::to_string(exit->signal));
  }
  return "{\"exit_code\": " + (exit->signal > 0 ? std::string("null") : std::to_string(exit->exit_code)) +
         ", \"signal\": " + signal + ", \"ran_ms\": " +
         (exit->ran_ms < 0 ? std::string("null") : std::to_string(exit->ran_ms)) +
         ", \"ended\": " + JsonString(IsoTime(exit->ended)) + ", \"reboot\": " + (exit->reboot ? "true" : "false") +
         "}";
}

void PrintText(const lifecycle::ContainerRef& ref, const lifecycle::ContainerStatus& status,
               const std::string& state, const Figures& figures, const lifecycle::NetworkView& network,
               const std::vector<lifecycle::HostLink>& links, const Shown& shown) {
  if (shown.usage) std::printf("%-15s %s\n", "Name:", ref.name.c_str());
  if (shown.state) std::printf("%-15s %s\n", "State:", state.c_str());
  if (shown.usage) {
    if (std::optional<lifecycle::LastExit> exit = LastExitOf(ref)) {
      std::printf("%-15s %s (%s)\n", "Last exit:", lifecycle::DescribeExit(*exit).c_str(),
                  IsoTime(exit->ended).c_str());
    }
  }
  if (status.state != lifecycle::RunState::kRunning) return;
  if (shown.pid) std::printf("%-15s %d\n", "PID:", status.details.init_pid);
  if (shown.ips) {
    for (const std::string& ip : network.ipv4) std::printf("%-15s %s\n", "IP:", ip.c_str());
    for (const std::string& ip : network.ipv6) std::printf("%-15s %s\n", "IP:", ip.c_str());
  }
  if (shown.usage) PrintUsage(figures, network, links, shown.raw);
}

void PrintJson(const lifecycle::ContainerRef& ref, const lifecycle::ContainerStatus& status,
               const std::string& state, const Figures& figures, const lifecycle::NetworkView& network,
               const std::vector<lifecycle::HostLink>& links) {
  bool running = status.state == lifecycle::RunState::kRunning;
  std::printf("{\"name\": %s, \"state\": %s, \"last_exit\": %s", JsonString(ref.name).c_str(),
              JsonString(state).c_str(), LastExitJson(LastExitOf(ref)).c_str());
  if (running) {
    std::printf(", \"pid\": %d, \"ipv4\": %s, \"ipv6\": %s, \"cpu_seconds\": %.2f, \"memory_bytes\": %llu, "
                "\"processes\": %d, \"cgroup\": %s, \"links\": [",
                status.details.init_pid, JsonStringArray(network.ipv4).c_str(),
                JsonStringArray(network.ipv6).c_str(), figures.cpu_seconds,
                static_cast<unsigned long long>(figures.memory_bytes), figures.processes,
                CgroupJson(figures, state == "FROZEN").c_str());
    for (size_t i = 0; i < network.interfaces.size(); ++i) {
      const lifecycle::Interface& interface = network.interfaces[i];
      std::printf("%s{\"name\": %s, \"tx_bytes\": %llu, \"rx_bytes\": %llu}", i ? ", " : "",
                  JsonString(interface.name).c_str(), static_cast<unsigned long long>(interface.tx_bytes),
                  static_cast<unsigned long long>(interface.rx_bytes));
    }
    std::printf("], \"host_links\": [");
    for (size_t i = 0; i < links.size(); ++i) {
      std::printf("%s{\"name\": %s, \"container_nic\": %s, \"tx_bytes\": %llu, \"rx_bytes\": %llu}", i ? ", " : "",
                  JsonString(links[i].name).c_str(), JsonString(links[i].container_nic).c_str(),
                  static_cast<unsigned long long>(links[i].tx_bytes), static_cast<unsigned long long>(links[i].rx_bytes));
    }
    std::printf("]");
  }
  std::printf("}\n");
}

// The container's own cgroup while it runs; none (with a warning when it
// cannot be opened) otherwise.
std::optional<kernel::Cgroup> PayloadOf(const lifecycle::ContainerRef& ref) {
  auto cgroup = lifecycle::OpenPayloadCgroup(ref.paths);
  if (cgroup.ok()) return std::move(*cgroup);
  std::fprintf(stderr, "uxc info: warning: %s\n", cgroup.error().ToString().c_str());
  return std::nullopt;
}

}  // namespace

int RunInfo(const std::vector<std::string>& args) {
  auto parsed = ParseArgs("info", Options(), args);
  if (!parsed.ok()) return Fail(parsed.error());
  if (parsed->Has("help")) {
    std::fputs(FormatHelp("info", "NAME [-P DIR] [-s] [-p] [-i] [-H] [--format table|json]",
                          "Shows the container's state (RUNNING, FROZEN or STOPPED) and, while it runs, its init's "
                          "pid, addresses, CPU, block I/O and memory use and its processes (from its own cgroup "
                          "where it has one and the controller is enabled; else CPU, memory and processes "
                          "summed from /proc) and its links' traffic; and how its init "
                          "ended last time (its exit status or signal, how long it ran). "
                          "-s, -p and -i show only the state, pid or addresses, as lxc-info's do; the JSON "
                          "always carries everything, in bytes.",
                          Options())
                   .c_str(),
               stdout);
    return 0;
  }
  std::string format = parsed->Value("format", "table");
  if (format != "table" && format != "text" && format != "json") {
    return Fail(UsageErrorFor("info", "--format takes table or json, not \"" + format + "\""));
  }
  if (auto refused = RefuseBadName("info", *parsed)) return *refused;
  auto ref = NamedContainer(*parsed, "info");
  if (!ref.ok()) return Fail(ref.error());
  auto status = lifecycle::ProbeContainer(*ref);
  if (!status.ok()) return Fail(status.error());
  Figures figures;
  lifecycle::NetworkView network;
  std::vector<lifecycle::HostLink> links;
  if (status->state == lifecycle::RunState::kRunning) {
    figures = FiguresOf(lifecycle::ReadUsage(status->details.init_pid), PayloadOf(*ref));
    network = lifecycle::ReadNetwork(status->details.init_pid);
    links = lifecycle::HostLinks(ref->paths.dir, network.interfaces);
  }
  std::string state = lifecycle::ShownState(*status, ref->paths);
  if (format == "json") {
    PrintJson(*ref, *status, state, figures, network, links);
  } else {
    PrintText(*ref, *status, state, figures, network, links, ShownBy(*parsed));
  }
  return 0;
}

}  // namespace uxc::cli
