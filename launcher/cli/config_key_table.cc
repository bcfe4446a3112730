#include "launcher/cli/config_key_table.h"

#include <cstdio>

#include "launcher/args/args.h"
#include "launcher/cli/failure.h"
#include "launcher/engine/build_limits.h"

namespace uxc::cli {
namespace {

std::string KindName(config::KeyKind kind) {
  switch (kind) {
    case config::KeyKind::kScalar: return "scalar";
    case config::KeyKind::kList: return "list";
    case config::KeyKind::kMountAuto: return "merge";
    case config::KeyKind::kInclude: return "include";
    case config::KeyKind::kClearOnly: return "clear only";
  }
  return "scalar";
}

// The support of a key whatever its value, and why when it is not supported.
void ClassifyRow(const config::KeyInfo& info, std::span<const config::BuildLimit> limits, KeyRow& row) {
  if (row.pattern.starts_with("uxc.")) {
    row.support = "refused";
    row.reason = "a tool setting: it belongs in uxc.conf";
    return;
  }
  if (info.classify != nullptr) {
    row.support = "depends on value";
    return;
  }
  if (info.support != config::Support::kSupported) {
    row.support = info.support == config::Support::kLimited ? "limited" : "needs root";
    row.reason = info.reason;
    return;
  }
  row.support = "supported";
  for (const config::BuildLimit& limit : limits) {
    if (limit.pattern != info.pattern) continue;
    if (limit.reason_for != nullptr) {
      row.support = "depends on value";
      return;
    }
    row.support = "limited";
    row.reason = limit.reason;
    return;
  }
}

std::string OneLine(std::string text) {
  for (char& c : text) {
    if (c == '\t' || c == '\n') c = ' ';
  }
  return text;
}

std::string Help() {
  return FormatHelp("config keys", "[--names]",
                    "Lists every container config key uxc knows, one a line, the fields separated by tabs: "
                    "the key (N, FILE, RESOURCE, ... stand for a variable part), how its lines combine "
                    "(scalar, list, merge, include, clear only), what an unprivileged uxc does with it "
                    "(supported; limited: accepted but ignored, with a warning; needs root: refused; "
                    "depends on value; refused: a uxc.conf setting), a summary and, for a key ignored or "
                    "refused whatever its value, why.",
                    {{"names", 0, false, false, "", "only the keys"}});
}

}  // namespace

std::vector<KeyRow> KeyTable(std::span<const config::BuildLimit> limits) {
  std::vector<KeyRow> rows;
  for (const config::KeyInfo* info : config::AllKeys()) {
    KeyRow row{std::string(info->pattern), KindName(info->kind), "", std::string(info->summary), ""};
    ClassifyRow(*info, limits, row);
    rows.push_back(row);
  }
  return rows;
}

std::string FormatKeyTable(const std::vector<KeyRow>& rows) {
  std::string text;
  for (const KeyRow& row : rows) {
    text += row.pattern + "\t" + row.kind + "\t" + row.support + "\t" + OneLine(row.summary) + "\t" +
            OneLine(row.reason) + "\n";
  }
  return text;
}

int RunConfigKeys(const std::vector<std::string>& args) {
  Result<ParsedArgs> parsed = ParseArgs("config keys", {{"names", 0, false, false, "", ""}}, args);
  if (!parsed.ok()) return FailWith("config keys", parsed.error());
  if (parsed->Has("help")) {
    std::fputs(Help().c_str(), stdout);
    return 0;
  }
  if (!parsed->positionals.empty()) {
    return FailWith("config keys", UsageErrorFor("config keys", "takes no arguments"));
  }
  std::vector<KeyRow> rows = KeyTable(launcher::BuildLimits());
  if (parsed->Has("names")) {
    for (const KeyRow& row : rows) std::printf("%s\n", row.pattern.c_str());
    return 0;
  }
  std::fputs(FormatKeyTable(rows).c_str(), stdout);
  return 0;
}

}  // namespace uxc::cli
