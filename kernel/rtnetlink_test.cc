// rtnetlink against the real kernel, as root, in network namespaces each
// test makes for itself (unshare(CLONE_NEWNET)): "here", where the test
// thread runs, and "there", reached by fd. The host's own namespace is left
// alone; the namespaces and their links go when the test drops its fds.
#include "kernel/rtnetlink.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <cstring>

namespace uxc::kernel {
namespace {

constexpr int kDeadlineMs = 10000;

UniqueFd OwnNetns() { return UniqueFd(open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)); }

IpAddress Ip(const char* text) {
  auto address = IpAddress::Parse(text);
  EXPECT_TRUE(address.ok()) << text;
  return address.ok() ? *address : IpAddress{};
}

sockaddr_in Udp(const char* address, uint16_t port) {
  sockaddr_in socket_address{};
  socket_address.sin_family = AF_INET;
  socket_address.sin_port = htons(port);
  inet_pton(AF_INET, address, &socket_address.sin_addr);
  return socket_address;
}

class RtnetlinkTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(geteuid(), 0u) << "these tests make network namespaces: run them as root (tests/run does)";
    host_ = OwnNetns();
    ASSERT_TRUE(host_.valid());
    ASSERT_EQ(unshare(CLONE_NEWNET), 0) << strerror(errno);
    there_ = OwnNetns();
    ASSERT_EQ(unshare(CLONE_NEWNET), 0) << strerror(errno);
    here_ = OwnNetns();
    auto socket = Rtnetlink::Open();
    ASSERT_TRUE(socket.ok()) << socket.error().ToString();
    netlink_.emplace(std::move(*socket));
  }

  void TearDown() override {
    if (host_.valid()) {
      EXPECT_EQ(setns(host_.get(), CLONE_NEWNET), 0);
    }
  }

  // Runs `step` with the thread in the other namespace; sockets it opens
  // stay in that namespace.
  template <typename Step>
  void There(Step step) {
    ASSERT_EQ(setns(there_.get(), CLONE_NEWNET), 0) << strerror(errno);
    step();
    ASSERT_EQ(setns(here_.get(), CLONE_NEWNET), 0) << strerror(errno);
  }

  LinkInfo LinkHere(const char* name) {
    auto link = netlink_->Link(name);
    EXPECT_TRUE(link.ok()) << link.error().ToString();
    return link.ok() ? *link : LinkInfo{};
  }

  void ExpectOk(const Status& status) { EXPECT_TRUE(status.ok()) << status.error().ToString(); }

  UniqueFd host_, here_, there_;
  std::optional<Rtnetlink> netlink_;
};

