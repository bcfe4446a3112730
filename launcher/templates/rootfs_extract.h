// The one way templates put files into a rootfs: a tar archive extracted by
// container root inside the user namespace (`uxc usernsexec -- tar -x`),
// so owners in the archive become the mapped ids and nothing is written
// with the caller's own rights.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "launcher/templates/template.h"

namespace uxc::templates {

struct ExtractOptions {
  // tar --exclude patterns, matched anchored at the start of member names.
  std::vector<std::string> excludes;
  // Leave out device nodes under dev/ (a user namespace cannot mknod).
  bool no_dev = false;
  // What the archive is, for messages ("the fstree /home/a/x.tar.xz").
  std::string description = "the archive";
};

// Extracts the archive open as `archive_fd` (a regular file: its first bytes
// tell its compression) into the context's rootfs.
Status ExtractIntoRootfs(const TemplateContext& context, int archive_fd, const ExtractOptions& options);

// Extracts an archive held in memory (e.g. one built with TarWriter).
Status ExtractDataIntoRootfs(const TemplateContext& context, const std::string& archive,
                             const ExtractOptions& options);

// Makes the directories (e.g. "dev/pts") as container root, refusing a path
// whose existing components include a symlink.
Status MakeRootfsDirectories(const TemplateContext& context, const std::vector<std::string>& paths);

// Replaces LXC_NAME, LXC_PATH, LXC_ROOTFS, ... in the listed rootfs files
// (paths inside the container). Missing files are skipped, as LXC does; a
// path through a symlink is refused.
Status SubstituteInRootfs(const TemplateContext& context, const std::vector<std::string>& paths,
                          const std::string& sed_program);

// Checks that `path` (inside the rootfs) resolves without symlinks and
// without leaving the rootfs. Ok when it does not exist.
Status CheckNoSymlinks(const std::string& rootfs, const std::string& path);

}  // namespace uxc::templates
