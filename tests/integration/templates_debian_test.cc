// `uxc create -t debian`: mmdebstrap from the host's Debian mirror inside the
// user namespace. The bootstrapped tarball is cached under
// /var/cache/uxc-test/debian by its inputs, so only a cold run downloads.
#include <unistd.h>

#include "tests/integration/templates_fixture.h"

namespace uxc::testing {
namespace {

constexpr char kCache[] = "/var/cache/uxc-test/debian";
// A cold bootstrap takes about 15 s here; allow for a slow mirror.
constexpr int kBootstrapSeconds = 600;

class DebianTemplateTest : public TemplatesTest {
 protected:
  void SetUp() override {
    TemplatesTest::SetUp();
    MakeOwnedDirectory(kCache, user_);
    // The cache survives runs; the test user's uid may not (a new machine).
    Shell(std::string("chown -R ") + user_.name + ": " + kCache);
  }
};

TEST_F(DebianTemplateTest, BootstrapsOnceThenUsesTheCache) {
  auto made = Create("deb1", "debian", {"-r", "bookworm", "--variant", "minbase", "--cache-dir", kCache},
                     kBootstrapSeconds);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_EQ(StatOrDie(Rootfs("deb1")).st_uid, kSubidStart);
  struct stat dpkg = StatOrDie(Rootfs("deb1") + "/usr/bin/dpkg");
  EXPECT_EQ(dpkg.st_uid, kSubidStart);
  EXPECT_EQ(dpkg.st_mode & 0111, 0111u);
  EXPECT_EQ(ReadFileOrDie(Rootfs("deb1") + "/etc/debian_version").substr(0, 3), "12.");
  EXPECT_EQ(ReadFileOrDie(Rootfs("deb1") + "/etc/hostname"), "deb1\n");
  // No device nodes: a user namespace cannot make them; uxc fills /dev at start.
  EXPECT_TRUE(Shell("find " + Rootfs("deb1") + "/dev -type c").empty());
  std::string config = ReadFileOrDie(ContainerDir("deb1") + "/config");
  EXPECT_NE(config.find("debian.userns.conf"), std::string::npos) << config;
  EXPECT_EQ(config.find("LXC_TEMPLATE_CONFIG"), std::string::npos) << config;
  // uxc's own includes, installed beside the binaries under test: a created
  // container never needs LXC's lxc-templates package.
  EXPECT_NE(config.find("/share/uxc/config/debian.common.conf"), std::string::npos) << config;
  EXPECT_EQ(config.find("/usr/share/lxc/"), std::string::npos) << config;
  // A plain create boots: sysvinit and an inittab made for a container.
  EXPECT_EQ(access((Rootfs("deb1") + "/sbin/init").c_str(), X_OK), 0) << "no /sbin/init in a plain create";
  EXPECT_NE(ReadFileOrDie(Rootfs("deb1") + "/etc/inittab").find("written by uxc's debian template"),
            std::string::npos);

  // The second container with the same inputs comes from the cache.
  auto warm = Create("deb2", "debian", {"--cache-dir", kCache}, kBootstrapSeconds);
  ASSERT_EQ(warm.exit_code, 0) << warm.err;
  EXPECT_NE(warm.err.find("using the cached Debian rootfs"), std::string::npos) << warm.err;
  EXPECT_EQ(ReadFileOrDie(Rootfs("deb2") + "/etc/hostname"), "deb2\n");
  EXPECT_EQ(StatOrDie(Rootfs("deb2") + "/usr/bin/dpkg").st_uid, kSubidStart);

  EXPECT_EQ(Destroy("deb1").exit_code, 0);
  EXPECT_EQ(Destroy("deb2").exit_code, 0);
  EXPECT_TRUE(ListDirectory(path_).empty());
  // Only finished tarballs stay in the cache.
  for (const auto& name : ListDirectory(kCache)) EXPECT_EQ(name.find(".partial"), std::string::npos) << name;
}

TEST_F(DebianTemplateTest, CreatedContainerRunsItsDebian) {
  auto help = Uxc({"execute", "--help"});
  ASSERT_EQ(help.exit_code, 0) << "uxc execute --help failed: " << help.err;
  ASSERT_EQ(Create("deb3", "debian", {"--cache-dir", kCache}, kBootstrapSeconds).exit_code, 0);
  auto ran = Uxc({"execute", "-P", path_, "deb3", "--", "/bin/sh", "-c", "hostname; id -u; cat /etc/debian_version"});
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  EXPECT_EQ(ran.out.substr(0, ran.out.find("12.")), "deb3\n0\n") << ran.out;
  EXPECT_EQ(Destroy("deb3").exit_code, 0);
}

TEST_F(DebianTemplateTest, BadInputLeavesNothing) {
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  } cases[] = {
      {{"--variant", "min base"}, "bad --variant"},
      {{"-r", "bookworm;rm"}, "bad --release"},
      {{"--packages", "a b"}, "bad --packages"},
      {{"--mirror", "file:///srv/debian"}, "must be an http:// or https:// URL"},
      {{"-r", "no-such-release", "--cache-dir", kCache}, "bootstrap Debian with mmdebstrap"},
  };
  for (const auto& c : cases) {
    auto result = Create("bad", "debian", c.args, kBootstrapSeconds);
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.err.find(c.expected), std::string::npos) << c.expected << "\n" << result.err;
    EXPECT_TRUE(ListDirectory(path_).empty()) << c.expected;
  }
  for (const auto& name : ListDirectory(kCache)) EXPECT_EQ(name.find(".partial"), std::string::npos) << name;
}

