// A JSON string literal, for ls and info --format json.
#pragma once

#include <string>
#include <vector>

namespace uxc::cli {

std::string JsonString(const std::string& text);
std::string JsonStringArray(const std::vector<std::string>& items);

}  // namespace uxc::cli
