#include "launcher/templates/image_index.h"

#include <algorithm>
#include <set>

namespace uxc::templates {
namespace {

std::vector<std::string_view> SplitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  size_t start = 0;
  while (true) {
    size_t end = line.find(';', start);
    if (end == std::string_view::npos) {
      fields.push_back(line.substr(start));
      return fields;
    }
    fields.push_back(line.substr(start, end - start));
    start = end + 1;
  }
}

bool IsPathChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         c == '/' || c == '.' || c == '_' || c == '-' || c == ':' || c == '+' || c == '~';
}

bool IsNameChar(char c) { return IsPathChar(c) && c != '/'; }

bool HasDotDotComponent(std::string_view path) {
  size_t start = 0;
  while (start < path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    if (path.substr(start, end - start) == "..") return true;
    start = end + 1;
  }
  return false;
}

Error LineError(int line, const std::string& what) {
  return PlainError("image index line " + std::to_string(line) + ": " + what);
}

Result<ImageEntry> ParseLine(std::string_view text, int line) {
  auto fields = SplitFields(text);
  if (fields.size() != 6) {
    return LineError(line, "expected 6 ';'-separated fields (dist;release;arch;variant;build;path), got " +
                               std::to_string(fields.size()));
  }
  static const char* const kNames[] = {"dist", "release", "arch", "variant", "build", "path"};
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].empty()) return LineError(line, std::string("empty ") + kNames[i]);
    bool path = i == 5;
    if (!path && (fields[i] == "." || fields[i] == "..")) {
      return LineError(line, std::string(kNames[i]) + " must not be '" + std::string(fields[i]) + "'");
    }
    if (!std::all_of(fields[i].begin(), fields[i].end(), path ? IsPathChar : IsNameChar)) {
      return LineError(line, std::string("bad character in ") + kNames[i] + " '" +
                                 std::string(fields[i]) + "'");
    }
  }
  std::string path(fields[5]);
  if (path.front() != '/') path.insert(path.begin(), '/');
  if (path.back() != '/') path.push_back('/');
  if (HasDotDotComponent(path)) return LineError(line, "path must not contain '..': " + path);
  return ImageEntry{std::string(fields[0]), std::string(fields[1]), std::string(fields[2]),
                    std::string(fields[3]), std::string(fields[4]), path, line};
}

}  // namespace

Result<std::vector<ImageEntry>> ParseImageIndex(std::string_view text) {
  std::vector<ImageEntry> entries;
  int line = 0;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view content = text.substr(start, end - start);
    start = end + 1;
    ++line;
    if (!content.empty() && content.back() == '\r') content.remove_suffix(1);
    if (content.find_first_not_of(" \t") == std::string_view::npos) continue;
    UXC_ASSIGN_OR_RETURN(auto entry, ParseLine(content, line));
    entries.push_back(std::move(entry));
  }
  return entries;
}

Result<ImageEntry> FindImage(const std::vector<ImageEntry>& index, const ImageQuery& query) {
  std::set<std::string> offered;
  for (const auto& entry : index) {
    if (entry.dist == query.dist && entry.release == query.release && entry.arch == query.arch &&
        entry.variant == query.variant) {
      return entry;
    }
    if (entry.dist == query.dist) {
      offered.insert(entry.release + "/" + entry.arch + "/" + entry.variant);
    }
  }
  std::string message = "no image " + query.dist + "/" + query.release + "/" + query.arch +
                        " (variant " + query.variant + ") in the server's index";
  if (offered.empty()) {
    message += "; it has no images of '" + query.dist + "'";
  } else {
    message += "; for " + query.dist + " it has (release/arch/variant):";
    for (const auto& o : offered) message += " " + o;
  }
  return PlainError(message);
}

namespace {

bool Matches(const std::string& field, const std::string& wanted) { return wanted.empty() || field == wanted; }

}  // namespace

std::string FormatImageList(const std::vector<ImageEntry>& index, const ImageQuery& filter) {
  std::vector<std::vector<std::string>> rows = {{"DIST", "RELEASE", "ARCH", "VARIANT", "BUILD"}};
  for (const auto& entry : index) {
    if (Matches(entry.dist, filter.dist) && Matches(entry.release, filter.release) &&
        Matches(entry.arch, filter.arch) && Matches(entry.variant, filter.variant)) {
      rows.push_back({entry.dist, entry.release, entry.arch, entry.variant, entry.build});
    }
  }
  if (rows.size() == 1) return "The server's index has no image that matches.\n";
  std::vector<size_t> widths(rows[0].size(), 0);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  std::string text;
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - row[i].size() + 2, ' ');
    }
    text += line + "\n";
  }
  return text;
}

}  // namespace uxc::templates
