#include "kernel/netlink_message.h"

#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include <climits>
#include <cstring>
#include <gtest/gtest.h>

namespace uxc::kernel {
namespace {

std::vector<uint8_t> Bytes(std::span<const uint8_t> span) { return {span.begin(), span.end()}; }

// The kernel's answer to a request: a link message built with the same
// builder, for the parser.
std::vector<uint8_t> LinkAnswer(int index, const char* name, uint32_t mtu) {
  NetlinkRequest message(RTM_NEWLINK, 0);
  ifinfomsg header{};
  header.ifi_index = index;
  header.ifi_flags = IFF_UP;
  message.PutStruct(header);
  message.PutString(IFLA_IFNAME, name);
  message.PutU32(IFLA_MTU, mtu);
  message.PutU32(IFLA_MASTER, 7);
  rtnl_link_stats64 stats{};
  stats.rx_packets = 3;
  stats.tx_bytes = 1500;
  message.PutAttribute(IFLA_STATS64, &stats, sizeof stats);
  return Bytes(message.Finish(9));
}

TEST(NetlinkMessageTest, ARequestHasItsLengthSequenceFlagsAndPaddedAttributes) {
  NetlinkRequest request(RTM_NEWLINK, NLM_F_CREATE);
  request.PutStruct(ifinfomsg{});
  request.PutString(IFLA_IFNAME, "veth0");  // 6 bytes with the NUL, padded to 8
  std::vector<uint8_t> bytes = Bytes(request.Finish(42));
  ASSERT_EQ(bytes.size(), NLMSG_HDRLEN + sizeof(ifinfomsg) + NLA_HDRLEN + 8);
  nlmsghdr header;
  std::memcpy(&header, bytes.data(), sizeof header);
  EXPECT_EQ(header.nlmsg_len, bytes.size());
  EXPECT_EQ(header.nlmsg_seq, 42u);
  EXPECT_EQ(header.nlmsg_type, RTM_NEWLINK);
  EXPECT_EQ(header.nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE);
  EXPECT_EQ(request.type(), RTM_NEWLINK);
  nlattr name;
  std::memcpy(&name, bytes.data() + NLMSG_HDRLEN + sizeof(ifinfomsg), sizeof name);
  EXPECT_EQ(name.nla_len, NLA_HDRLEN + 6);
  EXPECT_STREQ(reinterpret_cast<const char*>(bytes.data()) + NLMSG_HDRLEN + sizeof(ifinfomsg) + NLA_HDRLEN, "veth0");
}

TEST(NetlinkMessageTest, NestedAttributesCoverWhatWasPutInside) {
  NetlinkRequest request(RTM_NEWLINK, 0);
  request.PutStruct(ifinfomsg{});
  size_t info = request.BeginNested(IFLA_LINKINFO);
  request.PutString(IFLA_INFO_KIND, "veth");
  request.EndNested(info);
  std::vector<uint8_t> bytes = Bytes(request.Finish(1));
  auto messages = SplitMessages(bytes);
  ASSERT_TRUE(messages.ok());
  auto outer = ParseAttributes(messages->front().payload, sizeof(ifinfomsg));
  ASSERT_TRUE(outer.ok());
  ASSERT_TRUE(outer->contains(IFLA_LINKINFO)) << "the nested flag is masked off";
  auto inner = ParseAttributes(outer->at(IFLA_LINKINFO), 0);
  ASSERT_TRUE(inner.ok());
  EXPECT_STREQ(reinterpret_cast<const char*>(inner->at(IFLA_INFO_KIND).data()), "veth");
}

TEST(NetlinkMessageTest, ReadsALinkMessage) {
  std::vector<uint8_t> answer = LinkAnswer(5, "uxc0", 1400);
  auto messages = SplitMessages(answer);
  ASSERT_TRUE(messages.ok());
  ASSERT_EQ(messages->size(), 1u);
  auto link = ParseLinkMessage(messages->front());
  ASSERT_TRUE(link.ok()) << link.error().ToString();
  EXPECT_EQ(link->index, 5);
  EXPECT_EQ(link->name, "uxc0");
  EXPECT_EQ(link->mtu, 1400u);
  EXPECT_EQ(link->master, 7);
  EXPECT_TRUE(link->flags & IFF_UP);
  EXPECT_EQ(link->stats.rx_packets, 3u);
  EXPECT_EQ(link->stats.tx_bytes, 1500u);
}

TEST(NetlinkMessageTest, SplitsADatagramOfSeveralMessages) {
  std::vector<uint8_t> datagram = LinkAnswer(1, "lo", 65536);
  std::vector<uint8_t> second = LinkAnswer(2, "eth0", 1500);
  datagram.insert(datagram.end(), second.begin(), second.end());
  auto messages = SplitMessages(datagram);
  ASSERT_TRUE(messages.ok());
  ASSERT_EQ(messages->size(), 2u);
  EXPECT_EQ(ParseLinkMessage((*messages)[1])->name, "eth0");
}

TEST(NetlinkMessageTest, LengthsThatRunPastTheEndAreErrors) {
  std::vector<uint8_t> answer = LinkAnswer(5, "uxc0", 1400);
  std::vector<uint8_t> cut(answer.begin(), answer.end() - 4);
  auto messages = SplitMessages(cut);
  ASSERT_FALSE(messages.ok());
  EXPECT_EQ(messages.error().message.rfind("netlink: a message of", 0), 0u);

  // An attribute claiming more than is left.
  uint32_t length = static_cast<uint32_t>(answer.size());
  answer[NLMSG_HDRLEN + sizeof(ifinfomsg)] = 0xff;
  std::memcpy(answer.data(), &length, sizeof length);
  messages = SplitMessages(answer);
  ASSERT_TRUE(messages.ok());
  EXPECT_FALSE(ParseLinkMessage(messages->front()).ok());
  EXPECT_FALSE(ParseAttributes(messages->front().payload, 4096).ok()) << "a header longer than the payload";
}

TEST(NetlinkMessageTest, AnAckWithAnErrorNoErrnoCouldBeIsAProtocolError) {
  for (int code : {INT_MIN, -4096, 1}) {
    NetlinkRequest answer(NLMSG_ERROR, 0);
    nlmsgerr error{};
    error.error = code;
    answer.PutStruct(error);
    std::vector<uint8_t> bytes = Bytes(answer.Finish(3));
    auto ack = ParseAck(SplitMessages(bytes)->front());
    ASSERT_TRUE(ack) << code;
    EXPECT_EQ(ack->error, EPROTO) << code;
  }
}

TEST(NetlinkMessageTest, ReadsAnAckAndTheKernelsReason) {
  // What the kernel sends for a refused request on a socket with
  // NETLINK_EXT_ACK and NETLINK_CAP_ACK.
  NetlinkRequest answer(NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS);
  nlmsgerr error{};
  error.error = -EEXIST;
  error.msg.nlmsg_len = 64;
  answer.PutStruct(error);
  answer.PutString(NLMSGERR_ATTR_MSG, "File exists");
  std::vector<uint8_t> bytes = Bytes(answer.Finish(3));
  auto messages = SplitMessages(bytes);
  ASSERT_TRUE(messages.ok());
  auto ack = ParseAck(messages->front());
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->error, EEXIST);
  EXPECT_EQ(ack->text, "File exists");

  NetlinkRequest plain(NLMSG_ERROR, 0);
  plain.PutStruct(nlmsgerr{});
  bytes = Bytes(plain.Finish(3));
  ack = ParseAck(SplitMessages(bytes)->front());
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->error, 0);
  EXPECT_EQ(ack->text, "");

  std::vector<uint8_t> link = LinkAnswer(1, "lo", 1);
  EXPECT_FALSE(ParseAck(SplitMessages(link)->front())) << "not an NLMSG_ERROR";
}

}  // namespace
}  // namespace uxc::kernel
