// The one rule for a container's name, checked by every command that takes
// one and by everything that turns a name into a path (the container's
// directory, its runtime dir, its lock): a name is a single, ordinary path
// component, so it can never reach outside the directory it names a child
// of, never read as an option, and never hide in a listing.
//
// A name is 1 to 64 bytes of ASCII letters, digits, '.', '_' and '-', and
// does not start with '.' or '-'. That keeps LXC's own limits (no '/', not
// "." or "..", no leading '-', no NUL or control characters, a length limit;
// lxc-create(1)) and adds what uxc's uses need: a name is also the default
// hostname (64 bytes, HOST_NAME_MAX), appears in a sed program and in shell
// hook arguments, and is printed in `uxc ls`.
#pragma once

#include <cstddef>
#include <string_view>

#include "base/error.h"

namespace uxc::config {

inline constexpr size_t kMaxContainerNameLength = 64;

// OK when `name` is a container name; else an error that quotes the name
// (control characters escaped) and says what a name may hold.
Status ValidateContainerName(std::string_view name);

}  // namespace uxc::config
