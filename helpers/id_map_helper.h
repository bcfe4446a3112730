// main() of the id-map helpers: uxc-newuidmap and uxc-newgidmap (shadow's
// command line, one map each) and uxc-newidmap (both maps in one call). All
// three run the same checks, in the same order (docs/idmap.md).
#pragma once

#include "helpers/map_request.h"

namespace uxc::helpers {

// uxc-newuidmap (kUid) and uxc-newgidmap (kGid).
int RunIdMapHelper(IdKind kind, int argc, char** argv);

// uxc-newidmap: the uid map and the gid map of one process.
int RunIdMapsHelper(int argc, char** argv);

}  // namespace uxc::helpers
