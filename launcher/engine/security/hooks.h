// LXC's container hooks (lxc.hook.*): programs run at fixed points of a start
// and a stop, with the container's name, section and hook type as arguments
// (lxc.hook.version = 0) or in LXC_HOOK_* variables (version 1), and the
// LXC_* environment that existing hook scripts expect. docs/security.md says
// which process runs each hook and in which namespaces.
//
// A hook is run as LXC runs it: `/bin/sh -c "exec HOOK [ARGS]"`, so a hook
// value may carry its own arguments. Its stdout and stderr go to the
// launcher's stderr; a non-zero exit or a signal fails the step.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "config/container_config.h"
#include "launcher/engine/child_report.h"

namespace uxc::security {

enum class HookType {
  kPreStart,  // host, as the user, before clone
  kPreMount,  // child: container's mount ns, before the rootfs is set up
  kMount,     // child: after the mounts, before pivot_root
  kAutodev,   // child: after the mount hooks, when lxc.autodev is on
  kStart,     // child: inside the container after pivot_root, before exec
  kStop,      // host, after the container's init exited, with ns references
  kPostStop,  // host, after the container is torn down
  kStartHost,  // host, after the child set up the container, before its exec
  kDestroy,    // host, when `uxc destroy` removes the container
  kNetScript,  // host: lxc.net.N.script.up after the nic is made, .down before it goes
};

// "pre-start", "pre-mount", ... as in the key lxc.hook.<name>.
std::string_view HookTypeName(HookType type);

// One namespace reference for the stop hook: type as in /proc/PID/ns
// ("mnt", "net", ...) and a path that opens it ("/proc/PID/fd/N").
struct NamespaceReference {
  std::string type;
  std::string path;
};

// The values the launcher knows at the time of the hook.
struct HookEnvironment {
  std::string name;          // LXC_NAME
  std::string config_file;   // LXC_CONFIG_FILE
  std::string rootfs_mount;  // LXC_ROOTFS_MOUNT: where the rootfs is mounted
  std::string rootfs_path;   // LXC_ROOTFS_PATH: lxc.rootfs.path
  std::string console_path;  // LXC_CONSOLE, when set
  std::string console_log;   // LXC_CONSOLE_LOGPATH, when set
  std::string target;        // LXC_TARGET for the stop hook: "stop" or "reboot"
  // Stop hook only: "type:path" arguments (version 0) or LXC_<TYPE>_NS
  // variables (version 1).
  std::vector<NamespaceReference> namespaces;
};

// The hooks of one type, fully prepared in the parent: argv and envp arrays
// that a child can hand to execve without allocating. Move-only because the
// arrays point into the owned strings.
struct StopHooks;

class PreparedHooks {
 public:
  PreparedHooks() = default;
  PreparedHooks(PreparedHooks&&) = default;
  PreparedHooks& operator=(PreparedHooks&&) = default;
  PreparedHooks(const PreparedHooks&) = delete;
  PreparedHooks& operator=(const PreparedHooks&) = delete;

  HookType type() const { return type_; }
  bool empty() const { return commands_.empty(); }
  size_t size() const { return commands_.size(); }
  // The shell command line of hook `i`, "exec /path/hook 'c1' 'lxc' 'mount'".
  const std::string& command(size_t i) const { return commands_[i].line; }
  // The environment every hook of this type gets, "KEY=VALUE" strings.
  const std::vector<std::string>& environment() const { return environment_; }

 private:
  friend Result<PreparedHooks> PrepareHooks(const config::ContainerConfig&, HookType,
                                            const HookEnvironment&);
  friend int RunPreparedHooks(const PreparedHooks&, launcher::ChildReport*);
  friend Result<StopHooks> PrepareStopHooks(const config::ContainerConfig&, HookType, const HookEnvironment&);
  friend PreparedHooks PrepareRecordedHooks(const StopHooks&, const std::string&,
                                            const std::vector<NamespaceReference>&);
  friend PreparedHooks PrepareNetScriptRun(const StopHooks&, const std::string&);
  void TakePointers();

