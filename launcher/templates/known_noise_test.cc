#include "launcher/templates/known_noise.h"

#include "gtest/gtest.h"

namespace uxc::templates {
namespace {

// What mmdebstrap 1.3.5 printed for a successful `uxc create -t debian`.
constexpr char kBootstrapOutput[] =
    "I: extracting archives...\n"
    "mount: /var/tmp/mmdebstrap.yZInrWAwAs/sys: permission denied.\n"
    "       dmesg(1) may have more information after failed mount system call.\n"
    "mount: /var/tmp/mmdebstrap.yZInrWAwAs/proc: permission denied.\n"
    "       dmesg(1) may have more information after failed mount system call.\n"
    "mount: /var/tmp/mmdebstrap.yZInrWAwAs/proc: permission denied.\n"
    "       dmesg(1) may have more information after failed mount system call.\n"
    "W: since mounting /proc normally failed, /proc is now bind-mounted instead\n"
    "I: installing essential packages...\n";

TEST(NoiseFilterTest, TheRefusedMountsOfASuccessfulBootstrapAreHidden) {
  NoiseFilter filter(IsMmdebstrapMountNoise);
  std::string shown = filter.Feed(kBootstrapOutput);
  shown += filter.Finish();
  EXPECT_EQ(shown, "I: extracting archives...\nI: installing essential packages...\n");
  EXPECT_NE(filter.hidden().find("/sys: permission denied.\n"), std::string::npos);
  EXPECT_NE(filter.hidden().find("W: since mounting /proc"), std::string::npos);
}

TEST(NoiseFilterTest, ChunksSplitAnywhereGiveTheSameLines) {
  std::string text = kBootstrapOutput;
  for (size_t size : {1u, 3u, 17u, 64u}) {
    NoiseFilter filter(IsMmdebstrapMountNoise);
    std::string shown;
    for (size_t at = 0; at < text.size(); at += size) shown += filter.Feed(text.substr(at, size));
    shown += filter.Finish();
    EXPECT_EQ(shown, "I: extracting archives...\nI: installing essential packages...\n") << size;
  }
}

TEST(NoiseFilterTest, RealErrorsStayVisible) {
  NoiseFilter filter(IsMmdebstrapMountNoise);
  std::string text =
      "mount: /var/tmp/m/sys: permission denied.\n"
      "       dmesg(1) may have more information after failed mount system call.\n"
      "E: mount /sys failed: 8192\n"
      "       dmesg(1) may have more information after failed mount system call.\n"
      "mount: /var/tmp/m/dev/null: permission denied.\n"
      "mount: /var/tmp/m/sys: no space left on device.\n"
      "W: some other warning\n"
      "no newline at the end";
  std::string shown = filter.Feed(text);
  shown += filter.Finish();
  EXPECT_EQ(shown,
            "E: mount /sys failed: 8192\n"
            "       dmesg(1) may have more information after failed mount system call.\n"
            "mount: /var/tmp/m/dev/null: permission denied.\n"
            "mount: /var/tmp/m/sys: no space left on device.\n"
            "W: some other warning\n"
            "no newline at the end");
}

}  // namespace
}  // namespace uxc::templates
