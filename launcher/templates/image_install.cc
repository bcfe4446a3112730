#include "launcher/templates/image_install.h"

#include <stdlib.h>

#include <cstdio>
#include <utility>

#include "config/content_lines.h"
#include "launcher/templates/image_config_filter.h"
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

namespace {

void WarnLeftOut(const std::vector<LeftOutLine>& left_out, const std::string& file) {
  for (const LeftOutLine& line : left_out) {
    std::fprintf(stderr,
                 "uxc create: warning: left out line %d of the image's %s, as it %s: %s (to keep such lines, "
                 "trust the image: `uxc create ... -- --%s`)\n",
                 line.line, file.c_str(), line.why.c_str(), Quoted(line.text).c_str(),
                 kTrustImageConfigOption);
  }
}

// Leaves out what reaches the host from the image's config and fstab.
void LeaveOutHostReachingLines(ImageMetadata& metadata) {
  FilteredImageText config = FilterImageConfig(metadata.config);
  WarnLeftOut(config.left_out, "config");
  metadata.config = std::move(config.text);
  if (metadata.fstab) {
    FilteredImageText fstab = FilterImageFstab(*metadata.fstab);
    WarnLeftOut(fstab.left_out, "fstab");
    metadata.fstab = std::move(fstab.text);
  }
}

}  // namespace

Result<TemplateOutput> InstallImage(const TemplateContext& context, const ImageFiles& files) {
  ImageMetadata metadata;
  bool has_metadata = !files.metadata_path.empty();
  if (has_metadata) {
    UXC_ASSIGN_OR_RETURN(auto scratch, ScratchDir::Create(context.container_dir, ".uxc-meta-"));
    // The caller unpacks its own file as itself; only regular files are read back.
    UXC_RETURN_IF_ERROR(RunHostCommandOrFail({"tar", "--extract", "--no-same-owner", "--no-same-permissions",
                                              "--file=" + files.metadata_path, "--directory=" + scratch.path()},
                                             "unpack the image metadata " + files.metadata_path));
    auto read = ReadImageMetadata(scratch.path(), files.compat_level);
    if (!read.ok()) return Annotate(read.take_error(), files.metadata_path);
    metadata = std::move(*read);
    if (!files.trust_image_config) LeaveOutHostReachingLines(metadata);
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
