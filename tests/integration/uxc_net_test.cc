// uxc-net (packaging/uxc-net, docs/uxc-net.md), the installed script, run
// as root inside a network namespace the test makes (`ip netns exec`): the
// bridge, dnsmasq and the nftables table all live there, and a DHCP client
// (busybox udhcpc) sits in a second namespace on a veth to the bridge.
// Nothing reaches the host's own network: each case checks that too.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>
#include <vector>

#include "tests/lib/host.h"

namespace uxc::testing {
namespace {

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Run() as root; the name is free of gtest's Test::Run.
CommandResult Host(const std::vector<std::string>& argv) { return uxc::testing::Run(argv); }

std::string Describe(const CommandResult& result) {
  return "exit " + std::to_string(result.exit_code) + "\nstdout:\n" + result.out + "stderr:\n" + result.err;
}

class UxcNetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(geteuid(), 0u) << "run as root (tests/run does)";
    for (const char* tool : {"dnsmasq", "nft", "busybox"}) {
      ASSERT_EQ(Host({"sh", "-c", std::string("command -v ") + tool}).exit_code, 0)
          << tool << " is missing: apt-get install dnsmasq-base nftables busybox-static (tools/packages)";
    }
    std::string id = std::to_string(getpid());
    netns_ = "uxc-t-net-" + id;
    client_ = "uxc-t-netc-" + id;
    host_end_ = "uxct" + id.substr(0, 10);
    const char* tmp = getenv("TEST_TMPDIR");
    work_ = std::string(tmp ? tmp : "/var/tmp") + "/uxc-net." + id + "." +
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    config_ = work_ + "/uxc-net.default";
    run_dir_ = work_ + "/run";
    ASSERT_EQ(Host({"mkdir", "-p", work_}).exit_code, 0);
    ASSERT_EQ(Host({"ip", "netns", "add", netns_}).exit_code, 0);
    host_forward_ = TrimmedEnd(ReadFileOrEmpty("/proc/sys/net/ipv4/ip_forward"));
  }

  void TearDown() override {
    for (const std::string& netns : {netns_, client_}) {
      std::istringstream pids(Host({"ip", "netns", "pids", netns}).out);
      for (pid_t pid; pids >> pid;) kill(pid, SIGKILL);
      Host({"ip", "netns", "del", netns});
    }
    Host({"rm", "-rf", work_});
    // Nothing of it reached the host's own network namespace.
    EXPECT_NE(Host({"ip", "link", "show", "uxcbr0"}).exit_code, 0) << "a uxcbr0 on the host";
    EXPECT_NE(Host({"nft", "list", "table", "inet", "uxc-net"}).exit_code, 0) << "a uxc-net table on the host";
    EXPECT_EQ(TrimmedEnd(ReadFileOrEmpty("/proc/sys/net/ipv4/ip_forward")), host_forward_);
  }

  // The installed uxc-net, in the test's namespace, with the test's
  // settings file and run directory.
  CommandResult UxcNet(const std::string& command) {
    return Host({"ip", "netns", "exec", netns_, InstalledBinary("uxc-net"), "--config", config_, "--run-dir",
                 run_dir_, command});
  }

  // A shell command in the test's namespace (ip netns exec mounts its own /sys).
  CommandResult InNetns(const std::string& script) { return Host({"ip", "netns", "exec", netns_, "sh", "-c", script}); }

  void WriteConfig(const std::string& text) { std::ofstream(config_) << text; }

  // The processes in the test's namespace, as `ip netns pids` lists them.
  std::string NetnsPids() { return Host({"ip", "netns", "pids", netns_}).out; }

  std::string DnsmasqPid() { return TrimmedEnd(ReadFileOrEmpty(run_dir_ + "/dnsmasq.pid")); }

  // Whether process `pid` runs (not a zombie) inside the test's namespace.
  bool RunsInNetns(const std::string& pid) {
    struct stat ns, process;
    if (pid.empty() || stat(("/run/netns/" + netns_).c_str(), &ns) != 0 ||
        stat(("/proc/" + pid + "/ns/net").c_str(), &process) != 0) {
      return false;
    }
    return ns.st_ino == process.st_ino && !Has(ReadFileOrEmpty("/proc/" + pid + "/status"), "State:\tZ");
  }

