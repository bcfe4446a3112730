#include "launcher/engine/network.h"

#include <gtest/gtest.h>
#include <netinet/in.h>

#include "launcher/engine/nic_setup.h"

namespace uxc::launcher {
namespace {

Result<NetworkPlan> Plan(const std::string& text, std::vector<std::string>* notes) {
  UXC_ASSIGN_OR_RETURN(auto config, config::ParseContainerConfigText(text, "n.conf"));
  return PlanNetwork(config, notes);
}

TEST(NetworkPlanTest, AVethCarriesEveryValueOfItsKeys) {
  std::vector<std::string> notes;
  auto plan = Plan(
      "lxc.net.0.type = veth\nlxc.net.0.link = br0\nlxc.net.0.name = eth5\nlxc.net.0.flags = up\n"
      "lxc.net.0.mtu = 1400\nlxc.net.0.hwaddr = 00:16:3e:xx:xx:xx\n"
      "lxc.net.0.ipv4.address = 10.0.3.5/24 10.0.3.255\nlxc.net.0.ipv4.gateway = auto\n"
      "lxc.net.0.ipv6.address = fd00::5/64\nlxc.net.0.ipv6.gateway = fd00::1\n"
      "lxc.net.0.script.up = /bin/up\nlxc.net.0.script.down = /bin/down\n",
      &notes);
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  ASSERT_EQ(plan->nics.size(), 1u);
  const NicPlan& nic = plan->nics[0];
  EXPECT_EQ(nic.key(), "lxc.net.0");
  EXPECT_EQ(nic.link, "br0");
  EXPECT_EQ(nic.name, "eth5");
  EXPECT_TRUE(nic.up);
  EXPECT_EQ(nic.mtu, 1400u);
  ASSERT_TRUE(nic.hwaddr.has_value());
  EXPECT_EQ((*nic.hwaddr)[0], 0x00);
  EXPECT_EQ((*nic.hwaddr)[1], 0x16);
  EXPECT_EQ((*nic.hwaddr)[2], 0x3e);
  ASSERT_EQ(nic.ipv4.size(), 1u);
  EXPECT_EQ(nic.ipv4[0].ToString(), "10.0.3.5/24 10.0.3.255");
  EXPECT_EQ(nic.ipv4_gateway->kind, config::Gateway::Kind::kAuto);
  EXPECT_EQ(nic.ipv6_gateway->kind, config::Gateway::Kind::kAddress);
  EXPECT_EQ(nic.script_up, "/bin/up");
  EXPECT_EQ(nic.script_down, "/bin/down");
  EXPECT_TRUE(notes.empty());
}

TEST(NetworkPlanTest, WithoutALinkTheHostEndIsOnNoBridge) {
  std::vector<std::string> notes;
  auto plan = Plan("lxc.net.0.type = veth\n", &notes);
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  EXPECT_EQ(plan->nics[0].link, "none");
  EXPECT_EQ(plan->nics[0].name, "");
  EXPECT_FALSE(plan->nics[0].up);
}

TEST(NetworkPlanTest, AnAutoGatewayWithoutALinkIsAnErrorWithItsLine) {
  std::vector<std::string> notes;
  auto plan = Plan("lxc.net.0.type = veth\nlxc.net.0.flags = up\nlxc.net.0.ipv4.gateway = auto\n", &notes);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().ToString().find("n.conf:3"), std::string::npos) << plan.error().ToString();
  EXPECT_NE(plan.error().ToString().find("has no link"), std::string::npos) << plan.error().ToString();
}

TEST(NetworkPlanTest, AGatewayOnANicThatStaysDownIsLeftOutWithANote) {
  std::vector<std::string> notes;
  auto plan = Plan("lxc.net.0.type = veth\nlxc.net.0.link = br0\nlxc.net.0.ipv4.gateway = 10.0.3.1\n", &notes);
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  EXPECT_FALSE(plan->nics[0].ipv4_gateway.has_value());
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("stays down"), std::string::npos) << notes[0];
}

TEST(NetworkPlanTest, NoneAndVethDoNotMix) {
  std::vector<std::string> notes;
  auto plan = Plan("lxc.net.0.type = none\nlxc.net.1.type = veth\n", &notes);
  ASSERT_FALSE(plan.ok());
  EXPECT_NE(plan.error().ToString().find("cannot be combined"), std::string::npos);
}

TEST(CompleteHwAddrTest, FillsTheRandomDigitsAndNeverMakesAMulticastAddress) {
  for (int i = 0; i < 64; ++i) {
    std::array<uint8_t, 6> address = CompleteHwAddr("xx:xx:xx:xx:xx:xx");
    EXPECT_EQ(address[0] & 1, 0);
  }
  std::array<uint8_t, 6> fixed = CompleteHwAddr("fe:00:12:34:56:7x");
  EXPECT_EQ(fixed[0], 0xfe);
  EXPECT_EQ(fixed[4], 0x56);
  EXPECT_EQ(fixed[5] & 0xf0, 0x70);
}

TEST(UserNicOutputTest, ParsesLxcUserNicsAnswer) {
  auto attached = ParseUserNicOutput("eth0:2:veth1000_aB3d:731\n");
  ASSERT_TRUE(attached.ok()) << attached.error().ToString();
  EXPECT_EQ(attached->container_name, "eth0");
  EXPECT_EQ(attached->container_index, 2);
  EXPECT_EQ(attached->host_name, "veth1000_aB3d");
  EXPECT_EQ(attached->host_index, 731);
  for (const char* bad : {"", "eth0:2:veth", "eth0:x:veth:3", "eth0:2:veth:0", ":2:veth:3", "a:1:b:2:c"}) {
    EXPECT_FALSE(ParseUserNicOutput(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace uxc::launcher
