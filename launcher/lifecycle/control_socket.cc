#include "launcher/lifecycle/control_socket.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

namespace uxc::lifecycle {
namespace {

// Calls `use` with the address of the socket at `path`. sun_path holds
// only 107 bytes (unix(7)); a longer path, e.g. under a deep home, is
// reached through an O_PATH fd on its directory, as /proc/self/fd/N/NAME.
template <typename Use>
Status WithAddress(const std::string& path, Use use) {
  sockaddr_un address = {};
  address.sun_family = AF_UNIX;
  std::string reachable = path;
  UniqueFd dir;
  if (path.size() >= sizeof address.sun_path) {
    size_t slash = path.rfind('/');
    if (slash == std::string::npos) return PlainError("control socket path " + path + " is not absolute");
    std::string parent = slash == 0 ? "/" : path.substr(0, slash);
    dir = UniqueFd(open(parent.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!dir) return ErrnoError("open the directory of the control socket " + path);
    reachable = "/proc/self/fd/" + std::to_string(dir.get()) + path.substr(slash);
    if (reachable.size() >= sizeof address.sun_path) {
      return PlainError("control socket name " + path.substr(slash + 1) + " is too long");
    }
  }
  std::memcpy(address.sun_path, reachable.c_str(), reachable.size() + 1);
  return use(reinterpret_cast<sockaddr*>(&address), socklen_t{sizeof address});
}

}  // namespace

Result<UniqueFd> ListenControlSocket(const std::string& path) {
  UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) return ErrnoError("create the control socket");
  unlink(path.c_str());
  Status bound = WithAddress(path, [&](sockaddr* address, socklen_t size) -> Status {
    if (bind(fd.get(), address, size) != 0) return ErrnoError("bind the control socket " + path);
    return OkStatus();
  });
  if (!bound.ok()) return bound.take_error();
  if (chmod(path.c_str(), 0600) != 0) return ErrnoError("chmod the control socket " + path);
  if (listen(fd.get(), 16) != 0) return ErrnoError("listen on the control socket " + path);
  return fd;
}

Result<UniqueFd> ConnectControlSocket(const std::string& path, const std::string& name) {
  UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return ErrnoError("create a socket");
  Status connected = WithAddress(path, [&](sockaddr* address, socklen_t size) -> Status {
    if (connect(fd.get(), address, size) == 0) return OkStatus();
    if (errno == ECONNREFUSED) {
      return PlainError("container '" + name + "': its control socket " + path +
                        " is stale (its monitor is gone); `uxc ls` shows it stopped and the next "
                        "`uxc start` cleans it up");
    }
    if (errno == ENOENT) return PlainError("container '" + name + "' is not running");
    return ErrnoError("connect to the monitor of '" + name + "' at " + path);
  });
  if (!connected.ok()) return connected.take_error();
  UXC_RETURN_IF_ERROR(CheckPeerIsSameUser(fd.get()));
  return fd;
}

Status CheckPeerIsSameUser(int fd) {
  ucred credentials = {};
  socklen_t size = sizeof credentials;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &size) != 0) {
    return ErrnoError("read the control socket's peer credentials");
  }
  if (credentials.uid != getuid()) {
    return PlainError("the control socket's peer runs as uid " + std::to_string(credentials.uid) +
                      ", not as you (uid " + std::to_string(getuid()) + "); refused");
  }
  return OkStatus();
}

ssize_t SendOnce(int fd, std::string_view text, int pass_fd, int flags) {
  iovec part = {const_cast<char*>(text.data()), text.size()};
  msghdr message = {};
  message.msg_iov = &part;
  message.msg_iovlen = 1;
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  if (pass_fd >= 0) {
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    cmsghdr* header = CMSG_FIRSTHDR(&message);
    header->cmsg_level = SOL_SOCKET;
    header->cmsg_type = SCM_RIGHTS;
    header->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(header), &pass_fd, sizeof(int));
  }
  ssize_t sent;
  do {
    sent = sendmsg(fd, &message, flags);
  } while (sent < 0 && errno == EINTR);
  return sent;
}

Status SendMessage(int fd, std::string_view text, int pass_fd) {
  size_t done = 0;
  while (done < text.size() || (done == 0 && text.empty())) {
    ssize_t n = SendOnce(fd, text.substr(done), done == 0 ? pass_fd : -1, MSG_NOSIGNAL);
    if (n < 0) return ErrnoError("write to the control socket");
    if (text.empty()) break;
    done += n;
  }
  return OkStatus();
}

Result<std::string> ReceiveLine(int fd, UniqueFd* received) {
  std::string line;
  for (;;) {
    char c;
    iovec part = {&c, 1};
    msghdr message = {};
    message.msg_iov = &part;
    message.msg_iovlen = 1;
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    ssize_t n = recvmsg(fd, &message, MSG_CMSG_CLOEXEC);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError("read from the control socket");
    if (n == 0) return PlainError("the monitor closed the control socket before it answered");
    for (cmsghdr* header = CMSG_FIRSTHDR(&message); header != nullptr; header = CMSG_NXTHDR(&message, header)) {
      if (header->cmsg_level != SOL_SOCKET || header->cmsg_type != SCM_RIGHTS) continue;
      int passed;
      std::memcpy(&passed, CMSG_DATA(header), sizeof passed);
      UniqueFd owned(passed);
      if (received != nullptr) *received = std::move(owned);
    }
    if (c == '\n') return line;
    line += c;
    if (line.size() > 4096) return PlainError("the monitor's answer is too long");
  }
}

Result<std::string> ReceiveBytes(int fd, size_t size) {
  std::string bytes(size, '\0');
  size_t done = 0;
  while (done < size) {
    ssize_t n = read(fd, bytes.data() + done, size - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError("read from the control socket");
    if (n == 0) return PlainError("the monitor closed the control socket mid-answer");
    done += n;
  }
  return bytes;
}

Result<std::string> Ask(int fd, const std::string& request, UniqueFd* received) {
  UXC_RETURN_IF_ERROR(SendMessage(fd, request + "\n"));
  UXC_ASSIGN_OR_RETURN(auto answer, ReceiveLine(fd, received));
  if (answer.starts_with("error: ")) return PlainError(answer.substr(7));
  return answer;
}

}  // namespace uxc::lifecycle
