#pragma once

#include <string>
#include <vector>

namespace uxc::cli {

// uxc autostart [-a] [-g GROUP]... [-L] [-k | -s [-t SECONDS]]: starts (or
// stops) the containers with lxc.start.auto = 1, as lxc-autostart does.
int RunAutostart(const std::vector<std::string>& args);

}  // namespace uxc::cli
