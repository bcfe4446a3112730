#include "launcher/lifecycle/monitor_args.h"

#include <signal.h>

#include <algorithm>

#include "gtest/gtest.h"

namespace uxc::lifecycle {
namespace {

MonitorArgs Example() {
  MonitorArgs args;
  args.name = "c1";
  args.runtime_dir = "/run/user/1000/uxc/c1";
  args.init_pid = 4321;
  args.init_pidfd = 5;
  args.console = 6;
  args.console_peer = 7;
  args.ttys = {8, 9};
  args.listener = 10;
  args.lock = 3;
  args.console_log = 11;
  args.console_log_dir = 15;
  args.console_log_path = "/home/u/c1 console.log";
  args.console_log_size = 4096;
  args.console_log_rotate = true;
  args.report = 12;
  args.namespaces = {13, 14};
  args.ring_size = 65536;
  args.started_ms = 1700000000123;
  args.halt_signal = SIGPWR;
  args.reboot_signal = SIGINT;
  args.stop_signal = SIGKILL;
  args.end_command = {"/usr/bin/uxc", "__monitor-end", "-P", "/home/u/c", "c1", "-s", "lxc.a = b c"};
  return args;
}

Result<MonitorArgs> Parse(const std::vector<std::string>& args) {
  return ParseMonitorArgs(std::vector<std::string_view>(args.begin(), args.end()));
}

TEST(MonitorArgsTest, RoundTrips) {
  MonitorArgs args = Example();
  auto parsed = Parse(FormatMonitorArgs(args));
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  EXPECT_EQ(FormatMonitorArgs(*parsed), FormatMonitorArgs(args));
  EXPECT_EQ(parsed->ttys, (std::vector<int>{8, 9}));
  EXPECT_EQ(parsed->namespaces, (std::vector<int>{13, 14}));
  EXPECT_EQ(parsed->end_command, args.end_command);
  EXPECT_EQ(parsed->init_pid, 4321);
  EXPECT_EQ(parsed->console_log_path, "/home/u/c1 console.log");
  EXPECT_EQ(parsed->console_log_dir, 15);
  EXPECT_EQ(parsed->console_log_size, 4096u);
  EXPECT_TRUE(parsed->console_log_rotate);
}

TEST(MonitorArgsTest, TheConsoleLogNeedsItsPath) {
  MonitorArgs args = Example();
  std::vector<std::string> formatted = FormatMonitorArgs(args);
  auto path = std::find(formatted.begin(), formatted.end(), "--console-log-path");
  ASSERT_NE(path, formatted.end());
  formatted.erase(path, path + 2);
  auto parsed = Parse(formatted);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().message, "--console-log, --console-log-dir and --console-log-path go together");
  auto bad_rotate = Parse({"--console-log-rotate", "yes"});
  ASSERT_FALSE(bad_rotate.ok());
  EXPECT_EQ(bad_rotate.error().message, "--console-log-rotate takes 0 or 1, not \"yes\"");
  auto bad_size = Parse({"--console-log-size", "-1"});
  ASSERT_FALSE(bad_size.ok());
  EXPECT_EQ(bad_size.error().message, "--console-log-size takes a size in bytes, not \"-1\"");
}

TEST(MonitorArgsTest, OptionalFdsMayBeLeftOut) {
  MonitorArgs args = Example();
  args.console = args.console_peer = args.console_log = args.console_log_dir = args.report = -1;
  args.ttys.clear();
  args.namespaces.clear();
  auto parsed = Parse(FormatMonitorArgs(args));
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  EXPECT_EQ(parsed->console, -1);
  EXPECT_EQ(parsed->report, -1);
  EXPECT_EQ(parsed->Fds().size(), 3u);
}

TEST(MonitorArgsTest, AFdGivenTwiceIsRefused) {
  MonitorArgs args = Example();
  args.ttys = {8, 5};
  auto parsed = Parse(FormatMonitorArgs(args));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().message, "file descriptor 5 is given twice");
}

TEST(MonitorArgsTest, BadValuesAreNamed) {
  auto bad_fd = Parse({"--lock", "x"});
  ASSERT_FALSE(bad_fd.ok());
  EXPECT_EQ(bad_fd.error().message, "--lock takes a file descriptor number, not \"x\"");
  auto bad_signal = Parse({"--halt-signal", "99"});
  ASSERT_FALSE(bad_signal.ok());
  EXPECT_EQ(bad_signal.error().message, "--halt-signal takes a signal number, not \"99\"");
  auto unknown = Parse({"--colour", "red"});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message, "unknown option \"--colour\"");
  auto dangling = Parse({"--name"});
  ASSERT_FALSE(dangling.ok());
  EXPECT_EQ(dangling.error().message, "option \"--name\" has no value");
}

TEST(MonitorArgsTest, MissingPiecesAreRefused) {
  MonitorArgs args = Example();
  args.end_command = {"uxc", "__monitor-end"};
  EXPECT_FALSE(Parse(FormatMonitorArgs(args)).ok());
  args = Example();
  args.console_peer = -1;
  EXPECT_FALSE(Parse(FormatMonitorArgs(args)).ok());
  EXPECT_FALSE(Parse({"--name", "c1", "--", "/usr/bin/uxc"}).ok());
}

TEST(MonitorArgsTest, TheEndCommandCarriesTheTargetAndTheFds) {
  MonitorArgs args = Example();
  std::vector<std::string> expected = args.end_command;
  for (const char* arg : {"--target", "reboot", "--lock-fd", "3", "--exit-signal", "1", "--ran-ms", "1500",
                          "--listener-fd", "9", "--hold-fd", "10", "--hold-fd", "20", "--console-tail-fd", "21",
                          "--namespace-fd", "13", "--namespace-fd", "14"}) {
    expected.push_back(arg);
  }
  InitEnd rebooted;
  rebooted.reboot = true;
  rebooted.exit_signal = 1;
  rebooted.ran_ms = 1500;
  rebooted.listener = 9;
  rebooted.held = {10, 20};
  rebooted.console_tail = 21;
  EXPECT_EQ(FormatEndCommand(args, rebooted), expected);
  InitEnd exited;
  exited.exit_code = 3;
  std::vector<std::string> stop = FormatEndCommand(args, exited);
  EXPECT_EQ(stop[args.end_command.size() + 1], "stop");
  EXPECT_EQ(stop[args.end_command.size() + 4], "--exit-code");
  EXPECT_EQ(stop[args.end_command.size() + 5], "3");
}

}  // namespace
}  // namespace uxc::lifecycle
