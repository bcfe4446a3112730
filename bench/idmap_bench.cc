// Times one id-map helper exec that maps a 65536-id range, ours against
// shadow's, side by side: the runs alternate so both see the same machine.
// Each run forks a child that becomes the bench user and execs the helper on
// a fresh process in a new user namespace; the clock covers fork, exec, the
// helper's work and its exit. The same for an empty static binary is the
// floor that no exec can beat.
//
// With --combined, uxc-newidmap writing both maps (uid and gid, 65536 each)
// in one exec is timed in the same rotation: what the second map costs inside
// one exec, against a second exec.
//
// Shadow's pair (newuidmap, then newgidmap, on the same process) is timed
// against uxc-newidmap too: what a start that maps a full range pays with
// each.
//
// Runs as root: it creates the user "uxct-bench" and gives it /etc/subuid and
// /etc/subgid lines for the run (the files are restored afterwards); with
// --user-with-range NAME it uses that user, whose range the caller has
// already given (700000:65536, as bench/run does).
//
// usage: idmap_bench --ours PATH --floor PATH [--shadow PATH] [--shadow-gid PATH] [--combined PATH]
//                    [--runs N] [--user-with-range NAME] [--json FILE]
#include <fcntl.h>
#include <pwd.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace {

constexpr char kUser[] = "uxct-bench";
constexpr char kSubStart[] = "700000";

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "idmap_bench: %s%s%s\n", what.c_str(), errno ? ": " : "", errno ? std::strerror(errno) : "");
  std::exit(1);
}

struct User {
  uid_t uid;
  gid_t gid;
  std::vector<gid_t> groups;  // looked up once, so no NSS work is timed
};

User EnsureUser(const std::string& name) {
  if (getpwnam(name.c_str()) == nullptr &&
      std::system(("useradd --no-create-home --shell /usr/sbin/nologin " + name + " >/dev/null 2>&1").c_str()) != 0) {
    Die("useradd failed");
  }
  struct passwd* pw = getpwnam(name.c_str());
  if (pw == nullptr) Die("no user " + name);
  User user{pw->pw_uid, pw->pw_gid, std::vector<gid_t>(64)};
  int count = static_cast<int>(user.groups.size());
  if (getgrouplist(name.c_str(), user.gid, user.groups.data(), &count) < 0) Die("getgrouplist");
  user.groups.resize(static_cast<size_t>(count));
  return user;
}

void BecomeUser(const User& user) {
  if (setgroups(user.groups.size(), user.groups.data()) != 0 || setresgid(user.gid, user.gid, user.gid) != 0 ||
      setresuid(user.uid, user.uid, user.uid) != 0) {
    _exit(120);
  }
}

// A subordinate id file with one more line for the run; the original comes
// back on exit.
class SubidLine {
 public:
  explicit SubidLine(std::string path, const std::string& user) : path_(std::move(path)) {
    std::ifstream in(path_);
    existed_ = static_cast<bool>(in);
    std::stringstream text;
    text << in.rdbuf();
    original_ = text.str();
    std::string content = original_;
    if (!content.empty() && content.back() != '\n') content += '\n';
    Write(content + user + ":" + kSubStart + ":65536\n");
  }
  ~SubidLine() {
    if (existed_) {
      Write(original_);
    } else {
      unlink(path_.c_str());
    }
  }

 private:
  void Write(const std::string& content) {
    std::string tmp = path_ + ".idmap-bench";
    std::ofstream(tmp) << content;
    chmod(tmp.c_str(), 0644);
    if (rename(tmp.c_str(), path_.c_str()) != 0) Die("rename " + tmp);
  }
  std::string path_;
  bool existed_ = false;
  std::string original_;
};

// A process of the bench user in a new user namespace, waiting to be mapped.
struct Target {
  pid_t pid;
  int hold_fd;
};

