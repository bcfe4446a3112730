#include "base/rootfs_file.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "base/unique_fd.h"

namespace uxc {
namespace {

class RootfsFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/uxc-rootfs-file-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    root_ = dir;
    ASSERT_EQ(mkdir((root_ + "/etc").c_str(), 0755), 0);
    root_fd_ = UniqueFd(open(root_.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    ASSERT_TRUE(root_fd_.valid());
  }
  void TearDown() override { std::system(("rm -rf " + root_).c_str()); }

  Result<std::string> Read(const std::string& path, size_t max = 1 << 20) {
    return ReadRootfsFile(root_fd_.get(), root_, path, max);
  }

  std::string root_;
  UniqueFd root_fd_;
};

TEST_F(RootfsFileTest, ReadsARegularFile) {
  std::ofstream(root_ + "/etc/passwd") << "root:x:0:0:root:/root:/bin/sh\n";
  auto text = Read("/etc/passwd");
  ASSERT_TRUE(text.ok()) << text.error().ToString();
  EXPECT_EQ(*text, "root:x:0:0:root:/root:/bin/sh\n");
}

TEST_F(RootfsFileTest, MissingFileKeepsEnoent) {
  auto text = Read("/etc/passwd");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().errno_value, ENOENT);
  EXPECT_NE(text.error().message.find(root_ + "/etc/passwd"), std::string::npos);
}

TEST_F(RootfsFileTest, FifoIsRefusedAtOnce) {
  ASSERT_EQ(mkfifo((root_ + "/etc/passwd").c_str(), 0644), 0);
  auto text = Read("/etc/passwd");
  ASSERT_FALSE(text.ok());
  EXPECT_EQ(text.error().message, root_ + "/etc/passwd: not a regular file (a FIFO); uxc reads only regular "
                                          "files from a container's root");
}

TEST_F(RootfsFileTest, CharacterDeviceIsRefused) {
  // A container's /dev/zero: here the host's, read with the host's / as root.
  UniqueFd host_root(open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
  auto text = ReadRootfsFile(host_root.get(), "ROOTFS", "/dev/zero", 1 << 20);
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.error().message.find("ROOTFS/dev/zero: not a regular file (a character device)"),
            std::string::npos)
      << text.error().message;
}

TEST_F(RootfsFileTest, DirectoryIsRefused) {
  auto text = Read("/etc");
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.error().message.find("not a regular file (a directory)"), std::string::npos);
}

TEST_F(RootfsFileTest, SymlinkCannotLeadOutOfTheRoot) {
  std::ofstream(root_ + "/etc/shadow") << "inside\n";
  ASSERT_EQ(symlink("../../../../../../etc/shadow", (root_ + "/etc/passwd").c_str()), 0);
  auto text = Read("/etc/passwd");
  ASSERT_TRUE(text.ok()) << text.error().ToString();
  EXPECT_EQ(*text, "inside\n");
  ASSERT_EQ(unlink((root_ + "/etc/passwd").c_str()), 0);
  ASSERT_EQ(symlink("/etc/hostname", (root_ + "/etc/passwd").c_str()), 0);
  EXPECT_EQ(Read("/etc/passwd").error().errno_value, ENOENT);
}

TEST_F(RootfsFileTest, SizeCapRefusesLargerFiles) {
  std::ofstream(root_ + "/etc/passwd") << std::string(100, 'x');
  EXPECT_TRUE(Read("/etc/passwd", 100).ok());
  auto text = Read("/etc/passwd", 99);
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.error().message.find("100 bytes, more than the 99"), std::string::npos) << text.error().message;
}

TEST_F(RootfsFileTest, HugeSparseFileIsRefusedWithoutReading) {
  UniqueFd fd(open((root_ + "/etc/passwd").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
  ASSERT_EQ(ftruncate(fd.get(), 1LL << 40), 0);
  auto text = Read("/etc/passwd");
  ASSERT_FALSE(text.ok());
  EXPECT_NE(text.error().message.find("1099511627776 bytes, more than"), std::string::npos);
}

}  // namespace
}  // namespace uxc
