#include "launcher/lifecycle/acquired_log.h"

#include <unistd.h>

#include "launcher/lifecycle/runtime_dir.h"

namespace uxc::lifecycle {

Result<AcquiredLog> AcquiredLog::Open(const RuntimePaths& paths) {
  UXC_RETURN_IF_ERROR(EnsurePrivateDir(paths.dir, getuid()));
  AcquiredLog log;
  log.path_ = AcquiredRecordPath(paths.dir);
  UXC_RETURN_IF_ERROR(log.Intend({AcquiredKind::kRuntimeFiles, AcquiredStatus::kIntent, paths.dir, {}}));
  return log;
}

Status AcquiredLog::Intend(AcquiredEntry entry) {
  entry.status = AcquiredStatus::kIntent;
  record_.entries.push_back(std::move(entry));
  return Write();
}

Status AcquiredLog::Confirm(AcquiredKind kind) {
  for (AcquiredEntry& entry : record_.entries) {
    if (entry.kind == kind && entry.status == AcquiredStatus::kIntent) entry.status = AcquiredStatus::kConfirmed;
  }
  return Write();
}

Status AcquiredLog::ConfirmLast(AcquiredKind kind, const std::function<void(AcquiredEntry&)>& fill) {
  for (size_t i = record_.entries.size(); i-- > 0;) {
    AcquiredEntry& entry = record_.entries[i];
    if (entry.kind != kind || entry.status != AcquiredStatus::kIntent) continue;
    fill(entry);
    entry.status = AcquiredStatus::kConfirmed;
    return Write();
  }
  return PlainError("no intent to confirm in the record of what the container acquired");
}

Status AcquiredLog::Write() const {
  if (path_.empty()) return OkStatus();
  return WriteAcquiredFile(path_, record_);
}

}  // namespace uxc::lifecycle
