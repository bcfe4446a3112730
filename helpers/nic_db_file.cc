#include "helpers/nic_db_file.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/read_file.h"
#include "base/text.h"
#include "base/write_all.h"

namespace uxc::helpers {
namespace {

constexpr char kLockName[] = "nics.lock";
constexpr char kDbName[] = "nics";
constexpr char kNewName[] = "nics.new";
constexpr char kFaultName[] = "fault-stop";

// Root's filesystem ids while alive (capabilities(7): fsuid 0 gives no
// capability here, none of the file capabilities being permitted; the
// files are simply root's). Back to the caller's when it ends.
class RootFileIds {
 public:
  static Result<RootFileIds> Enter(const Caller& caller) {
    UXC_ASSIGN_OR_RETURN(auto raised, RaisedCapabilities::Raise({CAP_SETUID, CAP_SETGID}));
    setfsgid(0);
    setfsuid(0);
    // setfsuid(2) returns the previous id whether or not it took effect.
    bool took = setfsuid(-1) == 0 && setfsgid(-1) == 0;
    UXC_RETURN_IF_ERROR(raised.Lower());
    RootFileIds ids(caller);
    if (!took) return PlainError("could not take root's filesystem ids for /run/uxc");
    return ids;
  }
  RootFileIds(RootFileIds&& other) noexcept : caller_(other.caller_), active_(other.active_) { other.active_ = false; }
  ~RootFileIds() {
    if (!active_) return;
    setfsuid(caller_.uid);
    setfsgid(caller_.gid);
  }

 private:
  explicit RootFileIds(const Caller& caller) : caller_(caller) {}
  Caller caller_;
  bool active_ = true;
};

Error FixDir(const std::string& what) {
  return PlainError(std::string(kNicDbDir) + " " + what + ": ask root to run `chown root:root " + kNicDbDir +
                    " && chmod 755 " + kNicDbDir + "`");
}

Result<UniqueFd> OpenDbDir() {
  if (mkdir(kNicDbDir, 0755) != 0 && errno != EEXIST) return ErrnoError(std::string("create ") + kNicDbDir);
  UniqueFd dir(open(kNicDbDir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!dir) return ErrnoError(std::string("open ") + kNicDbDir);
  struct stat st;
  if (fstat(dir.get(), &st) != 0) return ErrnoError(std::string("stat ") + kNicDbDir);
  if (st.st_uid != 0) return FixDir("is owned by uid " + std::to_string(st.st_uid) + ", not root");
  if (st.st_mode & 022) return FixDir("is writable by others than root");
  return dir;
}

// The fault hook (nic_db_file.h), with root's filesystem ids already taken.
void StopIfFaultFileSays(int dir, const char* step) {
  UniqueFd file(openat(dir, kFaultName, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  struct stat st;
  if (!file || fstat(file.get(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != 0 || (st.st_mode & 022)) return;
  auto text = ReadSmallFd(file.get(), kFaultName, 64);
  if (!text.ok()) return;
  std::string_view named = Trim(std::string_view(*text).substr(0, text->find('\n')));
  if (named == step) kill(getpid(), SIGSTOP);
}

}  // namespace

Result<NicDbFile> NicDbFile::OpenLocked(const Caller& caller) {
  UniqueFd dir, lock;
  {
    UXC_ASSIGN_OR_RETURN(auto root, RootFileIds::Enter(caller));
    UXC_ASSIGN_OR_RETURN(auto opened, OpenDbDir());
    dir = std::move(opened);
    lock = UniqueFd(openat(dir.get(), kLockName, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0600));
    if (!lock) return ErrnoError(std::string("open ") + kNicDbDir + "/" + kLockName);
  }
  while (flock(lock.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return ErrnoError(std::string("lock ") + kNicDbDir + "/" + kLockName);
  }
  return NicDbFile(caller, std::move(dir), std::move(lock));
}

Result<std::vector<config::NicRecord>> NicDbFile::Read(const config::QuotableLines& quotable) {
  UniqueFd file;
  {
    UXC_ASSIGN_OR_RETURN(auto root, RootFileIds::Enter(caller_));
    file = UniqueFd(openat(dir_.get(), kDbName, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  }
  if (!file && errno == ENOENT) return std::vector<config::NicRecord>();
  if (!file) return ErrnoError(std::string("open ") + config::kNicDbPath);
  struct stat st;
  if (fstat(file.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return PlainError(std::string(config::kNicDbPath) + " is not a regular file: ask root to remove it");
  }
  UXC_ASSIGN_OR_RETURN(auto text, ReadSmallFd(file.get(), config::kNicDbPath));
  auto records = config::ParseNicDb(text, config::kNicDbPath, quotable);
  if (!records.ok()) return PlainError(records.error().ToString() + " (ask root)");
  return records;
}

Status NicDbFile::Write(const std::vector<config::NicRecord>& records) {
  UXC_ASSIGN_OR_RETURN(auto root, RootFileIds::Enter(caller_));
  std::string path = std::string(kNicDbDir) + "/" + kNewName;
  UniqueFd file(openat(dir_.get(), kNewName, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!file) return ErrnoError("create " + path);
  if (fchmod(file.get(), 0600) != 0) return ErrnoError("chmod " + path);
  UXC_RETURN_IF_ERROR(WriteAll(file.get(), config::SerializeNicDb(records), "write " + path));
  if (fsync(file.get()) != 0) return ErrnoError("sync " + path);
  StopIfFaultFileSays(dir_.get(), "before-rename");
  if (renameat(dir_.get(), kNewName, dir_.get(), kDbName) != 0) {
    return ErrnoError("rename " + path + " to " + config::kNicDbPath);
  }
  fsync(dir_.get());
  return OkStatus();
}

void NicDbFile::StopHereIfRootAsks(const char* step) {
  auto root = RootFileIds::Enter(caller_);
  if (root.ok()) StopIfFaultFileSays(dir_.get(), step);
}

}  // namespace uxc::helpers