  // A second namespace with eth0, its veth peer on `bridge`; busybox udhcpc
  // asks for a lease there (5 tries, 1 s apart) and prints "bound IP ROUTER".
  CommandResult Dhcp(const std::string& bridge) {
    std::string script = work_ + "/udhcpc.sh";
    std::ofstream(script) << "#!/bin/sh\n[ \"$1\" = bound ] && echo \"bound $ip $router\"\nexit 0\n";
    chmod(script.c_str(), 0755);
    CommandResult wired = Host(
        {"sh", "-c",
         "set -e; ip netns add " + client_ + "; ip link add " + host_end_ + " type veth peer name eth0 netns " +
             client_ + "; ip link set " + host_end_ + " netns " + netns_ + "; ip netns exec " + netns_ +
             " ip link set " + host_end_ + " master " + bridge + " up; ip netns exec " + client_ +
             " ip link set eth0 up"});
    if (wired.exit_code != 0) return wired;
    return Host({"ip", "netns", "exec", client_, "timeout", "60", "busybox", "udhcpc", "-i", "eth0", "-f", "-q", "-n",
                 "-t", "5", "-T", "1", "-s", script});
  }

  std::string netns_, client_, host_end_, work_, config_, run_dir_, host_forward_;
};

// The last octet of `address` when it lies in PREFIX.0/24 (e.g. "10.0.4."), else -1.
int HostPart(const std::string& address, const std::string& prefix) {
  if (!address.starts_with(prefix) || address.size() == prefix.size()) return -1;
  std::string last = address.substr(prefix.size());
  return last.find_first_not_of("0123456789") == std::string::npos && last.size() <= 3 ? std::stoi(last) : -1;
}

TEST_F(UxcNetTest, StartBringsUpTheBridgeNatAndDnsmasqAndAClientGetsALeaseInRange) {
  CommandResult start = UxcNet("start");
  ASSERT_EQ(start.exit_code, 0) << Describe(start);
  CommandResult state = InNetns(
      "echo bridge: $(test -d /sys/class/net/uxcbr0/bridge && echo yes); ip -4 -o addr show dev uxcbr0; "
      "echo up: $(cat /sys/class/net/uxcbr0/operstate); nft list table inet uxc-net; "
      "echo forward: $(cat /proc/sys/net/ipv4/ip_forward)");
  EXPECT_TRUE(Has(state.out, "bridge: yes\n")) << Describe(state);
  EXPECT_TRUE(Has(state.out, "inet 10.0.4.1/24 brd 10.0.4.255 scope global uxcbr0")) << Describe(state);
  EXPECT_TRUE(Has(state.out, "ip saddr 10.0.4.0/24 ip daddr != 10.0.4.0/24 masquerade")) << Describe(state);
  EXPECT_TRUE(Has(state.out, "iifname \"uxcbr0\" udp dport { 53, 67 } accept")) << Describe(state);
  EXPECT_TRUE(Has(state.out, "forward: 1\n")) << Describe(state);
  EXPECT_TRUE(RunsInNetns(DnsmasqPid())) << "dnsmasq pid " << DnsmasqPid() << "\n" << Describe(start);
  EXPECT_EQ(TrimmedEnd(ReadFileOrEmpty("/proc/" + DnsmasqPid() + "/comm")), "dnsmasq");

  CommandResult lease = Dhcp("uxcbr0");
  ASSERT_EQ(lease.exit_code, 0) << Describe(lease);
  std::istringstream bound(lease.out.substr(lease.out.find("bound ")));
  std::string word, address, router;
  bound >> word >> address >> router;
  int host = HostPart(address, "10.0.4.");
  EXPECT_TRUE(host >= 2 && host <= 254) << address << "\n" << Describe(lease);
  EXPECT_EQ(router, "10.0.4.1") << Describe(lease);
  EXPECT_TRUE(Has(ReadFileOrEmpty(run_dir_ + "/dnsmasq.uxcbr0.leases"), " " + address + " ")) << "dnsmasq's lease file";

  CommandResult status = UxcNet("status");
  EXPECT_EQ(status.exit_code, 0) << Describe(status);
  EXPECT_TRUE(Has(status.out, "up: bridge uxcbr0 10.0.4.1/24, dnsmasq pid " + DnsmasqPid())) << Describe(status);
}

