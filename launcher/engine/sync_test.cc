#include "launcher/engine/sync.h"

#include <unistd.h>

#include <cstring>

#include "gtest/gtest.h"

namespace uxc::launcher {
namespace {

// The child's side of a failed set-up: its report is sent, a message of the
// launcher's lies unread in its queue, and it exits (its end is closed).
TEST(SyncTest, AReportSentBeforeAnExitWithAMessageUnreadIsStillReceived) {
  auto pair = MakeSyncPair();
  ASSERT_TRUE(pair.ok()) << pair.error().ToString();
  ASSERT_EQ(SendTag(pair->parent.get(), SyncTag::kGo), 0);
  ChildReport report;
  std::strncpy(report.text, "mount proc on /proc", sizeof report.text - 1);
  report.errno_value = ENOENT;
  ASSERT_EQ(SendReport(pair->child.get(), report), 0);
  pair->child.Reset();

  auto received = Receive(pair->parent.get());
  ASSERT_TRUE(received.ok()) << received.error().ToString();
  ASSERT_FALSE(received->end_of_stream);
  EXPECT_EQ(received->message.tag, SyncTag::kError);
  EXPECT_STREQ(received->message.report.text, "mount proc on /proc");
  EXPECT_EQ(received->message.report.errno_value, ENOENT);

  auto after = Receive(pair->parent.get());
  ASSERT_TRUE(after.ok()) << after.error().ToString();
  EXPECT_TRUE(after->end_of_stream);
}

TEST(SyncTest, AnExitWithAMessageUnreadAndNothingSentIsTheEndOfTheStream) {
  auto pair = MakeSyncPair();
  ASSERT_TRUE(pair.ok()) << pair.error().ToString();
  ASSERT_EQ(SendTag(pair->parent.get(), SyncTag::kGo), 0);
  pair->child.Reset();
  auto received = Receive(pair->parent.get());
  ASSERT_TRUE(received.ok()) << received.error().ToString();
  EXPECT_TRUE(received->end_of_stream);
}

}  // namespace
}  // namespace uxc::launcher
