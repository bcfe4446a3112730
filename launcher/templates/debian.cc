#include "launcher/templates/debian.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdint>
#include <ctime>
#include <cstdio>

#include "base/fnv1a.h"
#include "base/unique_fd.h"
#include "launcher/templates/apt_sources.h"
#include "launcher/templates/download.h"
#include "launcher/templates/host_command.h"
#include "launcher/templates/rootfs_extract.h"
#include "launcher/templates/tar_writer.h"

namespace uxc::templates {
namespace {

// lxc.tty.max of the config, and the gettys of a sysvinit inittab.
constexpr int kTtys = 4;

bool IsSafeWord(const std::string& value, const std::string& extra) {
  if (value.empty() || value.front() == '-') return false;
  for (char c : value) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              extra.find(c) != std::string::npos;
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Result<DebianBuild::Init> ChooseInit(const std::optional<std::string>& init, const launcher::CgroupProspect& prospect,
                                     std::string* note) {
  using Init = DebianBuild::Init;
  if (init == "systemd") return Init::kSystemd;
  if (init == "sysvinit") return Init::kSysvinit;
  if (init == "none") return Init::kNone;
  if (init.has_value()) {
    return PlainError("bad --init '" + *init +
                      "': use systemd (the default where a delegated cgroup v2 can be had), sysvinit, or none (a "
                      "rootfs for uxc execute)");
  }
  if (prospect.available) return Init::kSystemd;
  *note = "the guest gets sysvinit, not systemd: a systemd guest needs a delegated cgroup v2, and " +
          prospect.why_not;
  return Init::kSysvinit;
}

namespace {

Result<DebianBuild> BuildFromArgs(const cli::ParsedArgs& args) {
  DebianBuild build;
  build.release = args.Value("release", build.release);
  build.variant = args.Value("variant", build.variant);
  build.packages = args.Value("packages");
  std::optional<std::string> init = args.Has("init") ? std::optional<std::string>(args.Value("init")) : std::nullopt;
  std::string note;
  UXC_ASSIGN_OR_RETURN(build.init, ChooseInit(init, launcher::ProspectOfDelegatedCgroup(), &note));
  if (!note.empty()) fprintf(stderr, "uxc: %s\n", note.c_str());
  const char* init_packages = build.init == DebianBuild::Init::kSystemd    ? "systemd-sysv,dbus"
                              : build.init == DebianBuild::Init::kSysvinit ? "sysvinit-core"
                                                                           : "";
  if (*init_packages != '\0')
    build.packages = build.packages.empty() ? init_packages : std::string(init_packages) + "," + build.packages;
  struct utsname name;
  build.arch = args.Value("arch", DebianArchitecture(uname(&name) == 0 ? name.machine : ""));
  if (!IsSafeWord(build.release, "-.")) return PlainError("bad --release '" + build.release + "'");
  if (!IsSafeWord(build.variant, "-")) {
    return PlainError("bad --variant '" + build.variant + "' (minbase, buildd, required, important, standard)");
  }
  if (!IsSafeWord(build.arch, "-")) return PlainError("bad --arch '" + build.arch + "'");
  if (!build.packages.empty() && !IsSafeWord(build.packages, "+-.,:")) {
    return PlainError("bad --packages '" + build.packages + "': comma-separated Debian package names");
  }
  if (args.Has("mirror")) {
    build.mirror = args.Value("mirror");
  } else {
    UXC_ASSIGN_OR_RETURN(auto files, ReadAptSources());
    UXC_ASSIGN_OR_RETURN(auto source, ChooseDebianMirror(files));
    build.mirror = source.uri;
  }
  if (build.mirror.rfind("http://", 0) != 0 && build.mirror.rfind("https://", 0) != 0) {
    return PlainError("the Debian mirror must be an http:// or https:// URL, not '" + build.mirror + "'");
  }
  return build;
}

Status MakeDirectories(const std::string& path) {
  for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    std::string prefix = path.substr(0, slash);
    if (mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) return ErrnoError("make directory " + prefix);
    if (slash == std::string::npos) return OkStatus();
  }
}

// Bootstraps into `cache_dir`/`name` through a temporary file, so an
// interrupted run leaves no half tarball under the final name.
Status Bootstrap(const TemplateContext& context, const DebianBuild& build, const std::string& cache_dir,
                 const std::string& name) {
  std::string partial = cache_dir + "/." + name + ".partial-XXXXXX";
  UniqueFd out(mkostemp(partial.data(), O_CLOEXEC));
  if (!out) return ErrnoError("create a file in the cache directory " + cache_dir);
  fprintf(stderr, "uxc: bootstrapping Debian %s (%s, %s) from %s\n", build.release.c_str(),
          build.variant.c_str(), build.arch.c_str(), build.mirror.c_str());
  NoiseFilter noise(IsMmdebstrapMountNoise);
  Status run = RunInUsernsOrFail(context.uxc_binary,
                                 {ContainerMaps(context.ids), MmdebstrapArgv(build), -1, out.get(), true, &noise},
                                 "bootstrap Debian with mmdebstrap");
  if (!run.ok() && !noise.hidden().empty()) {
    fprintf(stderr, "uxc: mmdebstrap also said (hidden while it ran, as usually harmless):\n%s",
            noise.hidden().c_str());
  }
  if (run.ok() && fsync(out.get()) != 0) run = ErrnoError("write " + partial);
  if (run.ok() && rename(partial.c_str(), (cache_dir + "/" + name).c_str()) != 0) {
    run = ErrnoError("rename " + partial + " into place");
  }
  if (!run.ok()) unlink(partial.c_str());
  return run;
}

Status WriteIdentity(const TemplateContext& context) {
  TarWriter tar;
  tar.set_mtime(time(nullptr));
  UXC_RETURN_IF_ERROR(tar.AddFile("etc/hostname", context.name + "\n", 0644));
  UXC_RETURN_IF_ERROR(tar.AddFile("etc/hosts",
                                  "127.0.0.1\tlocalhost\n127.0.1.1\t" + context.name +
                                      "\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                                      "ff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n",
                                  0644));
  UXC_RETURN_IF_ERROR(CheckNoSymlinks(context.rootfs, "etc"));
  ExtractOptions options;
  options.description = "the container's /etc/hostname and /etc/hosts";
  return ExtractDataIntoRootfs(context, tar.Finish(), options);
}

Status WriteInittab(const TemplateContext& context) {
  TarWriter tar;
  tar.set_mtime(time(nullptr));
  UXC_RETURN_IF_ERROR(tar.AddFile("etc/inittab", DebianSysvinitInittab(kTtys), 0644));
  UXC_RETURN_IF_ERROR(CheckNoSymlinks(context.rootfs, "etc/inittab"));
  ExtractOptions options;
  options.description = "the container's /etc/inittab";
  return ExtractDataIntoRootfs(context, tar.Finish(), options);
}

Status WriteSystemdFixes(const TemplateContext& context) {
  TarWriter tar;
  tar.set_mtime(time(nullptr));
  for (const auto& [path, contents] : DebianSystemdFixes()) {
    UXC_RETURN_IF_ERROR(tar.AddDirectory(path.substr(0, path.rfind('/')), 0755));
    UXC_RETURN_IF_ERROR(tar.AddFile(path, contents, 0644));
  }
  UXC_RETURN_IF_ERROR(CheckNoSymlinks(context.rootfs, "etc/systemd/system"));
  ExtractOptions options;
  options.description = "the container's systemd drop-ins";
  return ExtractDataIntoRootfs(context, tar.Finish(), options);
}

}  // namespace

std::vector<std::pair<std::string, std::string>> DebianSystemdFixes() {
  // debugfs cannot be mounted in a user namespace (it has no
  // FS_USERNS_MOUNT): the unit's mount fails and the guest boots
  // "degraded". The one failure a bookworm guest showed (lxc's images mask
  // it too). The condition skips it in any container, as systemd-detect-virt
  // -c sees one (container=lxc).
  return {{"etc/systemd/system/sys-kernel-debug.mount.d/uxc-container.conf",
           "# Written by uxc's debian template: debugfs cannot be mounted in an\n"
           "# unprivileged container.\n"
           "[Unit]\n"
           "ConditionVirtualization=!container\n"}};
}

std::string DebianCacheName(const DebianBuild& build) {
  std::string inputs = build.release + "\n" + build.variant + "\n" + build.arch + "\n" + build.mirror + "\n" +
                       build.packages + "\n";
  char hash[17];
  snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(Fnv1a64(inputs)));
  return build.release + "-" + build.variant + "-" + build.arch + "-" + hash + ".tar";
}

std::vector<std::string> MmdebstrapArgv(const DebianBuild& build) {
  // mmdebstrap needs room for the whole tree in its temporary directory, and
  // container root must be able to write there: not the caller's private TMPDIR.
  std::vector<std::string> argv = {"env", "TMPDIR=/var/tmp", "mmdebstrap", "--mode=root",
                                   "--variant=" + build.variant, "--architectures=" + build.arch,
                                   "--format=tar"};
  if (!build.packages.empty()) argv.push_back("--include=" + build.packages);
  argv.insert(argv.end(), {build.release, "-", build.mirror});
  return argv;
}

std::string DebianConfig(const std::string& arch) {
  return "lxc.include = LXC_TEMPLATE_CONFIG/debian.common.conf\n"
         "lxc.include = LXC_TEMPLATE_CONFIG/debian.userns.conf\n"
         "lxc.arch = " + arch + "\n"
         "lxc.tty.max = " + std::to_string(kTtys) + "\n"
         "lxc.pty.max = 1024\n";
}

std::string DebianSysvinitInittab(int ttys) {
  std::string inittab =
      "# /etc/inittab of a container, written by uxc's debian template (see inittab(5)).\n"
      "id:2:initdefault:\n"
      "si::sysinit:/etc/init.d/rcS\n";
  for (int level = 0; level <= 6; ++level) {
    inittab += "l" + std::to_string(level) + ":" + std::to_string(level) + ":wait:/etc/init.d/rc " +
               std::to_string(level) + "\n";
  }
  inittab +=
      "z6:6:respawn:/sbin/sulogin --force\n"
      "# `uxc stop` sends SIGPWR (lxc.signal.halt); init(8) then runs the powerwait\n"
      "# entries, as there is no /run/powerstatus.\n"
      "pf::powerwait:/sbin/shutdown -t1 -a -h now\n"
      "# `uxc stop --reboot` sends SIGINT (lxc.signal.reboot).\n"
      "ca::ctrlaltdel:/sbin/shutdown -t1 -a -r now\n"
      "# Gettys on the container's console and ttys (ptys uxc made), no real console.\n"
      "co:2345:respawn:/sbin/getty --noclear 38400 console linux\n";
  for (int tty = 1; tty <= ttys; ++tty) {
    std::string n = std::to_string(tty);
    inittab += n + ":2345:respawn:/sbin/getty --noclear 38400 tty" + n + " linux\n";
  }
  return inittab;
}

Result<TemplateOutput> CreateDebian(const TemplateContext& context, const cli::ParsedArgs& args) {
  UXC_ASSIGN_OR_RETURN(auto build, BuildFromArgs(args));
  std::string cache_dir = args.Value("cache-dir", context.cache_home + "/uxc/debian");
  UXC_RETURN_IF_ERROR(MakeDirectories(cache_dir));
  std::string name = DebianCacheName(build);
  std::string cached = cache_dir + "/" + name;
  if (args.Has("flush-cache") && unlink(cached.c_str()) != 0 && errno != ENOENT) {
    return ErrnoError("remove the cached rootfs " + cached);
  }
  if (access(cached.c_str(), F_OK) == 0) {
    fprintf(stderr, "uxc: using the cached Debian rootfs %s (--flush-cache to rebuild it)\n", cached.c_str());
  } else {
    UXC_RETURN_IF_ERROR(Bootstrap(context, build, cache_dir, name));
  }

  UniqueFd tarball(open(cached.c_str(), O_RDONLY | O_CLOEXEC));
  if (!tarball) return ErrnoError("open the cached rootfs " + cached);
  ExtractOptions options;
  options.description = "the Debian rootfs " + cached;
  // mmdebstrap puts device nodes under ./dev into the tarball; a user
  // namespace cannot make them (mknod(2): EPERM), and uxc fills /dev at start.
  options.no_dev = true;
  UXC_RETURN_IF_ERROR(ExtractIntoRootfs(context, tarball.get(), options));
  UXC_RETURN_IF_ERROR(MakeRootfsDirectories(context, {"dev/pts"}));
  UXC_RETURN_IF_ERROR(WriteIdentity(context));
  if (build.init == DebianBuild::Init::kSysvinit) UXC_RETURN_IF_ERROR(WriteInittab(context));
  if (build.init == DebianBuild::Init::kSystemd) UXC_RETURN_IF_ERROR(WriteSystemdFixes(context));
  return TemplateOutput{DebianConfig(build.arch), std::nullopt, {}, ""};
}

}  // namespace uxc::templates
