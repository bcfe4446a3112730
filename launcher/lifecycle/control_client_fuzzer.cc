// Any bytes a client sends, in any split: ControlClient must never hand out
// a request longer than kMaxRequest or containing a newline, must hold no
// more than a bounded amount, and must say when to drop the client. The
// first byte of the input picks how the rest is split into writes.
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "launcher/lifecycle/control_client.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using uxc::lifecycle::ControlClient;
  if (size == 0) return 0;
  size_t chunk = 1 + data[0] % 64;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  int ends[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, ends) != 0) std::abort();
  uxc::UniqueFd peer(ends[1]);
  ControlClient client(uxc::UniqueFd(ends[0]), 1, 1000, 64);
  for (size_t at = 0; at < input.size(); at += chunk) {
    std::string_view part = input.substr(at, chunk);
    if (write(peer.get(), part.data(), part.size()) != static_cast<ssize_t>(part.size())) std::abort();
    if (!client.ReadAvailable(1)) return 0;  // dropped: an overlong line
    while (auto request = client.NextRequest(1)) {
      if (request->size() > ControlClient::kMaxRequest || request->find('\n') != std::string::npos) std::abort();
      if (!client.Send("ok\n", 1)) return 0;
      char answer[64];
      while (read(peer.get(), answer, sizeof answer) > 0) {
      }
      if (!client.Flush(1)) std::abort();
    }
  }
  return 0;
}
