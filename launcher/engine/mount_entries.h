// lxc.mount.fstab and lxc.mount.entry: fstab lines turned into mount steps.
// Targets are paths inside the container (with or without a leading /; a
// target under the rootfs path, as old configs write it, is made relative).
// Supported: bind mounts (create=dir|file, optional, ro and the other
// attributes applied to the new mount), tmpfs and any other file system a
// user namespace may mount; "relative" takes the source from the rootfs.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "config/container_config.h"
#include "config/values.h"
#include "launcher/engine/mount_plan.h"

namespace uxc::launcher {

// One parsed entry as a step; `origin` names where it came from.
Result<MountStep> StepFromMountEntry(const config::MountEntry& entry,
                                     const std::string& rootfs_path, const std::string& origin);

// Every lxc.mount.fstab file's lines, then every lxc.mount.entry, in order.
// Errors name the file and line.
Result<std::vector<MountStep>> PlanMountEntries(const config::ContainerConfig& config,
                                                const std::string& rootfs_path);

}  // namespace uxc::launcher
