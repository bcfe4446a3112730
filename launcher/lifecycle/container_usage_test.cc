#include "launcher/lifecycle/container_usage.h"

#include <unistd.h>

#include "gtest/gtest.h"

namespace uxc::lifecycle {
namespace {

TEST(ContainerUsageTest, FibTrieGivesLocalAddressesWithoutLoopback) {
  const char* fib_trie =
      "Main:\n  +-- 0.0.0.0/0 3 0 5\n     |-- 10.0.3.15\n        /32 host LOCAL\n"
      "     |-- 10.0.3.0\n        /24 link UNICAST\n"
      "Local:\n     |-- 127.0.0.1\n        /32 host LOCAL\n     |-- 10.0.3.15\n        /32 host LOCAL\n";
  EXPECT_EQ(ParseFibTrieLocal(fib_trie), (std::vector<std::string>{"10.0.3.15"}));
}

TEST(ContainerUsageTest, IfInet6KeepsGlobalScope) {
  const char* if_inet6 =
      "00000000000000000000000000000001 01 80 10 80       lo\n"
      "fe800000000000000216acfffe00000c 02 40 20 80     eth0\n"
      "20010db8000000000000000000000005 02 40 00 80     eth0\n"
      "fd000000000000000000000000000002 02 40 00 80     eth0\n"
      "2001zzb8000000000000000000000005 02 40 00 80     eth0\n";
  EXPECT_EQ(ParseIfInet6(if_inet6), (std::vector<std::string>{"2001:db8::5", "fd00::2"}));
}

TEST(ContainerUsageTest, NetDevGivesBytesPerInterface) {
  const char* net_dev =
      "Inter-|   Receive                                                |  Transmit\n"
      " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets\n"
      "    lo:     100       1    0    0    0     0          0         0      100       1    0    0\n"
      "  eth0:    2048      10    0    0    0     0          0         0     4096      20    0    0\n";
  auto interfaces = ParseNetDev(net_dev);
  ASSERT_EQ(interfaces.size(), 1u);
  EXPECT_EQ(interfaces[0].name, "eth0");
  EXPECT_EQ(interfaces[0].rx_bytes, 2048u);
  EXPECT_EQ(interfaces[0].tx_bytes, 4096u);
}

TEST(ContainerUsageTest, UsageOfOurOwnPidNamespaceCountsUs) {
  ContainerUsage usage = ReadUsage(getpid());
  EXPECT_GE(usage.processes, 1);
  EXPECT_GT(usage.rss_bytes, 0u);
}

}  // namespace
}  // namespace uxc::lifecycle
