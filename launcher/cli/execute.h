// `uxc execute NAME [-P DIR] [-f FILE] [-s KEY=VALUE]... [--] [CMD [ARGS]]`:
// runs CMD (default lxc.execute.cmd) as an application container with the
// container's config, like lxc-execute. uxc's own pid 1 reaps zombies and
// forwards signals; stdio is the caller's; the exit status is CMD's, or
// 128 + the signal that killed it.
#pragma once

#include <string>
#include <vector>

namespace uxc::cli {

int RunExecute(const std::vector<std::string>& args);

}  // namespace uxc::cli
