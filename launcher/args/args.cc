#include "launcher/args/args.h"

#include <algorithm>

#include "config/nearest_name.h"

namespace uxc::cli {

bool ParsedArgs::Has(const std::string& long_name) const { return options.count(long_name) > 0; }

std::string ParsedArgs::Value(const std::string& long_name, const std::string& fallback) const {
  auto it = options.find(long_name);
  if (it == options.end() || it->second.empty()) return fallback;
  return it->second.back();
}

std::vector<std::string> ParsedArgs::Values(const std::string& long_name) const {
  auto it = options.find(long_name);
  return it == options.end() ? std::vector<std::string>{} : it->second;
}

namespace {

const OptionSpec kHelpSpec = {"help", 'h', false, false, "", "show this help and exit"};

// One parse: walks the arguments once, filling `parsed`.
class Parser {
 public:
  Parser(const std::string& command, const std::vector<OptionSpec>& spec, const std::vector<std::string>& args)
      : command_(command), spec_(spec), args_(args) {}

  Result<ParsedArgs> Parse(bool stop_at_first_positional) {
    while (next_ < args_.size()) {
      const std::string& arg = args_[next_++];
      if (arg == "--") {
        parsed_.saw_dashdash = true;
        TakeRestVerbatim();
        break;
      }
      if (arg.size() >= 3 && arg.starts_with("--")) {
        UXC_RETURN_IF_ERROR(ParseLong(arg.substr(2)));
      } else if (arg.size() >= 2 && arg[0] == '-' && arg[1] != '-') {
        UXC_RETURN_IF_ERROR(ParseShortCluster(arg));
      } else if (stop_at_first_positional) {
        --next_;
        TakeRestVerbatim();
        break;
      } else {
        parsed_.positionals.push_back(arg);  // also "-" (stdin) and "--x"-less words
      }
    }
    return std::move(parsed_);
  }

 private:
  void TakeRestVerbatim() {
    parsed_.after_dashdash.assign(args_.begin() + static_cast<std::ptrdiff_t>(next_), args_.end());
    next_ = args_.size();
  }

  const OptionSpec* FindLong(const std::string& name) const {
    if (name == kHelpSpec.long_name) return &kHelpSpec;
    for (const OptionSpec& option : spec_) {
      if (option.long_name == name) return &option;
    }
    return nullptr;
  }

  const OptionSpec* FindShort(char name) const {
    if (name == kHelpSpec.short_name) return &kHelpSpec;
    for (const OptionSpec& option : spec_) {
      if (option.short_name != 0 && option.short_name == name) return &option;
    }
    return nullptr;
  }

  // "--name", "--name=VALUE", "--name VALUE".
  Status ParseLong(const std::string& body) {
    size_t equals = body.find('=');
    std::string name = body.substr(0, equals);
    const OptionSpec* option = FindLong(name);
    if (option == nullptr) return UnknownLong(name);
    if (equals != std::string::npos) {
      if (!option->takes_value) {
        return Fail("option --" + name + " takes no value, but was given \"" + body.substr(equals + 1) + "\"");
      }
      return Record(*option, body.substr(equals + 1));
    }
    if (!option->takes_value) return Record(*option, "");
    if (next_ >= args_.size()) return MissingValue(*option, "--" + name);
    return Record(*option, args_[next_++]);
  }

  // "-n VALUE", "-nVALUE", and flags bundled as "-abc".
  Status ParseShortCluster(const std::string& arg) {
    for (size_t i = 1; i < arg.size(); ++i) {
      const OptionSpec* option = FindShort(arg[i]);
      if (option == nullptr) return UnknownShort(arg[i]);
      if (!option->takes_value) {
        UXC_RETURN_IF_ERROR(Record(*option, ""));
        continue;
      }
      if (i + 1 < arg.size()) return Record(*option, arg.substr(i + 1));
      if (next_ >= args_.size()) return MissingValue(*option, std::string("-") + arg[i]);
      return Record(*option, args_[next_++]);
    }
    return OkStatus();
  }

