#include "launcher/lifecycle/release.h"

#include <sys/stat.h>

#include <cstdio>

namespace uxc::lifecycle {
namespace {

bool InScope(const AcquiredEntry& entry, ReleaseScope scope) {
  return scope == ReleaseScope::kAll || entry.kind != AcquiredKind::kRuntimeFiles;
}

Status Write(const std::string& path, const AcquiredRecord& record) {
  if (path.empty()) return OkStatus();
  return WriteAcquiredFile(path, record);
}

// Hooks are not run twice; removals may be repeated.
bool MarkBefore(const AcquiredEntry& entry) { return entry.kind == AcquiredKind::kStopHooks; }

Status ReleaseOne(AcquiredRecord& record, size_t index, const std::string& path, StopContext& stop) {
  AcquiredEntry& entry = record.entries[index];
  const HostConcern* concern = ConcernFor(entry.kind);
  if (concern == nullptr) {
    return PlainError(path + ": this uxc cannot release an entry of this kind; release it by hand");
  }
  if (MarkBefore(entry)) {
    AcquiredEntry copy = entry;
    entry.status = AcquiredStatus::kReleased;
    UXC_RETURN_IF_ERROR(Write(path, record));
    return concern->release(copy, stop);
  }
  Status released = concern->release(entry, stop);
  entry.status = AcquiredStatus::kReleased;
  // The runtime dir goes with the record in it.
  if (entry.kind == AcquiredKind::kRuntimeFiles) return released;
  Status written = Write(path, record);
  return released.ok() ? written : released;
}

}  // namespace

Status ReleaseAcquired(AcquiredRecord& record, const std::string& path, StopContext& stop, ReleaseScope scope) {
  Status first = OkStatus();
  for (size_t i = record.entries.size(); i-- > 0;) {
    const AcquiredEntry& entry = record.entries[i];
    if (entry.status == AcquiredStatus::kReleased || !InScope(entry, scope)) continue;
    Status released = ReleaseOne(record, i, path, stop);
    if (!released.ok() && first.ok()) first = released.take_error();
  }
  return first;
}

Status ReleaseRecorded(const std::string& runtime_dir, StopContext& stop, ReleaseScope scope) {
  std::string path = AcquiredRecordPath(runtime_dir);
  UXC_ASSIGN_OR_RETURN(std::optional<AcquiredRecord> record, ReadAcquiredFile(path));
  if (!record) return OkStatus();
  return ReleaseAcquired(*record, path, stop, scope);
}

bool ReleaseAbandoned(const RuntimePaths& paths, const std::string& name) {
  std::string path = AcquiredRecordPath(paths.dir);
  auto record = ReadAcquiredFile(path);
  if (record.ok() && !record->has_value()) return false;
  std::fprintf(stderr, "uxc: container '%s' ended without its monitor; releasing what its start left (%s)\n",
               name.c_str(), path.c_str());
  StopContext stop;
  Status released = record.ok() ? ReleaseAcquired(**record, path, stop) : Status(record.take_error());
  if (!released.ok()) std::fprintf(stderr, "uxc: warning: %s\n", released.error().ToString().c_str());
  return true;
}

}  // namespace uxc::lifecycle
