// `uxc run [--rootfs DIR | NAME] [-P DIR] [-s KEY=VALUE]... [--] CMD [ARGS]`:
// a one-shot, ephemeral container, like `bwrap` or `podman run --rm`. The
// root is an overlay of the rootfs whose writes vanish with the container;
// nothing is left behind.
#pragma once

#include <string>
#include <vector>

namespace uxc::cli {

int RunRun(const std::vector<std::string>& args);

}  // namespace uxc::cli