TEST_F(RtnetlinkTest, AVethPairTakesAnMtuComesUpAndHoldsAnAddress) {
  ExpectOk(netlink_->CreateVethPair("uxc0", "uxc1"));
  LinkInfo link = LinkHere("uxc0");
  EXPECT_EQ(link.name, "uxc0");
  EXPECT_GT(link.index, 0);
  EXPECT_EQ(link.index, static_cast<int>(if_nametoindex("uxc0")));
  EXPECT_FALSE(link.flags & IFF_UP);
  ExpectOk(netlink_->SetMtu(link.index, 1400));
  ExpectOk(netlink_->SetUp(link.index));
  link = LinkHere("uxc0");
  EXPECT_EQ(link.mtu, 1400u);
  EXPECT_TRUE(link.flags & IFF_UP);
  EXPECT_EQ(LinkHere("uxc1").name, "uxc1");

  // The address is really there: a socket can bind to it.
  ExpectOk(netlink_->AddAddress(link.index, Ip("10.200.0.1"), 24));
  UniqueFd udp(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  sockaddr_in bound = Udp("10.200.0.1", 0);
  EXPECT_EQ(bind(udp.get(), reinterpret_cast<sockaddr*>(&bound), sizeof bound), 0) << strerror(errno);
  ExpectOk(netlink_->AddAddress(link.index, Ip("fd00:200::1"), 64));

  ExpectOk(netlink_->DeleteLink(link.index));
  EXPECT_EQ(netlink_->Link("uxc1").error().errno_value, ENODEV) << "deleting one end deletes the pair";
}

// What the launcher does to a container's end: through a socket opened in
// the other namespace (Adopt), rename it, set its hardware address, add an
// address with a broadcast, and list the addresses back (a dump).
TEST_F(RtnetlinkTest, ASocketOpenedThereRenamesAddressesAndListsThere) {
  ExpectOk(netlink_->CreateVethPair("uxc4", "uxc5"));
  ExpectOk(netlink_->MoveToNetns(LinkHere("uxc5").index, there_.get()));
  UniqueFd opened_there;
  There([&] { opened_there.Reset(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE)); });
  ASSERT_TRUE(opened_there.valid());
  Rtnetlink inside = Rtnetlink::Adopt(std::move(opened_there));
  auto peer = inside.Link("uxc5");
  ASSERT_TRUE(peer.ok()) << peer.error().ToString();
  ExpectOk(inside.SetName(peer->index, "eth7"));
  std::array<uint8_t, 6> mac = {0x00, 0x16, 0x3e, 0x12, 0x34, 0x56};
  ExpectOk(inside.SetHardwareAddress(peer->index, mac));
  ExpectOk(inside.SetUp(peer->index));
  ExpectOk(inside.AddAddress(peer->index, Ip("10.201.0.2"), 24, Ip("10.201.0.255")));
  ExpectOk(inside.AddAddress(peer->index, Ip("fd00:201::2"), 64));
  auto renamed = inside.Link(peer->index);
  ASSERT_TRUE(renamed.ok()) << renamed.error().ToString();
  EXPECT_EQ(renamed->name, "eth7");
  EXPECT_EQ(std::memcmp(renamed->address, mac.data(), mac.size()), 0);
  auto addresses = inside.Addresses(AF_UNSPEC, peer->index);
  ASSERT_TRUE(addresses.ok()) << addresses.error().ToString();
  int ipv4 = 0, ipv6_global = 0;
  for (const AddressInfo& address : *addresses) {
    EXPECT_EQ(address.index, peer->index);
    if (address.family == AF_INET && std::memcmp(address.bytes, Ip("10.201.0.2").bytes, 4) == 0) {
      EXPECT_EQ(address.prefix_length, 24);
      ++ipv4;
    }
    if (address.family == AF_INET6 && address.scope == RT_SCOPE_UNIVERSE) ++ipv6_global;
  }
  EXPECT_EQ(ipv4, 1);
  EXPECT_EQ(ipv6_global, 1);
  // Nothing of it here: the requests acted in the socket's namespace.
  EXPECT_EQ(netlink_->Link("eth7").error().errno_value, ENODEV);
  auto here = netlink_->Addresses(AF_INET);
  ASSERT_TRUE(here.ok()) << here.error().ToString();
  for (const AddressInfo& address : *here) EXPECT_NE(std::memcmp(address.bytes, Ip("10.201.0.2").bytes, 4), 0);
}

