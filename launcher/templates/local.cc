#include "launcher/templates/local.h"

#include <fcntl.h>
#include <sys/stat.h>

#include "base/unique_fd.h"
#include "launcher/templates/image_install.h"

namespace uxc::templates {
namespace {

constexpr int kLocalCompatLevel = 5;

Result<UniqueFd> OpenRegularFile(const std::string& path, const std::string& what) {
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return ErrnoError("open the " + what + " " + path);
  struct stat st;
  if (fstat(fd.get(), &st) != 0) return ErrnoError("stat " + path);
  if (!S_ISREG(st.st_mode)) return PlainError("the " + what + " " + path + " is not a regular file");
  return fd;
}

}  // namespace

Result<TemplateOutput> CreateLocal(const TemplateContext& context, const cli::ParsedArgs& args) {
  if (!args.Has("fstree")) {
    return PlainError("the local template needs --fstree FILE.tar[.xz|.gz|.zst] (the rootfs tarball)");
  }
  std::string fstree = args.Value("fstree");
  UXC_ASSIGN_OR_RETURN(auto fd, OpenRegularFile(fstree, "fstree"));
  std::string metadata = args.Value("metadata");
  if (!metadata.empty()) {
    UXC_RETURN_IF_ERROR(OpenRegularFile(metadata, "metadata tarball"));
  }
  ImageFiles files;
  files.rootfs_fd = fd.get();
  files.rootfs_description = "the fstree " + fstree;
  files.metadata_path = metadata;
  files.no_dev = args.Has("no-dev");
  files.compat_level = kLocalCompatLevel;
  files.trust_image_config = args.Has(kTrustImageConfigOption);
  return InstallImage(context, files);
}

}  // namespace uxc::templates