TEST_F(UxcNetTest, StopRemovesTheBridgeTheTableAndDnsmasqAndGivesForwardingBack) {
  ASSERT_EQ(InNetns("cat /proc/sys/net/ipv4/ip_forward").out, "0\n");
  CommandResult start = UxcNet("start");
  ASSERT_EQ(start.exit_code, 0) << Describe(start);
  std::string dnsmasq = DnsmasqPid();
  ASSERT_TRUE(RunsInNetns(dnsmasq)) << Describe(start);

  CommandResult stop = UxcNet("stop");
  EXPECT_EQ(stop.exit_code, 0) << Describe(stop);
  EXPECT_FALSE(RunsInNetns(dnsmasq)) << "dnsmasq " << dnsmasq << " still runs";
  CommandResult left = InNetns("ip -o link show; nft list tables; echo forward: $(cat /proc/sys/net/ipv4/ip_forward)");
  EXPECT_FALSE(Has(left.out, "uxcbr0")) << Describe(left);
  EXPECT_FALSE(Has(left.out, "uxc-net")) << Describe(left);
  EXPECT_TRUE(Has(left.out, "forward: 0\n")) << Describe(left);
  EXPECT_EQ(NetnsPids(), "") << "no process left in the namespace";

  CommandResult again = UxcNet("stop");
  EXPECT_EQ(again.exit_code, 0) << Describe(again);
  EXPECT_TRUE(Has(again.out, "not up")) << Describe(again);
  CommandResult status = UxcNet("status");
  EXPECT_EQ(status.exit_code, 3) << Describe(status);
}

TEST_F(UxcNetTest, StartTwiceChangesNothingAndAStartAfterDnsmasqDiedBringsItBack) {
  ASSERT_EQ(UxcNet("start").exit_code, 0);
  std::string dnsmasq = DnsmasqPid();
  CommandResult again = UxcNet("start");
  EXPECT_EQ(again.exit_code, 0) << Describe(again);
  EXPECT_TRUE(Has(again.out, "uxcbr0 is up already")) << Describe(again);
  EXPECT_EQ(DnsmasqPid(), dnsmasq);
  CommandResult state = InNetns("ip -4 -o addr show dev uxcbr0 | wc -l; nft list tables | grep -c uxc-net");
  EXPECT_EQ(state.out, "1\n1\n") << "one address, one table\n" << Describe(state);
  EXPECT_EQ(NetnsPids(), dnsmasq + "\n") << "one process in the namespace: the first dnsmasq";

  kill(std::stoi(dnsmasq), SIGKILL);
  for (int tenth = 0; tenth < 100 && RunsInNetns(dnsmasq); ++tenth) usleep(100000);
  CommandResult partly = UxcNet("status");
  EXPECT_EQ(partly.exit_code, 1) << Describe(partly);
  EXPECT_TRUE(Has(partly.out, "missing: dnsmasq")) << Describe(partly);
  CommandResult repaired = UxcNet("start");
  EXPECT_EQ(repaired.exit_code, 0) << Describe(repaired);
  EXPECT_TRUE(Has(repaired.out, "partly up (missing: dnsmasq)")) << Describe(repaired);
  EXPECT_TRUE(RunsInNetns(DnsmasqPid())) << Describe(repaired);
  EXPECT_EQ(UxcNet("status").exit_code, 0);
}

TEST_F(UxcNetTest, TheSettingsFileChoosesTheBridgeTheNetworkAndTheRange) {
  WriteConfig("# a test network\nUXC_BRIDGE=\"uxct-br\"\nexport UXC_ADDR='10.77.0.1'\nUXC_NETMASK=255.255.0.0\n"
              "UXC_NETWORK=\"10.77.0.0/16\"\n\nUXC_DHCP_RANGE=\"10.77.5.10,10.77.5.20\"\nUXC_DHCP_MAX=\"11\"\n");
  CommandResult start = UxcNet("start");
  ASSERT_EQ(start.exit_code, 0) << Describe(start);
  CommandResult state = InNetns("ip -4 -o addr show dev uxct-br; nft list table inet uxc-net");
  EXPECT_TRUE(Has(state.out, "inet 10.77.0.1/16 brd 10.77.255.255 scope global uxct-br")) << Describe(state);
  EXPECT_TRUE(Has(state.out, "ip saddr 10.77.0.0/16 ip daddr != 10.77.0.0/16 masquerade")) << Describe(state);
  CommandResult lease = Dhcp("uxct-br");
  ASSERT_EQ(lease.exit_code, 0) << Describe(lease);
  std::string address = lease.out.substr(lease.out.find("bound ") + 6);
  address = address.substr(0, address.find(' '));
  int host = HostPart(address, "10.77.5.");
  EXPECT_TRUE(host >= 10 && host <= 20) << address << "\n" << Describe(lease);

  // stop follows the record of the start, not the settings as they are now.
  WriteConfig("UXC_BRIDGE=\"other0\"\n");
  EXPECT_EQ(UxcNet("stop").exit_code, 0);
  EXPECT_NE(InNetns("ip link show uxct-br").exit_code, 0) << "the recorded bridge is gone";
}

