#include "launcher/templates/shipped_configs.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

namespace uxc::templates {
namespace {

constexpr char kPackageConfigDir[] = "/usr/share/uxc/config";

bool IsDirectory(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string Parent(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

std::string TemplateConfigDirFor(const std::string& executable) {
  std::string prefix = Parent(Parent(executable));
  std::string beside = (prefix == "/" ? "" : prefix) + "/share/uxc/config";
  return IsDirectory(beside) ? beside : kPackageConfigDir;
}

std::string DefaultTemplateConfigDir() {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return kPackageConfigDir;
  return TemplateConfigDirFor(std::string(self, static_cast<size_t>(n)));
}

}  // namespace uxc::templates
