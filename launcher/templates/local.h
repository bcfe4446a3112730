// The local template: LXC's lxc-local. A rootfs tarball (--fstree, plain or
// compressed with xz, gzip or zstd) and an optional LXC meta tarball
// (--metadata) with config, templates and excludes.
#pragma once

#include "launcher/templates/template.h"

namespace uxc::templates {

Result<TemplateOutput> CreateLocal(const TemplateContext& context, const cli::ParsedArgs& args);

}  // namespace uxc::templates
