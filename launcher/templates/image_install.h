// What the local and download templates share: unpack an LXC image (a rootfs
// tarball and an optional meta tarball) into a new container.
#pragma once

#include <string>

#include "base/error.h"
#include "launcher/templates/template.h"

namespace uxc::templates {

struct ImageFiles {
  int rootfs_fd = -1;              // the rootfs tarball, open for reading
  std::string rootfs_description;  // for messages: "the fstree /path/x.tar.xz"
  std::string metadata_path;       // the meta tarball; empty when there is none
  bool no_dev = false;
  int compat_level = 0;            // lxc-local uses 5, lxc-download 7
  // Keep the host-reaching keys of the image's config and fstab
  // (image_config_filter.h); without it they are left out, with a warning.
  bool trust_image_config = false;
};

// The template option that sets ImageFiles::trust_image_config.
inline constexpr const char* kTrustImageConfigOption = "trust-image-config";

Result<TemplateOutput> InstallImage(const TemplateContext& context, const ImageFiles& files);

// A private directory under the container's directory for a template's
// downloads and unpacked metadata; removed by the destructor.
class ScratchDir {
 public:
  static Result<ScratchDir> Create(const std::string& parent, const std::string& prefix);
  ScratchDir(ScratchDir&& other) noexcept;
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  ScratchDir& operator=(ScratchDir&&) = delete;
  ~ScratchDir();

  const std::string& path() const { return path_; }

 private:
  explicit ScratchDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

}  // namespace uxc::templates
