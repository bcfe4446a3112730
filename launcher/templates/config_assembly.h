// Writes a new container's config the way lxc-create and LXC's image
// templates lay it out: the user's default.conf comments first, then the
// template's distribution configuration, then the user's own keys (so they
// win), the container's rootfs, fstab and name, and the network keys last.
#pragma once

#include <string>

namespace uxc::templates {

struct ConfigParts {
  std::string template_name;
  std::string defaults;      // content of the default.conf layers, in order
  std::string distribution;  // the template's configuration
  std::string name;
  std::string rootfs;
  std::string fstab_path;    // empty when the container has no fstab
};

std::string AssembleConfig(const ConfigParts& parts);

}  // namespace uxc::templates
