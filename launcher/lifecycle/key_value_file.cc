#include "launcher/lifecycle/key_value_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/read_file.h"
#include "base/unique_fd.h"
#include "base/write_all.h"

namespace uxc::lifecycle {

Result<int> ParseKeyValueLines(std::string_view text, const std::string& origin, std::string_view version_line,
                          const std::function<Status(std::string_view key, std::string_view value)>& apply,
                          const std::string& what_to_do) {
  auto line_error = [&](int line, const std::string& what) {
    return PlainError(origin + ":" + std::to_string(line) + ": " + what + "; " + what_to_do);
  };
  int line_number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    if (end == std::string_view::npos) return line_error(line_number + 1, "the last line is cut short");
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end + 1);
    ++line_number;
    if (line_number == 1) {
      if (line != version_line) return line_error(1, "expected \"" + std::string(version_line) + "\"");
      continue;
    }
    size_t equals = line.find('=');
    if (equals == std::string_view::npos) return line_error(line_number, "expected key=value");
    Status applied = apply(line.substr(0, equals), line.substr(equals + 1));
    if (!applied.ok()) return line_error(line_number, applied.error().message);
  }
  if (line_number == 0) return line_error(1, "the file is empty");
  return line_number;
}

Result<std::string> ReadSmallFile(const std::string& path, size_t limit, const std::string& what) {
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (!fd) return ErrnoError("read " + what + " " + path);
  struct stat st;
  if (fstat(fd.get(), &st) != 0) return ErrnoError("read " + what + " " + path);
  if (!S_ISREG(st.st_mode)) return PlainError(path + ": " + what + " is not a regular file; remove it");
  return ReadSmallFd(fd.get(), what + " " + path, limit);
}

Status WriteFileAtomically(const std::string& path, std::string_view text, const std::string& what) {
  std::string temporary = path + ".new";
  UniqueFd fd(open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (!fd) return ErrnoError("write " + what + " " + temporary);
  UXC_RETURN_IF_ERROR(WriteAll(fd.get(), text, "write " + what + " " + temporary));
  if (rename(temporary.c_str(), path.c_str()) != 0) return ErrnoError("rename " + temporary + " to " + path);
  return OkStatus();
}

}  // namespace uxc::lifecycle
