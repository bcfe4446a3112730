#include "launcher/engine/child_report.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <string>

#include "launcher/engine/sync.h"

namespace uxc::launcher {
namespace {

TEST(ChildReportTest, JoinsPartsAndKeepsErrnoAndHint) {
  ChildReport report;
  EXPECT_EQ(Fail(&report, ENOENT, "mount proc on", "/proc", "create it"), -1);
  Error error = ReportToError(report);
  EXPECT_EQ(error.ToString(), "mount proc on /proc: No such file or directory\ncreate it");
}

TEST(ChildReportTest, WithoutHintKeepsErrnoInTheError) {
  ChildReport report;
  Fail(&report, EPERM, "pivot_root into the rootfs");
  Error error = ReportToError(report);
  EXPECT_EQ(error.errno_value, EPERM);
  EXPECT_EQ(error.ToString(), "pivot_root into the rootfs: Operation not permitted");
}

TEST(ChildReportTest, TruncatesInsteadOfOverflowing) {
  ChildReport report;
  std::string long_path(2000, 'x');
  Fail(&report, 0, "step", long_path.c_str(), nullptr);
  EXPECT_EQ(strlen(report.text), ChildReport::kTextSize - 1);
  EXPECT_EQ(std::string(report.text, 5), "step ");
}

TEST(ChildReportTest, AppendsNumbers) {
  char buffer[32] = "tty";
  AppendDecimal(buffer, sizeof buffer, 12);
  AppendDecimal(buffer, sizeof buffer, -3);
  AppendDecimal(buffer, sizeof buffer, 0);
  EXPECT_STREQ(buffer, "tty12-30");
}

// The report travels over the real sync socket from a real child process,
// with a file descriptor attached to the ready message.
TEST(SyncTest, CarriesReportsAndFdsBetweenProcesses) {
  auto pair = MakeSyncPair();
  ASSERT_TRUE(pair.ok()) << pair.error().ToString();
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    pair->parent.Reset();
    if (WaitFor(pair->child.get(), SyncTag::kGo) != 0) _exit(1);
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0 || write(pipe_fds[1], "hi", 2) != 2) _exit(2);
    if (SendTag(pair->child.get(), SyncTag::kReady, &pipe_fds[0], 1) != 0) _exit(3);
    ChildReport report;
    Fail(&report, EACCES, "open", "/x", nullptr);
    if (SendReport(pair->child.get(), report) != 0) _exit(4);
    _exit(0);
  }
  pair->child.Reset();
  ASSERT_TRUE(Send(pair->parent.get(), SyncTag::kGo).ok());

  auto ready = Receive(pair->parent.get());
  ASSERT_TRUE(ready.ok()) << ready.error().ToString();
  EXPECT_EQ(ready->message.tag, SyncTag::kReady);
  ASSERT_EQ(ready->fds.size(), 1u);
  char buffer[2];
  EXPECT_EQ(read(ready->fds[0].get(), buffer, 2), 2);
  EXPECT_EQ(std::string(buffer, 2), "hi");

  auto error = Receive(pair->parent.get());
  ASSERT_TRUE(error.ok());
  EXPECT_EQ(error->message.tag, SyncTag::kError);
  EXPECT_EQ(ReportToError(error->message.report).ToString(), "open /x: Permission denied");

  auto end = Receive(pair->parent.get());
  ASSERT_TRUE(end.ok());
  EXPECT_TRUE(end->end_of_stream);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(SyncTest, CarriesASeccompProgram) {
  auto pair = MakeSyncPair();
  ASSERT_TRUE(pair.ok());
  std::vector<sock_filter> program(BPF_MAXINSNS);
  for (size_t i = 0; i < program.size(); ++i) {
    program[i] = {static_cast<uint16_t>(i), 1, 2, static_cast<uint32_t>(i * 7)};
  }
  ASSERT_TRUE(SendSeccompFilter(pair->parent.get(), program).ok());
  ASSERT_TRUE(SendSeccompFilter(pair->parent.get(), {}).ok());
  ASSERT_TRUE(SendSeccompFilter(pair->parent.get(), program).ok());
  ASSERT_TRUE(Send(pair->parent.get(), SyncTag::kGo).ok());

  std::vector<sock_filter> received(BPF_MAXINSNS);
  size_t length = 0;
  ASSERT_EQ(ReceiveSeccompFilter(pair->child.get(), received.data(), received.size(), &length), 0);
  ASSERT_EQ(length, program.size());
  EXPECT_EQ(memcmp(received.data(), program.data(), length * sizeof(sock_filter)), 0);
  ASSERT_EQ(ReceiveSeccompFilter(pair->child.get(), received.data(), received.size(), &length), 0);
  EXPECT_EQ(length, 0u);
  // Too little room is a protocol error, not a silently cut filter.
  EXPECT_EQ(ReceiveSeccompFilter(pair->child.get(), received.data(), 10, &length), -1);
  EXPECT_EQ(errno, EPROTO);
  EXPECT_EQ(ReceiveSeccompFilter(pair->child.get(), received.data(), received.size(), &length), -1);
  EXPECT_EQ(errno, EPROTO);
  pair->parent.Reset();
  EXPECT_EQ(ReceiveSeccompFilter(pair->child.get(), received.data(), received.size(), &length), -1);
  EXPECT_EQ(errno, EPIPE);
}

TEST(SyncTest, WaitForFailsWhenTheOtherSideCloses) {
  auto pair = MakeSyncPair();
  ASSERT_TRUE(pair.ok());
  pair->parent.Reset();
  EXPECT_EQ(WaitFor(pair->child.get(), SyncTag::kGo), -1);
  EXPECT_EQ(errno, EPIPE);
}

}  // namespace
}  // namespace uxc::launcher
