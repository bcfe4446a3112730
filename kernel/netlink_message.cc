#include "kernel/netlink_message.h"

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace uxc::kernel {
namespace {

constexpr size_t Align(size_t size) { return (size + 3) & ~size_t{3}; }

// Copies a struct out of bytes that may not be aligned for it.
template <typename T>
T Load(std::span<const uint8_t> bytes) {
  T value;
  std::memcpy(&value, bytes.data(), sizeof value);
  return value;
}

std::string AttributeString(std::span<const uint8_t> bytes) {
  std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  return std::string(text.substr(0, text.find('\0')));
}

template <typename T>
std::optional<T> AttributeValue(const NetlinkAttributes& attributes, uint16_t type) {
  auto found = attributes.find(type);
  if (found == attributes.end() || found->second.size() < sizeof(T)) return std::nullopt;
  return Load<T>(found->second);
}

}  // namespace

NetlinkRequest::NetlinkRequest(uint16_t type, uint16_t flags) {
  nlmsghdr header{};
  header.nlmsg_type = type;
  header.nlmsg_flags = static_cast<uint16_t>(NLM_F_REQUEST | NLM_F_ACK | flags);
  PutStruct(header);
}

void NetlinkRequest::PutBytes(const void* data, size_t size) {
  const uint8_t* bytes = static_cast<const uint8_t*>(data);
  bytes_.insert(bytes_.end(), bytes, bytes + size);
  bytes_.resize(Align(bytes_.size()), 0);
}

void NetlinkRequest::PutAttribute(uint16_t type, const void* data, size_t size) {
  nlattr attribute{};
  attribute.nla_len = static_cast<uint16_t>(NLA_HDRLEN + size);
  attribute.nla_type = type;
  PutStruct(attribute);
  PutBytes(data, size);
}

void NetlinkRequest::PutString(uint16_t type, std::string_view text) {
  std::string terminated(text);
  PutAttribute(type, terminated.c_str(), terminated.size() + 1);
}

void NetlinkRequest::PutU32(uint16_t type, uint32_t value) { PutAttribute(type, &value, sizeof value); }

size_t NetlinkRequest::BeginNested(uint16_t type) {
  size_t start = bytes_.size();
  PutAttribute(type | NLA_F_NESTED, nullptr, 0);
  return start;
}

void NetlinkRequest::EndNested(size_t start) {
  uint16_t length = static_cast<uint16_t>(bytes_.size() - start);
  std::memcpy(bytes_.data() + start + offsetof(nlattr, nla_len), &length, sizeof length);
}

std::span<const uint8_t> NetlinkRequest::Finish(uint32_t sequence) {
  uint32_t length = static_cast<uint32_t>(bytes_.size());
  std::memcpy(bytes_.data() + offsetof(nlmsghdr, nlmsg_len), &length, sizeof length);
  std::memcpy(bytes_.data() + offsetof(nlmsghdr, nlmsg_seq), &sequence, sizeof sequence);
  return bytes_;
}

uint16_t NetlinkRequest::type() const { return Load<nlmsghdr>(bytes_).nlmsg_type; }

Result<std::vector<NetlinkMessage>> SplitMessages(std::span<const uint8_t> datagram) {
  std::vector<NetlinkMessage> messages;
  while (datagram.size() >= NLMSG_HDRLEN) {
    auto header = Load<nlmsghdr>(datagram);
    if (header.nlmsg_len < NLMSG_HDRLEN || header.nlmsg_len > datagram.size()) {
      return PlainError("netlink: a message of " + std::to_string(header.nlmsg_len) + " bytes in a datagram of " +
                        std::to_string(datagram.size()));
    }
    messages.push_back({header.nlmsg_type, header.nlmsg_flags, header.nlmsg_seq,
                        datagram.subspan(NLMSG_HDRLEN, header.nlmsg_len - NLMSG_HDRLEN)});
    datagram = datagram.subspan(std::min<size_t>(Align(header.nlmsg_len), datagram.size()));
  }
  if (!datagram.empty()) return PlainError("netlink: " + std::to_string(datagram.size()) + " stray bytes");
  return messages;
}

// netlink(7): an NLMSG_ERROR holds an nlmsgerr; with NLM_F_ACK_TLVS,
// attributes follow it (only the request's header is echoed, as the socket
// sets NETLINK_CAP_ACK; without it the whole request is, NLM_F_CAPPED unset).
std::optional<NetlinkAck> ParseAck(const NetlinkMessage& message) {
  if (message.type != NLMSG_ERROR || message.payload.size() < sizeof(nlmsgerr)) return std::nullopt;
  auto error = Load<nlmsgerr>(message.payload);
  NetlinkAck ack;
  // The kernel sends 0 or a negated errno; anything else is a protocol
  // error (and INT_MIN has no negation).
  constexpr int kMostErrno = 4095;
  bool well_formed = error.error <= 0 && error.error >= -kMostErrno;
  ack.error = well_formed ? -error.error : EPROTO;
  if (!(message.flags & NLM_F_ACK_TLVS)) return ack;
  size_t echoed = (message.flags & NLM_F_CAPPED) ? NLMSG_HDRLEN : error.msg.nlmsg_len;
  size_t header = sizeof(int) + echoed;
  if (header > message.payload.size()) return ack;
  auto attributes = ParseAttributes(message.payload, Align(header));
  if (!attributes.ok()) return ack;
  if (auto text = attributes->find(NLMSGERR_ATTR_MSG); text != attributes->end()) {
    ack.text = AttributeString(text->second);
  }
  return ack;
}

Result<NetlinkAttributes> ParseAttributes(std::span<const uint8_t> payload, size_t header_size) {
  if (payload.size() < header_size) {
    return PlainError("netlink: a payload of " + std::to_string(payload.size()) + " bytes, shorter than its " +
                      std::to_string(header_size) + "-byte header");
  }
  std::span<const uint8_t> rest = payload.subspan(std::min(Align(header_size), payload.size()));
  NetlinkAttributes attributes;
  while (rest.size() >= NLA_HDRLEN) {
    auto attribute = Load<nlattr>(rest);
    if (attribute.nla_len < NLA_HDRLEN || attribute.nla_len > rest.size()) {
      return PlainError("netlink: an attribute of " + std::to_string(attribute.nla_len) + " bytes in " +
                        std::to_string(rest.size()));
    }
    uint16_t type = attribute.nla_type & NLA_TYPE_MASK;
    attributes.emplace(type, rest.subspan(NLA_HDRLEN, attribute.nla_len - NLA_HDRLEN));
    rest = rest.subspan(std::min<size_t>(Align(attribute.nla_len), rest.size()));
  }
  return attributes;
}

namespace {

// A message of `type`: its family header and its attributes.
template <typename Header>
struct FamilyMessage {
  Header header;
  NetlinkAttributes attributes;
};
template <typename Header>
Result<FamilyMessage<Header>> ParseFamilyMessage(const NetlinkMessage& message, uint16_t type, const char* what) {
  if (message.type != type) {
    return PlainError(std::string("netlink: expected ") + what + " message, got type " + std::to_string(message.type));
  }
  UXC_ASSIGN_OR_RETURN(auto attributes, ParseAttributes(message.payload, sizeof(Header)));
  return FamilyMessage<Header>{Load<Header>(message.payload), std::move(attributes)};
}

}  // namespace

Result<LinkInfo> ParseLinkMessage(const NetlinkMessage& message) {
  UXC_ASSIGN_OR_RETURN(auto parsed, ParseFamilyMessage<ifinfomsg>(message, RTM_NEWLINK, "a link"));
  const ifinfomsg& header = parsed.header;
  const NetlinkAttributes& attributes = parsed.attributes;
  LinkInfo link;
  link.index = header.ifi_index;
  link.flags = header.ifi_flags;
  if (auto name = attributes.find(IFLA_IFNAME); name != attributes.end()) link.name = AttributeString(name->second);
  link.mtu = AttributeValue<uint32_t>(attributes, IFLA_MTU).value_or(0);
  link.master = static_cast<int>(AttributeValue<uint32_t>(attributes, IFLA_MASTER).value_or(0));
  link.link = static_cast<int>(AttributeValue<uint32_t>(attributes, IFLA_LINK).value_or(0));
  link.link_netnsid = AttributeValue<int32_t>(attributes, IFLA_LINK_NETNSID);
  if (auto address = attributes.find(IFLA_ADDRESS);
      address != attributes.end() && address->second.size() == sizeof link.address) {
    std::memcpy(link.address, address->second.data(), sizeof link.address);
  }
  if (auto info = attributes.find(IFLA_LINKINFO); info != attributes.end()) {
    UXC_ASSIGN_OR_RETURN(auto nested, ParseAttributes(info->second, 0));
    if (auto kind = nested.find(IFLA_INFO_KIND); kind != nested.end()) link.kind = AttributeString(kind->second);
  }
  if (auto stats = AttributeValue<rtnl_link_stats64>(attributes, IFLA_STATS64)) {
    link.stats = {stats->rx_packets, stats->tx_packets, stats->rx_bytes,   stats->tx_bytes,
                  stats->rx_errors,  stats->tx_errors,  stats->rx_dropped, stats->tx_dropped};
  }
  return link;
}

Result<AddressInfo> ParseAddressMessage(const NetlinkMessage& message) {
  UXC_ASSIGN_OR_RETURN(auto parsed, ParseFamilyMessage<ifaddrmsg>(message, RTM_NEWADDR, "an address"));
  const ifaddrmsg& header = parsed.header;
  const NetlinkAttributes& attributes = parsed.attributes;
  AddressInfo address;
  address.family = header.ifa_family;
  address.index = static_cast<int>(header.ifa_index);
  address.prefix_length = header.ifa_prefixlen;
  address.scope = header.ifa_scope;
  size_t size = header.ifa_family == AF_INET ? 4 : header.ifa_family == AF_INET6 ? 16 : 0;
  if (size == 0) return PlainError("netlink: an address of family " + std::to_string(header.ifa_family));
  auto local = attributes.find(header.ifa_family == AF_INET ? IFA_LOCAL : IFA_ADDRESS);
  if (local == attributes.end()) local = attributes.find(IFA_ADDRESS);
  if (local == attributes.end() || local->second.size() != size) {
    return PlainError("netlink: an address message without its address");
  }
  std::memcpy(address.bytes, local->second.data(), size);
  return address;
}

}  // namespace uxc::kernel
