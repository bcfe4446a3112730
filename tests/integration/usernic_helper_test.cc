// uxc-user-nic installed setuid root, run by real unprivileged users inside
// a network namespace the test makes (docs/usernet.md): LXC's own usernic
// test re-done, the regressions of lxc-user-nic's four CVEs, and the
// hardening of the id-map helpers.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <fstream>
#include <algorithm>
#include <cctype>

#include "tests/integration/usernic_fixture.h"

namespace uxc::testing {
namespace {

using Kind = NetnsProcess::Kind;

std::string Line(const HostUser& user, const std::string& bridge, int count) {
  return user.name + " veth " + bridge + " " + std::to_string(count) + "\n";
}

// LXC's src/tests/lxc-test-usernic.in, step by step.
TEST_F(UsernicTest, LxcUsernicNoLineIsRefused) {
  auto target = NetnsProcess::Start(a_, Kind::kOwn);
  EXPECT_NIC_REFUSED(Create(a_, *target, kBridge0, "xx1"),
                     "no line of /etc/uxc/usernet lets uxct-nic-a attach a veth to usernic-br0 (you have none): ask "
                     "root to add \"uxct-nic-a veth usernic-br0 1\" to /etc/uxc/usernet");
  EXPECT_TRUE(HostNicsOf(a_).empty());
  EXPECT_EQ(target->Links().find("xx1"), std::string::npos);
}

TEST_F(UsernicTest, LxcUsernicALineForOneBridgeRefusesTheOther) {
  SetUsernet("# quotas\n" + Line(b_, kBridge1, 3) + Line(a_, kBridge0, 2));
  auto target = NetnsProcess::Start(a_, Kind::kOwn);
  auto refused = Create(a_, *target, kBridge1, "xx1");
  EXPECT_NIC_REFUSED(refused, "no line of /etc/uxc/usernet lets uxct-nic-a attach a veth to usernic-br1 (yours: "
                              "uxct-nic-a veth usernic-br0 2 (line 3))");
  EXPECT_EQ(refused.err.find("uxct-nic-b"), std::string::npos) << "another user's line was echoed";
  EXPECT_TRUE(HostNicsOf(a_).empty());
}

TEST_F(UsernicTest, LxcUsernicQuotaTwoThenTheThirdIsRefused) {
  SetUsernet(Line(a_, kBridge0, 2));
  auto target = NetnsProcess::Start(a_, Kind::kOwn);
  auto first = Create(a_, *target, kBridge0, "xx2");
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.err, "");
  NicOutput made = ParseNicOutput(first.out);
  EXPECT_EQ(made.container_nic, "xx2");
  std::string prefix = "veth" + std::to_string(a_.uid) + "_";
  EXPECT_TRUE(made.host_nic.starts_with(prefix) && made.host_nic.size() == prefix.size() + 4 &&
              std::all_of(made.host_nic.begin() + prefix.size(), made.host_nic.end(),
                          [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }))
      << made.host_nic;
  auto second = Create(a_, *target, kBridge0, "xx3");
  ASSERT_EQ(second.exit_code, 0) << second.err;
  NicOutput other = ParseNicOutput(second.out);
  auto third = Create(a_, *target, kBridge0, "xx4");
  EXPECT_NIC_REFUSED(third, "quota reached: uxct-nic-a may attach 2 veth nic(s) to usernic-br0 (uxct-nic-a veth "
                            "usernic-br0 2 (line 1)) and all are in use: ");
  EXPECT_NE(third.err.find(made.host_nic), std::string::npos) << third.err;
  EXPECT_NE(third.err.find(other.host_nic), std::string::npos) << third.err;
  EXPECT_EQ(target->Links().find("xx4"), std::string::npos);
  EXPECT_EQ(HostNicsOf(a_).size(), 2u);

  // The pair as lxc-user-nic makes it: the container end named and indexed
  // as printed; the host end on the bridge, up, with its MTU and fe: MAC.
  std::string inside = target->Links();
  EXPECT_NE(inside.find(std::to_string(made.container_index) + ": xx2@"), std::string::npos) << inside;
  EXPECT_NE(inside.find("mtu " + std::to_string(kBridgeMtu)), std::string::npos) << inside;
  std::string host = Ip("-o link show " + made.host_nic);
  EXPECT_EQ(host.rfind(std::to_string(made.host_index) + ": " + made.host_nic + "@", 0), 0u) << host;
  EXPECT_NE(host.find("master " + std::string(kBridge0)), std::string::npos) << host;
  EXPECT_NE(host.find("mtu " + std::to_string(kBridgeMtu)), std::string::npos) << host;
  EXPECT_NE(host.find(",UP"), std::string::npos) << host;
  EXPECT_NE(host.find("link/ether fe:"), std::string::npos) << host;