// The container's end goes into another namespace by fd; a datagram then
// crosses the pair along a route through a gateway, and both ends count it.
TEST_F(RtnetlinkTest, APeerMovedByFdCarriesTrafficAlongARoute) {
  ExpectOk(netlink_->CreateVethPair("uxc0", "uxc1"));
  int peer = LinkHere("uxc1").index;
  ExpectOk(netlink_->MoveToNetns(peer, there_.get()));
  auto gone = netlink_->Link("uxc1");
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().errno_value, ENODEV);
  EXPECT_EQ(gone.error().ToString(), "find the link uxc1: No such device");

  int here = LinkHere("uxc0").index;
  ExpectOk(netlink_->AddAddress(here, Ip("10.200.0.1"), 24));
  ExpectOk(netlink_->SetUp(here));
  ExpectOk(netlink_->AddRoute(Ip("10.201.0.0"), 24, Ip("10.200.0.2"), here));

  UniqueFd receiver;
  int there = 0;
  There([&] {
    auto netlink = Rtnetlink::Open();
    ASSERT_TRUE(netlink.ok());
    auto moved = netlink->Link("uxc1");
    ASSERT_TRUE(moved.ok()) << moved.error().ToString();
    there = moved->index;
    ExpectOk(netlink->AddAddress(there, Ip("10.200.0.2"), 24));
    ExpectOk(netlink->SetUp(there));
    int loopback = netlink->Link("lo")->index;
    ExpectOk(netlink->SetUp(loopback));
    ExpectOk(netlink->AddAddress(loopback, Ip("10.201.0.2"), 32));
    // The default route: prefix 0 has no destination attribute.
    ExpectOk(netlink->AddRoute(Ip("0.0.0.0"), 0, Ip("10.200.0.1"), there));
    receiver.Reset(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_in bound = Udp("10.201.0.2", 4242);
    ASSERT_EQ(bind(receiver.get(), reinterpret_cast<sockaddr*>(&bound), sizeof bound), 0) << strerror(errno);
    UniqueFd elsewhere(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    sockaddr_in far = Udp("192.0.2.1", 9);
    EXPECT_EQ(connect(elsewhere.get(), reinterpret_cast<sockaddr*>(&far), sizeof far), 0)
        << "no default route: " << strerror(errno);
  });

  UniqueFd sender(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  sockaddr_in target = Udp("10.201.0.2", 4242);
  const char kPayload[] = "across the veth";
  ASSERT_EQ(sendto(sender.get(), kPayload, sizeof kPayload, 0, reinterpret_cast<sockaddr*>(&target), sizeof target),
            static_cast<ssize_t>(sizeof kPayload))
      << strerror(errno);
  pollfd ready = {receiver.get(), POLLIN, 0};
  ASSERT_EQ(poll(&ready, 1, kDeadlineMs), 1) << "the datagram did not arrive";
  char got[64] = {};
  EXPECT_EQ(recv(receiver.get(), got, sizeof got, 0), static_cast<ssize_t>(sizeof kPayload));
  EXPECT_STREQ(got, kPayload);

  LinkStats sent = LinkHere("uxc0").stats;
  EXPECT_GE(sent.tx_packets, 1u);
  EXPECT_GE(sent.tx_bytes, sizeof kPayload);
  EXPECT_GE(sent.rx_packets, 1u) << "at least the ARP reply";
  There([&] {
    auto netlink = Rtnetlink::Open();
    ASSERT_TRUE(netlink.ok());
    auto moved = netlink->Link(there);
    ASSERT_TRUE(moved.ok()) << moved.error().ToString();
    EXPECT_EQ(moved->name, "uxc1");
    EXPECT_GE(moved->stats.rx_packets, 1u);
    EXPECT_GE(moved->stats.rx_bytes, sizeof kPayload);
  });
}

TEST_F(RtnetlinkTest, AVethJoinsABridge) {
  ExpectOk(netlink_->CreateBridge("uxcbr0"));
  ExpectOk(netlink_->CreateVethPair("uxc0", "uxc1"));
  int bridge = LinkHere("uxcbr0").index;
  ASSERT_GT(bridge, 0);
  EXPECT_EQ(LinkHere("uxc0").master, 0);
  ExpectOk(netlink_->SetMaster(LinkHere("uxc0").index, bridge));
  EXPECT_EQ(LinkHere("uxc0").master, bridge);
}

TEST_F(RtnetlinkTest, AVethMadeInOneRequestHasItsPeerThereAndItsHostEndOnTheBridge) {
  ExpectOk(netlink_->CreateBridge("uxcbr0"));
  int bridge = LinkHere("uxcbr0").index;
  ExpectOk(netlink_->SetMtu(bridge, 1400));
  VethSpec spec{"uxch0", std::array<uint8_t, 6>{0xfe, 1, 2, 3, 4, 5}, 1400, bridge, true, "eth%d", there_.get()};
  ExpectOk(netlink_->CreateVeth(spec));
  LinkInfo host = LinkHere("uxch0");
  EXPECT_EQ(host.kind, "veth");
  EXPECT_EQ(host.master, bridge);
  EXPECT_EQ(host.mtu, 1400u);
  EXPECT_TRUE(host.flags & IFF_UP);
  EXPECT_EQ(host.address[0], 0xfe);
  EXPECT_EQ(host.address[5], 5);
  ASSERT_TRUE(host.link_netnsid.has_value()) << "the peer is not in another namespace";
  auto peer = netlink_->LinkInNetns(host.link, *host.link_netnsid);
  ASSERT_TRUE(peer.ok()) << peer.error().ToString();
  EXPECT_EQ(peer->name, "eth0");
  EXPECT_EQ(peer->mtu, 1400u);
  EXPECT_EQ(LinkHere("uxcbr0").kind, "bridge");
  // Not the bridge: the kernel refuses the whole request and leaves nothing.
  VethSpec bad = spec;
  bad.host_name = "uxch1";
  bad.master = host.index;
  EXPECT_FALSE(netlink_->CreateVeth(bad).ok());
  EXPECT_FALSE(netlink_->Link("uxch1").ok());
}

TEST_F(RtnetlinkTest, ErrorsNameTheStepAndCarryTheKernelsReason) {
  ExpectOk(netlink_->CreateVethPair("uxc0", "uxc1"));
  Status again = netlink_->CreateVethPair("uxc0", "uxc2");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().errno_value, EEXIST);
  EXPECT_EQ(again.error().message.rfind("create the veth pair uxc0 and uxc2", 0), 0u) << again.error().message;

  // A gateway that no link reaches: the kernel says why (extended ack).
  int index = LinkHere("uxc0").index;
  Status route = netlink_->AddRoute(Ip("10.9.0.0"), 16, Ip("10.8.0.1"), index);
  ASSERT_FALSE(route.ok());
  EXPECT_EQ(route.error().message.rfind("add the route to 10.9.0.0/16 via 10.8.0.1 on link " +
                                            std::to_string(index) + " (",
                                        0),
            0u)
      << route.error().message;

  UniqueFd not_a_namespace(open("/dev/null", O_RDONLY | O_CLOEXEC));
  Status moved = netlink_->MoveToNetns(index, not_a_namespace.get());
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.error().errno_value, EINVAL);
  EXPECT_EQ(moved.error().message.rfind("move link " + std::to_string(index) + " to another network namespace", 0),
            0u);
}

