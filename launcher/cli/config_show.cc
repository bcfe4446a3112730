#include "launcher/cli/config_show.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "config/nearest_name.h"
#include "config/tool_settings.h"
#include "launcher/args/args.h"
#include "launcher/engine/build_limits.h"
#include "launcher/cli/config_key_table.h"
#include "launcher/cli/container_name_arg.h"
#include "launcher/cli/failure.h"
#include "launcher/cli/lifecycle_json.h"

namespace uxc::cli {
namespace {

const std::vector<OptionSpec>& ShowOptions() {
  static const std::vector<OptionSpec> kOptions = {
      {"set", 's', true, true, "KEY=VALUE", "override a key, as the last layer (may be repeated)"},
      {"lxcpath", 'P', true, false, "DIR", "look for NAME in DIR instead of the container path"},
      {"format", 0, true, false, "FORMAT",
       "config (default: a config file that loads back, each value under a comment naming its origin), "
       "table (each value with its origin on the same line) or json"},
  };
  return kOptions;
}

std::string ShowHelp() {
  return FormatHelp("config show", "NAME|FILE [-s KEY=VALUE]... [--format config|table|json]",
                    "Prints a container's effective config: /etc/uxc/default.conf, then "
                    "~/.config/uxc/default.conf, then the container's config (<container path>/NAME/config, or "
                    "FILE when the argument contains a '/'), then each -s, merged with LXC's rules. Each value "
                    "comes with the file and line it came from: on a comment line of its own above it, so "
                    "that the output loads back as a config. Warnings go to stderr.",
                    ShowOptions());
}

std::string ConfigHelp() {
  return "Usage: uxc config show NAME|FILE [-s KEY=VALUE]... [--format config|table|json]\n"
         "       uxc config keys [--names]\n\n"
         "Subcommands:\n"
         "  show  print a container's effective config with the origin of each value\n"
         "  keys  list every config key with what an unprivileged uxc does with it\n\n"
         "Run `uxc config show --help` or `uxc config keys --help` for their options.\n";
}

std::string AbbreviateHome(const std::string& path, const std::string& home) {
  if (home.empty() || home == "/" || !path.starts_with(home)) return path;
  if (path.size() > home.size() && path[home.size()] != '/') return path;
  return "~" + path.substr(home.size());
}

// The value as a config line must hold it: quoted when the parser would
// trim it or take quotes off it (LXC drops one pair of matching quotes).
std::string LoadableValue(const std::string& value) {
  if (value.empty()) return value;
  bool padded = std::isspace(static_cast<unsigned char>(value.front())) ||
                std::isspace(static_cast<unsigned char>(value.back()));
  bool quoted = value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front();
  return padded || quoted ? "\"" + value + "\"" : value;
}

int Usage(const std::string& message) {
  std::fprintf(stderr, "uxc config show: %s; see `uxc config show --help`\n", message.c_str());
  return 2;
}

int RunShow(const std::vector<std::string>& args) {
  Result<ParsedArgs> parsed = ParseArgs("config show", ShowOptions(), args);
  if (!parsed.ok()) return FailWith("config show", parsed.error());
  if (parsed->Has("help")) {
    std::fputs(ShowHelp().c_str(), stdout);
    return 0;
  }
  if (parsed->positionals.size() != 1 || parsed->saw_dashdash) {
    return Usage("give one container NAME or config FILE");
  }
  const std::string format = parsed->Value("format", "config");
  if (format != "config" && format != "table" && format != "json") {
    return Usage("--format takes config, table or json, not \"" + format + "\"");
  }
  // With a '/' it is a FILE; without one, a NAME.
  const std::string& target = parsed->positionals[0];
  if (target.find('/') == std::string::npos) {
    if (auto refused = RefuseBadName("config show", target)) return *refused;
  }
  config::ToolEnvironment env = config::CurrentToolEnvironment();
  std::string container_path = parsed->Value("lxcpath");
  if (container_path.empty()) {
    Result<config::ToolSettings> settings = config::LoadToolSettings(env);
    if (!settings.ok()) {
      std::fprintf(stderr, "uxc config show: %s\n", settings.error().ToString().c_str());
      return 1;
    }
    container_path = settings->container_path;
  }
  config::LoadRequest request = config::StandardLayers(ConfigFileFor(parsed->positionals[0], container_path));
  request.overrides = parsed->Values("set");
  request.build_limits = launcher::BuildLimits();
  Result<config::ContainerConfig> loaded = config::LoadContainerConfig(request);
  if (!loaded.ok()) {
    std::fprintf(stderr, "uxc config show: %s\n", loaded.error().ToString().c_str());
    return 1;
  }
  for (const config::Warning& warning : loaded->warnings()) {
    std::fprintf(stderr, "uxc config show: warning: %s\n", warning.ToString().c_str());
  }
  std::string text = format == "table" ? FormatEffectiveConfigTable(*loaded, env.home)
                     : format == "json" ? FormatEffectiveConfigJson(*loaded)
                                        : FormatEffectiveConfig(*loaded, env.home);
  std::fputs(text.c_str(), stdout);
  return 0;
}

}  // namespace

std::string ConfigFileFor(const std::string& name_or_file, const std::string& container_path) {
  if (name_or_file.find('/') != std::string::npos) return name_or_file;
  return container_path + "/" + name_or_file + "/config";
}

std::string FormatEffectiveConfig(const config::ContainerConfig& config, const std::string& home) {
  std::string text;
  for (const config::Entry& entry : config.entries()) {
    config::Origin origin = entry.origin;
    origin.file = AbbreviateHome(origin.file, home);
    text += "# " + origin.ToString() + "\n" + entry.key + " = " + LoadableValue(entry.value) + "\n";
  }
  return text;
}

std::string FormatEffectiveConfigTable(const config::ContainerConfig& config, const std::string& home) {
  constexpr size_t kMaxColumn = 48;
  size_t column = 0;
  for (const config::Entry& entry : config.entries()) {
    column = std::max(column, entry.key.size() + 3 + entry.value.size());
  }
  column = std::min(column, kMaxColumn);
  std::string text;
  for (const config::Entry& entry : config.entries()) {
    std::string line = entry.key + " = " + entry.value;
    if (line.size() < column) line.resize(column, ' ');
    config::Origin origin = entry.origin;
    origin.file = AbbreviateHome(origin.file, home);
    text += line + "   # " + origin.ToString() + "\n";
  }
  return text;
}

std::string FormatEffectiveConfigJson(const config::ContainerConfig& config) {
  std::string text = "[";
  for (const config::Entry& entry : config.entries()) {
    text += std::string(text.size() > 1 ? "," : "") + "\n  {\"key\": " + JsonString(entry.key) +
            ", \"value\": " + JsonString(entry.value) + ", \"file\": " +
            (entry.origin.file.empty() ? std::string("null") : JsonString(entry.origin.file)) +
            ", \"line\": " + (entry.origin.line > 0 ? std::to_string(entry.origin.line) : "null") + "}";
  }
  return text + (text.size() > 1 ? "\n]\n" : "]\n");
}

int RunConfig(const std::vector<std::string>& args) {
  if (args.empty()) {
    std::fputs(ConfigHelp().c_str(), stderr);
    return 2;
  }
  if (args[0] == "--help" || args[0] == "-h") {
    std::fputs(ConfigHelp().c_str(), stdout);
    return 0;
  }
  if (args[0] == "show") return RunShow(std::vector<std::string>(args.begin() + 1, args.end()));
  if (args[0] == "keys") return RunConfigKeys(std::vector<std::string>(args.begin() + 1, args.end()));
  std::string nearest = config::NearestName(args[0], {"show", "keys"});
  std::string hint = nearest.empty() ? "" : "; did you mean \"" + nearest + "\"?";
  std::fprintf(stderr, "uxc config: unknown subcommand \"%s\"%s See `uxc config --help`.\n", args[0].c_str(),
               (hint.empty() ? "." : hint).c_str());
  return 2;
}

}  // namespace uxc::cli