  // The database: root's, 0600, one line per nic, charged to the user.
  struct stat st;
  ASSERT_EQ(stat(config::kNicDbPath, &st), 0);
  EXPECT_EQ(st.st_uid, 0u);
  EXPECT_EQ(st.st_gid, 0u);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  std::vector<config::NicRecord> records = DbRecords();
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0], (config::NicRecord{a_.name, "veth", kBridge0, made.host_nic, made.host_index, a_.uid}));
}

TEST_F(UsernicTest, LxcUsernicAStoppedContainerFreesItsNics) {
  SetUsernet(Line(a_, kBridge0, 2));
  auto first = NetnsProcess::Start(a_, Kind::kOwn);
  std::vector<std::string> held;
  for (const char* name : {"xx2", "xx3"}) {
    auto made = Create(a_, *first, kBridge0, name);
    ASSERT_EQ(made.exit_code, 0) << made.err;
    held.push_back(ParseNicOutput(made.out).host_nic);
  }
  first->Stop(held);
  auto second = NetnsProcess::Start(a_, Kind::kOwn);
  auto again = Create(a_, *second, kBridge0, "xx5");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  std::vector<config::NicRecord> records = DbRecords();
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].host_nic, ParseNicOutput(again.out).host_nic);
}

TEST_F(UsernicTest, LxcUsernicARootOwnedContainerIsRefused) {
  SetUsernet(Line(a_, kBridge0, 2));
  auto container = NetnsProcess::Start(a_, Kind::kRoot);
  EXPECT_NIC_REFUSED(Create(a_, *container, kBridge0, "xx6"),
                     "the network namespace of process " + std::to_string(container->pid()) + " is not yours");
  EXPECT_TRUE(HostNicsOf(a_).empty());
  EXPECT_EQ(container->Links().find("xx6"), std::string::npos);
}

// CVE-2017-5985: the caller's own process, joined to a namespace the caller
// does not own. lxc-user-nic's access() check passes it; here the kernel's
// owner of the namespace decides, before anything is made.
TEST_F(UsernicTest, Cve2017_5985AnotherUsersNetnsThroughOwnProcessIsRefusedAndLeavesNoVeth) {
  SetUsernet(Line(a_, kBridge0, 2));
  for (Kind owner_kind : {Kind::kOwn, Kind::kRoot}) {
    auto owner = NetnsProcess::Start(b_, owner_kind);
    auto joined = NetnsProcess::Start(a_, Kind::kJoined, owner.get());
    ASSERT_EQ(joined->Links(), owner->Links());
    std::string before = owner->Links();
    std::string host_before = Ip("-o link");
    EXPECT_NIC_REFUSED(Create(a_, *joined, kBridge0, "evil0"),
                       "the network namespace of process " + std::to_string(joined->pid()) + " is not yours");
    EXPECT_EQ(owner->Links(), before) << "a device was made in another user's namespace";
    EXPECT_EQ(Ip("-o link"), host_before) << "a device was left on the host";
    EXPECT_TRUE(DbRecords().empty());
  }
}

// CVE-2018-6556 and CVE-2022-47952: delete's path is opened as the caller,
// and every path that is not a network namespace the caller can open gets
// the same words, whether it exists or not, whatever it is.
TEST_F(UsernicTest, Cve2018_6556DeleteGivesOneMessageForEveryPathThatIsNoNetns) {
  SetUsernet(Line(a_, kBridge0, 1));
  std::string dir = SharedTempDir() + "/paths";
  mkdir(dir.c_str(), 0755);
  std::string hidden = SharedTempDir() + "/root-only";
  mkdir(hidden.c_str(), 0700);
  std::ofstream(hidden + "/secret") << "x";
  std::ofstream(dir + "/file") << "x";
  mkfifo((dir + "/fifo").c_str(), 0666);
  mkfifo((hidden + "/fifo").c_str(), 0600);
  std::vector<std::string> paths = {dir + "/file",   dir + "/fifo",   dir + "/missing", hidden + "/secret",
                                    hidden + "/fifo", hidden + "/none", dir,              "/dev/null",
                                    "/etc/shadow",    "/proc/1/ns/mnt"};
  std::string expected_tail =
      " is not a network namespace you can open: give /proc/PID/ns/net of a process in your container\n";
  for (const std::string& path : paths) {
    auto result = Nic(a_, {"delete", "/unused", "c1", path, "veth", kBridge0, "veth1_abcd"});
    EXPECT_EQ(result.exit_code, 1) << path;
    EXPECT_EQ(result.err, "uxc-user-nic: \"" + path + "\"" + expected_tail) << path;
  }
  // The FIFO was never opened: a writer would have found a reader.
  int writer = open((dir + "/fifo").c_str(), O_WRONLY | O_NONBLOCK);
  EXPECT_EQ(writer, -1);
  EXPECT_EQ(errno, ENXIO);
}

