// `uxc create -t local`: LXC's local template with rootfs and meta tarballs
// the test builds, as a real unprivileged user.
#include <unistd.h>

#include "tests/integration/templates_fixture.h"

namespace uxc::testing {
namespace {

class LocalTemplateTest : public TemplatesTest {
 protected:
  void SetUp() override {
    TemplatesTest::SetUp();
    tree_ = Scratch() + "/tree";
    Shell("mkdir -p " + tree_ + "/etc " + tree_ + "/bin " + tree_ + "/var/cache/junk " + tree_ + "/dev " +
          tree_ + "/home/u1");
    Shell("printf 'LXC_NAME\\n' > " + tree_ + "/etc/hostname");
    Shell("printf 'welcome\\n' > " + tree_ + "/etc/motd && chmod 0640 " + tree_ + "/etc/motd");
    Shell("printf '#!/bin/sh\\necho hi\\n' > " + tree_ + "/bin/hello && chmod 0755 " + tree_ + "/bin/hello");
    Shell("touch " + tree_ + "/var/cache/junk/file");
    Shell("chown 1000:1000 " + tree_ + "/home/u1");
    Shell("mknod " + tree_ + "/dev/null c 1 3");

    std::string meta = Scratch() + "/meta";
    Shell("mkdir -p " + meta);
    Shell("printf 'lxc.arch = wrong\\n' > " + meta + "/config");
    Shell("printf 'lxc.arch = x86_64\\nlxc.environment = ROOT=LXC_ROOTFS\\n' > " + meta + "/config-user");
    Shell("printf '/etc/hostname\\n/etc/not-there\\n' > " + meta + "/templates");
    Shell("printf './var/cache/junk\\n' > " + meta + "/excludes-user");
    Shell("printf 'Have fun\\n' > " + meta + "/create-message");
    metadata_ = Scratch() + "/meta.tar.xz";
    Shell("tar --numeric-owner -cJf " + metadata_ + " -C " + meta + " .");
  }

  // The tree as a tarball compressed with `flag` ("" for none).
  std::string Fstree(const std::string& suffix, const std::string& flag) {
    std::string file = Scratch() + "/rootfs.tar" + suffix;
    Shell("tar --numeric-owner " + flag + " -cf " + file + " -C " + tree_ + " .");
    Shell("chmod 0644 " + file);
    return file;
  }

