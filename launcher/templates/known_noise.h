// Lines a host tool prints on stderr that are known to be harmless where uxc
// runs it, hidden from the user while the tool runs and kept for a failure
// report. Everything else passes through as it comes, a whole line at a time.
#pragma once

#include <string>
#include <string_view>

namespace uxc::templates {

class NoiseFilter {
 public:
  // Whether `line` (without its newline) is noise; `after_noise` is true when
  // the line before it was.
  using Rule = bool (*)(std::string_view line, bool after_noise);

  explicit NoiseFilter(Rule rule) : rule_(rule) {}

  // Takes a chunk of the tool's stderr; returns the whole lines to show now.
  std::string Feed(std::string_view chunk);
  // The last line when it had no newline, at the end of the output.
  std::string Finish();
  // The lines hidden so far, each with its newline.
  const std::string& hidden() const { return hidden_; }

 private:
  std::string Pass(std::string_view line);

  Rule rule_;
  std::string partial_;
  std::string hidden_;
  bool after_noise_ = false;
};

// mmdebstrap --mode=root in a user namespace first tries real sysfs and proc
// mounts, which the kernel refuses there (sysfs needs the network namespace,
// proc the pid namespace, to belong to the user namespace), then bind-mounts
// the host's: mount(8)'s "permission denied" with its dmesg(1) line for each
// refused try, and mmdebstrap's warning about the bind-mounted /proc. A
// failed fallback still ends the run with mmdebstrap's "E: mount ... failed".
bool IsMmdebstrapMountNoise(std::string_view line, bool after_noise);

}  // namespace uxc::templates
