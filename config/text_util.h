// Small string helpers shared by the config parsers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/text.h"  // Trim

namespace uxc::config {

// Spaces and tabs (and a stray CR from a file edited on Windows).
bool IsBlank(char c);
// Splits on runs of blanks; no empty fields.
std::vector<std::string_view> SplitFields(std::string_view text);
std::vector<std::string_view> Split(std::string_view text, char separator);
std::string ToLower(std::string_view text);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWith(std::string_view text, std::string_view prefix);
bool EndsWith(std::string_view text, std::string_view suffix);
// Wraps a value in quotes for an error message: "value".
std::string Quote(std::string_view text);

}  // namespace uxc::config