// CVE-2026-39402: lxc-user-nic's delete matched a record by name alone.
TEST_F(UsernicTest, Cve2026_39402DeletingAnotherUsersEntryIsRefused) {
  SetUsernet(Line(a_, kBridge0, 1) + Line(b_, kBridge0, 1));
  auto a_container = NetnsProcess::Start(a_, Kind::kOwn);
  auto b_container = NetnsProcess::Start(b_, Kind::kOwn);
  auto made = Create(a_, *a_container, kBridge0, "eth0");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  std::string victim = ParseNicOutput(made.out).host_nic;
  ASSERT_EQ(Create(b_, *b_container, kBridge0, "eth0").exit_code, 0);
  auto refused = Nic(b_, {"delete", "/unused", "c1", b_container->NetnsPath(), "veth", kBridge0, victim});
  EXPECT_NIC_REFUSED(refused, "you have no veth " + victim + " on usernic-br0 in /run/uxc/nics");
  EXPECT_TRUE(HostLinkExists(victim));
  EXPECT_EQ(DbRecords().size(), 2u);
  // Nor through A's namespace, which B cannot open.
  EXPECT_NIC_REFUSED(Nic(b_, {"delete", "/unused", "c1", a_container->NetnsPath(), "veth", kBridge0, victim}),
                     "is not a network namespace you can open");
  // The owner's own delete, with every field right, does it.
  EXPECT_NIC_REFUSED(Nic(a_, {"delete", "/unused", "c1", a_container->NetnsPath(), "veth", kBridge1, victim}),
                     "you have no veth " + victim + " on usernic-br1");
  auto deleted = Nic(a_, {"delete", "/unused", "c1", a_container->NetnsPath(), "veth", kBridge0, victim});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.err;
  EXPECT_FALSE(HostLinkExists(victim));
  EXPECT_EQ(a_container->Links().find("eth0"), std::string::npos);
  ASSERT_EQ(DbRecords().size(), 1u);
  EXPECT_EQ(DbRecords()[0].uid, b_.uid);
}

TEST_F(UsernicTest, EachRefusalSaysWhatFailed) {
  SetUsernet(Line(a_, "nosuchbr", 1) + Line(a_, "lo", 1) + Line(a_, kBridge0, 3));
  auto target = NetnsProcess::Start(a_, Kind::kOwn);
  ASSERT_EQ(Create(a_, *target, kBridge0, "dup0").exit_code, 0);
  EXPECT_NIC_REFUSED(Create(a_, *target, kBridge0, "dup0"), "the network namespace of process " +
                                                                std::to_string(target->pid()) +
                                                                " already has a nic named dup0: name another");
  EXPECT_EQ(HostNicsOf(a_).size(), 1u);
  EXPECT_EQ(DbRecords().size(), 1u);
  EXPECT_NIC_REFUSED(Create(a_, *target, "nosuchbr"), "the bridge nosuchbr does not exist: ask root to create it");
  EXPECT_NIC_REFUSED(Create(a_, *target, "lo"), "lo is not a bridge (it is a device link)");
  EXPECT_NIC_REFUSED(Nic(a_, {"create", "/unused", "c1", "4194304", "veth", "lo"}), "process 4194304 does not exist");
  EXPECT_NIC_REFUSED(Nic(a_, {"create", "/unused", "c1", "1", "macvlan", "lo"}), "nic type \"macvlan\" is not supported");
  EXPECT_EQ(HostNicsOf(a_).size(), 1u);
}

