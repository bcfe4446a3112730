// lxc.idmap lines and the set of them.
#include <algorithm>
#include <charconv>
#include <cstdint>

#include "config/text_util.h"
#include "config/values.h"

namespace uxc::config {
namespace {

// The kernel refuses more extents than this in one uid_map or gid_map
// (user_namespaces(7): "the number of lines ... is limited to 340" since 4.15).
constexpr size_t kMaxExtents = 340;

bool ParseId(std::string_view text, uint32_t* out) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return !text.empty() && ec == std::errc() && end == text.data() + text.size();
}

const char kIdMapForm[] =
    "write \"u|g|b NSID HOSTID RANGE\", e.g. \"u 0 100000 65536\"";

struct Range {
  uint32_t first;
  uint32_t count;
  bool Overlaps(const Range& other) const {
    uint64_t end = uint64_t{first} + count;
    uint64_t other_end = uint64_t{other.first} + other.count;
    return first < other_end && other.first < end;
  }
};

std::string Describe(const IdMapping& mapping) {
  const char* kind = mapping.kind == IdMapping::Kind::kUid   ? "u"
                     : mapping.kind == IdMapping::Kind::kGid ? "g"
                                                             : "b";
  return Quote(std::string(kind) + " " + std::to_string(mapping.inside) + " " +
               std::to_string(mapping.outside) + " " + std::to_string(mapping.count));
}

bool CoversUids(const IdMapping& mapping) { return mapping.kind != IdMapping::Kind::kGid; }
bool CoversGids(const IdMapping& mapping) { return mapping.kind != IdMapping::Kind::kUid; }

// Checks the mappings that cover one kind of id (uids or gids).
Status CheckOneKind(const std::vector<IdMapping>& mappings, bool (*covers)(const IdMapping&),
                    const char* kind_name) {
  std::vector<const IdMapping*> relevant;
  for (const IdMapping& mapping : mappings) {
    if (covers(mapping)) relevant.push_back(&mapping);
  }
  if (relevant.size() > kMaxExtents) {
    return PlainError("too many " + std::string(kind_name) + " mappings (" +
                      std::to_string(relevant.size()) + "): the kernel accepts at most " +
                      std::to_string(kMaxExtents) + "; merge adjacent ranges");
  }
  for (size_t i = 0; i < relevant.size(); ++i) {
    for (size_t j = i + 1; j < relevant.size(); ++j) {
      const IdMapping& a = *relevant[i];
      const IdMapping& b = *relevant[j];
      const char* side = nullptr;
      if (Range{a.inside, a.count}.Overlaps(Range{b.inside, b.count})) {
        side = "container";
      } else if (Range{a.outside, a.count}.Overlaps(Range{b.outside, b.count})) {
        side = "host";
      }
      if (side != nullptr) {
        return PlainError(std::string(kind_name) + " mappings " + Describe(a) + " and " +
                          Describe(b) + " overlap on the " + side +
                          " side; each id may be mapped only once, so shrink or remove one");
      }
    }
  }
  return OkStatus();
}

}  // namespace

Result<IdMapping> ParseIdMapping(std::string_view value) {
  std::vector<std::string_view> fields = SplitFields(value);
  if (fields.size() != 4) {
    return PlainError("not an id mapping: " + Quote(value) + "; " + kIdMapForm);
  }
  IdMapping mapping;
  if (fields[0] == "u") {
    mapping.kind = IdMapping::Kind::kUid;
  } else if (fields[0] == "g") {
    mapping.kind = IdMapping::Kind::kGid;
  } else if (fields[0] == "b") {
    mapping.kind = IdMapping::Kind::kBoth;
  } else {
    return PlainError("id mapping kind " + Quote(fields[0]) + " is not u, g or b; " + kIdMapForm);
  }
  if (!ParseId(fields[1], &mapping.inside) || !ParseId(fields[2], &mapping.outside) ||
      !ParseId(fields[3], &mapping.count)) {
    return PlainError("id mapping " + Quote(value) +
                      " has a field that is not a number from 0 to 4294967295; " + kIdMapForm);
  }
  if (mapping.count == 0) {
    return PlainError("id mapping " + Quote(value) + " has a range of 0; map at least one id");
  }
  // The kernel rejects an extent whose end wraps past 2^32 - 1, which is
  // never a valid id (user_namespaces(7), "Defining user and group ID mappings").
  if (uint64_t{mapping.inside} + mapping.count > UINT32_MAX ||
      uint64_t{mapping.outside} + mapping.count > UINT32_MAX) {
    return PlainError("id mapping " + Quote(value) +
                      " runs past the largest id 4294967294; shrink the range");
  }
  return mapping;
}

Result<std::vector<IdMapping>> ParseIdMappings(const std::vector<std::string>& values) {
  std::vector<IdMapping> mappings;
  for (const std::string& value : values) {
    UXC_ASSIGN_OR_RETURN(IdMapping mapping, ParseIdMapping(value));
    mappings.push_back(mapping);
  }
  UXC_RETURN_IF_ERROR(CheckOneKind(mappings, CoversUids, "uid"));
  UXC_RETURN_IF_ERROR(CheckOneKind(mappings, CoversGids, "gid"));
  return mappings;
}

}  // namespace uxc::config
