// The same cases through our helpers and shadow's (Debian's uidmap package,
// setuid in /usr/bin). Allow/deny must agree, except for the deliberate
// differences that docs/idmap.md lists ("Differences from shadow"); each such
// case names its entry. When both allow, the written maps must be equal.
#include <fcntl.h>
#include <unistd.h>

#include <functional>
#include <memory>

#include "gtest/gtest.h"
#include "tests/integration/idmap_fixture.h"

namespace uxc::testing {
namespace {

enum class Owner { kCaller, kOtherUser };

struct Context {
  const IdmapUsers& users;
  pid_t pid;
  int proc_dir;  // an open /proc/PID directory of the target
};

struct DiffCase {
  const char* name;
  bool uid;  // uxc-newuidmap/newuidmap, else the gid pair
  // The content of /etc/subuid and /etc/subgid; nullptr: the file is absent.
  std::function<const char*(const IdmapUsers&, std::string&)> subid;
  Owner owner;
  Target::Namespace ns;
  std::function<std::vector<std::string>(const Context&)> args;  // the whole argument list
  bool ours_allows;
  bool shadow_allows;
  const char* difference;  // the docs/idmap.md entry when the two differ
  HelperOptions options = {};
};

const char* DefaultSubid(const IdmapUsers& users, std::string& storage) {
  storage = DefaultSubidText(users);
  return storage.c_str();
}

std::string S(uint64_t value) { return std::to_string(value); }

std::vector<std::string> PidAnd(const Context& c, std::vector<std::string> rest) {
  rest.insert(rest.begin(), S(c.pid));
  return rest;
}

std::vector<DiffCase> Cases() {
  const std::string a = S(kSubStartA);
  HelperOptions closed;
  closed.close_stdin = closed.close_stdout = closed.close_stderr = true;
  HelperOptions many_fds;
  many_fds.inherited_fds = 300;
  HelperOptions hostile;
  hostile.env = {"LD_PRELOAD=/nonexistent/lib.so", "LD_LIBRARY_PATH=/tmp", "PATH=/tmp"};
  for (int i = 0; i < 2000; ++i) hostile.env.push_back("HUGE" + S(i) + "=" + std::string(500, 'x'));
  auto range = [](std::vector<std::string> triple) {
    return [triple](const Context& c) { return PidAnd(c, triple); };
  };
  auto user_line = [](std::string suffix) {
    return [suffix](const IdmapUsers& users, std::string& storage) {
      storage = users.a.name + suffix;
      return storage.c_str();
    };
  };
  const auto kNew = Target::Namespace::kNew;
  return {
      {"full_range_uid", true, DefaultSubid, Owner::kCaller, kNew, range({"0", a, "65536"}), true, true, nullptr},
      {"full_range_gid", false, DefaultSubid, Owner::kCaller, kNew, range({"0", a, "65536"}), true, true, nullptr},
      {"own_uid", true, DefaultSubid, Owner::kCaller, kNew,
       [](const Context& c) { return PidAnd(c, {"0", S(c.users.a.uid), "1"}); }, true, true, nullptr},
      {"own_gid_sets_deny", false, DefaultSubid, Owner::kCaller, kNew,
       [](const Context& c) { return PidAnd(c, {"0", S(c.users.a.gid), "1"}); }, true, true, nullptr},
      {"own_and_range", true, DefaultSubid, Owner::kCaller, kNew,
       [a](const Context& c) { return PidAnd(c, {"0", S(c.users.a.uid), "1", "1", a, "65536"}); }, true, true,
       nullptr},
      {"chained_lines", true, user_line(":300000:100\nuxct-idmap-a:300100:100\n"), Owner::kCaller, kNew,
       range({"0", a, "200"}), true, true, nullptr},
      {"numeric_owner", true,
       [](const IdmapUsers& users, std::string& storage) {
         storage = S(users.a.uid) + ":300000:100\n";
         return storage.c_str();
       },
       Owner::kCaller, kNew, range({"0", a, "100"}), true, true, nullptr},
      {"one_past_end", true, DefaultSubid, Owner::kCaller, kNew, range({"0", a, "65537"}), false, false, nullptr},
      {"below_start", true, DefaultSubid, Owner::kCaller, kNew, range({"0", S(kSubStartA - 1), "2"}), false, false,
       nullptr},
      {"other_users_range", true, DefaultSubid, Owner::kCaller, kNew, range({"0", S(kSubStartB), "1"}), false,
       false, nullptr},
      {"own_uid_count_2", true, DefaultSubid, Owner::kCaller, kNew,
       [](const Context& c) { return PidAnd(c, {"0", S(c.users.a.uid), "2"}); }, false, false, nullptr},
      {"overflow_outside", true, DefaultSubid, Owner::kCaller, kNew, range({"0", "4294967295", "1"}), false, false,
       nullptr},
      {"overflow_count", true, user_line(":4294967200:95\n"), Owner::kCaller, kNew,
       range({"0", "4294967200", "4294967295"}), false, false, nullptr},
      {"count_zero", true, DefaultSubid, Owner::kCaller, kNew, range({"0", a, "0"}), false, false, nullptr},
      {"overlap_inside", true, DefaultSubid, Owner::kCaller, kNew, range({"0", a, "10", "5", S(kSubStartA + 100), "10"}),
       false, false, nullptr},
      {"overlap_outside", true, DefaultSubid, Owner::kCaller, kNew,
       range({"0", a, "10", "100", S(kSubStartA + 5), "10"}), false, false, nullptr},
      {"another_users_process", true, DefaultSubid, Owner::kOtherUser, kNew, range({"0", a, "1"}), false, false,
       nullptr},
      {"foreign_namespace_uid", true, DefaultSubid, Owner::kCaller, Target::Namespace::kForeign,
       range({"0", a, "1"}), false, true, "namespace ownership"},
      {"foreign_namespace_gid", false, DefaultSubid, Owner::kCaller, Target::Namespace::kForeign,
       range({"0", a, "1"}), false, true, "namespace ownership"},
      {"host_namespace", true, DefaultSubid, Owner::kCaller, Target::Namespace::kOwn, range({"0", a, "1"}), false,
       false, nullptr},
      {"subuid_missing_range", true, nullptr, Owner::kCaller, kNew, range({"0", a, "1"}), false, false, nullptr},
      {"subuid_missing_own_uid", true, nullptr, Owner::kCaller, kNew,
       [](const Context& c) { return PidAnd(c, {"0", S(c.users.a.uid), "1"}); }, true, false,
       "own id without a subordinate file"},
      {"malformed_other_line", true, user_line(":300000:65536\nuxct-idmap-b:1:2:3\n"), Owner::kCaller, kNew,
       range({"0", a, "1"}), false, true, "strict subordinate files"},
      {"octal_subuid_line", true, user_line(":01111000:10\n"), Owner::kCaller, kNew, range({"0", "299520", "10"}),
       false, true, "strict subordinate files"},
      {"trailing_blank_subuid_line", true, user_line(":300000:10 \n"), Owner::kCaller, kNew, range({"0", a, "1"}),
       false, false, nullptr},
      {"no_final_newline", true, user_line(":300000:10"), Owner::kCaller, kNew, range({"0", a, "10"}), true, true,
       nullptr},
      {"too_many_triples", true, user_line(":300000:1000\n"), Owner::kCaller, kNew,
       [](const Context& c) {
         std::vector<std::string> args = {S(c.pid)};
         for (int i = 0; i < 341; ++i) {
           args.insert(args.end(), {S(i), S(kSubStartA + i), "1"});
         }
         return args;
       },
       false, false, nullptr},
      {"non_numeric_pid", true, DefaultSubid, Owner::kCaller, kNew,
       [a](const Context&) { return std::vector<std::string>{"self", "0", a, "1"}; }, false, false, nullptr},
      {"non_numeric_id", true, DefaultSubid, Owner::kCaller, kNew, range({"zero", a, "1"}), false, false, nullptr},
      {"hex_id", true, DefaultSubid, Owner::kCaller, kNew, range({"0", "0x493e0", "1"}), false, true,
       "decimal arguments only"},
      {"partial_triple", true, DefaultSubid, Owner::kCaller, kNew, range({"0", a}), false, false, nullptr},
      {"proc_dir_fd", true, DefaultSubid, Owner::kCaller, kNew,
       [a](const Context& c) { return std::vector<std::string>{"fd:" + S(c.proc_dir), "0", a, "10"}; }, true, false,
       "fd: needs shadow 4.14"},
      {"closed_std_fds", true, DefaultSubid, Owner::kCaller, kNew, range({"0", a, "65536"}), true, true, nullptr,
       closed},
      {"inherited_300_fds", true, DefaultSubid, Owner::kCaller, kNew, range({"0", a, "65536"}), true, true, nullptr,
       many_fds},
      {"hostile_env", false, DefaultSubid, Owner::kCaller, kNew, range({"0", a, "65536"}), true, true, nullptr,
       hostile},
  };
}

struct Outcome {
  bool allowed = false;
  std::string err;
  std::string map_before;
  std::string map;
  std::string setgroups;
};

Outcome RunOne(const DiffCase& c, const IdmapUsers& users, bool ours) {
  std::string storage;
  const char* subid = c.subid ? c.subid(users, storage) : nullptr;
  std::unique_ptr<ScopedHostFile> files[2];
  const char* paths[2] = {"/etc/subuid", "/etc/subgid"};
  for (int i = 0; i < 2; ++i) {
    files[i] = std::make_unique<ScopedHostFile>(paths[i], subid ? subid : "");
    if (!subid) files[i]->Remove();
  }
  auto target = Target::Start(c.owner == Owner::kCaller ? users.a : users.b, c.ns);
  int dir = open(("/proc/" + S(target->pid())).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  HelperOptions options = c.options;
  options.pass_fds.push_back(dir);
  std::vector<std::string> args = c.args(Context{users, target->pid(), dir});
  std::string binary = ours ? OurHelper(c.uid) : ShadowHelper(c.uid);
  std::string map_before = c.uid ? target->UidMap() : target->GidMap();
  CommandResult result = RunHelperAs(users.a, binary, args, options);
  close(dir);
  Outcome outcome;
  outcome.allowed = result.exit_code == 0;
  outcome.err = result.err;
  outcome.map_before = map_before;
  outcome.map = c.uid ? target->UidMap() : target->GidMap();
  outcome.setgroups = target->Setgroups();
  return outcome;
}

class IdmapDifferentialTest : public ::testing::TestWithParam<DiffCase> {};

TEST_P(IdmapDifferentialTest, AgreesWithShadowOrDiffersDeliberately) {
  const DiffCase& c = GetParam();
  IdmapUsers users = EnsureIdmapUsers();
  Outcome ours = RunOne(c, users, true);
  Outcome shadow = RunOne(c, users, false);
  std::printf("  %-28s ours=%-5s shadow=%-5s%s%s\n", c.name, ours.allowed ? "allow" : "deny",
              shadow.allowed ? "allow" : "deny", c.difference ? "  difference: " : "",
              c.difference ? c.difference : "");
  EXPECT_EQ(ours.allowed, c.ours_allows) << "ours: " << ours.err;
  EXPECT_EQ(shadow.allowed, c.shadow_allows) << "shadow: " << shadow.err;
  if (c.ours_allows != c.shadow_allows) {
    EXPECT_NE(c.difference, nullptr) << "an undocumented difference";
  } else {
    EXPECT_EQ(c.difference, nullptr) << "no difference to document";
  }
  EXPECT_EQ(ours.map != ours.map_before, ours.allowed) << ours.map;
  if (ours.allowed && shadow.allowed) {
    EXPECT_EQ(ours.map, shadow.map);
    EXPECT_EQ(ours.setgroups, shadow.setgroups);
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, IdmapDifferentialTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<DiffCase>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace uxc::testing
