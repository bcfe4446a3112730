// The key table. Classifications follow LXC's lxc.container.conf(5) and
// what the kernel lets a user namespace do; docs/config.md explains each.
#include "config/keys.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "config/key_validators.h"
#include "config/text_util.h"
#include "config/values.h"

namespace uxc::config {
namespace {

namespace v = validators;
using K = KeyKind;
using S = Support;

// ---- Value-dependent classifications ----

Classification NetTypeClass(std::string_view, std::string_view value) {
  if (value == "empty" || value == "none" || value == "veth") return {};
  return {S::kNeedsRoot, "a " + std::string(value) +
                             " interface can only be created or moved into the container by "
                             "root; use veth (uxc-user-nic attaches it to an allowed bridge), "
                             "empty (loopback only) or none (the host's network)"};
}

Classification VethModeClass(std::string_view, std::string_view value) {
  if (value == "bridge") return {};
  return {S::kNeedsRoot, "router mode adds routes and proxy entries in the host's network "
                         "namespace, which only root may change; use veth.mode = bridge"};
}

Classification MonitorUnshareClass(std::string_view, std::string_view value) {
  Result<bool> unshare = ParseBool(value);
  if (unshare.ok() && !*unshare) return {};
  return {S::kNeedsRoot, "unsharing the monitor's mount namespace needs CAP_SYS_ADMIN on the "
                         "host (lxc.container.conf(5)); set it to 0 or remove it"};
}

Classification L2proxyClass(std::string_view, std::string_view value) {
  Result<bool> proxy = ParseBool(value);
  if (proxy.ok() && !*proxy) return {};
  return {S::kNeedsRoot, "proxy ARP/NDP entries live in the host's network namespace, which "
                         "only root may change; set it to 0 or remove it"};
}

Classification EphemeralClass(std::string_view, std::string_view value) {
  Result<bool> ephemeral = ParseBool(value);
  if (!ephemeral.ok() || !*ephemeral) return {};
  return {S::kLimited, "ignored: uxc does not destroy a container when it stops; `uxc run` runs a "
                       "rootfs whose writes vanish with the container"};
}

Classification RootfsManagedClass(std::string_view, std::string_view value) {
  Result<bool> managed = ParseBool(value);
  if (!managed.ok() || *managed) return {};
  return {S::kLimited, "ignored: uxc destroy removes the container's directory with all it holds, a "
                       "rootfs there included; keep a rootfs uxc must not remove outside that directory"};
}

Classification RootfsPathClass(std::string_view, std::string_view value) {
  static constexpr std::array<std::string_view, 6> kRootOnlyBackends = {"lvm", "zfs", "loop",
                                                                         "rbd", "nbd", "blk"};
  std::string_view backend = value.substr(0, value.find(':'));
  if (value.find(':') != std::string_view::npos) {
    for (std::string_view root_only : kRootOnlyBackends) {
      if (backend == root_only) {
        return {S::kNeedsRoot, "the " + std::string(backend) +
                                   " storage backend mounts a block device, which only root "
                                   "may do; use a directory (dir:PATH or PATH)"};
      }
    }
  }
  // Another storage type names no device here; whether it runs is the
  // start's to say (launcher/engine/rootfs.cc).
  if (value.find(':') != std::string_view::npos && !StartsWith(value, "/") && backend != "dir") {
    return {};
  }
  std::string_view path = value.substr(value.find(':') == std::string_view::npos
                                           ? 0
                                           : value.find(':') + 1);
  if (StartsWith(path, "/dev/")) {
    return {S::kNeedsRoot, "mounting a block device needs root; use a directory as the rootfs"};
  }
  return {};
}

Classification RootfsOptionsClass(std::string_view, std::string_view value) {
  if (value.find("idmap=") == std::string_view::npos) return {};
  return {S::kNeedsRoot, "an idmapped rootfs mount needs CAP_SYS_ADMIN in the filesystem's user "
                         "namespace; remove idmap= and let the id mapping cover the rootfs's "
                         "owners instead"};
}

// Sysctls the kernel makes per-namespace (sysctl entries under a network,
// IPC, UTS or user namespace, see namespaces(7)); only these can be set
// from inside an unprivileged container.
Classification SysctlClass(std::string_view key, std::string_view) {
  std::string_view name = key.substr(std::string_view("lxc.sysctl.").size());
  static constexpr std::array<std::string_view, 4> kNamespacedPrefixes = {"net.", "fs.mqueue.",
                                                                          "user.", "kernel.sem"};
  static constexpr std::array<std::string_view, 12> kNamespacedNames = {
      "kernel.shmmax",      "kernel.shmall",      "kernel.shmmni",      "kernel.shm_rmid_forced",
      "kernel.msgmax",      "kernel.msgmnb",      "kernel.msgmni",      "kernel.msg_next_id",
      "kernel.shm_next_id", "kernel.hostname",    "kernel.domainname",  "kernel.ns_last_pid"};
  for (std::string_view prefix : kNamespacedPrefixes) {
    if (StartsWith(name, prefix)) return {};
  }
  for (std::string_view namespaced : kNamespacedNames) {
    if (name == namespaced) return {};
  }
  return {S::kNeedsRoot, std::string(name) +
                             " is not a per-namespace sysctl, so setting it changes the whole "
                             "host; only net.*, IPC (kernel.shm*, kernel.msg*, kernel.sem, "
                             "fs.mqueue.*), UTS and user.* sysctls can be set"};
}

Classification Cgroup2Class(std::string_view key, std::string_view) {
  if (!StartsWith(key, "lxc.cgroup2.devices.")) return {};
  return {S::kLimited,
          "ignored: cgroup2 device rules are a BPF program that only root can attach "
          "(CAP_SYS_ADMIN in the initial user namespace); an unprivileged container cannot "
          "create device nodes, and its /dev holds only host nodes bind-mounted by uxc"};
}

// ---- The table ----

constexpr std::string_view kIgnoredAppArmor =
    "ignored: switching to an AppArmor profile needs one loaded by root, and uxc does not "
    "change profiles; the container runs under the caller's profile";
constexpr std::string_view kIgnoredSelinux =
    "ignored: uxc does not switch SELinux contexts; the container keeps the caller's context";
constexpr std::string_view kIgnoredCgroupPlacement =
    "ignored: uxc puts the container's init in its payload cgroup itself and moves the monitor "
    "out of its cgroup at exit on its own";
constexpr std::string_view kIgnoredNotify =
    "ignored: uxc does not forward seccomp notifications to a proxy";
constexpr std::string_view kNetHostRoute =
    "routes to the container are added in the host's network namespace, which only root may "
    "change; remove it and route through the bridge's host instead";
constexpr std::string_view kNetHostVlan =
    "VLAN filtering is set on the bridge port in the host's network namespace, which only root "
    "may change; remove it";
constexpr std::string_view kNetOtherType =
    "applies only to macvlan, ipvlan and vlan interfaces, which only root can create; remove it";

constexpr KeyInfo kKeys[] = {
    // General and init.
    {"lxc.include", K::kInclude, v::Path, S::kSupported, {}, nullptr,
     "read another config file, or every *.conf file of a directory in sorted order"},
    {"lxc.arch", K::kScalar, v::Arch, S::kSupported, {}, nullptr, "personality (x86, x86_64, ...)"},
    {"lxc.uts.name", K::kScalar, v::AnyText, S::kSupported, {}, nullptr, "hostname"},
    {"lxc.signal.halt", K::kScalar, v::Signal, S::kSupported, {}, nullptr, "signal for halt"},
    {"lxc.signal.reboot", K::kScalar, v::Signal, S::kSupported, {}, nullptr, "signal for reboot"},
    {"lxc.signal.stop", K::kScalar, v::Signal, S::kSupported, {}, nullptr, "signal for stop"},
    {"lxc.execute.cmd", K::kScalar, v::AnyText, S::kSupported, {}, nullptr, "command for execute"},
    {"lxc.init.cmd", K::kScalar, v::AnyText, S::kSupported, {}, nullptr, "init command"},
    {"lxc.init.cwd", K::kScalar, v::Path, S::kSupported, {}, nullptr, "init working directory"},
    {"lxc.init.uid", K::kScalar, v::Id, S::kSupported, {}, nullptr, "init uid (container)"},
    {"lxc.init.gid", K::kScalar, v::Id, S::kSupported, {}, nullptr, "init gid (container)"},
    {"lxc.init.groups", K::kList, v::IdList, S::kSupported, {}, nullptr,
     "supplementary gids of init"},
    {"lxc.ephemeral", K::kScalar, v::Bool, S::kSupported, {}, EphemeralClass, "destroy on stop"},
    {"lxc.environment", K::kList, v::Environment, S::kSupported, {}, nullptr,
     "NAME=VALUE for init, or NAME to pass the caller's"},
    {"lxc.environment.runtime", K::kList, v::Environment, S::kSupported, {}, nullptr,
     "environment for init only"},
    {"lxc.environment.hooks", K::kList, v::Environment, S::kSupported, {}, nullptr,
     "environment for hooks only"},
    {"lxc.group", K::kList, v::AnyText, S::kSupported, {}, nullptr,
     "autostart group"},
    {"lxc.sched.core", K::kScalar, v::Bool, S::kSupported, {}, nullptr, "core scheduling domain"},
    {"lxc.proc.FILE", K::kScalar, v::Proc, S::kSupported, {}, nullptr,
     "write /proc/PID/FILE of init (oom_score_adj can only be raised)"},
    {"lxc.proc", K::kClearOnly, v::AnyText, S::kSupported, {}, nullptr, "clears lxc.proc.*"},
    // Network.
    {"lxc.net", K::kClearOnly, v::AnyText, S::kSupported, {}, nullptr, "clears every interface"},
    // TTY, console, /dev.
    {"lxc.pty.max", K::kScalar, v::Count, S::kSupported, {}, nullptr, "devpts instance size"},
    {"lxc.tty.max", K::kScalar, v::Count, S::kSupported, {}, nullptr, "number of /dev/ttyN"},
    {"lxc.tty.dir", K::kScalar, v::DevDirectoryName, S::kSupported, {}, nullptr,
     "directory under /dev for the console and ttys; /dev/ttyN links to it"},
    {"lxc.console.path", K::kScalar, v::Path, S::kSupported, {}, nullptr,
     "none, or unset for a pty (a host device is refused)"},
    {"lxc.console.logfile", K::kScalar, v::Path, S::kSupported, {}, nullptr, "console log"},
    {"lxc.console.size", K::kScalar, v::SizeOrAuto, S::kSupported, {}, nullptr,
     "console log size"},
    {"lxc.console.rotate", K::kScalar, v::Bool, S::kSupported, {}, nullptr, "rotate console log"},
    {"lxc.console.buffer.size", K::kScalar, v::SizeOrAuto, S::kSupported, {}, nullptr,
     "console ring buffer size"},
    {"lxc.autodev", K::kScalar, v::Bool, S::kSupported, {}, nullptr, "tmpfs /dev with host nodes"},
    {"lxc.autodev.tmpfs.size", K::kScalar, v::Count, S::kSupported, {}, nullptr,
     "size of the /dev tmpfs in MB"},
    // Mounts and rootfs.
    {"lxc.mount.auto", K::kMountAuto, v::MountAuto, S::kSupported, {}, nullptr,
     "proc, sys, cgroup mounts; merges per category"},
    {"lxc.mount.entry", K::kList, v::MountEntry, S::kSupported, {}, nullptr, "fstab line"},
    {"lxc.mount.fstab", K::kScalar, v::Path, S::kSupported, {}, nullptr, "file of fstab lines"},
    {"lxc.rootfs.path", K::kScalar, v::Path, S::kSupported, {}, RootfsPathClass,
     "rootfs directory: dir:PATH or PATH (uxc runs directories only)"},
    {"lxc.rootfs.mount", K::kScalar, v::Path, S::kLimited,
     "ignored: uxc mounts the rootfs inside the container's own mount namespace, so no mount "
     "point on the host is needed",
     nullptr, "host mount point of the rootfs"},
    {"lxc.rootfs.options", K::kScalar, v::AnyText, S::kSupported, {}, RootfsOptionsClass,
     "mount options of the rootfs"},
    {"lxc.rootfs.managed", K::kScalar, v::Bool, S::kSupported, {}, RootfsManagedClass,
     "destroy removes the rootfs"},
    // cgroups.
    {"lxc.cgroup2.CONTROLLER.FILE", K::kList, v::Cgroup2, S::kSupported, {}, Cgroup2Class,
     "write FILE in the container's cgroup (needs the controller delegated)"},
    {"lxc.cgroup2", K::kClearOnly, v::AnyText, S::kSupported, {}, nullptr,
     "clears lxc.cgroup2.*"},
    {"lxc.cgroup.dir", K::kScalar, v::Path, S::kSupported, {}, nullptr,
     "cgroup path below the delegated cgroup"},
    {"lxc.cgroup.dir.container", K::kScalar, v::Path, S::kSupported, {}, nullptr,
     "cgroup path of the payload"},
    {"lxc.cgroup.dir.container.inner", K::kScalar, v::Path, S::kLimited, kIgnoredCgroupPlacement,
     nullptr, "inner cgroup of the payload"},
    {"lxc.cgroup.dir.monitor", K::kScalar, v::Path, S::kSupported, {}, nullptr,
     "cgroup path of the monitor"},
    {"lxc.cgroup.dir.monitor.pivot", K::kScalar, v::Path, S::kLimited, kIgnoredCgroupPlacement,
     nullptr, "monitor's cgroup at exit"},
    {"lxc.cgroup.relative", K::kScalar, v::Bool, S::kSupported, {}, nullptr,
     "cgroup relative to the caller's (uxc's cgroups always are)"},
    {"lxc.cgroup.CONTROLLER.FILE", K::kList, v::Cgroup1, S::kLimited,
     "ignored: uxc uses cgroup v2 only (LXC 6 dropped these keys too); write the "
     "lxc.cgroup2.* equivalent",
     nullptr, "cgroup v1 setting"},
    {"lxc.cgroup", K::kClearOnly, v::AnyText, S::kSupported, {}, nullptr,
     "clears lxc.cgroup.CONTROLLER.*"},
    // Capabilities, namespaces, resources.
    {"lxc.cap.drop", K::kList, v::CapDrop, S::kSupported, {}, nullptr,
     "capabilities to drop from the bounding set"},
    {"lxc.cap.keep", K::kList, v::CapKeep, S::kSupported, {}, nullptr,
     "capabilities to keep (none: drop all)"},
    {"lxc.namespace.clone", K::kList, v::Namespaces, S::kSupported, {}, nullptr,
     "namespaces to create"},
    {"lxc.namespace.keep", K::kList, v::Namespaces, S::kSupported, {}, nullptr,
     "namespaces to keep from the caller"},
    {"lxc.namespace.share.NS", K::kScalar, v::NamespaceShare, S::kSupported, {}, nullptr,
     "join another container's or process's namespace"},
    {"lxc.time.offset.boot", K::kScalar, v::TimeOffset, S::kSupported, {},
     nullptr, "boot clock offset (time namespace)"},
    {"lxc.time.offset.monotonic", K::kScalar, v::TimeOffset, S::kSupported, {},
     nullptr, "monotonic clock offset (time namespace)"},
    {"lxc.prlimit.RESOURCE", K::kScalar, v::Prlimit, S::kSupported, {}, nullptr,
     "resource limit (a hard limit cannot be raised)"},
    {"lxc.prlimit", K::kClearOnly, v::AnyText, S::kSupported, {}, nullptr, "clears lxc.prlimit.*"},
    {"lxc.sysctl.NAME", K::kScalar, v::Sysctl, S::kSupported, {}, SysctlClass,
     "per-namespace sysctl"},
    {"lxc.sysctl", K::kClearOnly, v::AnyText, S::kSupported, {}, nullptr, "clears lxc.sysctl.*"},
    // Security.
    {"lxc.apparmor.profile", K::kScalar, v::AnyText, S::kLimited, kIgnoredAppArmor, nullptr,
     "AppArmor profile"},
    {"lxc.apparmor.allow_incomplete", K::kScalar, v::Bool, S::kLimited, kIgnoredAppArmor, nullptr,
     "start without full AppArmor support"},
    {"lxc.apparmor.allow_nesting", K::kScalar, v::Bool, S::kLimited, kIgnoredAppArmor, nullptr,
     "AppArmor nesting"},
    {"lxc.apparmor.raw", K::kList, v::AnyText, S::kLimited, kIgnoredAppArmor, nullptr,
     "raw AppArmor rules"},
    {"lxc.selinux.context", K::kScalar, v::AnyText, S::kLimited, kIgnoredSelinux, nullptr,
     "SELinux context"},
    {"lxc.selinux.context.keyring", K::kScalar, v::AnyText, S::kLimited, kIgnoredSelinux, nullptr,
     "SELinux keyring context"},
    {"lxc.keyring.session", K::kScalar, v::Bool, S::kSupported, {}, nullptr,
     "new session keyring for init and attach"},
    {"lxc.seccomp.profile", K::kScalar, v::Path, S::kSupported, {}, nullptr,
     "seccomp profile file (LXC format)"},
    {"lxc.seccomp.allow_nesting", K::kScalar, v::Bool, S::kSupported, {}, nullptr,
     "let the container load its own filters"},
    {"lxc.seccomp.notify.proxy", K::kScalar, v::AnyText, S::kLimited, kIgnoredNotify, nullptr,
     "seccomp notify proxy socket"},
    {"lxc.seccomp.notify.cookie", K::kScalar, v::AnyText, S::kLimited, kIgnoredNotify, nullptr,
     "seccomp notify cookie"},
    {"lxc.no_new_privs", K::kScalar, v::Bool, S::kSupported, {}, nullptr, "set no_new_privs"},
    // Ids.
    {"lxc.idmap", K::kList, v::IdMap, S::kSupported, {}, nullptr,
     "u|g|b NSID HOSTID RANGE (within /etc/subuid, /etc/subgid)"},
    // Hooks.
    {"lxc.hook.pre-start", K::kList, v::AnyText, S::kSupported, {}, nullptr, "hook"},
    {"lxc.hook.pre-mount", K::kList, v::AnyText, S::kSupported, {}, nullptr, "hook"},
    {"lxc.hook.mount", K::kList, v::AnyText, S::kSupported, {}, nullptr, "hook"},
    {"lxc.hook.autodev", K::kList, v::AnyText, S::kSupported, {}, nullptr, "hook"},
    {"lxc.hook.start-host", K::kList, v::AnyText, S::kLimited,
     "ignored: uxc does not run start-host hooks; a pre-start hook runs on the host too, "
     "before the container's namespaces exist",
     nullptr, "hook"},
    {"lxc.hook.start", K::kList, v::AnyText, S::kSupported, {}, nullptr, "hook"},
    {"lxc.hook.stop", K::kList, v::AnyText, S::kSupported, {}, nullptr, "hook"},
    {"lxc.hook.post-stop", K::kList, v::AnyText, S::kSupported, {}, nullptr, "hook"},
    // Clone hooks belong to lxc-copy, which uxc has no counterpart of; no
    // command of uxc's runs them, as none of LXC's but lxc-copy does.
    {"lxc.hook.clone", K::kList, v::AnyText, S::kSupported, {}, nullptr, "hook (lxc-copy only)"},
    {"lxc.hook.destroy", K::kList, v::AnyText, S::kLimited,
     "ignored: uxc destroy does not run destroy hooks; it removes the container's directory only",
     nullptr, "hook"},
    {"lxc.hook.version", K::kScalar, v::HookVersion, S::kSupported, {}, nullptr,
     "0: hook arguments, 1: environment"},
    {"lxc.hook", K::kClearOnly, v::AnyText, S::kSupported, {}, nullptr, "clears every hook"},
    // Logging, monitor, autostart.
    {"lxc.log.file", K::kScalar, v::Path, S::kSupported, {}, nullptr, "log file"},
    {"lxc.log.level", K::kScalar, v::LogLevel, S::kSupported, {}, nullptr, "log level"},
    {"lxc.log.syslog", K::kScalar, v::SyslogFacility, S::kLimited,
     "ignored: uxc logs to lxc.log.file only, never to syslog", nullptr,
     "syslog facility"},
    {"lxc.monitor.unshare", K::kScalar, v::Bool, S::kSupported, {}, MonitorUnshareClass,
     "unshare the monitor's mount namespace"},
    {"lxc.monitor.signal.pdeath", K::kScalar, v::Signal, S::kSupported, {}, nullptr,
     "signal to init when the monitor dies"},
    {"lxc.start.auto", K::kScalar, v::Bool, S::kSupported, {}, nullptr,
     "autostart at boot"},
    {"lxc.start.delay", K::kScalar, v::Count, S::kSupported, {}, nullptr,
     "autostart delay"},
    {"lxc.start.order", K::kScalar, v::SignedInt, S::kSupported, {}, nullptr,
     "autostart order"},
    // uxc's tool settings (uxc.conf), refused here with a pointer to the right file.
    {"uxc.container_path", K::kScalar, v::UxcSettingElsewhere, S::kSupported, {}, nullptr,
     "belongs in uxc.conf"},
    {"uxc.newuidmap", K::kScalar, v::UxcSettingElsewhere, S::kSupported, {}, nullptr,
     "belongs in uxc.conf"},
    {"uxc.newgidmap", K::kScalar, v::UxcSettingElsewhere, S::kSupported, {}, nullptr,
     "belongs in uxc.conf"},
    {"uxc.user_nic", K::kScalar, v::UxcSettingElsewhere, S::kSupported, {}, nullptr,
     "belongs in uxc.conf"},
};

// lxc.net.N.<subkey>; the pattern's "lxc.net.N." is stripped for lookup.
constexpr KeyInfo kNetKeys[] = {
    {"lxc.net.N.type", K::kScalar, v::NetType, S::kSupported, {}, NetTypeClass,
     "empty, none or veth (through uxc-user-nic); phys, macvlan, ipvlan, vlan need root"},
    {"lxc.net.N.flags", K::kScalar, v::NetFlags, S::kSupported, {}, nullptr, "up"},
    {"lxc.net.N.link", K::kScalar, v::InterfaceName, S::kSupported, {}, nullptr,
     "bridge (must be allowed in /etc/uxc/usernet)"},
    {"lxc.net.N.name", K::kScalar, v::InterfaceName, S::kSupported, {}, nullptr,
     "name inside the container"},
    {"lxc.net.N.hwaddr", K::kScalar, v::HwAddr, S::kSupported, {}, nullptr,
     "MAC address, x for random digits"},
    {"lxc.net.N.ipv4.address", K::kList, v::Ipv4Address, S::kSupported, {}, nullptr,
     "ADDR/PREFIX [BROADCAST]"},
    {"lxc.net.N.ipv4.gateway", K::kScalar, v::Ipv4Gateway, S::kSupported, {}, nullptr,
     "address, auto or dev"},
    {"lxc.net.N.ipv6.address", K::kList, v::Ipv6Address, S::kSupported, {}, nullptr,
     "ADDR/PREFIX"},
    {"lxc.net.N.ipv6.gateway", K::kScalar, v::Ipv6Gateway, S::kSupported, {}, nullptr,
     "address, auto or dev"},
    {"lxc.net.N.script.up", K::kScalar, v::Path, S::kSupported, {}, nullptr,
     "script run as the user after setup"},
    {"lxc.net.N.script.down", K::kScalar, v::Path, S::kSupported, {}, nullptr,
     "script run as the user before teardown"},
    {"lxc.net.N.mtu", K::kScalar, v::Mtu, S::kSupported, {}, nullptr,
     "MTU of the container's end (the host end has the bridge's, as with lxc-user-nic)"},
    {"lxc.net.N.veth.pair", K::kScalar, v::InterfaceName, S::kLimited,
     "ignored: uxc-user-nic names the host side of the pair itself", nullptr,
     "host-side veth name"},
    {"lxc.net.N.veth.n_rxqueues", K::kScalar, v::QueueCount, S::kLimited,
     "ignored: uxc-user-nic creates the pair with the kernel's default queues", nullptr,
     "veth rx queues"},
    {"lxc.net.N.veth.n_txqueues", K::kScalar, v::QueueCount, S::kLimited,
     "ignored: uxc-user-nic creates the pair with the kernel's default queues", nullptr,
     "veth tx queues"},
    {"lxc.net.N.veth.mode", K::kScalar, v::VethMode, S::kSupported, {}, VethModeClass,
     "bridge (router needs root)"},
    {"lxc.net.N.veth.ipv4.route", K::kList, v::Ipv4Route, S::kNeedsRoot, kNetHostRoute, nullptr,
     "host route"},
    {"lxc.net.N.veth.ipv6.route", K::kList, v::Ipv6Route, S::kNeedsRoot, kNetHostRoute, nullptr,
     "host route"},
    {"lxc.net.N.veth.vlan.id", K::kScalar, v::VlanId, S::kNeedsRoot, kNetHostVlan, nullptr,
     "bridge port VLAN"},
    {"lxc.net.N.veth.vlan.tagged.id", K::kList, v::VlanId, S::kNeedsRoot, kNetHostVlan, nullptr,
     "bridge port tagged VLAN"},
    {"lxc.net.N.vlan.id", K::kScalar, v::VlanId, S::kNeedsRoot, kNetOtherType, nullptr,
     "VLAN id"},
    {"lxc.net.N.macvlan.mode", K::kScalar, v::MacvlanMode, S::kNeedsRoot, kNetOtherType, nullptr,
     "macvlan mode"},
    {"lxc.net.N.ipvlan.mode", K::kScalar, v::IpvlanMode, S::kNeedsRoot, kNetOtherType, nullptr,
     "ipvlan mode"},
    {"lxc.net.N.ipvlan.isolation", K::kScalar, v::IpvlanIsolation, S::kNeedsRoot, kNetOtherType,
     nullptr, "ipvlan isolation"},
    {"lxc.net.N.l2proxy", K::kScalar, v::Bool, S::kSupported, {}, L2proxyClass, "proxy ARP/NDP"},
};

constexpr KeyInfo kNetClear = {"lxc.net.N", K::kClearOnly, v::AnyText, S::kSupported, {},
                               nullptr, "clears interface N"};

bool IsPrefixPattern(const KeyInfo& info) { return PatternPrefix(info.pattern) != info.pattern; }

constexpr std::string_view kNetPrefix = "lxc.net.";
constexpr std::string_view kNetPatternPrefix = "lxc.net.N.";

// Splits "lxc.net.<N>[.<subkey>]"; false when `key` has no index there.
bool SplitNetKey(std::string_view key, int* index, std::string_view* subkey) {
  if (!StartsWith(key, kNetPrefix)) return false;
  std::string_view rest = key.substr(kNetPrefix.size());
  size_t digits = 0;
  while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
  if (digits == 0) return false;
  // Indices stay small: a config with more interfaces than this is a typo.
  uint64_t parsed;
  auto [end, ec] = std::from_chars(rest.data(), rest.data() + digits, parsed);
  if (ec != std::errc() || parsed > 9999) return false;
  *index = static_cast<int>(parsed);
  *subkey = rest.substr(digits);
  return subkey->empty() || (*subkey)[0] == '.';
}

std::optional<ResolvedKey> FindNetKey(std::string_view key) {
  int index;
  std::string_view subkey;
  if (!SplitNetKey(key, &index, &subkey)) return std::nullopt;
  std::string canonical = std::string(kNetPrefix) + std::to_string(index);
  if (subkey.empty()) return ResolvedKey{&kNetClear, canonical, index};
  subkey.remove_prefix(1);
  for (const KeyInfo& info : kNetKeys) {
    if (info.pattern.substr(kNetPatternPrefix.size()) == subkey) {
      return ResolvedKey{&info, canonical + "." + std::string(subkey), index};
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view PatternPrefix(std::string_view pattern) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] >= 'A' && pattern[i] <= 'Z') return pattern.substr(0, i);
  }
  return pattern;
}

std::optional<ResolvedKey> FindKey(std::string_view key) {
  if (std::optional<ResolvedKey> net = FindNetKey(key); net.has_value()) return net;
  for (const KeyInfo& info : kKeys) {
    if (!IsPrefixPattern(info) && info.pattern == key) return ResolvedKey{&info, std::string(key)};
  }
  const KeyInfo* best = nullptr;
  for (const KeyInfo& info : kKeys) {
    std::string_view fixed = PatternPrefix(info.pattern);
    if (IsPrefixPattern(info) && StartsWith(key, fixed) && key.size() > fixed.size() &&
        (best == nullptr || fixed.size() > PatternPrefix(best->pattern).size())) {
      best = &info;
    }
  }
  if (best != nullptr) return ResolvedKey{best, std::string(key)};
  return std::nullopt;
}

bool ClearsKey(std::string_view group_key, std::string_view key) {
  if (group_key == "lxc.hook") return StartsWith(key, "lxc.hook.") && key != "lxc.hook.version";
  if (group_key == "lxc.cgroup") {
    std::optional<ResolvedKey> resolved = FindKey(key);
    return resolved.has_value() && resolved->info->pattern == "lxc.cgroup.CONTROLLER.FILE";
  }
  return StartsWith(key, std::string(group_key) + ".");
}

Classification Classify(const ResolvedKey& key, std::string_view value,
                        std::span<const BuildLimit> limits) {
  Classification by_table = key.info->classify != nullptr
                                ? key.info->classify(key.key, value)
                                : Classification{key.info->support, std::string(key.info->reason)};
  if (by_table.support != Support::kSupported) return by_table;
  for (const BuildLimit& limit : limits) {
    if (limit.pattern != key.info->pattern) continue;
    std::string reason =
        limit.reason_for != nullptr ? limit.reason_for(key.key, value) : std::string(limit.reason);
    if (!reason.empty()) return {Support::kLimited, reason};
  }
  return by_table;
}

std::vector<const KeyInfo*> AllKeys() {
  std::vector<const KeyInfo*> all;
  for (const KeyInfo& info : kKeys) all.push_back(&info);
  all.push_back(&kNetClear);
  for (const KeyInfo& info : kNetKeys) all.push_back(&info);
  return all;
}

}  // namespace uxc::config
