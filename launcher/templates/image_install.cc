#include "launcher/templates/image_install.h"

#include <stdlib.h>

#include <utility>

#include "launcher/templates/host_command.h"
#include "launcher/templates/image_metadata.h"
#include "launcher/templates/rootfs_extract.h"

namespace uxc::templates {

Result<ScratchDir> ScratchDir::Create(const std::string& parent, const std::string& prefix) {
  std::string pattern = parent + "/" + prefix + "XXXXXX";
  if (!mkdtemp(pattern.data())) return ErrnoError("make a scratch directory in " + parent);
  return ScratchDir(pattern);
}

ScratchDir::ScratchDir(ScratchDir&& other) noexcept : path_(std::exchange(other.path_, "")) {}

ScratchDir::~ScratchDir() {
  if (!path_.empty()) (void)RunHostCommand({"rm", "-rf", "--one-file-system", "--", path_});
}

Result<TemplateOutput> InstallImage(const TemplateContext& context, const ImageFiles& files) {
  ImageMetadata metadata;
  bool has_metadata = !files.metadata_path.empty();
  if (has_metadata) {
    auto scratch = ScratchDir::Create(context.container_dir, ".uxc-meta-");
    if (!scratch.ok()) return scratch.take_error();
    // The caller unpacks its own file as itself; only regular files are read back.
    auto unpacked = RunHostCommandOrFail({"tar", "--extract", "--no-same-owner", "--no-same-permissions",
                                          "--file=" + files.metadata_path, "--directory=" + scratch->path()},
                                         "unpack the image metadata " + files.metadata_path);
    if (!unpacked.ok()) return unpacked.take_error();
    auto read = ReadImageMetadata(scratch->path(), files.compat_level);
    if (!read.ok()) return Annotate(read.take_error(), files.metadata_path);
    metadata = std::move(*read);
  }

  ExtractOptions options;
  options.excludes = metadata.excludes;
  options.no_dev = files.no_dev;
  options.description = files.rootfs_description;
  UXC_RETURN_IF_ERROR(ExtractIntoRootfs(context, files.rootfs_fd, options));
  UXC_RETURN_IF_ERROR(MakeRootfsDirectories(context, {"dev/pts"}));

  TemplateOutput output;
  output.config = metadata.config;
  output.fstab = metadata.fstab;
  output.rootfs_templates = metadata.templates;
  output.message = metadata.create_message;
  return output;
}

}  // namespace uxc::templates
