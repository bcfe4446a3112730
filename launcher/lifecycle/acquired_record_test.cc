#include "launcher/lifecycle/acquired_record.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "gtest/gtest.h"
#include "launcher/lifecycle/acquired_log.h"
#include "launcher/lifecycle/release.h"

namespace uxc::lifecycle {
namespace {

security::StopHooks PostStopHooks(const std::string& marker) {
  security::StopHooks hooks;
  hooks.type = security::HookType::kPostStop;
  hooks.values = {"echo ran >> " + marker};
  hooks.lines = {"exec echo ran >> " + marker + " 'c1' 'lxc' 'post-stop'"};
  hooks.environment = {"PATH=/usr/bin:/bin", "LXC_NAME=c1", "HOME=/home/a\nwith a newline\\and\ttab"};
  return hooks;
}

AcquiredRecord Sample() {
  AcquiredRecord record;
  record.entries.push_back({AcquiredKind::kRuntimeFiles, AcquiredStatus::kConfirmed, "/run/user/1000/uxc/c1", {}});
  record.entries.push_back({AcquiredKind::kStopHooks, AcquiredStatus::kIntent, "", PostStopHooks("/tmp/m")});
  return record;
}

std::string TempDir() {
  std::string pattern = std::string(getenv("TEST_TMPDIR") ? getenv("TEST_TMPDIR") : "/tmp") + "/acq-XXXXXX";
  EXPECT_NE(mkdtemp(pattern.data()), nullptr);
  return pattern;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(AcquiredRecordTest, RoundTripsWithEscapedValues) {
  std::string text = SerializeAcquired(Sample());
  EXPECT_NE(text.find("env=HOME=/home/a\\nwith a newline\\\\and\\x09tab\n"), std::string::npos) << text;
  auto parsed = ParseAcquired(text, "acquired");
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  EXPECT_EQ(*parsed, Sample());
}

TEST(AcquiredRecordTest, AnEmptyRecordRoundTrips) {
  auto parsed = ParseAcquired(SerializeAcquired({}), "acquired");
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  EXPECT_TRUE(parsed->entries.empty());
}

TEST(AcquiredRecordTest, CgroupAndNicKindsAreReadAndWritten) {
  AcquiredRecord record;
  record.entries.push_back({AcquiredKind::kCgroup, AcquiredStatus::kIntent, "/sys/fs/cgroup/u/uxc.payload.c1", {}});
  record.entries.push_back(
      {AcquiredKind::kCgroup, AcquiredStatus::kConfirmed, "/sys/fs/cgroup/u/uxc.monitor.c1", {}, CgroupRole::kMonitor});
  AcquiredEntry nic{AcquiredKind::kNic, AcquiredStatus::kConfirmed, "veth1000_a1B2", {}, CgroupRole::kPayload,
                    {"lxc.net.0", "uxcbr0", "/usr/bin/uxc-user-nic", "eth0"}};
  nic.hooks.type = security::HookType::kNetScript;
  nic.hooks.values = {"/bin/down"};
  nic.hooks.lines = {"exec /bin/down 'c1' 'net' 'down' 'veth'"};
  nic.hooks.environment = {"LXC_NET_PARENT=uxcbr0"};
  record.entries.push_back(nic);
  // A nic's intent: uxc-user-nic has not named the host end yet.
  record.entries.push_back({AcquiredKind::kNic, AcquiredStatus::kIntent, "", {}, CgroupRole::kPayload,
                            {"lxc.net.1", "none", "/usr/bin/uxc-user-nic", ""}});
  std::string text = SerializeAcquired(record);
  EXPECT_NE(text.find("entry=cgroup intent\ntarget=/sys/fs/cgroup/u/uxc.payload.c1\ncgroup-role=payload\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("cgroup-role=monitor\n"), std::string::npos) << text;
  EXPECT_NE(text.find("entry=nic confirmed\ntarget=veth1000_a1B2\nkey=lxc.net.0\nbridge=uxcbr0\n"
                      "helper=/usr/bin/uxc-user-nic\nnic=eth0\nhook-type=net\n"),
            std::string::npos)
      << text;
  auto parsed = ParseAcquired(text, "acquired");
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  EXPECT_EQ(*parsed, record);
}

// Found by the fuzzer: a nic's hook fields without a hook= still make the
// round trip.
TEST(AcquiredRecordTest, ANicsHookFieldsWithoutAHookRoundTrip) {
  std::string text =
      "uxc-acquired 1\nentry=nic intent\nkey=lxc.net.0\nbridge=br0\nhelper=/h\nhook-version=1\nenv=A=b\n";
  auto parsed = ParseAcquired(text, "acquired");
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  auto again = ParseAcquired(SerializeAcquired(*parsed), "acquired");
  ASSERT_TRUE(again.ok()) << again.error().ToString();
  EXPECT_EQ(*again, *parsed);
}

TEST(AcquiredRecordTest, ACorruptLineIsNamedWithTheFileAndWhatToDo) {
  std::string text = SerializeAcquired(Sample());
  text.replace(text.find("entry=stop-hooks intent"), 23, "entry=stop-hooks maybe");
  auto parsed = ParseAcquired(text, "/run/x/acquired");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.error().message.find("/run/x/acquired:4: expected \"entry=KIND STATUS\""), std::string::npos)
      << parsed.error().message;
  EXPECT_NE(parsed.error().message.find("release by hand what it names"), std::string::npos);
}

TEST(AcquiredRecordTest, RejectsBadEscapesUnknownKeysAndHalfEntries) {
  const char* kBad[] = {
      "uxc-acquired 1\ntarget=/x\n",                                   // before any entry
      "uxc-acquired 1\nentry=runtime-files intent\ntarget=/x\\q\n",   // bad escape
      "uxc-acquired 1\nentry=runtime-files intent\ntarget=/x\\x4\n",  // short escape
      "uxc-acquired 1\nentry=runtime-files intent\nhook=x\n",          // wrong key for the kind
      "uxc-acquired 1\nentry=runtime-files intent\n",                  // no target
      "uxc-acquired 1\nentry=runtime-files intent\ntarget=relative\n",
      "uxc-acquired 1\nentry=stop-hooks intent\nhook=x\n",             // a hook without its line
      "uxc-acquired 1\nentry=stop-hooks intent\nline=x\n",             // a line without its hook
      "uxc-acquired 1\nentry=stop-hooks intent\nenv=NOEQUALS\n",
      "uxc-acquired 1\nentry=nic confirmed\nkey=lxc.net.0\nbridge=b\nhelper=/h\n",  // confirmed, no target
      "uxc-acquired 1\nentry=nic intent\ntarget=veth1\n",                            // no bridge nor helper
      "uxc-acquired 2\n",
      "uxc-acquired 1\nentry=runtime-files intent\ntarget=/x",          // cut short
  };
  for (const char* text : kBad) EXPECT_FALSE(ParseAcquired(text, "f").ok()) << text;
}

TEST(AcquiredRecordTest, TheLogWritesIntentsThenConfirmsThem) {
  std::string dir = TempDir() + "/c1";
  auto log = AcquiredLog::Open(PathsIn(dir));
  ASSERT_TRUE(log.ok()) << log.error().ToString();
  struct stat st;
  ASSERT_EQ(stat(log->path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_TRUE(log->Intend({AcquiredKind::kStopHooks, AcquiredStatus::kConfirmed, "", PostStopHooks("/m")}).ok());
  auto read = ReadAcquiredFile(log->path());
  ASSERT_TRUE(read.ok() && read->has_value());
  ASSERT_EQ((*read)->entries.size(), 2u);
  EXPECT_EQ((*read)->entries[0].status, AcquiredStatus::kIntent);  // the runtime dir itself
  EXPECT_EQ((*read)->entries[1].status, AcquiredStatus::kIntent);  // an intent, whatever the caller said
  ASSERT_TRUE(log->Confirm(AcquiredKind::kStopHooks).ok());
  read = ReadAcquiredFile(log->path());
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ((*read)->entries[0].status, AcquiredStatus::kIntent);
  EXPECT_EQ((*read)->entries[1].status, AcquiredStatus::kConfirmed);
}

TEST(AcquiredRecordTest, NoFileIsNoRecordAndACorruptFileIsAnError) {
  std::string dir = TempDir();
  auto none = ReadAcquiredFile(dir + "/acquired");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  std::ofstream(dir + "/acquired") << "uxc-acquired 1\nentry=nic confirmed\n";
  auto corrupt = ReadAcquiredFile(dir + "/acquired");
  ASSERT_FALSE(corrupt.ok());
  EXPECT_NE(corrupt.error().message.find(dir + "/acquired:2:"), std::string::npos) << corrupt.error().message;
}

// The release runs a confirmed hook once, drops an intended one, removes
// the runtime dir last, and a second release finds nothing to do.
TEST(AcquiredRecordTest, ReleaseRunsEachConfirmedEntryOnceAndRemovesTheDir) {
  std::string base = TempDir();
  std::string dir = base + "/c1";
  std::string marker = base + "/marker";
  auto log = AcquiredLog::Open(PathsIn(dir));
  ASSERT_TRUE(log.ok()) << log.error().ToString();
  ASSERT_TRUE(log->Intend({AcquiredKind::kStopHooks, {}, "", PostStopHooks(marker)}).ok());
  security::StopHooks never = PostStopHooks(base + "/never");
  never.type = security::HookType::kStop;
  ASSERT_TRUE(log->Confirm(AcquiredKind::kStopHooks).ok());
  ASSERT_TRUE(log->Intend({AcquiredKind::kStopHooks, {}, "", never}).ok());  // never confirmed
  StopContext stop;
  ASSERT_TRUE(ReleaseRecorded(dir, stop).ok());
  EXPECT_EQ(ReadAll(marker), "ran c1 lxc post-stop\n");
  struct stat st;
  EXPECT_NE(stat((base + "/never").c_str(), &st), 0);
  EXPECT_NE(stat(dir.c_str(), &st), 0) << "the runtime dir is gone";
  ASSERT_TRUE(ReleaseRecorded(dir, stop).ok());
  EXPECT_EQ(ReadAll(marker), "ran c1 lxc post-stop\n");
}

// A release interrupted after the hook resumes with what is left, and does
// not run the hook again.
TEST(AcquiredRecordTest, AnInterruptedReleaseResumesWithoutRunningAHookTwice) {
  std::string base = TempDir();
  std::string dir = base + "/c1";
  std::string marker = base + "/marker";
  auto log = AcquiredLog::Open(PathsIn(dir));
  ASSERT_TRUE(log.ok());
  ASSERT_TRUE(log->Intend({AcquiredKind::kStopHooks, {}, "", PostStopHooks(marker)}).ok());
  ASSERT_TRUE(log->Confirm(AcquiredKind::kStopHooks).ok());
  ASSERT_TRUE(log->Confirm(AcquiredKind::kRuntimeFiles).ok());
  // As a release that ran the hook and died before the runtime files.
  AcquiredRecord half = log->record();
  half.entries[1].status = AcquiredStatus::kReleased;
  ASSERT_TRUE(WriteAcquiredFile(log->path(), half).ok());
  StopContext stop;
  ASSERT_TRUE(ReleaseRecorded(dir, stop).ok());
  struct stat st;
  EXPECT_NE(stat(marker.c_str(), &st), 0) << "the hook ran again";
  EXPECT_NE(stat(dir.c_str(), &st), 0);
}

}  // namespace
}  // namespace uxc::lifecycle
