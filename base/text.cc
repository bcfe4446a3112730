#include "base/text.h"

namespace uxc {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

void AppendEscaped(char c, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  auto byte = static_cast<unsigned char>(c);
  switch (c) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\t': out += "\\t"; return;
    case '\r': out += "\\r"; return;
    case '\n': out += "\\n"; return;
    default: break;
  }
  if (byte >= 0x20 && byte < 0x7f) {
    out += c;
    return;
  }
  out += "\\x";
  out += kHex[byte >> 4];
  out += kHex[byte & 0xf];
}

}  // namespace

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  return text;
}

std::string Quoted(std::string_view text, size_t max_chars) {
  std::string out = "\"";
  for (char c : text.substr(0, max_chars)) AppendEscaped(c, out);
  if (text.size() > max_chars) out += "...";
  return out + "\"";
}

}  // namespace uxc
