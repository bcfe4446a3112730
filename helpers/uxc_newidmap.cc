// uxc-newidmap: uxc-newuidmap and uxc-newgidmap in one exec. See docs/idmap.md.
#include "helpers/id_map_helper.h"

int main(int argc, char** argv) { return uxc::helpers::RunIdMapsHelper(argc, argv); }
