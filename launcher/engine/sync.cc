#include "launcher/engine/sync.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace uxc::launcher {
namespace {

// `extra` bytes, when given, follow the message in the same datagram.
int SendMessage(int fd, const SyncMessage& message, const int* fds, int fd_count,
                const void* extra = nullptr, size_t extra_size = 0) {
  if (fd_count > kMaxSyncFds) {
    errno = E2BIG;
    return -1;
  }
  iovec iov[2] = {{const_cast<SyncMessage*>(&message), sizeof message},
                  {const_cast<void*>(extra), extra_size}};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxSyncFds)];
  msghdr header{};
  header.msg_iov = iov;
  header.msg_iovlen = extra_size > 0 ? 2 : 1;
  if (fd_count > 0) {
    header.msg_control = control;
    header.msg_controllen = CMSG_SPACE(sizeof(int) * fd_count);
    cmsghdr* cmsg = CMSG_FIRSTHDR(&header);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int) * fd_count);
    memcpy(CMSG_DATA(cmsg), fds, sizeof(int) * fd_count);
  }
  ssize_t sent;
  do {
    sent = sendmsg(fd, &header, MSG_NOSIGNAL);
  } while (sent < 0 && errno == EINTR);
  if (sent < 0) return -1;
  if (sent != static_cast<ssize_t>(sizeof message + extra_size)) {
    errno = EPROTO;
    return -1;
  }
  return 0;
}

}  // namespace

Result<SyncPair> MakeSyncPair() {
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) {
    return ErrnoError("create the parent/child sync socket");
  }
  return SyncPair{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

int SendTag(int fd, SyncTag tag, const int* fds, int fd_count) {
  SyncMessage message;
  message.tag = tag;
  return SendMessage(fd, message, fds, fd_count);
}

int SendReport(int fd, const ChildReport& report) {
  SyncMessage message;
  message.tag = SyncTag::kError;
  message.report = report;
  return SendMessage(fd, message, nullptr, 0);
}

int WaitFor(int fd, SyncTag expected) {
  SyncMessage message;
  ssize_t got;
  do {
    got = recv(fd, &message, sizeof message, 0);
  } while (got < 0 && errno == EINTR);
  if (got < 0) return -1;
  if (got == 0) {
    errno = EPIPE;
    return -1;
  }
  if (got != static_cast<ssize_t>(sizeof message) || message.tag != expected) {
    errno = EPROTO;
    return -1;
  }
  return 0;
}

int ReceiveSeccompFilter(int fd, sock_filter* program, size_t capacity, size_t* length) {
  SyncMessage message;
  iovec iov[2] = {{&message, sizeof message}, {program, capacity * sizeof(sock_filter)}};
  msghdr header{};
  header.msg_iov = iov;
  header.msg_iovlen = 2;
  ssize_t got;
  do {
    got = recvmsg(fd, &header, 0);
  } while (got < 0 && errno == EINTR);
  if (got < 0) return -1;
  if (got == 0) {
    errno = EPIPE;
    return -1;
  }
  if (static_cast<size_t>(got) < sizeof message || message.tag != SyncTag::kSeccomp ||
      (header.msg_flags & MSG_TRUNC) || (got - sizeof message) % sizeof(sock_filter) != 0) {
    errno = EPROTO;
    return -1;
  }
  *length = (got - sizeof message) / sizeof(sock_filter);
  return 0;
}

Status Send(int fd, SyncTag tag) {
  if (SendTag(fd, tag) != 0) return ErrnoError("signal the container's init");
  return OkStatus();
}

Status SendSeccompFilter(int fd, const std::vector<sock_filter>& program) {
  SyncMessage message;
  message.tag = SyncTag::kSeccomp;
  size_t bytes = program.size() * sizeof(sock_filter);
  if (SendMessage(fd, message, nullptr, 0, program.data(), bytes) != 0) {
    return ErrnoError("hand the seccomp filter to the container's init");
  }
  return OkStatus();
}

namespace {

Result<Received> ReceiveMessage(int fd, int flags) {
  Received received;
  iovec iov{&received.message, sizeof received.message};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxSyncFds)];
  msghdr header{};
  header.msg_iov = &iov;
  header.msg_iovlen = 1;
  header.msg_control = control;
  header.msg_controllen = sizeof control;
  ssize_t got;
  do {
    got = recvmsg(fd, &header, MSG_CMSG_CLOEXEC | flags);
  } while (got < 0 && errno == EINTR);
  if (got < 0 && errno == ECONNRESET) {
    // The child exited with a message of ours unread (e.g. the seccomp
    // filter, when its set-up failed before it took it): the kernel then
    // reports ECONNRESET once (unix_release_sock sets the peer's sk_err),
    // ahead of what the child sent before it exited, its error report. The
    // error is cleared by this report; what is still queued comes next.
    do {
      got = recvmsg(fd, &header, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
    } while (got < 0 && errno == EINTR);
    if (got < 0 && (errno == EAGAIN || errno == ECONNRESET)) got = 0;
  }
  if (got < 0) return ErrnoError("read from the container's init");
  for (cmsghdr* cmsg = CMSG_FIRSTHDR(&header); cmsg != nullptr; cmsg = CMSG_NXTHDR(&header, cmsg)) {
    if (cmsg->cmsg_level != SOL_SOCKET || cmsg->cmsg_type != SCM_RIGHTS) continue;
    size_t count = (cmsg->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    const unsigned char* data = CMSG_DATA(cmsg);
    for (size_t i = 0; i < count; ++i) {
      int passed;
      memcpy(&passed, data + i * sizeof(int), sizeof(int));
      received.fds.emplace_back(passed);
    }
  }
  if (got == 0) {
    received.end_of_stream = true;
    return received;
  }
  if (got != static_cast<ssize_t>(sizeof received.message) || (header.msg_flags & MSG_CTRUNC)) {
    return PlainError("the container's init sent a malformed message");
  }
  return received;
}

}  // namespace

Result<Received> Receive(int fd) { return ReceiveMessage(fd, 0); }

Result<Received> ReceiveIfReady(int fd) { return ReceiveMessage(fd, MSG_DONTWAIT); }

}  // namespace uxc::launcher
