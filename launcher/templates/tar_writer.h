// Builds a POSIX ustar archive in memory. Templates describe a rootfs as an
// archive (owners are container ids) and extract it inside the user
// namespace, so the files end up owned by the mapped ids.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"

namespace uxc::templates {

// The numeric owner of an archive member (ids inside the container).
struct TarOwner {
  uid_t uid = 0;
  gid_t gid = 0;
};

class TarWriter {
 public:
  using Owner = TarOwner;

  // Paths are relative to the archive root ("bin/sh", "etc/"); they are
  // stored as "./bin/sh". A path longer than ustar's 255 bytes, or whose
  // last component is longer than 100, is an error.
  Status AddDirectory(std::string_view path, mode_t mode, Owner owner = {});
  Status AddFile(std::string_view path, std::string_view content, mode_t mode, Owner owner = {});
  Status AddSymlink(std::string_view path, std::string_view target, Owner owner = {});
  // A hard link to an earlier member.
  Status AddHardLink(std::string_view path, std::string_view existing, Owner owner = {});

  // The archive with its two zero end blocks. The writer stays usable.
  std::string Finish() const;

  void set_mtime(int64_t mtime) { mtime_ = mtime; }

 private:
  Status AddHeader(std::string_view path, char type, mode_t mode, uint64_t size,
                   std::string_view link, Owner owner);

  std::string data_;
  int64_t mtime_ = 0;
};

}  // namespace uxc::templates