TEST_F(UxcNetTest, ABadSettingsFileIsAnErrorNamingTheFileAndTheLineAndNothingComesUp) {
  struct Case {
    std::string text;
    std::string where;  // ":LINE: SETTING"
  };
  std::vector<Case> cases = {
      {"# comment\nUXC_ADDR=\"10.0.4.300\"\n", ":2: UXC_ADDR=\"10.0.4.300\": not an IPv4 address"},
      {"UXC_BRIDGE=uxcbr0\n\nUXC_ADRR=10.0.4.1\n", ":3: unknown setting UXC_ADRR"},
      {"UXC_ADDR=$(touch /tmp/uxc-net-ran)\n", ":1: UXC_ADDR=$(touch /tmp/uxc-net-ran): give a plain value"},
      {"UXC_DHCP_RANGE=\"10.0.5.2,10.0.5.9\"\n", ":1: UXC_DHCP_RANGE=\"10.0.5.2,10.0.5.9\": not a range"},
      {"USE_UXC_BRIDGE=yes\n", ":1: USE_UXC_BRIDGE=\"yes\": give \"true\" or \"false\""},
      {"UXC_NETWORK=10.0.4.0/16\n", ":1: UXC_NETWORK=\"10.0.4.0/16\": its prefix length is not UXC_NETMASK's /24"},
      {"UXC_BRIDGE=\"a-name-far-too-long\"\n", ":1: UXC_BRIDGE=\"a-name-far-too-long\": not an interface name"},
      {"this is not a setting\n", ":1: not a setting"},
  };
  for (const Case& bad : cases) {
    WriteConfig(bad.text);
    CommandResult start = UxcNet("start");
    EXPECT_EQ(start.exit_code, 1) << bad.text << Describe(start);
    EXPECT_TRUE(Has(start.err, "uxc-net: error: " + config_ + bad.where)) << bad.text << Describe(start);
    CommandResult check = UxcNet("check");
    EXPECT_EQ(check.err, start.err) << "check reads the settings as start does";
  }
  CommandResult left = InNetns("ip -o link show; nft list tables");
  EXPECT_FALSE(Has(left.out, "uxcbr0") || Has(left.out, "uxc-net")) << Describe(left);
  EXPECT_NE(access(run_dir_.c_str(), F_OK), 0) << "no run directory made";
  EXPECT_EQ(NetnsPids(), "");
  EXPECT_NE(access("/tmp/uxc-net-ran", F_OK), 0) << "a value was run as a command";
}

TEST_F(UxcNetTest, AnInterfaceUxcNetDidNotMakeIsLeftAloneAndNamed) {
  ASSERT_EQ(InNetns("ip link add uxcbr0 type veth peer name uxct-peer").exit_code, 0);
  CommandResult start = UxcNet("start");
  EXPECT_EQ(start.exit_code, 1) << Describe(start);
  EXPECT_TRUE(Has(start.err, "a network interface uxcbr0 exists that uxc-net did not make: remove it (ip link del "
                             "uxcbr0) or name another bridge"))
      << Describe(start);
  CommandResult left = InNetns("ip -d -o link show uxcbr0; nft list tables");
  EXPECT_TRUE(Has(left.out, "veth")) << "the interface stays\n" << Describe(left);
  EXPECT_FALSE(Has(left.out, "uxc-net")) << Describe(left);
  EXPECT_EQ(NetnsPids(), "") << "no dnsmasq";
  EXPECT_EQ(UxcNet("status").exit_code, 3);
}

TEST_F(UxcNetTest, WithUseUxcBridgeFalseStartBringsNothingUp) {
  WriteConfig("USE_UXC_BRIDGE=\"false\"\n");
  CommandResult start = UxcNet("start");
  EXPECT_EQ(start.exit_code, 0) << Describe(start);
  EXPECT_TRUE(Has(start.out, "USE_UXC_BRIDGE is not \"true\"")) << Describe(start);
  EXPECT_FALSE(Has(InNetns("ip -o link show; nft list tables").out, "uxc")) << "nothing came up";
}

}  // namespace
}  // namespace uxc::testing
