// lxc.net.N.type = veth through uxc-user-nic (issue 13, the container side),
// end to end as a real user: every start runs inside a network namespace
// the test makes (`ip netns add`) with a bridge that has addresses, so that
// all traffic and every device in play are the test's; the namespace goes at
// the end, failed or not.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/integration/lifecycle_fixture.h"

namespace uxc::testing {
namespace {

constexpr char kNetns[] = "uxc-t-netlaunch";
constexpr char kBridge[] = "nlbr0";

bool Contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The first line of `text` that starts with `prefix` (after blanks), or "".
std::string LineStartingWith(const std::string& text, const std::string& prefix) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.substr(line.find_first_not_of(' ') == std::string::npos ? 0 : line.find_first_not_of(' '))
            .starts_with(prefix)) {
      return line;
    }
  }
  return "";
}

// The words of `line` after its first (the label).
std::vector<std::string> ValuesOf(const std::string& line) {
  std::istringstream words(line);
  std::vector<std::string> values;
  for (std::string word; words >> word;) values.push_back(word);
  if (!values.empty()) values.erase(values.begin());
  return values;
}

bool IsPositiveNumber(const std::vector<std::string>& values) {
  return values.size() == 1 && values[0].find_first_not_of("0123456789") == std::string::npos && values[0] != "0";
}

// "00:16:3e:" then three more octets of lower-case hex.
bool HasHwaddrOfPattern(const std::string& link) {
  size_t at = link.find("link/ether 00:16:3e:");
  if (at == std::string::npos) return false;
  std::string rest = link.substr(at + 20, 8);
  for (size_t i = 0; i < rest.size(); ++i) {
    bool colon = i % 3 == 2;
    if (colon ? rest[i] != ':' : !std::isxdigit(static_cast<unsigned char>(rest[i]))) return false;
  }
  return rest.size() == 8;
}

class NetworkVethTest : public LifecycleTest {
 protected:
  void SetUp() override {
    LifecycleTest::SetUp();
    if (HasFatalFailure()) return;
    uxc::testing::Run({"/usr/sbin/ip", "netns", "del", kNetns});
    ASSERT_EQ(uxc::testing::Run({"/usr/sbin/ip", "netns", "add", kNetns}).exit_code, 0);
    made_netns_ = true;
    AddBridge(kBridge, "10.77.0.1/24", "fd77::1/64");
    mkdir("/etc/uxc", 0755);
    usernet_ = std::make_unique<ScopedHostFile>("/etc/uxc/usernet", user_.name + " veth " + kBridge + " 2\n");
    mkdir("/run/uxc", 0755);
    unlink("/run/uxc/nics");
    ASSERT_EQ(chown(scratch_.c_str(), user_.uid, user_.gid), 0);
  }

  void TearDown() override {
    // The container first (its monitor runs in the namespace), then the namespace.
    if (made_netns_) Uxc("stop", {name_, "-k"}, InNetns());
    LifecycleTest::TearDown();
    if (made_netns_) uxc::testing::Run({"/usr/sbin/ip", "netns", "del", kNetns});
    unlink("/run/uxc/nics");
    unlink("/run/uxc/nics.new");
    usernet_.reset();
  }

  void AddBridge(const std::string& name, const std::string& ipv4, const std::string& ipv6) {
    ASSERT_EQ(Ip("link add " + name + " type bridge").exit_code, 0);
    ASSERT_EQ(Ip("addr add " + ipv4 + " dev " + name).exit_code, 0);
    ASSERT_EQ(Ip("addr add " + ipv6 + " dev " + name + " nodad").exit_code, 0);
    ASSERT_EQ(Ip("link set " + name + " up").exit_code, 0);
  }

