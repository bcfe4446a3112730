// An LXC image's metadata (the meta tarball of the local and download
// templates): config, fstab, templates, excludes and create-message, each
// possibly in a "-user" and a ".COMPAT" variant, as lxc-local/lxc-download
// choose them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/error.h"

namespace uxc::templates {

struct ImageMetadata {
  std::string config;                       // the distribution configuration
  std::optional<std::string> fstab;         // copied next to the config when present
  std::vector<std::string> templates;       // rootfs files to substitute LXC_* in
  std::vector<std::string> excludes;        // tar --exclude patterns for the rootfs
  std::string create_message;               // printed after a successful create
};

// The file lxc-local/lxc-download would use for `base`: BASE-user if it
// exists, then that name with ".COMPAT" if it exists. Empty when neither
// BASE nor a variant exists.
std::string RelevantFileName(const std::vector<std::string>& present, const std::string& base,
                             int compat_level);

// Reads the metadata from the directory the meta tarball was unpacked into.
// Files are opened without following symlinks and must be regular files;
// a missing config is an error.
Result<ImageMetadata> ReadImageMetadata(const std::string& dir, int compat_level);

// The values that replace LXC_NAME, LXC_PATH, LXC_ROOTFS,
// LXC_TEMPLATE_CONFIG and LXC_HOOK_DIR in the config, the fstab and the
// listed rootfs files.
struct TemplateVariables {
  std::string name;
  std::string path;  // the container's directory
  std::string rootfs;
  std::string template_config;
  std::string hook_dir;
};
std::string SubstituteVariables(std::string text, const TemplateVariables& vars);
// A sed program doing the same substitutions on a file inside the rootfs.
std::string SedProgram(const TemplateVariables& vars);

// The hook directory images' configs name (LXC_HOOK_DIR): uxc's when
// installed, else LXC's. The config directory is in shipped_configs.h.
std::string DefaultHookDir();

}  // namespace uxc::templates
