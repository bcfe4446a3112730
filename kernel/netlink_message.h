// Netlink messages as bytes (netlink(7), rtnetlink(7)): building a request
// with its attributes, and splitting and reading what the kernel answers.
// Pure code, fuzzed: every length in an answer is checked before use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace uxc::kernel {

// One request: an nlmsghdr, a family header (ifinfomsg, ifaddrmsg,
// rtmsg), then attributes, each padded to 4 bytes (NLA_ALIGN).
class NetlinkRequest {
 public:
  // NLM_F_REQUEST | NLM_F_ACK are always set; `flags` adds to them.
  NetlinkRequest(uint16_t type, uint16_t flags);

  // Appends a fixed struct: the family header, or the ifinfomsg inside a
  // veth's VETH_INFO_PEER.
  template <typename T>
  void PutStruct(const T& value) {
    PutBytes(&value, sizeof value);
  }
  void PutAttribute(uint16_t type, const void* data, size_t size);
  void PutString(uint16_t type, std::string_view text);  // NUL-terminated
  void PutU32(uint16_t type, uint32_t value);
  // Attributes put between the two are nested in attribute `type`.
  size_t BeginNested(uint16_t type);
  void EndNested(size_t start);

  // The bytes to send, with the length and `sequence` filled in.
  std::span<const uint8_t> Finish(uint32_t sequence);
  uint16_t type() const;

 private:
  void PutBytes(const void* data, size_t size);
  std::vector<uint8_t> bytes_;
};

struct NetlinkMessage {
  uint16_t type = 0;
  uint16_t flags = 0;
  uint32_t sequence = 0;
  std::span<const uint8_t> payload;  // after the nlmsghdr
};

// The messages of one datagram; an error when a length runs past its end.
Result<std::vector<NetlinkMessage>> SplitMessages(std::span<const uint8_t> datagram);

// An NLMSG_ERROR answer: errno 0 is the acknowledgement; `text` is the
// kernel's extended-ack message (NLMSGERR_ATTR_MSG), when it gave one.
struct NetlinkAck {
  int error = 0;
  std::string text;
};
// nullopt when the message is not a well-formed NLMSG_ERROR.
std::optional<NetlinkAck> ParseAck(const NetlinkMessage& message);

// The attributes after a family header of `header_size` bytes, by type
// (NLA_F_NESTED and NLA_F_NET_BYTEORDER masked off); the first of a
// repeated type wins. An error when the header or an attribute is cut short.
using NetlinkAttributes = std::map<uint16_t, std::span<const uint8_t>>;
Result<NetlinkAttributes> ParseAttributes(std::span<const uint8_t> payload, size_t header_size);

// rtnl_link_stats64's main counters.
struct LinkStats {
  uint64_t rx_packets = 0;
  uint64_t tx_packets = 0;
  uint64_t rx_bytes = 0;
  uint64_t tx_bytes = 0;
  uint64_t rx_errors = 0;
  uint64_t tx_errors = 0;
  uint64_t rx_dropped = 0;
  uint64_t tx_dropped = 0;
};

// A link as RTM_NEWLINK describes it.
struct LinkInfo {
  int index = 0;
  std::string name;
  unsigned flags = 0;  // IFF_UP, ...
  uint32_t mtu = 0;
  int master = 0;  // 0: none
  std::string kind;  // IFLA_INFO_KIND: "veth", "bridge", ...; empty for none
  uint8_t address[6] = {};  // the hardware address, when it is 6 bytes
  // A veth's peer: its index, in the namespace `link_netnsid` names
  // (IFLA_LINK_NETNSID, an id in the asker's namespace) when it is another.
  int link = 0;
  std::optional<int32_t> link_netnsid;
  LinkStats stats;
};
Result<LinkInfo> ParseLinkMessage(const NetlinkMessage& message);

// An address as RTM_NEWADDR describes it: IFA_LOCAL for IPv4 (IFA_ADDRESS
// is the peer's on a point-to-point link), IFA_ADDRESS for IPv6.
struct AddressInfo {
  int family = 0;  // AF_INET or AF_INET6
  int index = 0;   // the link's
  uint8_t prefix_length = 0;
  uint8_t scope = 0;  // RT_SCOPE_UNIVERSE, RT_SCOPE_LINK, ...
  uint8_t bytes[16] = {};
};
Result<AddressInfo> ParseAddressMessage(const NetlinkMessage& message);

}  // namespace uxc::kernel