  std::string tree_;
  std::string metadata_;
};

TEST_F(LocalTemplateTest, UnpacksTheImageLikeLxcLocal) {
  std::string fstree = Fstree(".xz", "--xz");
  auto made = Create("l1", "local", {"--fstree", fstree, "--metadata", metadata_, "--no-dev"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_NE(made.out.find("Have fun"), std::string::npos) << made.out;

  EXPECT_EQ(StatOrDie(Rootfs("l1")).st_uid, kSubidStart);
  struct stat motd = StatOrDie(Rootfs("l1") + "/etc/motd");
  EXPECT_EQ(motd.st_uid, kSubidStart);
  EXPECT_EQ(motd.st_mode & 07777, 0640u);
  struct stat home = StatOrDie(Rootfs("l1") + "/home/u1");
  EXPECT_EQ(home.st_uid, kSubidStart + 1000);
  EXPECT_EQ(home.st_gid, kSubidStart + 1000);
  // templates: LXC_NAME filled in; the excluded path and device nodes left out.
  EXPECT_EQ(ReadFileOrDie(Rootfs("l1") + "/etc/hostname"), "l1\n");
  EXPECT_EQ(StatOrDie(Rootfs("l1") + "/etc/hostname").st_uid, kSubidStart);
  EXPECT_FALSE(Exists(Rootfs("l1") + "/var/cache/junk"));
  EXPECT_TRUE(Exists(Rootfs("l1") + "/var/cache"));
  EXPECT_FALSE(Exists(Rootfs("l1") + "/dev/null"));
  EXPECT_TRUE(Exists(Rootfs("l1") + "/dev/pts"));
  EXPECT_FALSE(Exists(Rootfs("l1") + "/etc/not-there"));

  std::string config = ReadFileOrDie(ContainerDir("l1") + "/config");
  EXPECT_NE(config.find("# Distribution configuration\nlxc.arch = x86_64\n"), std::string::npos) << config;
  EXPECT_NE(config.find("lxc.environment = ROOT=" + Rootfs("l1") + "\n"), std::string::npos) << config;
  EXPECT_EQ(config.find("wrong"), std::string::npos) << config;
  EXPECT_NE(config.find("lxc.uts.name = l1\n"), std::string::npos) << config;
  // No scratch files left next to the config.
  EXPECT_EQ(ListDirectory(ContainerDir("l1")), (std::vector<std::string>{"config", "rootfs"}));
}

TEST_F(LocalTemplateTest, EveryCompressionAndNoMetadata) {
  struct Case {
    const char* suffix;
    const char* flag;
  } cases[] = {{"", ""}, {".gz", "--gzip"}, {".zst", "--zstd"}, {".xz", "--xz"}};
  int n = 0;
  for (const auto& c : cases) {
    std::string name = "c" + std::to_string(n++);
    auto made = Create(name, "local", {"--fstree", Fstree(c.suffix, c.flag), "--no-dev"});
    ASSERT_EQ(made.exit_code, 0) << c.suffix << ": " << made.err;
    EXPECT_EQ(ReadFileOrDie(Rootfs(name) + "/bin/hello"), "#!/bin/sh\necho hi\n");
    // Without metadata nothing is excluded or substituted.
    EXPECT_TRUE(Exists(Rootfs(name) + "/var/cache/junk/file"));
    EXPECT_EQ(ReadFileOrDie(Rootfs(name) + "/etc/hostname"), "LXC_NAME\n");
    EXPECT_EQ(Destroy(name).exit_code, 0);
  }
  EXPECT_TRUE(ListDirectory(path_).empty());
}

TEST_F(LocalTemplateTest, DeviceNodesNeedNoDev) {
  auto refused = Create("l2", "local", {"--fstree", Fstree(".gz", "--gzip"), "--metadata", metadata_});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("pass --no-dev"), std::string::npos) << refused.err;
  EXPECT_TRUE(ListDirectory(path_).empty());
}

TEST_F(LocalTemplateTest, TemplatePathThroughASymlinkIsRefused) {
  Shell("ln -s /etc " + tree_ + "/etc/host-etc");
  std::string meta = Scratch() + "/meta";
  Shell("printf '/etc/host-etc/passwd\\n' > " + meta + "/templates");
  Shell("tar --numeric-owner -cJf " + metadata_ + " -C " + meta + " .");
  auto refused = Create("l3", "local", {"--fstree", Fstree(".xz", "--xz"), "--metadata", metadata_, "--no-dev"});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("symlink"), std::string::npos) << refused.err;
  EXPECT_TRUE(ListDirectory(path_).empty());
}

TEST_F(LocalTemplateTest, BadInputLeavesNothing) {
  std::string garbage = Scratch() + "/garbage.tar";
  Shell("head -c 4096 /dev/urandom > " + garbage + " && chmod 0644 " + garbage);
  std::string no_config = Scratch() + "/noconfig.tar.xz";
  Shell("mkdir -p " + Scratch() + "/empty-meta && tar -cJf " + no_config + " -C " + Scratch() + "/empty-meta .");
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  } cases[] = {
      {{}, "needs --fstree"},
      {{"--fstree", Scratch() + "/missing.tar"}, "open the fstree"},
      {{"--fstree", Scratch()}, "is not a regular file"},
      {{"--fstree", garbage, "--no-dev"}, "extracting the fstree"},
      {{"--fstree", Fstree(".xz", "--xz"), "--metadata", no_config, "--no-dev"}, "no config file"},
      {{"--fstree", Fstree(".xz", "--xz"), "--metadata", Scratch() + "/missing"}, "open the metadata"},
  };
  for (const auto& c : cases) {
    auto result = Create("bad", "local", c.args);
    EXPECT_EQ(result.exit_code, 1);
    EXPECT_NE(result.err.find(c.expected), std::string::npos) << c.expected << "\n" << result.err;
    EXPECT_TRUE(ListDirectory(path_).empty()) << c.expected;
  }
}

}  // namespace
}  // namespace uxc::testing