TEST_F(RtnetlinkTest, BadNamesAreRefusedBeforeTheKernelSeesThem) {
  for (const char* bad : {"", ".", "..", "a/b", "eth:0", "with space", "sixteen-bytes-xx"}) {
    Status created = netlink_->CreateVethPair(bad, "uxc1");
    ASSERT_FALSE(created.ok()) << bad;
    EXPECT_NE(created.error().message.find("is not a valid interface name"), std::string::npos);
    EXPECT_FALSE(IsValidLinkName(bad));
  }
  EXPECT_TRUE(IsValidLinkName("fifteen-bytes-x"));
  EXPECT_EQ(netlink_->Link("uxc1").error().errno_value, ENODEV) << "nothing was made";
}

TEST(IpAddressTest, ParsesBothFamilies) {
  auto v4 = IpAddress::Parse("10.0.3.1");
  ASSERT_TRUE(v4.ok());
  EXPECT_EQ(v4->family, AF_INET);
  EXPECT_EQ(v4->size(), 4u);
  EXPECT_EQ(v4->bytes[0], 10);
  EXPECT_EQ(v4->bytes[3], 1);
  auto v6 = IpAddress::Parse("fd00::1");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->family, AF_INET6);
  EXPECT_EQ(v6->size(), 16u);
  EXPECT_EQ(v6->bytes[15], 1);
  auto bad = IpAddress::Parse("10.0.3");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message, "\"10.0.3\" is not an IPv4 or IPv6 address");
}

}  // namespace
}  // namespace uxc::kernel
