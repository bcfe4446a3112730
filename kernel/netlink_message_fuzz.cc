// Feeds an arbitrary datagram, as the kernel could send it, to the netlink
// answer parsers.
#include <cstddef>
#include <cstdint>
#include <span>

#include "kernel/netlink_message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto messages = uxc::kernel::SplitMessages(std::span<const uint8_t>(data, size));
  if (!messages.ok()) return 0;
  for (const uxc::kernel::NetlinkMessage& message : *messages) {
    if (message.payload.data() < data || message.payload.data() + message.payload.size() > data + size) {
      __builtin_trap();
    }
    (void)uxc::kernel::ParseAck(message);
    (void)uxc::kernel::ParseLinkMessage(message);
    (void)uxc::kernel::ParseAddressMessage(message);
    auto attributes = uxc::kernel::ParseAttributes(message.payload, 0);
    if (!attributes.ok()) continue;
    for (const auto& [type, value] : *attributes) {
      if (value.data() < message.payload.data() ||
          value.data() + value.size() > message.payload.data() + message.payload.size()) {
        __builtin_trap();
      }
      (void)uxc::kernel::ParseAttributes(value, 0);  // as if nested
    }
  }
  return 0;
}
