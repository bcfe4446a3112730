// Where uxc finds the programs it runs. A package installs uxc in PREFIX/bin
// and the programs only uxc runs in PREFIX/libexec/uxc; tools/install puts
// them all beside uxc. Each is looked for beside the running uxc, then in the
// libexec directory of its prefix; the setuid helpers, whose command line is
// public (shadow's), also on PATH, and at the path set in uxc.conf
// (config/tool_settings.h).
#pragma once

#include <optional>
#include <string>

#include "base/error.h"

namespace uxc::launcher {

// PREFIX/libexec/uxc for a uxc binary at PREFIX/bin/uxc ("/usr/libexec/uxc"
// for "/usr/bin/uxc").
std::string LibexecDirFor(const std::string& uxc_binary);

// `name` beside `uxc_binary`, else in LibexecDirFor(uxc_binary); "" when
// neither directory has it as an executable file.
std::string FindInUxcPrefix(const std::string& uxc_binary, const std::string& name);

// A program of uxc's own that only uxc runs (uxc-monitor): FindInUxcPrefix
// for the running uxc (`uxc_binary` names another, for tests). Never from
// PATH: uxc and the program speak an internal protocol, so one of another
// installation must not be picked up. `role` says what the program is for,
// in the error when it is missing.
Result<std::string> FindInternalProgram(const std::string& name, const std::string& role,
                                        const std::string& uxc_binary = "");

// `name` is the helper's file name ("uxc-newuidmap"), `configured` the path
// from uxc.conf (may be empty), `setting` its key for error messages
// ("uxc.newuidmap"). The helper found must be executable and privileged
// (setuid root, or file capabilities).
Result<std::string> FindHelper(const std::string& name, const std::string& configured,
                               const std::string& setting);

// A helper uxc can do without (uxc-newidmap, which stands in for the pair):
// its path when it is beside uxc, in its libexec directory or on PATH and
// privileged, else nothing.
std::optional<std::string> FindOptionalHelper(const std::string& name);

// Where a start looks for helper `name` when uxc.conf names none: beside
// uxc, in its prefix's libexec/uxc, then PATH; empty when nowhere.
// checkconfig reports what this finds, privileged or not.
std::string SearchHelper(const std::string& name);

}  // namespace uxc::launcher
