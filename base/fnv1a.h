// FNV-1a, 64 bit: stable across builds and hosts. For names derived from
// inputs (cache files, LXC's hashed socket names), never for security.
#pragma once

#include <cstdint>
#include <string_view>

namespace uxc {

inline uint64_t Fnv1a64(std::string_view data) {
  uint64_t hash = 0xcbf29ce484222325ull;
  for (unsigned char c : data) {
    hash ^= c;
    hash *= 0x100000001b3ull;
  }
  return hash;
}

}  // namespace uxc
