// uxc-newuidmap: shadow's newuidmap, audited small. See docs/idmap.md.
#include "helpers/id_map_helper.h"

int main(int argc, char** argv) { return uxc::helpers::RunIdMapHelper(uxc::helpers::IdKind::kUid, argc, argv); }
