#include "launcher/lifecycle/runtime_paths.h"

#include <unistd.h>

namespace uxc::lifecycle {

RuntimePaths PathsFor(const std::string& base, const std::string& name) { return PathsIn(base + "/" + name); }

RuntimePaths PathsIn(const std::string& dir) { return {dir, dir + "/state", dir + "/control", dir + "/acquired"}; }

void RemoveRuntimeFiles(const RuntimePaths& paths) {
  unlink(paths.socket.c_str());
  unlink(paths.state.c_str());
  unlink(paths.acquired.c_str());
  rmdir(paths.dir.c_str());
}

}  // namespace uxc::lifecycle
