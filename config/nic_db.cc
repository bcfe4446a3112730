#include "config/nic_db.h"

#include <algorithm>

#include "base/text.h"
#include "config/content_lines.h"
#include "config/usernet.h"

namespace uxc::config {
namespace {

Error LineError(const std::string& origin, int line, const std::string& what) {
  return PlainError(origin + ":" + std::to_string(line) + ": " + what +
                    "; the file is written only by uxc-user-nic: remove the line, or the file when no container "
                    "has a nic");
}

// A decimal number in [min, max], without sign or leading zeros.
bool ParseInRange(std::string_view text, uint64_t min, uint64_t max, uint64_t& value) {
  if (text.size() > 1 && text[0] == '0') return false;
  return ParseNumber(text, &value) && value >= min && value <= max;
}

bool IsValidOwner(std::string_view owner) {
  std::string_view account = owner.starts_with("@") ? owner.substr(1) : owner;
  return !account.empty() && std::none_of(account.begin(), account.end(), [](char c) {
    auto byte = static_cast<unsigned char>(c);
    return byte <= 0x20 || byte == 0x7f || c == ':' || c == '/';
  });
}

// The record is the caller's when its owner is one of the caller's names or
// its UID field is the caller's uid; only then may a message quote it.
bool IsCallers(const std::vector<std::string_view>& words, const QuotableLines& quotable) {
  if (words.empty()) return false;
  return quotable.OwnerIsCaller(words[0]) || (words.size() == 6 && quotable.UidIsCaller(words[5]));
}

Result<NicRecord> ParseRecord(std::string_view text, const std::string& origin, int line,
                              const QuotableLines& quotable) {
  std::vector<std::string_view> words = SplitFields(text);
  const bool quote = IsCallers(words, quotable);
  auto bad = [&](const char* field, std::string_view value) {
    return LineError(origin, line, std::string("bad ") + field + (quote ? " " + Quoted(value) : ""));
  };
  if (words.size() != 6) {
    return LineError(origin, line,
                     (quote ? Quoted(text) : "the line") + " has " + std::to_string(words.size()) +
                         " field(s), not 6 (OWNER TYPE BRIDGE HOSTNIC IFINDEX UID)");
  }
  NicRecord record{std::string(words[0]), std::string(words[1]), std::string(words[2]), std::string(words[3])};
  if (!IsValidOwner(record.owner)) return bad("owner", record.owner);
  if (record.type != "veth") return bad("nic type", record.type);
  if (record.bridge != "none" && !IsValidInterfaceName(record.bridge)) return bad("bridge name", record.bridge);
  if (!IsValidInterfaceName(record.host_nic)) return bad("host nic name", record.host_nic);
  uint64_t number = 0;
  if (!ParseInRange(words[4], 0, INT32_MAX, number)) return bad("ifindex", words[4]);
  record.ifindex = static_cast<int32_t>(number);
  if (!ParseInRange(words[5], 0, UINT32_MAX - 1, number)) return bad("uid", words[5]);
  record.uid = static_cast<uid_t>(number);
  return record;
}

}  // namespace

Result<std::vector<NicRecord>> ParseNicDb(std::string_view text, const std::string& origin,
                                          const QuotableLines& quotable) {
  if (text.find('\0') != std::string_view::npos) {
    return PlainError(origin + " contains a NUL byte; the file is written only by uxc-user-nic: remove it when "
                               "no container has a nic");
  }
  std::vector<NicRecord> records;
  for (const ContentLine& line : ContentLines(text)) {
    UXC_ASSIGN_OR_RETURN(NicRecord record, ParseRecord(line.text, origin, line.number, quotable));
    records.push_back(std::move(record));
  }
  return records;
}

std::string SerializeNicDb(const std::vector<NicRecord>& records) {
  std::string text;
  for (const NicRecord& record : records) {
    text += record.owner + " " + record.type + " " + record.bridge + " " + record.host_nic + " " +
            std::to_string(record.ifindex) + " " + std::to_string(record.uid) + "\n";
  }
  return text;
}

std::vector<NicRecord> LiveRecords(const std::vector<NicRecord>& records, const NicIsLive& is_live) {
  std::vector<NicRecord> live;
  std::copy_if(records.begin(), records.end(), std::back_inserter(live), is_live);
  return live;
}

uint64_t NicsHeldBy(const std::vector<NicRecord>& records, std::string_view owner, std::string_view type,
                    std::string_view bridge) {
  return std::count_if(records.begin(), records.end(), [&](const NicRecord& record) {
    return record.owner == owner && record.type == type && record.bridge == bridge;
  });
}

}  // namespace uxc::config
