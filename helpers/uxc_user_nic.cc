#include "helpers/user_nic.h"

// uxc-user-nic: lxc-user-nic, audited small. See docs/usernet.md.
int main(int argc, char** argv) { return uxc::helpers::RunUserNic(argc, argv); }