  Status Record(const OptionSpec& option, std::string value) {
    std::vector<std::string>& values = parsed_.options[option.long_name];
    if (!values.empty() && option.takes_value && !option.repeatable) {
      return Fail("option --" + option.long_name + " was given more than once");
    }
    values.push_back(std::move(value));
    return OkStatus();
  }

  Status UnknownLong(const std::string& name) {
    std::vector<std::string> names = {kHelpSpec.long_name};
    for (const OptionSpec& option : spec_) names.push_back(option.long_name);
    std::string nearest = config::NearestName(name, names);
    std::string hint = nearest.empty() ? "" : " (did you mean --" + nearest + "?)";
    return Fail("unknown option --" + name + hint);
  }

  Status UnknownShort(char name) {
    std::string shown = name >= 0x20 && name < 0x7f ? std::string(1, name) : "\\x" + Hex(name);
    return Fail("unknown option -" + shown);
  }

  Status MissingValue(const OptionSpec& option, const std::string& as_given) {
    std::string what = option.value_name.empty() ? "a value" : option.value_name;
    return Fail("option " + as_given + " needs " + what);
  }

  static std::string Hex(char c) {
    const char* digits = "0123456789abcdef";
    auto byte = static_cast<unsigned char>(c);
    return {digits[byte >> 4], digits[byte & 0xf]};
  }

  Error Fail(const std::string& what) const {
    return UsageErrorFor(command_, what);
  }

  const std::string& command_;
  const std::vector<OptionSpec>& spec_;
  const std::vector<std::string>& args_;
  size_t next_ = 0;
  ParsedArgs parsed_;
};

// Breaks `text` into lines of at most `width` columns, each prefixed by `indent`.
std::string Wrap(const std::string& text, size_t width, const std::string& indent) {
  std::string out;
  std::string line;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    if (!line.empty() && indent.size() + line.size() + 1 + word.size() > width) {
      out += indent + line + "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out += indent + line + "\n";
  return out;
}

std::string OptionLabel(const OptionSpec& option) {
  std::string label = option.short_name != 0 ? std::string("-") + option.short_name + ", " : "    ";
  label += "--" + option.long_name;
  if (option.takes_value) label += " " + (option.value_name.empty() ? std::string("VALUE") : option.value_name);
  return label;
}

}  // namespace

Result<ParsedArgs> ParseArgs(const std::string& command, const std::vector<OptionSpec>& spec,
                             const std::vector<std::string>& args, bool stop_at_first_positional) {
  return Parser(command, spec, args).Parse(stop_at_first_positional);
}

std::string FormatHelp(const std::string& command, const std::string& synopsis, const std::string& summary,
                       const std::vector<OptionSpec>& spec) {
  constexpr size_t kWidth = 79;
  std::string help = "Usage: uxc " + command + (synopsis.empty() ? "" : " " + synopsis) + "\n\n";
  help += Wrap(summary, kWidth, "");
  std::vector<OptionSpec> options = spec;
  options.push_back(kHelpSpec);
  size_t column = 0;
  for (const OptionSpec& option : options) column = std::max(column, OptionLabel(option).size());
  column = std::min<size_t>(column, 28);
  help += "\nOptions:\n";
  for (const OptionSpec& option : options) {
    std::string label = "  " + OptionLabel(option);
    std::string indent(column + 4, ' ');
    std::string text = Wrap(option.help, kWidth, indent);
    if (text.empty()) {
      help += label + "\n";
    } else if (label.size() + 2 <= indent.size()) {
      label.resize(indent.size(), ' ');
      help += label + text.substr(indent.size());
    } else {
      help += label + "\n" + text;
    }
  }
  return help;
}

Error UsageErrorFor(const std::string& command, const std::string& what) {
  return UsageError(what + "; see `uxc " + command + " --help`");
}

}  // namespace uxc::cli
