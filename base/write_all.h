// Writing a whole buffer to an fd, through short writes and EINTR.
#pragma once

#include <string_view>

#include "base/error.h"

namespace uxc {

// Fails with the errno of the write that failed, naming `what`.
Status WriteAll(int fd, std::string_view data, const std::string& what = "write");

}  // namespace uxc
