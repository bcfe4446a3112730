// What bench_timer needs from the kernel: start a command as the bench user,
// reap it and every process it leaves behind (the timer is a child
// subreaper), and read the memory of the processes that outlive it.
#ifndef UXC_BENCH_PROCESS_RUNNER_H_
#define UXC_BENCH_PROCESS_RUNNER_H_

#include <sys/resource.h>
#include <sys/types.h>

#include <set>
#include <string>
#include <vector>

namespace uxc::bench {

// The bench user, looked up once so that no NSS work is timed.
struct BenchUser {
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;
  std::string name, home;
};

// Exits with a message when the user does not exist.
BenchUser LookUpUser(const std::string& name);

struct Command {
  std::vector<std::string> argv;
  bool as_root = false;  // a wrapper that drops to the user itself
  bool normal_policy = false;  // SCHED_OTHER even when the timer runs SCHED_FIFO
};

// fork + exec of `command` (as the user unless as_root) with a clean
// environment, stdin from /dev/null and stdout/stderr to `output_fd`.
pid_t Spawn(const BenchUser& user, const Command& command, int output_fd);

double NowMs();

// CPU time (user + sys) of every reaped descendant so far, in ms.
double ChildrenCpuMs();

// Waits for any child until `deadline_ms` (NowMs clock). Returns its pid,
// 0 on timeout, -1 when there is no child left. `usage` gets its rusage.
pid_t WaitAnyChild(double deadline_ms, int* status, rusage* usage);

// The pids whose parent is this process (orphans reparented to it included).
std::set<pid_t> LiveChildren();

struct ProcessMemory {
  pid_t pid = 0;
  std::string comm;
  long rss_kib = 0;
  long pss_kib = 0;
};

ProcessMemory ReadMemory(pid_t pid);

// Makes this process the subreaper of its descendants and installs the
// SIGALRM handler that WaitAnyChild's deadline needs.
void BecomeReaper();

}  // namespace uxc::bench

#endif  // UXC_BENCH_PROCESS_RUNNER_H_
