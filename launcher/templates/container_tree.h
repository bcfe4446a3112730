// Making and removing a container's directory, <container path>/NAME with
// config, rootfs and (from some templates) fstab. The rootfs belongs to
// container root (the first subordinate uid), so the steps that touch it run
// in the user namespace; nothing partial is left when a step fails.
#pragma once

#include <optional>
#include <string>

#include "base/error.h"
#include "launcher/args/args.h"
#include "launcher/templates/template.h"
#include "launcher/templates/userns_command.h"

namespace uxc::templates {

struct CreateRequest {
  std::string name;
  std::string container_path;     // the directory containers live in
  const TemplateSpec* spec = nullptr;
  cli::ParsedArgs template_args;
  std::string defaults;           // the default.conf content the config starts from
  std::string uxc_binary;
  UsernsIds ids;
  std::string cache_home;
};

// Makes the container. Refuses a name that exists; on failure removes what
// it made. Returns the template's create-message (may be empty).
Result<std::string> CreateContainer(const CreateRequest& request);

// Removes `container_dir` and everything in it: through the user namespace
// when `ids` is set (the rootfs belongs to container root), else as the
// caller. Never crosses into another mounted file system.
Status RemoveContainerTree(const std::string& uxc_binary, const std::optional<UsernsIds>& ids,
                           const std::string& container_dir);

}  // namespace uxc::templates
