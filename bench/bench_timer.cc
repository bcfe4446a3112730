// Times container starts as the bench user and writes every run to JSON;
// bench/report.py turns the JSON into tables. It asserts nothing about speed.
//
// bench_timer --user NAME --json FILE [--fifo PRIO] app [--rounds R] [--round-size K] [--warmup W]
//     -- NAME [--root] [--normal] ARGV... [';;' NAME ...]...
//   Each command is run to its exit; the rounds alternate over the commands
//   (shuffled in each round), K runs of one command at a time. Per run: the
//   wall time from fork to exit, the CPU time (user + sys) of the whole
//   process tree (every descendant is reaped here, the timer being a child
//   subreaper, so setuid helpers and daemonised parts count too), and the
//   peak RSS of the largest process of the tree. A command that fails its
//   first run is reported with its output and not timed. --root runs a
//   wrapper as root that drops to the user itself; --normal runs a command
//   SCHED_OTHER under --fifo (Go's runtime, podman's, spins at a real-time
//   priority and starves its own threads on two cores).
//
// bench_timer --user NAME --json FILE [--fifo PRIO] cycle [--runs R] [--warmup W] [--count N]
//     [--timeout S] -- NAME --ready PATH --start ARGV... --stop ARGV... [';;' ...]
//   N system containers at once: their N start commands run in parallel,
//   then the timer waits until every init wrote its marker file (PATH, with
//   {i} replaced by 1..N as in ARGV; removed before each run), reads the
//   memory of the processes left (the monitors, reparented to the timer),
//   runs the N stop commands in parallel and waits until every process of
//   the cycle has exited. Per run: the wall time until the start commands
//   exited, until all markers existed, of the stops, until all was gone; the
//   CPU time of the whole cycle; the monitors' RSS and PSS; the failures.
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "bench/process_runner.h"
#include "launcher/cli/lifecycle_json.h"

namespace uxc::bench {
namespace {

using cli::JsonString;
using cli::JsonStringArray;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "bench_timer: %s\n", what.c_str());
  std::exit(2);
}

std::string Fixed(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", value);
  return buf;
}

std::string Substitute(std::string text, int instance) {
  const std::string key = "{i}";
  for (size_t at = text.find(key); at != std::string::npos; at = text.find(key, at)) {
    text.replace(at, key.size(), std::to_string(instance));
  }
  return text;
}

Command ForInstance(const Command& command, int instance) {
  Command out = command;
  for (std::string& arg : out.argv) arg = Substitute(arg, instance);
  return out;
}

std::string Tail(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  return all.size() > 600 ? all.substr(all.size() - 600) : all;
}

// The argv after "--", split at ";;" tokens.
std::vector<std::vector<std::string>> SplitGroups(int argc, char** argv, int first) {
  std::vector<std::vector<std::string>> groups(1);
  for (int i = first; i < argc; ++i) {
    if (std::strcmp(argv[i], ";;") == 0) {
      groups.emplace_back();
    } else {
      groups.back().push_back(argv[i]);
    }
  }
  for (const auto& group : groups) {
    if (group.size() < 2) Die("every command needs a name and an argv");
  }
  return groups;
}

struct Options {
  std::string user, json, mode;
  int fifo = 0, rounds = 12, round_size = 5, warmup = 3, runs = 10, count = 1, timeout = 60;
  int first_group = 0;  // argv index after "--"
};

Options ParseOptions(int argc, char** argv) {
  Options options;
  std::map<std::string, int*> numbers = {{"--fifo", &options.fifo},       {"--rounds", &options.rounds},
                                         {"--round-size", &options.round_size}, {"--warmup", &options.warmup},
                                         {"--runs", &options.runs},       {"--count", &options.count},
                                         {"--timeout", &options.timeout}};
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      options.first_group = i + 1;
      break;
    }
    if (arg == "app" || arg == "cycle") {
      options.mode = arg;
      continue;
    }
    if (i + 1 >= argc) Die("option " + arg + " needs a value");
    if (arg == "--user") {
      options.user = argv[++i];
    } else if (arg == "--json") {
      options.json = argv[++i];
    } else if (numbers.count(arg)) {
      *numbers[arg] = std::atoi(argv[++i]);
    } else {
      Die("unknown option " + arg + " (see the comment at the top of bench/bench_timer.cc)");
    }
  }
  if (options.user.empty() || options.json.empty() || options.mode.empty() || options.first_group == 0) {
    Die("usage: bench_timer --user NAME --json FILE [--fifo PRIO] app|cycle [OPTIONS] -- COMMANDS");
  }
  return options;
}

// ---- app: one command to its exit

