#include "launcher/templates/image_metadata.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "base/unique_fd.h"

namespace uxc::templates {
namespace {

constexpr off_t kMaxMetadataFile = 1 << 20;

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

Result<std::vector<std::string>> ListDirectory(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (!d) return ErrnoError("list " + dir);
  std::vector<std::string> names;
  while (dirent* e = readdir(d)) names.push_back(e->d_name);
  closedir(d);
  return names;
}

Result<std::string> ReadRegularFile(const std::string& path) {
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
  if (!fd) return ErrnoError("open " + path);
  struct stat st;
  if (fstat(fd.get(), &st) != 0) return ErrnoError("stat " + path);
  if (!S_ISREG(st.st_mode)) return PlainError(path + " is not a regular file");
  if (st.st_size > kMaxMetadataFile) return PlainError(path + " is too large for image metadata");
  std::string content(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = read(fd.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError("read " + path);
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  content.resize(done);
  return content;
}

std::vector<std::string> NonEmptyLines(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  for (size_t pos = text.find(from); pos != std::string::npos; pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
}

// Escapes a literal for the replacement part of a sed s### command.
std::string SedReplacement(const std::string& value) {
  std::string escaped;
  for (char c : value) {
    if (c == '\\' || c == '&' || c == '#' || c == '\n') escaped.push_back('\\');
    escaped.push_back(c);
  }
  return escaped;
}

std::vector<std::pair<std::string, std::string>> Pairs(const TemplateVariables& vars) {
  // LXC_TEMPLATE_CONFIG before any shorter name that could be its prefix.
  return {{"LXC_TEMPLATE_CONFIG", vars.template_config},
          {"LXC_HOOK_DIR", vars.hook_dir},
          {"LXC_ROOTFS", vars.rootfs},
          {"LXC_NAME", vars.name},
          {"LXC_PATH", vars.path}};
}

bool IsDirectory(const char* path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

}  // namespace

std::string RelevantFileName(const std::vector<std::string>& present, const std::string& base,
                             int compat_level) {
  std::string name = base;
  if (Contains(present, base + "-user")) name = base + "-user";
  std::string compat = name + "." + std::to_string(compat_level);
  if (Contains(present, compat)) name = compat;
  return Contains(present, name) ? name : "";
}

Result<ImageMetadata> ReadImageMetadata(const std::string& dir, int compat_level) {
  UXC_ASSIGN_OR_RETURN(auto present, ListDirectory(dir));
  auto read = [&](const std::string& base) -> Result<std::optional<std::string>> {
    std::string name = RelevantFileName(present, base, compat_level);
    if (name.empty()) return std::optional<std::string>();
    auto content = ReadRegularFile(dir + "/" + name);
    if (!content.ok()) return Annotate(content.take_error(), "image metadata");
    return std::optional<std::string>(std::move(*content));
  };

  ImageMetadata metadata;
  UXC_ASSIGN_OR_RETURN(auto config, read("config"));
  if (!config.has_value()) {
    return PlainError("the image's metadata has no config file (config or config-user): "
                      "the meta tarball must hold one at its top level");
  }
  metadata.config = std::move(*config);
  UXC_ASSIGN_OR_RETURN(auto fstab, read("fstab"));
  metadata.fstab = std::move(fstab);
  for (auto [base, list] : {std::pair{"templates", &metadata.templates},
                            std::pair{"excludes", &metadata.excludes}}) {
    UXC_ASSIGN_OR_RETURN(auto content, read(base));
    if (content.has_value()) *list = NonEmptyLines(*content);
  }
  UXC_ASSIGN_OR_RETURN(auto message, read("create-message"));
  metadata.create_message = message.value_or("");
  return metadata;
}

std::string SubstituteVariables(std::string text, const TemplateVariables& vars) {
  for (const auto& [name, value] : Pairs(vars)) ReplaceAll(text, name, value);
  return text;
}

std::string SedProgram(const TemplateVariables& vars) {
  std::string program;
  for (const auto& [name, value] : Pairs(vars)) {
    program += "s#" + name + "#" + SedReplacement(value) + "#g\n";
  }
  return program;
}

std::string DefaultHookDir() {
  return IsDirectory("/usr/share/uxc/hooks") ? "/usr/share/uxc/hooks" : "/usr/share/lxc/hooks";
}

}  // namespace uxc::templates
