// The parent/child synchronisation channel: a SOCK_SEQPACKET socketpair that
// carries fixed-size messages, each optionally with file descriptors
// (SCM_RIGHTS). The child's side never allocates.
//
// A start runs:  parent                      child
//                clone3 ──────────────────►  unshare the network
//                Receive() ◄───────────────  Send(kNetns, netns, netlink)
//                                            (only with nics), WaitFor(kGo)
//                map ids, nics, Send(kGo) ─►  set up the container
//                compile the seccomp filter,
//                SendSeccompFilter ────────►  ReceiveSeccompFilter, load it
//                Receive() ◄───────────────  Send(kReady, console fds)
//                Receive() == end of stream  exec (the CLOEXEC socket closes)
// Any step of the child that fails sends kError with a ChildReport and exits.
#pragma once

#include <linux/filter.h>

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "base/error.h"
#include "base/unique_fd.h"
#include "launcher/engine/child_report.h"

namespace uxc::launcher {

enum class SyncTag : uint32_t {
  kGo = 1,  // parent → child: ids are mapped, go on
  kAbort,   // parent → child: give up (the parent failed)
  kReady,   // child → parent: set up; carries console and tty fds
  kError,   // child → parent: a step failed; carries a ChildReport
  kSeccomp,  // parent → child: the seccomp filter's BPF program follows
  // child → parent, before kGo when the plan has nics: the new network
  // namespace and a NETLINK_ROUTE socket opened in it (nic_setup.h).
  kNetns,
};

struct SyncMessage {
  SyncTag tag = SyncTag::kError;
  ChildReport report;
};

// The most fds one message carries (the console plus lxc.tty.max ttys).
inline constexpr int kMaxSyncFds = 64;

struct SyncPair {
  UniqueFd parent;
  UniqueFd child;
};
Result<SyncPair> MakeSyncPair();

// Child side, no allocation. Return 0, or -1 with errno set (EPIPE when the
// other side closed, EPROTO for an unexpected message).
int SendTag(int fd, SyncTag tag, const int* fds = nullptr, int fd_count = 0);
int SendReport(int fd, const ChildReport& report);
int WaitFor(int fd, SyncTag expected);
// Receives the message of SendSeccompFilter into `program` (room for
// `capacity` instructions) and sets `length`; a message with an empty
// program gives length 0.
int ReceiveSeccompFilter(int fd, sock_filter* program, size_t capacity, size_t* length);

// Parent side.
Status Send(int fd, SyncTag tag);
// kSeccomp and the program in one message (at most BPF_MAXINSNS
// instructions, 32 KiB: far below a socket's buffer).
Status SendSeccompFilter(int fd, const std::vector<sock_filter>& program);
struct Received {
  bool end_of_stream = false;  // the child exec'd or died
  SyncMessage message;
  std::vector<UniqueFd> fds;
};
Result<Received> Receive(int fd);
// Receive() without waiting: fails with EAGAIN when no message is there.
Result<Received> ReceiveIfReady(int fd);

}  // namespace uxc::launcher
