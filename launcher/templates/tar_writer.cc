#include "launcher/templates/tar_writer.h"

#include <algorithm>
#include <cstring>

namespace uxc::templates {
namespace {

constexpr size_t kBlock = 512;
constexpr size_t kNameField = 100;
constexpr size_t kPrefixField = 155;

// Writes `value` as zero-padded octal filling `width - 1` digits plus NUL.
void PutOctal(char* field, size_t width, uint64_t value) {
  std::string digits(width - 1, '0');
  for (size_t i = width - 1; i-- > 0 && value != 0; value >>= 3) {
    digits[i] = static_cast<char>('0' + (value & 7));
  }
  std::memcpy(field, digits.data(), width - 1);
  field[width - 1] = '\0';
}

bool FitsOctal(size_t width, uint64_t value) {
  return value < (uint64_t{1} << (3 * (width - 1)));
}

// Splits "./a/b/c" into ustar's prefix and name fields.
Result<std::pair<std::string, std::string>> SplitName(const std::string& full) {
  if (full.size() <= kNameField) return std::pair<std::string, std::string>{"", full};
  // The name part may keep a trailing '/', so search for a separator that
  // leaves at most 100 bytes after it and at most 155 before it.
  for (size_t slash = full.find('/'); slash != std::string::npos; slash = full.find('/', slash + 1)) {
    if (slash > kPrefixField) break;
    if (full.size() - slash - 1 <= kNameField && slash + 1 < full.size()) {
      return std::pair<std::string, std::string>{full.substr(0, slash), full.substr(slash + 1)};
    }
  }
  return PlainError("tar member name too long for ustar: " + full);
}

Status CheckRelative(std::string_view path) {
  if (path.empty() || path.front() == '/') {
    return PlainError("tar member path must be relative and non-empty: '" + std::string(path) + "'");
  }
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (path.substr(start, end - start) == "..") {
      return PlainError("tar member path must not contain '..': " + std::string(path));
    }
    start = end + 1;
  }
  return OkStatus();
}

}  // namespace

Status TarWriter::AddHeader(std::string_view path, char type, mode_t mode, uint64_t size,
                            std::string_view link, Owner owner) {
  UXC_RETURN_IF_ERROR(CheckRelative(path));
  std::string full = path == "." ? "./" : "./" + std::string(path);
  if (type == '5' && full.back() != '/') full += '/';
  UXC_ASSIGN_OR_RETURN(auto split, SplitName(full));
  if (link.size() > kNameField) {
    return PlainError("tar link target too long for ustar: " + std::string(link));
  }
  if (!FitsOctal(12, size)) return PlainError("tar member too large: " + full);
  if (!FitsOctal(8, owner.uid) || !FitsOctal(8, owner.gid)) {
    return PlainError("tar member owner out of ustar range: " + full);
  }

  char header[kBlock] = {};
  const auto& [prefix, name] = split;
  std::memcpy(header, name.data(), name.size());
  PutOctal(header + 100, 8, mode & 07777);
  PutOctal(header + 108, 8, owner.uid);
  PutOctal(header + 116, 8, owner.gid);
  PutOctal(header + 124, 12, size);
  PutOctal(header + 136, 12, static_cast<uint64_t>(std::max<int64_t>(mtime_, 0)));
  std::memset(header + 148, ' ', 8);
  header[156] = type;
  std::memcpy(header + 157, link.data(), link.size());
  std::memcpy(header + 257, "ustar", 6);
  std::memcpy(header + 263, "00", 2);
  PutOctal(header + 329, 8, 0);
  PutOctal(header + 337, 8, 0);
  std::memcpy(header + 345, prefix.data(), prefix.size());

  unsigned checksum = 0;
  for (unsigned char c : header) checksum += c;
  PutOctal(header + 148, 7, checksum);
  header[155] = ' ';
  data_.append(header, kBlock);
  return OkStatus();
}

Status TarWriter::AddDirectory(std::string_view path, mode_t mode, Owner owner) {
  return AddHeader(path, '5', mode, 0, "", owner);
}

Status TarWriter::AddFile(std::string_view path, std::string_view content, mode_t mode, Owner owner) {
  UXC_RETURN_IF_ERROR(AddHeader(path, '0', mode, content.size(), "", owner));
  data_.append(content);
  data_.append((kBlock - content.size() % kBlock) % kBlock, '\0');
  return OkStatus();
}

Status TarWriter::AddSymlink(std::string_view path, std::string_view target, Owner owner) {
  return AddHeader(path, '2', 0777, 0, target, owner);
}

Status TarWriter::AddHardLink(std::string_view path, std::string_view existing, Owner owner) {
  UXC_RETURN_IF_ERROR(CheckRelative(existing));
  return AddHeader(path, '1', 0, 0, "./" + std::string(existing), owner);
}

std::string TarWriter::Finish() const {
  std::string archive = data_;
  archive.append(2 * kBlock, '\0');
  return archive;
}

}  // namespace uxc::templates
