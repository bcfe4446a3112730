// Finds the Debian archive the host's apt uses, so the debian template
// bootstraps from the same mirror: /etc/apt/sources.list (one-line format)
// and /etc/apt/sources.list.d/*.list / *.sources (deb822 format).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace uxc::templates {

struct AptSource {
  std::string uri;  // without a trailing '/'
  std::vector<std::string> suites;
  std::vector<std::string> components;
  std::string file;
  int line = 0;
};

struct AptSourceFile {
  std::string path;
  std::string content;
};

// The "deb" (binary) entries of a one-line-format file; "deb-src" and
// commented or malformed lines are skipped.
std::vector<AptSource> ParseOneLineSources(const AptSourceFile& file);
// The enabled entries of type "deb" of a deb822-format file.
std::vector<AptSource> ParseDeb822Sources(const AptSourceFile& file);

// The archive to bootstrap Debian from: among http(s) entries with the
// "main" component and a plain suite name (not "-security"/"-updates"), one
// whose URI path ends in "/debian" first, else the first. Files are read in
// the order given.
Result<AptSource> ChooseDebianMirror(const std::vector<AptSourceFile>& files);

// Reads /etc/apt/sources.list and sources.list.d/ in apt's order
// (`root` is "/" except in tests).
Result<std::vector<AptSourceFile>> ReadAptSources(const std::string& root = "/");

}  // namespace uxc::templates
