// What an image may put into a new container's config. An image (its meta
// tarball: `-t local --metadata`, `-t download`) comes from whoever built
// it; the container it makes runs as subordinate ids, but a config key can
// reach past them to the host, as the user. `uxc create` leaves those keys
// out unless the user trusts the image (`-- --trust-image-config`), and says
// which it left out. LXC copies them verbatim.
//
// Host-reaching, and so left out (docs/templates.md has the list):
//   runs a host program:      lxc.hook.* (not lxc.hook.version),
//                             lxc.net.N.script.up, lxc.net.N.script.down
//   reads a host file:        lxc.include outside LXC_TEMPLATE_CONFIG/,
//                             lxc.mount.fstab
//   mounts a host path:       lxc.mount.entry (and fstab lines) that bind,
//                             or name a host path as source or option
//   writes a host file:       lxc.console.logfile, lxc.log.file
//   picks host ids or paths:  lxc.idmap, lxc.rootfs.path, lxc.rootfs.mount
//   shares host namespaces:   lxc.namespace.clone, lxc.namespace.keep,
//                             lxc.namespace.share.*, lxc.net.N.type = none
// LXC 2.x names of these keys (lxc.id_map, lxc.network.*, ...) too.
#pragma once

#include <string>
#include <vector>

namespace uxc::templates {

struct LeftOutLine {
  int line = 0;       // 1-based, in the image's file
  std::string text;   // the line as the image has it
  std::string why;    // "runs a host program"
};

struct FilteredImageText {
  std::string text;                // the kept lines; a left-out one becomes a comment
  std::vector<LeftOutLine> left_out;
};

// The image's config without its host-reaching keys.
FilteredImageText FilterImageConfig(const std::string& config);

// The image's fstab (lxc.mount.fstab lines) without host-reaching entries.
FilteredImageText FilterImageFstab(const std::string& fstab);

// Why a mount entry ("SOURCE TARGET TYPE OPTIONS ...") reaches the host, or
// "" when it mounts only a kernel filesystem.
std::string WhyMountEntryReachesHost(const std::string& entry);

}  // namespace uxc::templates
