#include "launcher/templates/shipped_configs.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>

#include <gtest/gtest.h>

namespace uxc::templates {
namespace {

class ScratchPrefix {
 public:
  ScratchPrefix() {
    char pattern[] = "/tmp/uxc-prefix-XXXXXX";
    path_ = mkdtemp(pattern);
  }
  ~ScratchPrefix() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }
  void MakeDir(const std::string& relative) const { std::filesystem::create_directories(path_ + "/" + relative); }

 private:
  std::string path_;
};

TEST(ShippedConfigs, FoundUnderThePrefixUxcRunsFrom) {
  ScratchPrefix prefix;
  prefix.MakeDir("share/uxc/config");
  EXPECT_EQ(TemplateConfigDirFor(prefix.path() + "/bin/uxc"), prefix.path() + "/share/uxc/config");
}

TEST(ShippedConfigs, ThePackagesDirectoryWithoutOneBesideUxc) {
  ScratchPrefix prefix;
  EXPECT_EQ(TemplateConfigDirFor(prefix.path() + "/bin/uxc"), "/usr/share/uxc/config");
  EXPECT_EQ(TemplateConfigDirFor("uxc"), "/usr/share/uxc/config");
}

TEST(ShippedConfigs, NeverLxcsDirectory) {
  EXPECT_EQ(DefaultTemplateConfigDir().find("/lxc/"), std::string::npos);
}

}  // namespace
}  // namespace uxc::templates
