#include "config/config_test_util.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace uxc::config::testing {

ScratchDir::ScratchDir() {
  const char* base = getenv("TEST_TMPDIR");
  std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/uxc-config-XXXXXX";
  char* made = mkdtemp(pattern.data());
  if (made == nullptr) {
    perror("mkdtemp");
    abort();
  }
  path_ = made;
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string ScratchDir::Write(const std::string& relative, const std::string& content) const {
  std::filesystem::path full = std::filesystem::path(path_) / relative;
  std::filesystem::create_directories(full.parent_path());
  std::ofstream(full) << content;
  return full.string();
}

std::string ScratchDir::MakeDir(const std::string& relative) const {
  std::filesystem::path full = std::filesystem::path(path_) / relative;
  std::filesystem::create_directories(full);
  return full.string();
}

}  // namespace uxc::config::testing
