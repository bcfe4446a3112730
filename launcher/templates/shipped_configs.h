// Where uxc's own config includes are (config/includes in the tree): the
// directory a template's LXC_TEMPLATE_CONFIG stands for, so that a container
// uxc creates never needs LXC installed.
#pragma once

#include <string>

namespace uxc::templates {

// share/uxc/config under the prefix uxc runs from (PREFIX/bin/uxc), else the
// package's /usr/share/uxc/config.
std::string DefaultTemplateConfigDir();

// The same rule for an executable at `executable`.
std::string TemplateConfigDirFor(const std::string& executable);

}  // namespace uxc::templates