// Issue 10: a successful `-t debian` printed six "mount: ... permission
// denied ... dmesg(1)" lines and a warning. A cold bootstrap takes minutes
// here, so a stand-in for mmdebstrap makes the same mount tries with the
// real mount(8) in the same user namespace, then writes a small rootfs.
TEST_F(DebianTemplateTest, TheRefusedMountsOfABootstrapAreNotShown) {
  std::string bin = Scratch() + "/fakebin";
  Shell("mkdir -p " + bin);
  Shell("cat > " + bin + "/mmdebstrap <<'EOF'\n"
        "#!/bin/sh\n"
        "set -e\n"
        "root=$(mktemp -d \"$TMPDIR/mmdebstrap.XXXXXXXXXX\")\n"
        "mkdir -p \"$root/sys\" \"$root/proc\" \"$root/etc\"\n"
        "echo 'I: extracting archives...' >&2\n"
        "mount -t sysfs -o ro,nosuid,nodev,noexec sys \"$root/sys\" || mount -o rbind /sys \"$root/sys\"\n"
        "if ! mount -t proc -o ro proc \"$root/proc\" && ! mount -t proc proc \"$root/proc\"; then\n"
        "  mount -o rbind /proc \"$root/proc\"\n"
        "  echo 'W: since mounting /proc normally failed, /proc is now bind-mounted instead' >&2\n"
        "fi\n"
        "umount -l \"$root/sys\" \"$root/proc\"\n"
        "echo 12.4 > \"$root/etc/debian_version\"\n"
        "tar --numeric-owner -C \"$root\" -cf - etc\n"
        "rm -rf \"$root\"\n"
        "echo 'I: done' >&2\n"
        "EOF\n"
        "chmod 0755 " + bin + "/mmdebstrap");
  std::string cache = Scratch() + "/cache";
  MakeOwnedDirectory(cache, user_);
  RunOptions options;
  options.env["PATH"] = bin + ":/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
  options.timeout_seconds = 300;
  auto made = RunAs(user_, {InstalledBinary("uxc"), "create", "fake", "-P", path_, "-t", "debian", "--", "--init",
                            "none", "--mirror", "http://deb.debian.org/debian", "--cache-dir", cache},
                    options);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_EQ(ReadFileOrDie(Rootfs("fake") + "/etc/debian_version"), "12.4\n");
  EXPECT_NE(made.err.find("I: extracting archives...\nI: done\n"), std::string::npos) << made.err;
  EXPECT_EQ(made.err.find("dmesg(1)"), std::string::npos) << made.err;
  EXPECT_EQ(made.err.find("permission denied"), std::string::npos) << made.err;
  EXPECT_EQ(made.err.find("W: since mounting /proc"), std::string::npos) << made.err;
  EXPECT_EQ(Destroy("fake").exit_code, 0);
}

}  // namespace
}  // namespace uxc::testing
