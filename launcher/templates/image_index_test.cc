#include "launcher/templates/image_index.h"

#include "gtest/gtest.h"

namespace uxc::templates {
namespace {

constexpr char kIndex[] =
    "alpine;3.19;amd64;default;20240101_13:00;/images/alpine/3.19/amd64/default/20240101_13:00/\n"
    "debian;bookworm;amd64;default;20240102_05:24;/images/debian/bookworm/amd64/default/20240102_05:24/\n"
    "debian;bookworm;arm64;default;20240102_05:24;/images/debian/bookworm/arm64/default/20240102_05:24/\n"
    "\n"
    "debian;trixie;amd64;cloud;20240103_05:24;images/debian/trixie/amd64/cloud/x\r\n";

TEST(ImageIndexTest, ParsesEveryLine) {
  auto index = ParseImageIndex(kIndex);
  ASSERT_TRUE(index.ok()) << index.error().ToString();
  ASSERT_EQ(index->size(), 4u);
  EXPECT_EQ((*index)[1].dist, "debian");
  EXPECT_EQ((*index)[1].release, "bookworm");
  EXPECT_EQ((*index)[1].arch, "amd64");
  EXPECT_EQ((*index)[1].variant, "default");
  EXPECT_EQ((*index)[1].build, "20240102_05:24");
  EXPECT_EQ((*index)[1].path, "/images/debian/bookworm/amd64/default/20240102_05:24/");
  EXPECT_EQ((*index)[1].line, 2);
  // Relative paths are made absolute and given a trailing '/'; CR is dropped.
  EXPECT_EQ((*index)[3].path, "/images/debian/trixie/amd64/cloud/x/");
  EXPECT_EQ((*index)[3].line, 5);
}

TEST(ImageIndexTest, FindsTheFirstMatch) {
  auto index = ParseImageIndex(kIndex);
  ASSERT_TRUE(index.ok());
  auto image = FindImage(*index, {"debian", "bookworm", "arm64", "default"});
  ASSERT_TRUE(image.ok());
  EXPECT_EQ(image->path, "/images/debian/bookworm/arm64/default/20240102_05:24/");
}

TEST(ImageIndexTest, MissingImageSaysWhatIsOffered) {
  auto index = ParseImageIndex(kIndex);
  ASSERT_TRUE(index.ok());
  auto image = FindImage(*index, {"debian", "sid", "amd64", "default"});
  ASSERT_FALSE(image.ok());
  EXPECT_NE(image.error().message.find("no image debian/sid/amd64"), std::string::npos);
  EXPECT_NE(image.error().message.find("bookworm/amd64/default"), std::string::npos);
  EXPECT_NE(image.error().message.find("trixie/amd64/cloud"), std::string::npos);
  auto none = FindImage(*index, {"fedora", "40", "amd64", "default"});
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message.find("no images of 'fedora'"), std::string::npos);
}

TEST(ImageIndexTest, RejectsMalformedLinesByNumber) {
  struct Case {
    const char* text;
    const char* expected;
  } cases[] = {
      {"a;b;c;d;e\n", "line 1: expected 6"},
      {"ok;b;c;d;e;/p/\na;b;c;d;e;/p/;extra\n", "line 2: expected 6"},
      {"a;;c;d;e;/p/\n", "line 1: empty release"},
      {"a;b;c;d;e;/images/../../etc/\n", "must not contain '..'"},
      {"a;b;c;d;e;/p?q=1\n", "bad character in path"},
      {"a/x;b;c;d;e;/p/\n", "bad character in dist"},
      {"a;b;c;d;e;/p q/\n", "bad character in path"},
      {"..;b;c;d;e;/p/\n", "dist must not be '..'"},
      {"a;.;c;d;e;/p/\n", "release must not be '.'"},
  };
  for (const auto& c : cases) {
    auto index = ParseImageIndex(c.text);
    ASSERT_FALSE(index.ok()) << c.text;
    EXPECT_NE(index.error().message.find(c.expected), std::string::npos) << index.error().message;
  }
}

TEST(ImageIndexTest, EmptyIndexHasNoImages) {
  auto index = ParseImageIndex("\n\n");
  ASSERT_TRUE(index.ok());
  EXPECT_TRUE(index->empty());
  EXPECT_FALSE(FindImage(*index, {"debian", "bookworm", "amd64", "default"}).ok());
}

TEST(ImageIndexTest, ListShowsTheMatchingImagesInColumns) {
  auto index = ParseImageIndex(
      "debian;bookworm;amd64;default;20240101_05:24;/i/1/\n"
      "debian;bookworm;arm64;default;20240101_05:24;/i/2/\n"
      "alpine;3.19;amd64;cloud;20240102_13:00;/i/3/\n");
  ASSERT_TRUE(index.ok()) << index.error().ToString();
  EXPECT_EQ(FormatImageList(*index, {"", "", "", ""}),
            "DIST    RELEASE   ARCH   VARIANT  BUILD\n"
            "debian  bookworm  amd64  default  20240101_05:24\n"
            "debian  bookworm  arm64  default  20240101_05:24\n"
            "alpine  3.19      amd64  cloud    20240102_13:00\n");
  EXPECT_EQ(FormatImageList(*index, {"", "", "amd64", ""}),
            "DIST    RELEASE   ARCH   VARIANT  BUILD\n"
            "debian  bookworm  amd64  default  20240101_05:24\n"
            "alpine  3.19      amd64  cloud    20240102_13:00\n");
  EXPECT_EQ(FormatImageList(*index, {"ubuntu", "", "", ""}), "The server's index has no image that matches.\n");
}

}  // namespace
}  // namespace uxc::templates
