// libFuzzer target: the value parsers of values.h. The first byte picks the
// parser, the rest is the value.
#include <netinet/in.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/values.h"

namespace uxc::config {
namespace {

void ParseWith(uint8_t selector, std::string_view value) {
  switch (selector % 14) {
    case 0: (void)ParseIdMapping(value); break;
    case 1: {
      std::vector<std::string> lines;
      size_t start = 0;
      while (start <= value.size()) {
        size_t end = value.find('\n', start);
        if (end == std::string_view::npos) end = value.size();
        lines.emplace_back(value.substr(start, end - start));
        start = end + 1;
      }
      (void)ParseIdMappings(lines);
      break;
    }
    case 2: (void)ParseSignal(value); break;
    case 3: (void)ParseBool(value); break;
    case 4: (void)ParseSize(value); break;
    case 5: (void)ParseMountEntry(value); break;
    case 6: (void)ParseHwAddr(value); break;
    case 7: {
      Result<IpAddress> address = ParseIpAddress(value, AF_INET);
      if (address.ok()) (void)address->ToString();
      break;
    }
    case 8: {
      Result<IpAddress> address = ParseIpAddress(value, AF_INET6);
      if (address.ok()) (void)address->ToString();
      break;
    }
    case 9: (void)ParseGateway(value, AF_INET); break;
    case 10: (void)ParseCapabilities(value); break;
    case 11: (void)ParseCgroup2Key(value); break;
    case 12: (void)ParsePrlimit(value); break;
    case 13: {
      Result<MountAuto> mount_auto = ParseMountAuto(value);
      if (mount_auto.ok()) (void)mount_auto->ToString();
      break;
    }
  }
}

}  // namespace
}  // namespace uxc::config

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  uxc::config::ParseWith(data[0], std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
  return 0;
}
