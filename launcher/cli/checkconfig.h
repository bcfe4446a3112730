// `uxc checkconfig`: whether this host and this user can run unprivileged
// containers, like lxc-checkconfig; each line OK or what is missing and how
// to fix it. Exit status 0 when nothing needed is missing, else 1.
#pragma once

#include <string>
#include <vector>

namespace uxc::cli {

int RunCheckconfig(const std::vector<std::string>& args);

}  // namespace uxc::cli
