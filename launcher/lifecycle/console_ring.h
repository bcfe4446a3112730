// The monitor's console ring buffer (lxc.console.buffer.size): the last
// `capacity` bytes the console printed, replayed to `uxc console`. The
// storage is allocated at the first byte, so a quiet console costs nothing.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

namespace uxc::lifecycle {

class ConsoleRing {
 public:
  explicit ConsoleRing(size_t capacity) : capacity_(capacity) {}

  // Keeps the last `capacity` bytes of everything appended.
  void Append(std::string_view bytes);

  size_t size() const { return size_; }
  // The kept bytes, oldest first, in at most two pieces: `older` then `newer`.
  std::string_view older() const;
  std::string_view newer() const;

 private:
  size_t capacity_;
  std::unique_ptr<char[]> storage_;
  size_t start_ = 0;  // index of the oldest byte
  size_t size_ = 0;
};

}  // namespace uxc::lifecycle
