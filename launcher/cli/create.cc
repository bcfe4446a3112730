#include "launcher/cli/create.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "launcher/args/args.h"
#include "launcher/cli/container_name_arg.h"
#include "launcher/cli/failure.h"
#include "launcher/templates/caller.h"
#include "launcher/templates/container_tree.h"
#include "launcher/templates/template.h"

namespace uxc::cli {
namespace {

const std::vector<OptionSpec>& CreateOptions() {
  static const std::vector<OptionSpec> kOptions = {
      {"name", 'n', true, false, "NAME", "the container's name (or give it as the first argument)"},
      {"template", 't', true, false, "TEMPLATE", "busybox, local, debian or download"},
      {"lxcpath", 'P', true, false, "DIR", "make the container in DIR instead of the container path"},
      {"config", 'f', true, false, "FILE",
       "start the config from FILE instead of default.conf, as lxc-create -f (the template's keys follow)"},
      {"bdev", 'B', true, false, "BACKINGSTORE",
       "the rootfs's backing store, as lxc-create -B: only dir (the default, a plain directory) is supported"},
  };
  return kOptions;
}

std::string Help() {
  std::string help = FormatHelp("create", "NAME -t TEMPLATE [-P DIR] [-f FILE] [-B dir] [--] [TEMPLATE OPTIONS]",
                                "Makes a container: NAME/config and NAME/rootfs under the container path "
                                "($XDG_DATA_HOME/uxc or ~/.local/share/uxc). The config starts from "
                                "~/.config/uxc/default.conf. Template options follow \"--\".",
                                CreateOptions());
  for (const auto& spec : templates::AllTemplates()) {
    help += "\n" + FormatHelp(std::string("create -t ") + spec.name, std::string("NAME -- ") + spec.synopsis,
                              spec.summary, spec.options);
  }
  return help;
}

int Fail(const Error& error) { return FailWith("create", error); }

std::string TemplateNames() {
  std::string names;
  for (const auto& spec : templates::AllTemplates()) names += (names.empty() ? "" : ", ") + std::string(spec.name);
  return names;
}

// The user's default.conf, as lxc-create copies it; empty when absent.
Result<std::string> ReadDefaults(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (access(path.c_str(), F_OK) != 0 && errno == ENOENT) return std::string();
    return ErrnoError("read " + path);
  }
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

// create -f FILE: must exist, unlike default.conf.
Result<std::string> ReadConfigFile(const std::string& path) {
  if (access(path.c_str(), R_OK) != 0) return ErrnoError("create -f: read " + path);
  return ReadDefaults(path);
}

// Ctrl-C reaches the whole foreground process group: the step running then
// (tar, mmdebstrap, curl) dies of it, while uxc itself lives on to remove
// the partial container instead of leaving it behind.
class KeepRunningOnInterrupt {
 public:
  KeepRunningOnInterrupt() {
    struct sigaction action = {};
    action.sa_handler = [](int) {};
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, &previous_);
  }
  ~KeepRunningOnInterrupt() { sigaction(SIGINT, &previous_, nullptr); }
  KeepRunningOnInterrupt(const KeepRunningOnInterrupt&) = delete;
  KeepRunningOnInterrupt& operator=(const KeepRunningOnInterrupt&) = delete;

 private:
  struct sigaction previous_ = {};
};

}  // namespace

int RunCreate(const std::vector<std::string>& args) {
  auto parsed = ParseArgs("create", CreateOptions(), args);
  if (!parsed.ok()) return Fail(parsed.error());
  if (parsed->Has("help")) {
    std::fputs(Help().c_str(), stdout);
    return 0;
  }
  if (parsed->Has("bdev") && parsed->Value("bdev") != "dir") {
    return Fail(UsageErrorFor("create", "-B " + parsed->Value("bdev") +
                                            ": uxc keeps a rootfs in a plain directory only; give -B dir or "
                                            "leave -B out (btrfs, lvm, zfs, overlay and loop are not supported)"));
  }
  std::string name = parsed->Value("name");
  if (name.empty() && !parsed->positionals.empty()) name = parsed->positionals.front();
  if (name.empty()) return Fail(UsageErrorFor("create", "give the container's name: uxc create NAME -t TEMPLATE"));
  if (auto refused = RefuseBadName("create", name)) return *refused;
  if (parsed->positionals.size() > (parsed->Has("name") ? 0u : 1u)) {
    return Fail(UsageErrorFor("create", "unexpected argument '" + parsed->positionals.back() +
                                            "': template options go after \"--\""));
  }
  if (!parsed->Has("template")) {
    return Fail(UsageErrorFor("create", "choose a template with -t (" + TemplateNames() + ")"));
  }
  const auto* spec = templates::FindTemplate(parsed->Value("template"));
  if (!spec) {
    return Fail(UsageErrorFor("create",
                              "no template '" + parsed->Value("template") + "': choose one of " + TemplateNames()));
  }
  auto template_args = ParseArgs(std::string("create -t ") + spec->name, spec->options, parsed->after_dashdash);
  if (!template_args.ok()) return Fail(template_args.error());
  if (template_args->Has("help")) {
    std::fputs(FormatHelp(std::string("create -t ") + spec->name, std::string("NAME -- ") + spec->synopsis,
                          spec->summary, spec->options)
                   .c_str(),
               stdout);
    return 0;
  }
  if (!template_args->positionals.empty()) {
    return Fail(UsageErrorFor(std::string("create -t ") + spec->name,
                              "the template takes no argument '" + template_args->positionals.front() + "'"));
  }
  if (spec->answer) {
    auto answered = spec->answer(*template_args);
    if (!answered.ok()) return Fail(answered.error());
    if (*answered) return 0;
  }
  auto caller = templates::LoadCallerSetup(parsed->Value("lxcpath"));
  if (!caller.ok()) return Fail(caller.error());
  std::string missing;
  auto ids = templates::CallerUsernsIds(*caller, &missing);
  if (!ids.ok()) return Fail(ids.error());
  if (!ids->has_value()) return Fail(templates::NoSubordinateRangesError(*caller, missing));
  auto defaults = parsed->Has("config") ? ReadConfigFile(parsed->Value("config"))
                                        : ReadDefaults(caller->default_config);
  if (!defaults.ok()) return Fail(defaults.error());

  templates::CreateRequest request;
  request.name = name;
  request.container_path = caller->container_path;
  request.spec = spec;
  request.template_args = std::move(*template_args);
  request.defaults = std::move(*defaults);
  request.uxc_binary = "/proc/self/exe";
  request.ids = **ids;
  request.cache_home = caller->cache_home;
  KeepRunningOnInterrupt keep_running;
  auto message = templates::CreateContainer(request);
  if (!message.ok()) return Fail(message.error());
  std::printf("Created container %s in %s/%s\n", name.c_str(), caller->container_path.c_str(), name.c_str());
  if (!message->empty()) std::printf("\n---\n%s", message->c_str());
  return 0;
}

}  // namespace uxc::cli
