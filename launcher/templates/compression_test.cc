#include "launcher/templates/compression.h"

#include <sys/mman.h>
#include <unistd.h>

#include "gtest/gtest.h"

namespace uxc::templates {
namespace {

using namespace std::string_view_literals;

TEST(CompressionTest, RecognisesMagicBytes) {
  EXPECT_EQ(DetectCompression("\x1f\x8b\x08\x00"sv), Compression::kGzip);
  EXPECT_EQ(DetectCompression("\xfd" "7zXZ\0\0"sv), Compression::kXz);
  EXPECT_EQ(DetectCompression("\x28\xb5\x2f\xfd\x00"sv), Compression::kZstd);
  EXPECT_EQ(DetectCompression("BZh91AY"sv), Compression::kBzip2);
}

TEST(CompressionTest, AnythingElseIsPlain) {
  EXPECT_EQ(DetectCompression("./etc/\0\0\0"sv), Compression::kNone);
  EXPECT_EQ(DetectCompression(""sv), Compression::kNone);
  EXPECT_EQ(DetectCompression("\x1f"sv), Compression::kNone);
  EXPECT_EQ(DetectCompression("\xfd" "7zX"sv), Compression::kNone);
}

TEST(CompressionTest, TarFlags) {
  EXPECT_EQ(TarDecompressFlag(Compression::kXz), "--xz");
  EXPECT_EQ(TarDecompressFlag(Compression::kGzip), "--gzip");
  EXPECT_EQ(TarDecompressFlag(Compression::kZstd), "--zstd");
  EXPECT_EQ(TarDecompressFlag(Compression::kBzip2), "--bzip2");
  EXPECT_EQ(TarDecompressFlag(Compression::kNone), "");
}

TEST(CompressionTest, ReadHeadReadsFromTheStartWhateverTheOffset) {
  int fd = memfd_create("head", MFD_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, "\x28\xb5\x2f\xfd rest", 9), 9);
  auto head = ReadHead(fd, 4);
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(DetectCompression(*head), Compression::kZstd);
  close(fd);
}

}  // namespace
}  // namespace uxc::templates
