#include "launcher/templates/download.h"

#include "gtest/gtest.h"

namespace uxc::templates {
namespace {

TEST(DownloadTest, ServerBaseUrl) {
  EXPECT_EQ(ServerBaseUrl("images.linuxcontainers.org"), "https://images.linuxcontainers.org");
  EXPECT_EQ(ServerBaseUrl("http://127.0.0.1:8080/"), "http://127.0.0.1:8080");
  EXPECT_EQ(ServerBaseUrl("https://mirror.example/lxc//"), "https://mirror.example/lxc");
}

TEST(DownloadTest, DebianArchitectureNames) {
  EXPECT_EQ(DebianArchitecture("x86_64"), "amd64");
  EXPECT_EQ(DebianArchitecture("aarch64"), "arm64");
  EXPECT_EQ(DebianArchitecture("ppc64le"), "ppc64el");
  EXPECT_EQ(DebianArchitecture("mips"), "mips");
}

TEST(DownloadTest, ValidationPolicy) {
  auto https = ChooseValidation("https://images.linuxcontainers.org", false, false);
  ASSERT_TRUE(https.ok());
  EXPECT_EQ(*https, Validation::kTransport);
  auto keyring = ChooseValidation("http://127.0.0.1:1", true, false);
  ASSERT_TRUE(keyring.ok());
  EXPECT_EQ(*keyring, Validation::kSignatures);
  auto unchecked = ChooseValidation("http://127.0.0.1:1", false, true);
  ASSERT_TRUE(unchecked.ok());
  EXPECT_EQ(*unchecked, Validation::kNone);
  auto refused = ChooseValidation("http://127.0.0.1:1", false, false);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("--no-validate"), std::string::npos);
  EXPECT_NE(refused.error().message.find("--keyring"), std::string::npos);
  EXPECT_FALSE(ChooseValidation("https://x", true, true).ok());
}

}  // namespace
}  // namespace uxc::templates
