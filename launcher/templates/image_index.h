// LXC's image server index (meta/1.0/index-user): one image a line,
//   dist;release;arch;variant;build;path
// e.g. "debian;bookworm;amd64;default;20240101_05:24;/images/debian/bookworm/amd64/default/20240101_05:24/".
// The image's files are <server>/<path>/rootfs.tar.xz and meta.tar.xz.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace uxc::templates {

struct ImageEntry {
  std::string dist;
  std::string release;
  std::string arch;
  std::string variant;
  std::string build;
  std::string path;  // always starts and ends with '/'
  int line = 0;
};

struct ImageQuery {
  std::string dist;
  std::string release;
  std::string arch;
  std::string variant = "default";
};

// Parses the whole index. Blank lines are skipped; a line without six
// fields, with an empty field, a name field that is "." or ".." or holds a
// '/' (they name cache directories), or a path that is not a plain absolute
// URL path (no "..", no query, no whitespace) is an error naming the line.
Result<std::vector<ImageEntry>> ParseImageIndex(std::string_view text);

// The first entry matching the query (as lxc-download picks), or an error
// that lists what the index offers for that distribution.
Result<ImageEntry> FindImage(const std::vector<ImageEntry>& index, const ImageQuery& query);

// The images whose fields match every non-empty field of `filter`, as
// lxc-download --list prints them: a table under the header
// DIST RELEASE ARCH VARIANT BUILD, one image a line; a line saying so when
// none matches.
std::string FormatImageList(const std::vector<ImageEntry>& index, const ImageQuery& filter);

}  // namespace uxc::templates
