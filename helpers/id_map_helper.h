// main() of uxc-newuidmap and uxc-newgidmap, which differ only in IdKind.
#pragma once

#include "helpers/map_request.h"

namespace uxc::helpers {

int RunIdMapHelper(IdKind kind, int argc, char** argv);

}  // namespace uxc::helpers
