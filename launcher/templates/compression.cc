#include "launcher/templates/compression.h"

#include <unistd.h>

namespace uxc::templates {
namespace {

bool StartsWith(std::string_view data, std::string_view magic) {
  return data.size() >= magic.size() && data.substr(0, magic.size()) == magic;
}

}  // namespace

Compression DetectCompression(std::string_view head) {
  using namespace std::string_view_literals;
  if (StartsWith(head, "\x1f\x8b"sv)) return Compression::kGzip;
  if (StartsWith(head, "\xfd" "7zXZ\0"sv)) return Compression::kXz;
  if (StartsWith(head, "\x28\xb5\x2f\xfd"sv)) return Compression::kZstd;
  if (StartsWith(head, "BZh"sv)) return Compression::kBzip2;
  return Compression::kNone;
}

std::string TarDecompressFlag(Compression c) {
  switch (c) {
    case Compression::kGzip:
      return "--gzip";
    case Compression::kXz:
      return "--xz";
    case Compression::kZstd:
      return "--zstd";
    case Compression::kBzip2:
      return "--bzip2";
    case Compression::kNone:
      break;
  }
  return "";
}

Result<std::string> ReadHead(int fd, size_t max_bytes) {
  std::string head(max_bytes, '\0');
  ssize_t n = pread(fd, head.data(), head.size(), 0);
  if (n < 0) return ErrnoError("read the start of the archive");
  head.resize(static_cast<size_t>(n));
  return head;
}

}  // namespace uxc::templates