struct AppCommand {
  std::string name;
  Command command;
  std::string failure;  // its first run's output when that run failed
  std::vector<std::string> runs;  // JSON objects
};

AppCommand ParseAppCommand(const std::vector<std::string>& group) {
  AppCommand app{group[0], {}, "", {}};
  size_t first = 1;
  for (; first < group.size(); ++first) {
    if (group[first] == "--root") {
      app.command.as_root = true;
    } else if (group[first] == "--normal") {
      app.command.normal_policy = true;
    } else {
      break;
    }
  }
  app.command.argv.assign(group.begin() + static_cast<long>(first), group.end());
  if (app.command.argv.empty()) Die(app.name + " has no argv");
  return app;
}

// Reaps what the run left behind: processes that exit within a second are
// counted in the run's CPU time; one that stays (podman's pause process) is
// remembered and not waited for again.
void ReapLeftovers(std::set<pid_t>& lingering) {
  double deadline = NowMs() + 1000;
  int status;
  rusage usage;
  for (;;) {
    pid_t pid = WaitAnyChild(0, &status, &usage);
    if (pid > 0) continue;
    if (pid < 0) return;
    std::set<pid_t> live;
    for (pid_t child : LiveChildren()) {
      if (!lingering.count(child)) live.insert(child);
    }
    if (live.empty()) return;
    if (NowMs() >= deadline) {
      lingering.insert(live.begin(), live.end());
      return;
    }
    WaitAnyChild(deadline, &status, &usage);
  }
}

struct AppRun {
  int status = 0;
  double wall_ms = 0, cpu_ms = 0;
  long maxrss_kib = 0;
};

AppRun RunOnce(const BenchUser& user, const Command& command, int output_fd, std::set<pid_t>& lingering) {
  AppRun run;
  double cpu_before = ChildrenCpuMs();
  double start = NowMs();
  pid_t pid = Spawn(user, command, output_fd);
  rusage usage{};
  while (wait4(pid, &run.status, 0, &usage) < 0) {
    if (errno != EINTR) Die(std::string("wait4: ") + std::strerror(errno));
  }
  run.wall_ms = NowMs() - start;
  run.maxrss_kib = usage.ru_maxrss;
  ReapLeftovers(lingering);
  run.cpu_ms = ChildrenCpuMs() - cpu_before;
  return run;
}

std::string AppRunJson(const AppRun& run) {
  return "{\"wall_ms\": " + Fixed(run.wall_ms) + ", \"cpu_ms\": " + Fixed(run.cpu_ms) +
         ", \"maxrss_kib\": " + std::to_string(run.maxrss_kib) + "}";
}

void Probe(const BenchUser& user, AppCommand& app, const std::string& log_path, std::set<pid_t>& lingering) {
  int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) Die("open " + log_path);
  AppRun run = RunOnce(user, app.command, log_fd, lingering);
  close(log_fd);
  if (run.status != 0) {
    app.failure = "exit status " + std::to_string(run.status) + ": " + Tail(log_path);
    std::fprintf(stderr, "bench_timer: %s fails and is left out: %s\n", app.name.c_str(), app.failure.c_str());
  }
}

