#include "launcher/templates/apt_sources.h"

#include <dirent.h>

#include <algorithm>
#include <cctype>

#include "base/read_file.h"

namespace uxc::templates {
namespace {

std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (char c : text) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!current.empty()) words.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string StripSlash(std::string uri) {
  while (uri.size() > 1 && uri.back() == '/') uri.pop_back();
  return uri;
}

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// One deb822 paragraph: field name (lower case) -> value, continuation lines joined.
struct Paragraph {
  std::vector<std::pair<std::string, std::string>> fields;
  int line = 0;

  std::string Get(const std::string& name) const {
    for (const auto& [key, value] : fields) {
      if (key == name) return value;
    }
    return "";
  }
};

std::vector<Paragraph> Paragraphs(std::string_view text) {
  std::vector<Paragraph> paragraphs;
  Paragraph current;
  int number = 0;
  for (std::string_view line : Lines(text)) {
    ++number;
    if (!line.empty() && line.front() == '#') continue;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
      if (!current.fields.empty()) paragraphs.push_back(std::move(current));
      current = Paragraph{};
      continue;
    }
    if ((line.front() == ' ' || line.front() == '\t')) {
      if (!current.fields.empty()) current.fields.back().second += " " + std::string(line);
      continue;
    }
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    if (current.fields.empty()) current.line = number;
    current.fields.emplace_back(Lower(std::string(line.substr(0, colon))),
                                std::string(line.substr(colon + 1)));
  }
  if (!current.fields.empty()) paragraphs.push_back(std::move(current));
  return paragraphs;
}

bool IsWebUri(const std::string& uri) {
  return uri.rfind("http://", 0) == 0 || uri.rfind("https://", 0) == 0;
}

bool IsPlainSuite(const std::string& suite) {
  return !suite.empty() && suite.find_first_of("-/") == std::string::npos;
}

bool Usable(const AptSource& source) {
  return IsWebUri(source.uri) &&
         std::find(source.components.begin(), source.components.end(), "main") !=
             source.components.end() &&
         std::any_of(source.suites.begin(), source.suites.end(), IsPlainSuite);
}

bool EndsWithDebian(const std::string& uri) {
  const std::string suffix = "/debian";
  return uri.size() >= suffix.size() && uri.compare(uri.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::vector<AptSource> ParseOneLineSources(const AptSourceFile& file) {
  std::vector<AptSource> sources;
  int number = 0;
  for (std::string_view raw : Lines(file.content)) {
    ++number;
    std::string_view line = raw.substr(0, raw.find('#'));
    auto words = Words(line);
    if (words.size() < 3 || words[0] != "deb") continue;
    size_t i = 1;
    if (words[i].front() == '[') {  // [ option=value ... ]
      while (i < words.size() && words[i].back() != ']') ++i;
      ++i;
    }
    if (i + 1 >= words.size()) continue;
    AptSource source{StripSlash(words[i]), {words[i + 1]}, {}, file.path, number};
    source.components.assign(words.begin() + static_cast<long>(i) + 2, words.end());
    sources.push_back(std::move(source));
  }
  return sources;
}

std::vector<AptSource> ParseDeb822Sources(const AptSourceFile& file) {
  std::vector<AptSource> sources;
  for (const auto& paragraph : Paragraphs(file.content)) {
    auto types = Words(paragraph.Get("types"));
    if (std::find(types.begin(), types.end(), "deb") == types.end()) continue;
    std::string enabled = Lower(Words(paragraph.Get("enabled")).empty()
                                    ? "yes"
                                    : Words(paragraph.Get("enabled")).front());
    if (enabled == "no" || enabled == "false" || enabled == "0") continue;
    auto suites = Words(paragraph.Get("suites"));
    auto components = Words(paragraph.Get("components"));
    for (const auto& uri : Words(paragraph.Get("uris"))) {
      sources.push_back({StripSlash(uri), suites, components, file.path, paragraph.line});
    }
  }
  return sources;
}

Result<AptSource> ChooseDebianMirror(const std::vector<AptSourceFile>& files) {
  std::vector<AptSource> usable;
  for (const auto& file : files) {
    bool deb822 = file.path.size() >= 8 && file.path.compare(file.path.size() - 8, 8, ".sources") == 0;
    for (auto& source : deb822 ? ParseDeb822Sources(file) : ParseOneLineSources(file)) {
      if (Usable(source)) usable.push_back(std::move(source));
    }
  }
  if (usable.empty()) {
    return PlainError(
        "no Debian archive in the host's apt sources (/etc/apt/sources.list, "
        "/etc/apt/sources.list.d/): add a 'deb http://MIRROR/debian RELEASE main' entry, "
        "or pass --mirror URL");
  }
  for (const auto& source : usable) {
    if (EndsWithDebian(source.uri)) return source;
  }
  return usable.front();
}

Result<std::vector<AptSourceFile>> ReadAptSources(const std::string& root) {
  std::string base = root == "/" ? "" : root;
  std::vector<AptSourceFile> files;
  std::string main_list = base + "/etc/apt/sources.list";
  if (auto content = ReadSmallFile(main_list); content.ok()) {
    files.push_back({main_list, std::move(*content)});
  }
  std::string dir = base + "/etc/apt/sources.list.d";
  std::vector<std::string> names;
  if (DIR* d = opendir(dir.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string name = e->d_name;
      auto ends = [&](const std::string& s) {
        return name.size() > s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
      };
      if (ends(".list") || ends(".sources")) names.push_back(name);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  for (const auto& name : names) {
    UXC_ASSIGN_OR_RETURN(auto content, ReadSmallFile(dir + "/" + name));
    files.push_back({dir + "/" + name, std::move(content)});
  }
  return files;
}

}  // namespace uxc::templates