TEST_F(UsernicTest, AGroupLineIsOnePoolForItsMembers) {
  uxc::testing::Run({"/usr/sbin/groupadd", "-f", "uxct-nic-net"});
  ASSERT_EQ(uxc::testing::Run({"/usr/sbin/usermod", "-aG", "uxct-nic-net", a_.name}).exit_code, 0);
  ASSERT_EQ(uxc::testing::Run({"/usr/sbin/usermod", "-aG", "uxct-nic-net", b_.name}).exit_code, 0);
  SetUsernet("@uxct-nic-net veth " + std::string(kBridge0) + " 1\n");
  auto a_container = NetnsProcess::Start(a_, Kind::kOwn);
  auto b_container = NetnsProcess::Start(b_, Kind::kOwn);
  auto made = Create(a_, *a_container, kBridge0);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_EQ(ParseNicOutput(made.out).container_nic, "eth0");
  EXPECT_NIC_REFUSED(Create(b_, *b_container, kBridge0), "quota reached: uxct-nic-b may attach 1 veth nic(s)");
  ASSERT_EQ(DbRecords().size(), 1u);
  EXPECT_EQ(DbRecords()[0].owner, "@uxct-nic-net");
}

TEST_F(UsernicTest, ListShowsTheCallersNicsAndTheQuotaLeft) {
  SetUsernet(Line(a_, kBridge0, 3) + Line(b_, kBridge0, 1));
  auto target = NetnsProcess::Start(a_, Kind::kOwn);
  auto made = Create(a_, *target, kBridge0, "eth7");
  ASSERT_EQ(made.exit_code, 0) << made.err;
  NicOutput nic = ParseNicOutput(made.out);
  auto list = Nic(a_, {"list"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out, "nic " + nic.host_nic + " veth usernic-br0 ifindex " + std::to_string(nic.host_index) +
                          " charged to uxct-nic-a\nquota veth usernic-br0: 1 of 3 in use, 2 left\n");
  EXPECT_EQ(Nic(b_, {"list"}).out, "quota veth usernic-br0: 0 of 1 in use, 1 left\n");
}

TEST_F(UsernicTest, APidfdOrANetnsFdNamesTheTarget) {
  SetUsernet(Line(a_, kBridge0, 3));
  auto target = NetnsProcess::Start(a_, Kind::kOwn);
  int pidfd = static_cast<int>(syscall(SYS_pidfd_open, target->pid(), 0));
  ASSERT_GE(pidfd, 0);
  int netns = open(target->NetnsPath().c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(netns, 0);
  for (int fd : {pidfd, netns}) {
    HelperOptions options;
    options.pass_fds = {fd};
    auto made = Nic(a_, {"create", "/unused", "c1", "fd:" + std::to_string(fd), "veth", kBridge0}, options);
    EXPECT_EQ(made.exit_code, 0) << made.err;
  }
  EXPECT_EQ(HostNicsOf(a_).size(), 2u);
  close(pidfd);
  close(netns);
}

// As for the id-map helpers: nothing of the caller's environment or fds
// reaches the helper.
TEST_F(UsernicTest, HostileEnvironmentAndFdsHaveNoEffect) {
  SetUsernet(Line(a_, kBridge0, 4));
  std::string library = MarkerLibrary();
  std::string marker = SharedTempDir() + "/marker";
  HelperOptions hostile;
  hostile.env = {"LD_PRELOAD=" + library, "IDMAP_MARKER=" + marker};
  ASSERT_TRUE(PreloadWritesMarker(a_, hostile, marker));
  hostile.env.push_back("LD_LIBRARY_PATH=" + SharedTempDir());
  hostile.env.push_back("LD_AUDIT=" + library);
  hostile.env.push_back("PATH=" + SharedTempDir());
  hostile.env.push_back("MALLOC_CHECK_=3");
  for (int i = 0; i < 2000; ++i) hostile.env.push_back("HUGE" + std::to_string(i) + "=" + std::string(500, 'x'));
  hostile.inherited_fds = 300;
  auto target = NetnsProcess::Start(a_, Kind::kOwn);
  auto made = Nic(a_, {"create", "/unused", "c1", std::to_string(target->pid()), "veth", kBridge0}, hostile);
  EXPECT_EQ(made.exit_code, 0) << made.err;
  EXPECT_NE(access(marker.c_str(), F_OK), 0) << "a hostile environment reached the helper";
  HelperOptions closed;
  closed.close_stdin = closed.close_stdout = closed.close_stderr = true;
  EXPECT_EQ(Nic(a_, {"create", "/unused", "c1", std::to_string(target->pid()), "veth", kBridge0}, closed).exit_code, 0);
  EXPECT_EQ(HostNicsOf(a_).size(), 2u);
  HelperOptions no_new_privs;
  no_new_privs.no_new_privs = true;
  EXPECT_NIC_REFUSED(Nic(a_, {"list"}, no_new_privs), "the caller set no_new_privs");
  HelperOptions empty;
  empty.empty_argv = true;
  EXPECT_EQ(Nic(a_, {}, empty).exit_code, 1);
}

}  // namespace
}  // namespace uxc::testing