Target StartTarget(const User& user) {
  int ready[2], hold[2];
  if (pipe2(ready, O_CLOEXEC) != 0 || pipe2(hold, O_CLOEXEC) != 0) Die("pipe2");
  pid_t pid = fork();
  if (pid < 0) Die("fork");
  if (pid == 0) {
    close(ready[0]);
    close(hold[1]);  // so that the parent's close ends the read below
    BecomeUser(user);
    if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) != 0 || unshare(CLONE_NEWUSER) != 0) _exit(121);
    if (write(ready[1], "r", 1) != 1) _exit(122);
    char byte;
    while (read(hold[0], &byte, 1) > 0) {
    }
    _exit(0);
  }
  close(ready[1]);
  close(hold[0]);
  char byte;
  if (read(ready[0], &byte, 1) != 1) Die("target did not start");
  close(ready[0]);
  return {pid, hold[1]};
}

void StopTarget(const Target& target) {
  close(target.hold_fd);
  waitpid(target.pid, nullptr, 0);
}

double Now() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

// Milliseconds for one fork + exec + exit of argv as the bench user.
double TimeExec(const User& user, const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const std::string& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  char* envp[] = {const_cast<char*>("PATH=/usr/bin:/bin"), nullptr};
  double start = Now();
  pid_t pid = fork();
  if (pid < 0) Die("fork");
  if (pid == 0) {
    BecomeUser(user);
    execve(argv[0], argv.data(), envp);
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  double elapsed = Now() - start;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) Die(args[0] + " failed (status " + std::to_string(status) + ")");
  return elapsed;
}

bool HasMap(pid_t pid, const char* file) {
  std::ifstream map("/proc/" + std::to_string(pid) + "/" + file);
  std::string line;
  std::getline(map, line);
  return line.find(kSubStart) != std::string::npos;
}

// One exec of `helper` (after PID) with `ranges`; every map in `files` must
// be written by it.
double MapOnce(const User& user, const std::string& helper, const std::vector<std::string>& ranges,
               const std::vector<const char*>& files) {
  Target target = StartTarget(user);
  std::vector<std::string> args = {helper, std::to_string(target.pid)};
  args.insert(args.end(), ranges.begin(), ranges.end());
  double ms = TimeExec(user, args);
  for (const char* file : files) {
    if (!HasMap(target.pid, file)) Die(helper + " did not write the " + file);
  }
  StopTarget(target);
  return ms;
}

double MapUids(const User& user, const std::string& helper) {
  return MapOnce(user, helper, {"0", kSubStart, "65536"}, {"uid_map"});
}

double MapBoth(const User& user, const std::string& helper) {
  return MapOnce(user, helper, {"u", "0", kSubStart, "65536", "g", "0", kSubStart, "65536"}, {"uid_map", "gid_map"});
}

// Shadow's way to a full map: newuidmap, then newgidmap, on the same process.
double MapPair(const User& user, const std::string& uid_helper, const std::string& gid_helper) {
  Target target = StartTarget(user);
  const std::vector<std::string> range = {"0", kSubStart, "65536"};
  std::vector<std::string> uid_args = {uid_helper, std::to_string(target.pid)}, gid_args = {gid_helper, std::to_string(target.pid)};
  uid_args.insert(uid_args.end(), range.begin(), range.end());
  gid_args.insert(gid_args.end(), range.begin(), range.end());
  double ms = TimeExec(user, uid_args) + TimeExec(user, gid_args);
  if (!HasMap(target.pid, "uid_map") || !HasMap(target.pid, "gid_map")) Die("shadow's pair did not write both maps");
  StopTarget(target);
  return ms;
}

struct Summary {
  double median, p10, p90;
};

Summary Summarize(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) { return ms[static_cast<size_t>(q * (ms.size() - 1) + 0.5)]; };
  return {at(0.5), at(0.1), at(0.9)};
}

void Print(const char* name, const Summary& s) {
  std::printf("%-34s median %6.3f ms   p10 %6.3f   p90 %6.3f\n", name, s.median, s.p10, s.p90);
}

