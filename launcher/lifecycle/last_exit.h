// The record of a container's last exit, kept in the container's directory
// after the runtime files are gone: how its init ended (its exit status or
// the signal that killed it), when and after how long, and what the console
// printed last. The monitor writes it when the init exits (`uxc
// __monitor-end`, and `uxc start -F` for a foreground run); `uxc start`
// reports it when the init dies during the start, `uxc info` shows it and
// `uxc console --tail` prints the console's last lines.
//   DIR/NAME/last-exit:
//     uxc-last-exit 1
//     ended=1700000000
//     ran_ms=1520
//     exit_code=3          (or signal=9)
//     target=stop          (or reboot: the container started again)
//   DIR/NAME/last-console: the console's last bytes, at most 64 KiB.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace uxc::lifecycle {

struct LastExit {
  int64_t ended = 0;    // seconds since the epoch
  int64_t ran_ms = -1;  // -1: unknown
  int exit_code = -1;   // -1 when a signal killed the init
  int signal = 0;       // the signal that killed it, or 0
  bool reboot = false;  // it rebooted, and the container started again

  bool operator==(const LastExit&) const = default;
};

// What the console tail keeps: its last bytes.
inline constexpr size_t kMostConsoleTail = 64 * 1024;

std::string SerializeLastExit(const LastExit& exit);

// Errors name `origin`, the line and what is wrong.
Result<LastExit> ParseLastExit(std::string_view text, const std::string& origin);

// Writes the record and the console's tail (its last kMostConsoleTail
// bytes) into the container's directory.
Status RecordLastExit(const std::string& container_dir, const LastExit& exit, std::string_view console);

// The record; nullopt when the container has not run since it was made.
Result<std::optional<LastExit>> ReadLastExit(const std::string& container_dir);

// The console's tail of the last run ("" when there is none).
Result<std::string> ReadLastConsole(const std::string& container_dir);

// "exited with status 3 after 0.05 s", "was killed by SIGKILL after 2 min 5 s".
std::string DescribeExit(const LastExit& exit);

// The last `count` lines of console output, for a message: no control
// characters (a container's output must not drive the user's terminal),
// carriage returns and blank lines dropped.
std::vector<std::string> LastLines(std::string_view console, size_t count);

}  // namespace uxc::lifecycle