std::string RunApp(const Options& options, const BenchUser& user, const std::vector<std::vector<std::string>>& groups) {
  std::vector<AppCommand> apps;
  for (const auto& group : groups) apps.push_back(ParseAppCommand(group));
  std::set<pid_t> lingering;
  int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
  for (AppCommand& app : apps) {
    Probe(user, app, options.json + "." + app.name + ".log", lingering);
    for (int i = 0; i < options.warmup && app.failure.empty(); ++i) RunOnce(user, app.command, null_fd, lingering);
  }
  std::vector<size_t> order(apps.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::mt19937 shuffle_seed(16);
  for (int round = 0; round < options.rounds; ++round) {
    std::shuffle(order.begin(), order.end(), shuffle_seed);
    for (size_t index : order) {
      AppCommand& app = apps[index];
      for (int i = 0; i < options.round_size && app.failure.empty(); ++i) {
        AppRun run = RunOnce(user, app.command, null_fd, lingering);
        if (run.status != 0) {
          app.failure = "a timed run failed with status " + std::to_string(run.status);
          break;
        }
        app.runs.push_back(AppRunJson(run));
      }
    }
  }
  for (pid_t pid : lingering) kill(pid, SIGKILL);
  std::string json = "{\"mode\": \"app\", \"rounds\": " + std::to_string(options.rounds) + ", \"round_size\": " +
                     std::to_string(options.round_size) + ", \"commands\": [";
  for (size_t i = 0; i < apps.size(); ++i) {
    const AppCommand& app = apps[i];
    json += std::string(i ? ",\n" : "\n") + "{\"name\": " + JsonString(app.name) + ", \"argv\": " +
            JsonStringArray(app.command.argv) + ", \"as_root\": " + (app.command.as_root ? "true" : "false") +
            ", \"normal_policy\": " + (app.command.normal_policy ? "true" : "false") +
            ", \"failure\": " + (app.failure.empty() ? "null" : JsonString(app.failure)) + ", \"runs\": [";
    for (size_t r = 0; r < app.runs.size(); ++r) json += (r ? ", " : "") + app.runs[r];
    json += "]}";
  }
  return json + "\n]}\n";
}

// ---- cycle: N system containers started, ready, stopped

struct CycleCase {
  std::string name, ready;
  Command start, stop;
  std::vector<std::string> runs;
  int failed_runs = 0;
};

CycleCase ParseCycleCase(const std::vector<std::string>& group) {
  CycleCase c{group[0], "", {}, {}, {}, 0};
  std::vector<std::string>* into = nullptr;
  for (size_t i = 1; i < group.size(); ++i) {
    if (group[i] == "--ready" && i + 1 < group.size()) {
      c.ready = group[++i];
    } else if (group[i] == "--start") {
      into = &c.start.argv;
    } else if (group[i] == "--stop") {
      into = &c.stop.argv;
    } else if (into != nullptr) {
      into->push_back(group[i]);
    } else {
      Die(c.name + ": unexpected " + group[i] + " (use --ready PATH --start ARGV... --stop ARGV...)");
    }
  }
  if (c.ready.empty() || c.start.argv.empty() || c.stop.argv.empty()) Die(c.name + " needs --ready, --start and --stop");
  return c;
}

// Watches for the N marker files with inotify on their directories.
class Markers {
 public:
  Markers(const std::string& pattern, int count) : fd_(inotify_init1(IN_CLOEXEC | IN_NONBLOCK)) {
    if (fd_ < 0) Die("inotify_init1");
    for (int i = 1; i <= count; ++i) {
      std::string path = Substitute(pattern, i);
      size_t slash = path.rfind('/');
      unlink(path.c_str());
      if (inotify_add_watch(fd_, path.substr(0, slash).c_str(), IN_CREATE | IN_MOVED_TO | IN_ATTRIB) < 0) {
        Die("inotify_add_watch for " + path + ": " + std::strerror(errno));
      }
      paths_.push_back(path);
    }
  }
  ~Markers() {
    close(fd_);
    for (const std::string& path : paths_) unlink(path.c_str());
  }

  // How many markers exist once all do or the deadline passes. An event on
  // a watched directory only wakes the loop, which then looks at every file.
  int WaitAll(double deadline_ms) {
    for (;;) {
      Drain();
      int ready = 0;
      struct stat st;
      for (const std::string& path : paths_) ready += stat(path.c_str(), &st) == 0;
      double left = deadline_ms - NowMs();
      if (ready == static_cast<int>(paths_.size()) || left <= 0) return ready;
      pollfd pfd{fd_, POLLIN, 0};
      poll(&pfd, 1, static_cast<int>(left) + 1);
    }
  }

 private:
  void Drain() {
    alignas(inotify_event) char buffer[8192];
    while (read(fd_, buffer, sizeof buffer) > 0) {
    }
  }
  int fd_;
  std::vector<std::string> paths_;
};

// Runs `command` for instances 1..count at once and waits until all exit;
// returns how many failed. Other children that exit meanwhile are reaped.
int RunAll(const BenchUser& user, const Command& command, int count, int output_fd, double deadline_ms) {
  std::set<pid_t> pending;
  for (int i = 1; i <= count; ++i) pending.insert(Spawn(user, ForInstance(command, i), output_fd));
  int failures = 0, status;
  rusage usage;
  while (!pending.empty()) {
    pid_t pid = WaitAnyChild(deadline_ms, &status, &usage);
    if (pid <= 0) break;
    if (pending.erase(pid) && status != 0) ++failures;
  }
  for (pid_t pid : pending) kill(pid, SIGKILL);
  return failures + static_cast<int>(pending.size());
}

// Waits until every child is gone; kills what is left at the deadline.
int WaitAllGone(double deadline_ms) {
  int status;
  rusage usage;
  while (WaitAnyChild(deadline_ms, &status, &usage) > 0) {
  }
  std::set<pid_t> left = LiveChildren();
  for (pid_t pid : left) kill(pid, SIGKILL);
  while (WaitAnyChild(NowMs() + 5000, &status, &usage) > 0) {
  }
  return static_cast<int>(left.size());
}

std::string MonitorsJson() {
  std::string json = "[";
  bool first = true;
  for (pid_t pid : LiveChildren()) {
    ProcessMemory m = ReadMemory(pid);
    json += std::string(first ? "" : ", ") + "{\"comm\": " + JsonString(m.comm) + ", \"rss_kib\": " +
            std::to_string(m.rss_kib) + ", \"pss_kib\": " + std::to_string(m.pss_kib) + "}";
    first = false;
  }
  return json + "]";
}

struct CycleRun {
  std::string json;
  bool failed = false;
};

CycleRun CycleOnce(const Options& options, const BenchUser& user, const CycleCase& c, int output_fd) {
  double deadline = NowMs() + options.timeout * 1000.0;
  Markers markers(c.ready, options.count);
  double cpu_before = ChildrenCpuMs();
  double start = NowMs();
  int start_failures = RunAll(user, c.start, options.count, output_fd, deadline);
  double started = NowMs();
  int ready = markers.WaitAll(deadline);
  double ready_at = NowMs();
  std::string monitors = MonitorsJson();
  double stop_begin = NowMs();
  int stop_failures = RunAll(user, c.stop, options.count, output_fd, NowMs() + options.timeout * 1000.0);
  double stopped = NowMs();
  int leftovers = WaitAllGone(NowMs() + options.timeout * 1000.0);
  double gone = NowMs();
  double cpu = ChildrenCpuMs() - cpu_before;
  bool failed = start_failures + (options.count - ready) + stop_failures + leftovers > 0;
  return {"{\"start_ms\": " + Fixed(started - start) + ", \"ready_ms\": " + Fixed(ready_at - start) +
         ", \"stop_ms\": " + Fixed(stopped - stop_begin) + ", \"gone_ms\": " + Fixed(gone - stop_begin) +
         ", \"cpu_ms\": " + Fixed(cpu) + ", \"start_failures\": " + std::to_string(start_failures) +
         ", \"not_ready\": " + std::to_string(options.count - ready) + ", \"stop_failures\": " +
         std::to_string(stop_failures) + ", \"leftovers\": " + std::to_string(leftovers) +
         ", \"monitors\": " + monitors + "}",
          failed};
}

std::string RunCycle(const Options& options, const BenchUser& user,
                     const std::vector<std::vector<std::string>>& groups) {
  std::vector<CycleCase> cases;
  for (const auto& group : groups) cases.push_back(ParseCycleCase(group));
  for (CycleCase& c : cases) {
    std::string log_path = options.json + "." + c.name + ".log";
    int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log_fd < 0) Die("open " + log_path);
    for (int i = 0; i < options.warmup; ++i) CycleOnce(options, user, c, log_fd);
    close(log_fd);
  }
  int null_fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
  for (int run = 0; run < options.runs; ++run) {
    for (CycleCase& c : cases) {  // alternating, as the app rounds do
      CycleRun cycle = CycleOnce(options, user, c, null_fd);
      c.failed_runs += cycle.failed;
      c.runs.push_back(cycle.json);
    }
  }
  std::string json = "{\"mode\": \"cycle\", \"count\": " + std::to_string(options.count) + ", \"cases\": [";
  for (size_t i = 0; i < cases.size(); ++i) {
    const CycleCase& c = cases[i];
    json += std::string(i ? ",\n" : "\n") + "{\"name\": " + JsonString(c.name) + ", \"ready\": " + JsonString(c.ready) +
            ", \"start\": " + JsonStringArray(c.start.argv) + ", \"stop\": " + JsonStringArray(c.stop.argv) +
            ", \"failed_runs\": " + std::to_string(c.failed_runs) + ", \"runs\": [\n";
    for (size_t r = 0; r < c.runs.size(); ++r) json += (r ? ",\n" : "") + c.runs[r];
    json += "]}";
  }
  return json + "\n]}\n";
}

}  // namespace
}  // namespace uxc::bench

int main(int argc, char** argv) {
  using namespace uxc::bench;
  Options options = ParseOptions(argc, argv);
  if (geteuid() != 0) Die("run as root: it runs every command as --user and reaps their descendants");
  BenchUser user = LookUpUser(options.user);
  BecomeReaper();
  if (options.fifo > 0) {
    sched_param param{options.fifo};
    if (sched_setscheduler(0, SCHED_FIFO, &param) != 0) Die("sched_setscheduler SCHED_FIFO");
  }
  auto groups = SplitGroups(argc, argv, options.first_group);
  std::string json = options.mode == "app" ? RunApp(options, user, groups) : RunCycle(options, user, groups);
  std::ofstream out(options.json);
  out << json;
  if (!out.flush()) Die("write " + options.json);
  return 0;
}
