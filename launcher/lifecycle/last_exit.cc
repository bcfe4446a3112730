#include "launcher/lifecycle/last_exit.h"

#include <signal.h>
#include <string.h>
#include <sys/stat.h>


#include "launcher/lifecycle/key_value_file.h"

namespace uxc::lifecycle {
namespace {

constexpr std::string_view kVersionLine = "uxc-last-exit 1";
constexpr size_t kMostRecordBytes = 4096;
constexpr char kFix[] = "remove the file; the next stop writes it again";

std::string RecordPath(const std::string& container_dir) { return container_dir + "/last-exit"; }
std::string ConsolePath(const std::string& container_dir) { return container_dir + "/last-console"; }

Status ApplyLine(std::string_view key, std::string_view value, LastExit& exit) {
  bool ok = true;
  if (key == "ended") {
    ok = ParseNumber(value, &exit.ended) && exit.ended >= 0;
  } else if (key == "ran_ms") {
    ok = ParseNumber(value, &exit.ran_ms) && exit.ran_ms >= 0;
  } else if (key == "exit_code") {
    ok = ParseNumber(value, &exit.exit_code) && exit.exit_code >= 0 && exit.exit_code <= 255;
  } else if (key == "signal") {
    ok = ParseNumber(value, &exit.signal) && exit.signal >= 1 && exit.signal <= SIGRTMAX;
  } else if (key == "target") {
    ok = value == "stop" || value == "reboot";
    exit.reboot = value == "reboot";
  } else {
    return PlainError("unknown key \"" + std::string(key) + "\"");
  }
  if (!ok) return PlainError("bad value for " + std::string(key));
  return OkStatus();
}

std::string Duration(int64_t ms) {
  if (ms < 60 * 1000) {
    std::string text = std::to_string(ms / 1000) + "." + std::to_string(ms % 1000 / 10 + 100).substr(1);
    return text + " s";
  }
  int64_t seconds = ms / 1000;
  if (seconds < 3600) return std::to_string(seconds / 60) + " min " + std::to_string(seconds % 60) + " s";
  return std::to_string(seconds / 3600) + " h " + std::to_string(seconds % 3600 / 60) + " min";
}

}  // namespace

std::string SerializeLastExit(const LastExit& exit) {
  std::string text(kVersionLine);
  text += "\nended=" + std::to_string(exit.ended) + "\n";
  if (exit.ran_ms >= 0) text += "ran_ms=" + std::to_string(exit.ran_ms) + "\n";
  if (exit.signal > 0) {
    text += "signal=" + std::to_string(exit.signal) + "\n";
  } else {
    text += "exit_code=" + std::to_string(exit.exit_code) + "\n";
  }
  text += std::string("target=") + (exit.reboot ? "reboot" : "stop") + "\n";
  return text;
}

Result<LastExit> ParseLastExit(std::string_view text, const std::string& origin) {
  LastExit exit;
  auto apply = [&](std::string_view key, std::string_view value) { return ApplyLine(key, value, exit); };
  UXC_ASSIGN_OR_RETURN(auto lines, ParseKeyValueLines(text, origin, kVersionLine, apply, kFix));
  if ((exit.exit_code >= 0) == (exit.signal > 0)) {
    return PlainError(origin + ":" + std::to_string(lines) + ": exactly one of exit_code and signal is needed; " +
                      kFix);
  }
  return exit;
}

Status RecordLastExit(const std::string& container_dir, const LastExit& exit, std::string_view console) {
  if (console.size() > kMostConsoleTail) console.remove_prefix(console.size() - kMostConsoleTail);
  UXC_RETURN_IF_ERROR(WriteFileAtomically(ConsolePath(container_dir), console, "the console's tail"));
  return WriteFileAtomically(RecordPath(container_dir), SerializeLastExit(exit), "the record of the last exit");
}

Result<std::optional<LastExit>> ReadLastExit(const std::string& container_dir) {
  std::string path = RecordPath(container_dir);
  auto text = ReadSmallFile(path, kMostRecordBytes, "the record of the last exit");
  if (!text.ok() && text.error().errno_value == ENOENT) return std::optional<LastExit>();
  if (!text.ok()) return text.take_error();
  UXC_ASSIGN_OR_RETURN(auto exit, ParseLastExit(*text, path));
  return std::optional<LastExit>(exit);
}

Result<std::string> ReadLastConsole(const std::string& container_dir) {
  auto text = ReadSmallFile(ConsolePath(container_dir), kMostConsoleTail, "the console's tail");
  if (!text.ok() && text.error().errno_value == ENOENT) return std::string();
  return text;
}

std::string DescribeExit(const LastExit& exit) {
  std::string text;
  if (exit.signal > 0) {
    const char* name = sigabbrev_np(exit.signal);
    text = "was killed by " + (name != nullptr ? "SIG" + std::string(name) : "signal " + std::to_string(exit.signal));
  } else {
    text = "exited with status " + std::to_string(exit.exit_code);
  }
  if (exit.reboot) text += " (a reboot)";
  if (exit.ran_ms >= 0) text += " after " + Duration(exit.ran_ms);
  return text;
}

std::vector<std::string> LastLines(std::string_view console, size_t count) {
  std::vector<std::string> lines;
  std::string line;
  auto finish = [&] {
    if (line.find_first_not_of(' ') != std::string::npos) lines.push_back(line);
    line.clear();
  };
  for (char c : console) {
    if (c == '\n') {
      finish();
    } else if (c == '\t') {
      line += ' ';
    } else if (static_cast<unsigned char>(c) >= 0x20 && c != 0x7f) {
      line += c;
    } else if (c != '\r') {
      line += '?';
    }
  }
  finish();
  if (lines.size() > count) lines.erase(lines.begin(), lines.end() - static_cast<std::ptrdiff_t>(count));
  return lines;
}

}  // namespace uxc::lifecycle
