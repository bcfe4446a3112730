#include "launcher/lifecycle/console_ring.h"

#include <algorithm>
#include <cstring>

namespace uxc::lifecycle {

void ConsoleRing::Append(std::string_view bytes) {
  if (capacity_ == 0 || bytes.empty()) return;
  if (bytes.size() >= capacity_) {
    bytes.remove_prefix(bytes.size() - capacity_);
    start_ = 0;
    size_ = 0;
  }
  if (!storage_) storage_ = std::make_unique_for_overwrite<char[]>(capacity_);  // untouched pages stay free
  size_t end = (start_ + size_) % capacity_;
  size_t first = std::min(bytes.size(), capacity_ - end);
  std::memcpy(storage_.get() + end, bytes.data(), first);
  std::memcpy(storage_.get(), bytes.data() + first, bytes.size() - first);
  size_t overflow = size_ + bytes.size() > capacity_ ? size_ + bytes.size() - capacity_ : 0;
  size_ += bytes.size() - overflow;
  start_ = (start_ + overflow) % capacity_;
}

std::string_view ConsoleRing::older() const {
  if (size_ == 0) return {};
  return {storage_.get() + start_, std::min(size_, capacity_ - start_)};
}

std::string_view ConsoleRing::newer() const {
  if (size_ == 0 || start_ + size_ <= capacity_) return {};
  return {storage_.get(), start_ + size_ - capacity_};
}

}  // namespace uxc::lifecycle