  struct Command {
    std::string value;  // the lxc.hook.* value, for messages
    std::string line;
    std::vector<char*> argv;  // {"sh", "-c", line, nullptr}
  };
  HookType type_ = HookType::kPreStart;
  std::vector<Command> commands_;
  std::vector<std::string> environment_;
  std::vector<char*> envp_;
};

// Builds the commands of every lxc.hook.<type> value in config order, and
// their environment: a default PATH; for a host-side hook the identity and
// locale variables of this process (HOME, USER, LOGNAME, PATH, LANG,
// LANGUAGE, LC_*, TZ, TMPDIR, XDG_RUNTIME_DIR), for one in the container's
// namespaces container=uxc and nothing of this process's; then
// lxc.environment and lxc.environment.hooks, then the LXC_* variables
// (LXC_NAME, LXC_CONFIG_FILE, LXC_ROOTFS_MOUNT, LXC_ROOTFS_PATH,
// LXC_CGNS_AWARE=1, LXC_HOOK_VERSION, and for version 1 LXC_HOOK_TYPE,
// LXC_HOOK_SECTION, LXC_<NS>_NS).
Result<PreparedHooks> PrepareHooks(const config::ContainerConfig& config, HookType type,
                                   const HookEnvironment& environment);

// Runs the prepared hooks one after another and waits for each; stops at the
// first that fails. A hook gets fds 0-2 only. Safe in the child after clone:
// no allocation (fork, close_range, execve, waitpid only). The caller must not ignore SIGCHLD. Returns 0, or
// -1 with `report` holding "lxc.hook.mount \"/path/hook\" exited with status 3"
// (its errno set when a syscall failed, else 0).
int RunPreparedHooks(const PreparedHooks& hooks, launcher::ChildReport* report);

// Host-side hooks (pre-start, stop, post-stop) in one call: prepare, run,
// and report as an Error.
Status RunHooks(const config::ContainerConfig& config, HookType type,
                const HookEnvironment& environment);

// Runs prepared host-side hooks and reports as an Error.
Status RunHooks(const PreparedHooks& hooks);

// The stop or post-stop hooks as the start prepared them, to be kept in the
// container's record (lifecycle/acquired_record.h) and run from it at the
// stop, whatever became of the config meanwhile: the hook values, their
// command lines and environment without the target and the namespace
// references, which only the stop knows.
struct StopHooks {
  HookType type = HookType::kStop;
  int version = 0;  // lxc.hook.version
  std::vector<std::string> values;  // the lxc.hook.* values, for messages
  std::vector<std::string> lines;   // one per value
  std::vector<std::string> environment;

  bool operator==(const StopHooks&) const = default;
};

Result<StopHooks> PrepareStopHooks(const config::ContainerConfig& config, HookType type,
                                   const HookEnvironment& environment);

// The recorded hooks with LXC_TARGET = `target` and the namespaces added as
// PrepareHooks adds them (arguments for version 0, variables for 1).
PreparedHooks PrepareRecordedHooks(const StopHooks& hooks, const std::string& target,
                                   const std::vector<NamespaceReference>& namespaces);

// lxc.net.N.script.up or .down (`action`) of a veth on `link`, as LXC runs
// them: `exec SCRIPT 'NAME' 'net' 'ACTION' 'veth'` and then the host nic
// (version 0), or `exec SCRIPT` (version 1); in the environment of a
// host-side hook, with LXC_HOOK_TYPE=ACTION, LXC_HOOK_SECTION=net,
// LXC_NET_TYPE=veth, LXC_NET_PARENT=LINK and, at the run, LXC_NET_PEER.
Result<StopHooks> PrepareNetScript(const config::ContainerConfig& config, const std::string& script,
                                   std::string_view action, const std::string& link,
                                   const HookEnvironment& environment);

// The script prepared above for the nic whose host end is `host_nic`.
PreparedHooks PrepareNetScriptRun(const StopHooks& script, const std::string& host_nic);

}  // namespace uxc::security
