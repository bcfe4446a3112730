// The files of one container's runtime dir, and their removal. Apart from
// runtime_dir.h so that uxc-monitor, which only removes them, does not link
// the user database lookups that choosing and checking the dir needs.
#pragma once

#include <string>

namespace uxc::lifecycle {

struct RuntimePaths {
  std::string dir;     // .../uxc/NAME
  std::string state;   // .../uxc/NAME/state
  std::string socket;  // .../uxc/NAME/control
  std::string acquired;  // .../uxc/NAME/acquired (acquired_record.h)
};

// The paths of container `name` under `base`.
RuntimePaths PathsFor(const std::string& base, const std::string& name);

// The paths in a container's runtime dir (.../uxc/NAME).
RuntimePaths PathsIn(const std::string& dir);

// Removes the state file, the socket, the acquired record and the
// container's directory; missing files are not an error.
void RemoveRuntimeFiles(const RuntimePaths& paths);

}  // namespace uxc::lifecycle