  static RunOptions InNetns() {
    RunOptions options;
    options.netns = kNetns;
    return options;
  }
  CommandResult Net(const std::string& command, const std::vector<std::string>& args) {
    return Uxc(command, args, InNetns());
  }
  // `ip ARGS` as root in the test's namespace.
  CommandResult Ip(const std::string& args) {
    std::vector<std::string> argv = {"/usr/sbin/ip", "-n", kNetns};
    std::istringstream words(args);
    for (std::string word; words >> word;) argv.push_back(word);
    return uxc::testing::Run(argv);
  }
  // The host ends of the user's veths in the test's namespace.
  std::vector<std::string> HostNics() {
    std::vector<std::string> names;
    std::istringstream lines(Ip("-o link").out);
    std::string prefix = "veth" + std::to_string(user_.uid) + "_";
    for (std::string line; std::getline(lines, line);) {
      size_t start = line.find(prefix);
      if (start != std::string::npos) names.push_back(line.substr(start, line.find_first_of("@:", start) - start));
    }
    return names;
  }
  std::string NicDb() {
    std::ifstream in("/run/uxc/nics");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  // The busybox guest asks for a lease (udhcpc in rcS), and udhcpc's
  // deconfig flushes the static addresses: a guest with static ones runs
  // without it, as a config with static addresses would have it.
  void WithoutDhcp(const std::string& name) {
    std::string rcs = path_ + "/" + name + "/rootfs/etc/init.d/rcS";
    ASSERT_EQ(uxc::testing::Run({"sed", "-i", "s|^  /bin/udhcpc.*|  true|", rcs}).exit_code, 0);
  }
  void AppendConfig(const std::string& lines) {
    std::ofstream config(path_ + "/" + name_ + "/config", std::ios::app);
    config << lines;
  }
  std::string Inside(const std::string& command) {
    auto result = Net("attach", {name_, "--", "/bin/sh", "-c", command});
    EXPECT_EQ(result.exit_code, 0) << command << ": " << result.out << result.err;
    return result.out;
  }
  // The veth and its line are gone: the kernel destroys a dead namespace's
  // devices in the background, so allow it a bounded moment.
  void ExpectNoNicLeft() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!HostNics().empty() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_TRUE(HostNics().empty()) << Ip("-o link").out;
    EXPECT_FALSE(Contains(NicDb(), "veth" + std::to_string(user_.uid) + "_")) << NicDb();
  }
  void KillTheMonitor() {
    pid_t monitor = MonitorPid(name_);
    ASSERT_GT(monitor, 0);
    ASSERT_EQ(kill(monitor, SIGKILL), 0);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (kill(monitor, 0) == 0 && std::chrono::steady_clock::now() < deadline) {
      std::string state = ReadFileOrDie("/proc/" + std::to_string(monitor) + "/stat");
      if (Contains(state, ") Z ")) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  const std::string kVeth =
      "lxc.net.0.type = veth\nlxc.net.0.link = nlbr0\nlxc.net.0.flags = up\nlxc.net.0.name = eth0\n";
  bool made_netns_ = false;
  std::unique_ptr<ScopedHostFile> usernet_;
};

TEST_F(NetworkVethTest, AContainerOnTheBridgePingsItsAddress) {
  WithoutDhcp(name_);
  AppendConfig(kVeth + "lxc.net.0.ipv4.address = 10.77.0.2/24\nlxc.net.0.ipv4.gateway = auto\n");
  auto started = Net("start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  EXPECT_EQ(HostNics().size(), 1u) << Ip("-o link").out;
  EXPECT_TRUE(Contains(Ip("-o link show master nlbr0").out, HostNics().empty() ? "?" : HostNics()[0]));
  auto ping = Net("attach", {name_, "--", "/bin/ping", "-c", "1", "-W", "5", "10.77.0.1"});
  EXPECT_EQ(ping.exit_code, 0) << ping.out << ping.err;
  EXPECT_TRUE(Contains(Inside("ip -4 route"), "default via 10.77.0.1 dev eth0"));
  EXPECT_TRUE(Contains(Inside("ip -o link show lo"), "UP"));
  std::string host = HostNics().empty() ? "?" : HostNics()[0];
  EXPECT_TRUE(Contains(NicDb(), host));
  // lxc-info's listing: the address, the host end and its traffic.
  auto info = Net("info", {name_, "-H"});
  EXPECT_EQ(ValuesOf(LineStartingWith(info.out, "IP:")), std::vector<std::string>{"10.77.0.2"}) << info.out;
  EXPECT_EQ(ValuesOf(LineStartingWith(info.out, "Link:")), std::vector<std::string>{host}) << info.out;
  for (const char* counter : {"TX", "RX", "Total"}) {
    std::vector<std::string> bytes = ValuesOf(LineStartingWith(info.out, std::string(counter) + " bytes:"));
    if (!bytes.empty()) bytes.erase(bytes.begin());  // "bytes:"
    EXPECT_TRUE(IsPositiveNumber(bytes)) << counter << ": " << info.out;
  }
  auto json = Net("info", {name_, "--format", "json"});
  EXPECT_TRUE(Contains(json.out, "\"ipv4\": [\"10.77.0.2\"]")) << json.out;
  EXPECT_TRUE(Contains(json.out, "\"host_links\": [{\"name\": \"" + host + "\", \"container_nic\": \"eth0\"")) << json.out;
  auto listed = Net("ls", {"-f", "-F", "NAME,IPV4"});
  EXPECT_EQ(ValuesOf(LineStartingWith(listed.out, "bb ")), std::vector<std::string>{"10.77.0.2"})
      << listed.out << listed.err;
  auto stopped = Net("stop", {name_});
  EXPECT_EQ(stopped.exit_code, 0) << stopped.err;
  ExpectNoNicLeft();
  ExpectNothingLeft(name_);
}

TEST_F(NetworkVethTest, Ipv6AddressGatewayAutoAndTheHwaddrPattern) {
  WithoutDhcp(name_);
  AppendConfig(kVeth +
               "lxc.net.0.hwaddr = 00:16:3e:xx:xx:xx\nlxc.net.0.mtu = 1280\n"
               "lxc.net.0.ipv6.address = fd77::2/64\nlxc.net.0.ipv6.gateway = auto\n"
               "lxc.net.0.ipv4.address = 10.77.0.3/24 10.77.0.255\n");
  auto started = Net("start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  std::string link = Inside("ip -o link show eth0");
  EXPECT_TRUE(HasHwaddrOfPattern(link)) << link;
  EXPECT_TRUE(Contains(link, "mtu 1280")) << link;
  EXPECT_TRUE(Contains(Inside("ip -6 route"), "default via fd77::1 dev eth0"));
  EXPECT_TRUE(Contains(Inside("ip -o -4 addr show eth0"), "10.77.0.3/24 brd 10.77.0.255"));
  // Duplicate address detection keeps a new IPv6 address tentative for a
  // second or two (RFC 4862): ping until it answers, 20 s at most.
  CommandResult ping;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  do {
    ping = Net("attach", {name_, "--", "/bin/ping", "-6", "-c", "1", "-W", "1", "fd77::1"});
  } while (ping.exit_code != 0 && std::chrono::steady_clock::now() < deadline);
  EXPECT_EQ(ping.exit_code, 0) << ping.out << ping.err;
  EXPECT_EQ(Net("stop", {name_}).exit_code, 0);
  ExpectNoNicLeft();
}

TEST_F(NetworkVethTest, KillingTheMonitorLeavesNoVethAfterTheNextCommand) {
  AppendConfig(kVeth);
  auto started = Net("start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  ASSERT_EQ(HostNics().size(), 1u);
  KillTheMonitor();
  auto listed = Net("ls", {});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_TRUE(Contains(listed.err, "releasing what its start left")) << listed.err;
  ExpectNoNicLeft();
  // And the quota is whole again: two starts in a row fit a quota of 2.
  ASSERT_EQ(Net("start", {name_}).exit_code, 0);
  EXPECT_EQ(Net("stop", {name_}).exit_code, 0);
  ExpectNoNicLeft();
}

TEST_F(NetworkVethTest, AUserWithoutAQuotaIsToldTheExactLine) {
  usernet_->Write("");
  AppendConfig(kVeth);
  auto started = Net("start", {name_});
  EXPECT_NE(started.exit_code, 0);
  EXPECT_TRUE(Contains(started.err, "lxc.net.0")) << started.err;
  EXPECT_TRUE(Contains(started.err, "ask root to add \"" + user_.name + " veth nlbr0 1\" to /etc/uxc/usernet"))
      << started.err;
  ExpectNoNicLeft();
  ExpectNothingLeft(name_);
}

TEST_F(NetworkVethTest, WithoutALinkTheVethIsOnNoBridgeAsLxcs) {
  usernet_->Write(user_.name + " veth none 1\n");
  AppendConfig("lxc.net.0.type = veth\nlxc.net.0.flags = up\n");
  auto started = Net("start", {name_});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  ASSERT_EQ(HostNics().size(), 1u);
  EXPECT_FALSE(Contains(Ip("-o link show " + HostNics()[0]).out, "master")) << Ip("-o link").out;
  EXPECT_TRUE(Contains(Inside("ip -o link"), "eth0"));
  EXPECT_EQ(Net("stop", {name_}).exit_code, 0);
  ExpectNoNicLeft();
}

TEST_F(NetworkVethTest, ScriptsUpAndDownGetLxcsArgumentsAndEnvironment) {
  std::string log = scratch_ + "/net.log";
  std::string script = scratch_ + "/net.sh";
  {
    std::ofstream out(script);
    out << "#!/bin/sh\necho \"$* $LXC_HOOK_TYPE $LXC_HOOK_SECTION $LXC_NET_TYPE $LXC_NET_PARENT $LXC_NET_PEER\" >> "
        << log << "\n";
  }
  ASSERT_EQ(chmod(script.c_str(), 0755), 0);
  AppendConfig(kVeth + "lxc.net.0.script.up = " + script + "\nlxc.net.0.script.down = " + script + "\n");
  ASSERT_EQ(Net("start", {name_}).exit_code, 0);
  ASSERT_EQ(HostNics().size(), 1u);
  std::string host = HostNics()[0];
  EXPECT_EQ(Net("stop", {name_}).exit_code, 0);
  std::string ran = ReadFileOrDie(log);
  EXPECT_EQ(ran, name_ + " net up veth " + host + " up net veth nlbr0 " + host + "\n" + name_ + " net down veth " +
                     host + " down net veth nlbr0 " + host + "\n");
  ExpectNoNicLeft();
}

// DHCP from dnsmasq on the test's bridge: the busybox guest's udhcpc gets
// a lease through the veth.
TEST_F(NetworkVethTest, TheBusyboxGuestGetsALeaseFromDnsmasqOnTheBridge) {
  std::string leases = scratch_ + "/leases";
  CommandResult dnsmasq = uxc::testing::Run(
      {"/usr/sbin/ip", "netns", "exec", kNetns, "/usr/sbin/dnsmasq", "--port=0", "--interface=nlbr0",
       "--bind-interfaces", "--except-interface=lo", "--dhcp-range=10.77.0.50,10.77.0.99,12h",
       "--dhcp-leasefile=" + leases, "--pid-file=" + scratch_ + "/dnsmasq.pid", "--conf-file=/dev/null", "--user=root"});
  ASSERT_EQ(dnsmasq.exit_code, 0) << dnsmasq.err;
  AppendConfig(kVeth);
  auto started = Net("start", {name_});
  std::string addresses;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (started.exit_code == 0 && std::chrono::steady_clock::now() < deadline) {
    addresses = Net("attach", {name_, "--", "/bin/ip", "-o", "-4", "addr", "show", "eth0"}).out;
    if (Contains(addresses, "inet 10.77.0.")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  uxc::testing::Run({"/bin/sh", "-c", "kill $(cat " + scratch_ + "/dnsmasq.pid)"});
  ASSERT_EQ(started.exit_code, 0) << started.err;
  size_t at = addresses.find("inet 10.77.0.");
  int host_part = at == std::string::npos ? 0 : std::atoi(addresses.c_str() + at + 13);
  EXPECT_TRUE(host_part >= 50 && host_part <= 99) << addresses;  // dnsmasq's range
  EXPECT_TRUE(Contains(addresses, "/24")) << addresses;
  auto ping = Net("attach", {name_, "--", "/bin/ping", "-c", "1", "-W", "5", "10.77.0.1"});
  EXPECT_EQ(ping.exit_code, 0) << ping.out << ping.err;
  EXPECT_EQ(Net("stop", {name_}).exit_code, 0);
  ExpectNoNicLeft();
}

// The seeds' tutorial: ~/.config/uxc/default.conf with LXC's default veth
// lines, on lxcbr0 (here, the test namespace's own).
TEST_F(NetworkVethTest, TheTutorialDefaultConfStartsOnceUsernetAllowsIt) {
  AddBridge("lxcbr0", "10.0.3.1/24", "fd42::1/64");
  usernet_->Write(user_.name + " veth lxcbr0 10\n");
  std::string dir = user_.home + "/.config/uxc";
  uxc::testing::Run({"mkdir", "-p", dir});
  std::ofstream(dir + "/default.conf") << "lxc.net.0.type = veth\nlxc.net.0.link = lxcbr0\nlxc.net.0.flags = up\n"
                                          "lxc.net.0.hwaddr = 00:16:3e:xx:xx:xx\n";
  uxc::testing::Run({"chown", "-R", user_.name + ":", user_.home + "/.config"});
  // As with lxc-create, the new container's config takes the defaults.
  auto made = Uxc("create", {"tut", "-t", "busybox"});
  WithoutDhcp("tut");
  auto started = Net("start", {"tut"});
  uxc::testing::Run({"rm", "-f", dir + "/default.conf"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  ASSERT_EQ(started.exit_code, 0) << started.err;
  EXPECT_TRUE(Contains(Ip("-o link show master lxcbr0").out, "veth" + std::to_string(user_.uid) + "_"));
  auto link = Net("attach", {"tut", "--", "/bin/ip", "-o", "link", "show", "eth0"});
  EXPECT_TRUE(Contains(link.out, "link/ether 00:16:3e:")) << link.out << link.err;
  EXPECT_EQ(Net("stop", {"tut"}).exit_code, 0);
  ExpectNoNicLeft();
}

}  // namespace
}  // namespace uxc::testing
