#include "launcher/lifecycle/lxc_presence.h"

#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <cstring>

#include "base/fnv1a.h"
#include "base/unique_fd.h"

namespace uxc::lifecycle {
namespace {

// sun_path less the leading NUL of an abstract name and the NUL LXC keeps at the end.
constexpr size_t kMaxNameLength = sizeof(sockaddr_un::sun_path) - 2;

}  // namespace

std::string LxcCommandSocketName(const std::string& lxcpath, const std::string& name) {
  std::string plain = lxcpath + "/" + name + "/command";
  if (plain.size() < kMaxNameLength) return plain;
  char hashed[64];
  snprintf(hashed, sizeof hashed, "lxc/%016" PRIx64 "/command", Fnv1a64(lxcpath + "/" + name));
  return hashed;
}

bool LxcIsRunning(const std::string& lxcpath, const std::string& name) {
  std::string socket_name = LxcCommandSocketName(lxcpath, name);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  memcpy(address.sun_path + 1, socket_name.data(), socket_name.size());
  UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return false;
  socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + socket_name.size());
  return connect(fd.get(), reinterpret_cast<sockaddr*>(&address), length) == 0;
}

}  // namespace uxc::lifecycle
