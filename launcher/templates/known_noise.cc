#include "launcher/templates/known_noise.h"

namespace uxc::templates {
namespace {

// "mount: /var/tmp/mmdebstrap.XXXX/sys: permission denied."
bool IsRefusedVirtualMount(std::string_view line) {
  constexpr std::string_view kPrefix = "mount: ";
  constexpr std::string_view kRefused = ": permission denied.";
  if (!line.starts_with(kPrefix) || !line.ends_with(kRefused)) return false;
  std::string_view target = line.substr(kPrefix.size(), line.size() - kPrefix.size() - kRefused.size());
  if (!target.starts_with("/") || target.find(' ') != std::string_view::npos) return false;
  return target.ends_with("/sys") || target.ends_with("/proc");
}

bool IsDmesgHint(std::string_view line) {
  size_t text = line.find_first_not_of(' ');
  return text != std::string_view::npos &&
         line.substr(text) == "dmesg(1) may have more information after failed mount system call.";
}

}  // namespace

std::string NoiseFilter::Feed(std::string_view chunk) {
  std::string shown;
  partial_.append(chunk);
  size_t start = 0;
  for (size_t newline = partial_.find('\n'); newline != std::string::npos;
       newline = partial_.find('\n', start)) {
    shown += Pass(std::string_view(partial_).substr(start, newline - start));
    start = newline + 1;
  }
  partial_.erase(0, start);
  return shown;
}

std::string NoiseFilter::Finish() {
  std::string last = partial_;
  partial_.clear();
  return last;
}

std::string NoiseFilter::Pass(std::string_view line) {
  after_noise_ = rule_(line, after_noise_);
  std::string text = std::string(line) + "\n";
  if (!after_noise_) return text;
  hidden_ += text;
  return "";
}

bool IsMmdebstrapMountNoise(std::string_view line, bool after_noise) {
  if (after_noise && IsDmesgHint(line)) return true;
  return IsRefusedVirtualMount(line) ||
         line == "W: since mounting /proc normally failed, /proc is now bind-mounted instead";
}

}  // namespace uxc::templates
