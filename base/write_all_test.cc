#include "base/write_all.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include <gtest/gtest.h>

namespace uxc {
namespace {

TEST(WriteAllTest, WritesMoreThanAPipeTakesAtOnce) {
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
  std::string data(200000, 'x');
  std::string read_back;
  int reader = fds[0];
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(reader);
    _exit(WriteAll(fds[1], data).ok() ? 0 : 1);
  }
  close(fds[1]);
  char buffer[65536];
  for (ssize_t n; (n = read(reader, buffer, sizeof buffer)) > 0;) read_back.append(buffer, n);
  close(reader);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(read_back, data);
}

TEST(WriteAllTest, NamesWhatFailedWithErrno) {
  Status status = WriteAll(-1, "data", "write the console log");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().errno_value, EBADF);
  EXPECT_NE(status.error().message.find("write the console log"), std::string::npos);
}

}  // namespace
}  // namespace uxc
