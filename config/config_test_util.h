// Test helpers: a scratch directory of config files.
#pragma once

#include <string>

namespace uxc::config::testing {

// A fresh directory under $TEST_TMPDIR, removed with its files at the end.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  // Writes `content` to path()/relative (creating parent directories) and
  // returns the full path.
  std::string Write(const std::string& relative, const std::string& content) const;
  std::string MakeDir(const std::string& relative) const;

 private:
  std::string path_;
};

}  // namespace uxc::config::testing
