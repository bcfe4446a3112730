// Network values: hardware address templates, IP addresses, gateways.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cctype>
#include <cstring>

#include "config/text_util.h"
#include "config/values.h"

namespace uxc::config {
namespace {

bool IsHexOrPlaceholder(char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == 'x'; }

// LXC's config_ip_prefix: the classful prefix of an IPv4 address.
int ClassfulPrefix(const uint8_t* bytes) {
  if (bytes[0] < 128) return 8;   // class A
  if (bytes[0] < 192) return 16;  // class B
  if (bytes[0] < 224) return 24;  // class C
  return 0;
}

const char* FamilyName(int family) { return family == AF_INET ? "IPv4" : "IPv6"; }

bool ParseAddressOnly(std::string_view text, int family, uint8_t* bytes) {
  std::string copy(text);
  return inet_pton(family, copy.c_str(), bytes) == 1;
}

}  // namespace

Result<HwAddrTemplate> ParseHwAddr(std::string_view value) {
  std::string pattern = ToLower(Trim(value));
  std::vector<std::string_view> octets = Split(pattern, ':');
  bool well_formed = octets.size() == 6;
  for (std::string_view octet : octets) {
    well_formed = well_formed && octet.size() == 2 && IsHexOrPlaceholder(octet[0]) &&
                  IsHexOrPlaceholder(octet[1]);
  }
  if (!well_formed) {
    return PlainError("not a hardware address: " + Quote(value) +
                      "; write six hex octets separated by ':', with 'x' for random digits, "
                      "e.g. 00:16:3e:xx:xx:xx");
  }
  // Bit 0 of the first octet marks a multicast address, which an interface
  // cannot use. When that digit is random, it is cleared at start (as LXC).
  char second_digit = pattern[1];
  if (second_digit != 'x' && (std::stoi(std::string(1, second_digit), nullptr, 16) & 1) != 0) {
    return PlainError("hardware address " + Quote(value) +
                      " is a multicast address (the first octet is odd); use an even first "
                      "octet such as 00 or 10");
  }
  return HwAddrTemplate{pattern};
}

Result<IpAddress> ParseIpAddress(std::string_view value, int family) {
  if (family != AF_INET && family != AF_INET6) {
    return PlainError("address family must be AF_INET or AF_INET6");
  }
  std::vector<std::string_view> fields = SplitFields(value);
  const bool ipv4 = family == AF_INET;
  const char* example = ipv4 ? "10.0.3.5/24 [10.0.3.255]" : "fd00::5/64";
  if (fields.empty() || fields.size() > (ipv4 ? 2u : 1u)) {
    return PlainError("not an " + std::string(FamilyName(family)) + " address: " + Quote(value) +
                      "; write ADDRESS/PREFIX" + (ipv4 ? " [BROADCAST]" : "") + ", e.g. " +
                      example);
  }
  IpAddress address;
  address.family = family;
  std::string_view address_text = fields[0];
  std::string_view prefix_text;
  if (size_t slash = address_text.find('/'); slash != std::string_view::npos) {
    prefix_text = address_text.substr(slash + 1);
    address_text = address_text.substr(0, slash);
  }
  if (!ParseAddressOnly(address_text, family, address.bytes)) {
    return PlainError("not an " + std::string(FamilyName(family)) + " address: " +
                      Quote(address_text) + "; e.g. " + example);
  }
  const int max_prefix = ipv4 ? 32 : 128;
  if (prefix_text.empty() && address_text.size() == fields[0].size()) {
    address.prefix = ipv4 ? ClassfulPrefix(address.bytes) : 64;
  } else {
    Result<uint64_t> prefix = ParseUnsigned(prefix_text, static_cast<uint64_t>(max_prefix));
    if (!prefix.ok()) {
      return PlainError("bad prefix length in " + Quote(value) + ": use 0 to " +
                        std::to_string(max_prefix));
    }
    address.prefix = static_cast<int>(*prefix);
  }
  if (fields.size() == 2) {
    if (!ParseAddressOnly(fields[1], AF_INET, address.broadcast)) {
      return PlainError("not an IPv4 broadcast address: " + Quote(fields[1]) + "; e.g. 10.0.3.255");
    }
    address.has_broadcast = true;
  }
  return address;
}

std::string IpAddress::ToString() const {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(family, bytes, text, sizeof(text));
  std::string result = std::string(text) + "/" + std::to_string(prefix);
  if (has_broadcast) {
    char broadcast_text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, broadcast, broadcast_text, sizeof(broadcast_text));
    result += std::string(" ") + broadcast_text;
  }
  return result;
}

Result<Gateway> ParseGateway(std::string_view value, int family) {
  std::string_view text = Trim(value);
  Gateway gateway;
  if (text == "auto") {
    gateway.kind = Gateway::Kind::kAuto;
    return gateway;
  }
  if (text == "dev") {
    gateway.kind = Gateway::Kind::kDevice;
    return gateway;
  }
  gateway.address.family = family;
  if (!ParseAddressOnly(text, family, gateway.address.bytes)) {
    return PlainError("not an " + std::string(FamilyName(family)) + " gateway: " + Quote(value) +
                      "; write an address without a prefix, \"auto\" or \"dev\"");
  }
  gateway.address.prefix = family == AF_INET ? 32 : 128;
  return gateway;
}

}  // namespace uxc::config
