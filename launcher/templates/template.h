// A template fills a new container's rootfs and contributes its part of the
// config. `uxc create` makes the container directory, hands the rootfs to
// container root, runs the template, then writes the config.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "launcher/args/args.h"
#include "launcher/templates/userns_command.h"

namespace uxc::templates {

struct TemplateContext {
  std::string name;
  std::string container_dir;  // <container path>/<name>, owned by the caller
  std::string rootfs;         // <container_dir>/rootfs, owned by container root, empty
  std::string uxc_binary;     // for `uxc usernsexec`
  UsernsIds ids;
  std::string cache_home;     // $XDG_CACHE_HOME or ~/.cache
};

struct TemplateOutput {
  // The distribution configuration (LXC_NAME, LXC_ROOTFS, ... are replaced).
  std::string config;
  // Written as <container_dir>/fstab and named by lxc.mount.fstab.
  std::optional<std::string> fstab;
  // Rootfs files (absolute inside the container) whose LXC_* variables are replaced.
  std::vector<std::string> rootfs_templates;
  // Printed after a successful create.
  std::string message;
};

struct TemplateSpec {
  const char* name;
  const char* synopsis;  // the template options, for help
  const char* summary;
  std::vector<cli::OptionSpec> options;
  Result<TemplateOutput> (*create)(const TemplateContext& context, const cli::ParsedArgs& args);
  // Answers a question about the template's sources instead of making a
  // container (download's --list): true when it did. nullptr when none.
  Result<bool> (*answer)(const cli::ParsedArgs& args) = nullptr;
};

const std::vector<TemplateSpec>& AllTemplates();
// nullptr when there is no such template.
const TemplateSpec* FindTemplate(std::string_view name);

}  // namespace uxc::templates