std::string JsonEntry(const char* name, const Summary& s) {
  char buf[200];
  std::snprintf(buf, sizeof buf, "\"%s\": {\"median_ms\": %.4f, \"p10_ms\": %.4f, \"p90_ms\": %.4f}", name, s.median,
                s.p10, s.p90);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  std::string ours, floor, combined, shadow = "/usr/bin/newuidmap", shadow_gid = "/usr/bin/newgidmap";
  std::string user_name = kUser, json;
  bool edit_subids = true;
  int runs = 50;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--ours") ours = argv[i + 1];
    else if (flag == "--shadow") shadow = argv[i + 1];
    else if (flag == "--floor") floor = argv[i + 1];
    else if (flag == "--combined") combined = argv[i + 1];
    else if (flag == "--shadow-gid") shadow_gid = argv[i + 1];
    else if (flag == "--runs") runs = std::atoi(argv[i + 1]);
    else if (flag == "--json") json = argv[i + 1];
    else if (flag == "--user-with-range") {
      user_name = argv[i + 1];
      edit_subids = false;
    } else {
      Die("unknown option " + flag + " (see the usage at the top of bench/idmap_bench.cc)");
    }
  }
  if (ours.empty() || floor.empty()) {
    Die("give --ours PATH (an installed setuid uxc-newuidmap) and --floor PATH (an empty static program)");
  }
  if (geteuid() != 0) Die("run as root: it creates a user and edits /etc/subuid for the run");
  if (runs < 30) Die("use at least 30 runs");
  User user = EnsureUser(user_name);
  std::optional<SubidLine> subuid, subgid;
  if (edit_subids) {
    subuid.emplace("/etc/subuid", user_name);
    subgid.emplace("/etc/subgid", user_name);
  }

  std::vector<double> our_ms, shadow_ms, floor_ms, combined_ms, pair_ms;
  MapUids(user, ours);  // warm the page cache for each
  MapUids(user, shadow);
  if (!combined.empty()) MapBoth(user, combined);
  MapPair(user, shadow, shadow_gid);
  for (int i = 0; i < runs; ++i) {
    our_ms.push_back(MapUids(user, ours));
    shadow_ms.push_back(MapUids(user, shadow));
    floor_ms.push_back(TimeExec(user, {floor}));
    if (!combined.empty()) combined_ms.push_back(MapBoth(user, combined));
    pair_ms.push_back(MapPair(user, shadow, shadow_gid));
  }
  Summary our = Summarize(our_ms), theirs = Summarize(shadow_ms), base = Summarize(floor_ms);
  std::printf("one exec mapping 65536 uids, %d runs each, alternating:\n", runs);
  Print("uxc-newuidmap", our);
  Print("shadow newuidmap", theirs);
  Print("empty static program", base);
  std::printf("ratio ours/shadow (median): %.2f\n", our.median / theirs.median);
  std::printf("above the exec floor: ours %.3f ms, shadow %.3f ms\n", our.median - base.median,
              theirs.median - base.median);
  Summary pair = Summarize(pair_ms);
  Print("shadow newuidmap + newgidmap", pair);
  std::string entries = JsonEntry("uxc-newuidmap", our) + ", " + JsonEntry("shadow-newuidmap", theirs) + ", " +
                        JsonEntry("empty-static", base) + ", " + JsonEntry("shadow-newuidmap+newgidmap", pair);
  if (!combined.empty()) {
    Summary both = Summarize(combined_ms);
    Print("uxc-newidmap (uid + gid)", both);
    std::printf("the gid map inside the same exec: %.3f ms more than uxc-newuidmap alone\n",
                both.median - our.median);
    std::printf("ratio uxc-newidmap / shadow's pair (median): %.2f\n", both.median / pair.median);
    entries += ", " + JsonEntry("uxc-newidmap", both);
  }
  if (!json.empty()) {
    std::ofstream out(json);
    out << "{\"mode\": \"idmap\", \"runs\": " << runs << ", \"helpers\": {" << entries << "}}\n";
    if (!out.flush()) Die("write " + json);
  }
  return 0;
}
