#include "launcher/lifecycle/lxc_presence.h"

#include <stddef.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include <gtest/gtest.h>

namespace uxc::lifecycle {
namespace {

TEST(LxcPresence, TheSocketNameLxcStartListensOn) {
  EXPECT_EQ(LxcCommandSocketName("/home/alice/.local/share/lxc", "c1"), "/home/alice/.local/share/lxc/c1/command");
}

TEST(LxcPresence, ALongPathIsHashedAsLiblxcDoes) {
  std::string lxcpath = "/home/" + std::string(100, 'a');
  std::string name = LxcCommandSocketName(lxcpath, "c1");
  ASSERT_EQ(name.size(), std::string("lxc/0123456789abcdef/command").size()) << name;
  EXPECT_EQ(name.rfind("lxc/", 0), 0u);
  EXPECT_EQ(name.substr(20), "/command");
  EXPECT_NE(name, LxcCommandSocketName(lxcpath, "c2"));
  // 105 characters still fit; 106 do not (sun_path less two NULs).
  std::string fits = "/" + std::string(105 - std::string("//c/command").size(), 'p');
  EXPECT_EQ(LxcCommandSocketName(fits, "c").size(), 105u);
  EXPECT_EQ(LxcCommandSocketName(fits + "p", "c").rfind("lxc/", 0), 0u);
}

// FNV-1a 64 of "a/b" (liblxc's fnv_64a_buf from FNV1A_64_INIT), computed by hand.
TEST(LxcPresence, TheHashIsFnv1a64) {
  uint64_t hash = 0xcbf29ce484222325ull;
  std::string text = std::string(120, 'x') + "/n";
  for (unsigned char c : text) hash = (hash ^ c) * 0x100000001b3ull;
  char expected[64];
  snprintf(expected, sizeof expected, "lxc/%016llx/command", static_cast<unsigned long long>(hash));
  EXPECT_EQ(LxcCommandSocketName(std::string(120, 'x'), "n"), expected);
}

TEST(LxcPresence, RunningWhileSomethingListensThere) {
  std::string lxcpath = "/tmp/uxc-lxc-presence-" + std::to_string(getpid());
  EXPECT_FALSE(LxcIsRunning(lxcpath, "c1"));
  int listener = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(listener, 0);
  std::string name = LxcCommandSocketName(lxcpath, "c1");
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  memcpy(address.sun_path + 1, name.data(), name.size());
  socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + 1 + name.size());
  ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), length), 0);
  ASSERT_EQ(listen(listener, 1), 0);
  EXPECT_TRUE(LxcIsRunning(lxcpath, "c1"));
  EXPECT_FALSE(LxcIsRunning(lxcpath, "c2"));
  close(listener);
  EXPECT_FALSE(LxcIsRunning(lxcpath, "c1"));
}

}  // namespace
}  // namespace uxc::lifecycle
