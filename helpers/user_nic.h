// main() of uxc-user-nic: a veth pair for a container the caller started,
// its host end on a bridge root chose, within /etc/uxc/usernet's quotas.
// The rules and the lessons of lxc-user-nic's CVEs: docs/usernet.md.
#pragma once

namespace uxc::helpers {

int RunUserNic(int argc, char** argv);

}  // namespace uxc::helpers
