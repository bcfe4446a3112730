// The monitor's control socket: a unix stream socket in the runtime dir
// (mode 0600). A client sends one request line; the monitor answers one
// line, and keeps the connection open until the client closes it or the
// monitor exits, so a client learns of the container's end from EOF.
//   state          -> "RUNNING"
//   pid            -> "<init pid>"
//   halt | reboot  -> "ok" after sending lxc.signal.halt / lxc.signal.reboot
//   stop           -> "ok" after sending lxc.signal.stop (default SIGKILL)
//   console N      -> "ok LEN" + LEN bytes of the console ring buffer (N=0)
//                     and the pty's multiplexer fd (SCM_RIGHTS)
// Anything else -> "error: ...". The monitor serves only its own uid
// (SO_PEERCRED).
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "base/error.h"
#include "base/unique_fd.h"

namespace uxc::lifecycle {

// Binds and listens on `path` (removing a stale socket there first).
Result<UniqueFd> ListenControlSocket(const std::string& path);

// Connects to the monitor of container `name`. A socket nobody listens on
// (the monitor died) gives a "stale socket" error.
Result<UniqueFd> ConnectControlSocket(const std::string& path, const std::string& name);

// Fails unless the peer of a connected socket runs as our uid.
Status CheckPeerIsSameUser(int fd);

// One sendmsg() of `text`, with `pass_fd` as SCM_RIGHTS when >= 0, retried
// on EINTR: the bytes sent, or -1 with errno.
ssize_t SendOnce(int fd, std::string_view text, int pass_fd, int flags);

// Writes all of `text`, optionally with one fd attached (SCM_RIGHTS).
Status SendMessage(int fd, std::string_view text, int pass_fd = -1);

// Reads one line (without the '\n'); stores an attached fd in `*received`
// when given. EOF before the newline is an error.
Result<std::string> ReceiveLine(int fd, UniqueFd* received = nullptr);

// Reads exactly `size` bytes.
Result<std::string> ReceiveBytes(int fd, size_t size);

// Sends `request` and returns the answer line; an "error: ..." answer
// becomes an error.
Result<std::string> Ask(int fd, const std::string& request, UniqueFd* received = nullptr);

}  // namespace uxc::lifecycle
