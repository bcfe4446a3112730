// uxc-newgidmap: shadow's newgidmap, audited small. See docs/idmap.md.
#include "helpers/id_map_helper.h"

int main(int argc, char** argv) { return uxc::helpers::RunIdMapHelper(uxc::helpers::IdKind::kGid, argc, argv); }
