#include "launcher/templates/busybox.h"

#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <ctime>

#include "base/read_file.h"
#include "base/unique_fd.h"
#include "launcher/templates/host_command.h"
#include "launcher/templates/rootfs_extract.h"
#include "launcher/templates/tar_writer.h"

namespace uxc::templates {
namespace {

constexpr const char* kDefaultBusybox = "/bin/busybox";
constexpr off_t kMaxBusyboxSize = 64 << 20;
constexpr const char* kUdhcpcScript = "etc/udhcpc/default.script";

// lxc-busybox's tree; lib dirs stay for bind-mounting host libraries.
constexpr const char* kDirectories[] = {
    "selinux", "dev",     "home",    "root",     "etc", "etc/init.d", "etc/udhcpc", "bin",
    "usr",     "usr/bin", "sbin",    "usr/sbin", "proc", "sys",      "mnt",        "tmp",
    "var",     "var/log", "var/run", "dev/pts",  "lib", "usr/lib",  "lib64",      "usr/lib64"};

constexpr const char kInittab[] =
    "::sysinit:/etc/init.d/rcS\n"
    "console::respawn:/bin/getty -n -l /bin/sh -L console 115200 vt100\n"
    "tty1::respawn:/bin/getty -L tty1 115200 vt100\n"
    "::ctrlaltdel:/bin/reboot\n"
    "::shutdown:/bin/umount -a -r\n";

constexpr const char kRcS[] =
    "#!/bin/sh\n"
    "/bin/syslogd\n"
    "/bin/mount -a\n"
    "if [ -e /sys/class/net/eth0 ]; then\n"
    "  /bin/udhcpc -b -i eth0 -s /etc/udhcpc/default.script\n"
    "fi\n";

constexpr const char kUdhcpcScriptContent[] =
    "#!/bin/sh\n"
    "# udhcpc calls this with the event in $1 and the lease in the environment.\n"
    "case \"$1\" in\n"
    "  deconfig)\n"
    "    ip addr flush dev \"$interface\"\n"
    "    ;;\n"
    "  renew|bound)\n"
    "    [ -n \"$router\" ] && ip route del default 2>/dev/null\n"
    "    ip addr add \"$ip/$mask\" ${broadcast:+broadcast $broadcast} dev \"$interface\"\n"
    "    for gateway in $router; do\n"
    "      ip route add default via \"$gateway\" dev \"$interface\" && break\n"
    "    done\n"
    "    : > /etc/resolv.conf\n"
    "    [ -n \"$domain\" ] && echo \"search $domain\" >> /etc/resolv.conf\n"
    "    for server in $dns; do echo \"nameserver $server\" >> /etc/resolv.conf; done\n"
    "    ;;\n"
    "esac\n"
    "exit 0\n";

Result<std::string> ReadBinary(const std::string& path) {
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return ErrnoError("open busybox " + path + " (install busybox-static, or pass --busybox-path)");
  struct stat st;
  if (fstat(fd.get(), &st) != 0) return ErrnoError("stat " + path);
  if (!S_ISREG(st.st_mode) || st.st_size > kMaxBusyboxSize) {
    return PlainError(path + " is not a plausible busybox binary (not a regular file, or over 64 MiB)");
  }
  return ReadSmallFd(fd.get(), path, kMaxBusyboxSize);
}

template <typename Ehdr, typename Phdr>
Result<bool> HasNoInterpreter(const std::string& image) {
  if (image.size() < sizeof(Ehdr)) return PlainError("truncated ELF header");
  Ehdr header;
  std::memcpy(&header, image.data(), sizeof header);
  if (header.e_phentsize != sizeof(Phdr)) return PlainError("unexpected ELF program header size");
  for (size_t i = 0; i < header.e_phnum; ++i) {
    size_t offset = header.e_phoff + i * sizeof(Phdr);
    if (offset > image.size() || image.size() - offset < sizeof(Phdr)) {
      return PlainError("truncated ELF program headers");
    }
    Phdr program;
    std::memcpy(&program, image.data() + offset, sizeof program);
    if (program.p_type == PT_INTERP) return false;
  }
  return true;
}

}  // namespace

Result<bool> IsStaticElf(const std::string& image) {
  if (image.size() < EI_NIDENT || std::memcmp(image.data(), ELFMAG, SELFMAG) != 0) {
    return PlainError("not an ELF executable");
  }
  if (image[EI_CLASS] == ELFCLASS64) return HasNoInterpreter<Elf64_Ehdr, Elf64_Phdr>(image);
  if (image[EI_CLASS] == ELFCLASS32) return HasNoInterpreter<Elf32_Ehdr, Elf32_Phdr>(image);
  return PlainError("unknown ELF class");
}

Result<std::vector<std::string>> ParseAppletList(const std::string& list) {
  std::vector<std::string> applets;
  size_t start = 0;
  while (start < list.size()) {
    size_t end = list.find('\n', start);
    if (end == std::string::npos) end = list.size();
    std::string name = list.substr(start, end - start);
    start = end + 1;
    if (name.empty() || name == "busybox") continue;
    if (name == "." || name == ".." || name.find('/') != std::string::npos || name.size() > 100) {
      return PlainError("busybox --list printed an unusable applet name '" + name + "'");
    }
    applets.push_back(std::move(name));
  }
  if (applets.empty()) return PlainError("busybox --list printed no applets");
  return applets;
}

Result<std::string> BusyboxRootfsArchive(const std::string& binary, const std::vector<std::string>& applets) {
  TarWriter tar;
  tar.set_mtime(time(nullptr));
  UXC_RETURN_IF_ERROR(tar.AddDirectory(".", 0755));
  for (const char* dir : kDirectories) {
    UXC_RETURN_IF_ERROR(tar.AddDirectory(dir, std::strcmp(dir, "tmp") == 0 ? 01777 : 0755));
  }
  UXC_RETURN_IF_ERROR(tar.AddFile("bin/busybox", binary, 0755));
  for (const auto& applet : applets) {
    UXC_RETURN_IF_ERROR(tar.AddSymlink("bin/" + applet, "busybox"));
  }
  UXC_RETURN_IF_ERROR(tar.AddHardLink("sbin/init", "bin/busybox"));
  UXC_RETURN_IF_ERROR(tar.AddFile("etc/passwd", "root:x:0:0:root:/root:/bin/sh\n", 0644));
  UXC_RETURN_IF_ERROR(tar.AddFile("etc/group", "root:x:0:root\n", 0644));
  UXC_RETURN_IF_ERROR(tar.AddFile("etc/shadow", "root:*:0:0:99999:7:::\n", 0600));
  UXC_RETURN_IF_ERROR(tar.AddFile("etc/fstab", "", 0644));
  UXC_RETURN_IF_ERROR(tar.AddFile("etc/inittab", kInittab, 0644));
  UXC_RETURN_IF_ERROR(tar.AddFile("etc/init.d/rcS", kRcS, 0744));
  UXC_RETURN_IF_ERROR(tar.AddFile(kUdhcpcScript, kUdhcpcScriptContent, 0744));
  return tar.Finish();
}

std::string BusyboxConfig() {
  return "lxc.signal.halt = SIGUSR1\n"
         "lxc.signal.reboot = SIGTERM\n"
         "lxc.autodev = 1\n"
         "lxc.tty.max = 5\n"
         "lxc.pty.max = 16\n"
         "lxc.cap.drop = sys_module mac_admin mac_override sys_time\n"
         "lxc.mount.auto = cgroup:mixed proc:mixed sys:ro\n"
         "lxc.mount.entry = shm dev/shm tmpfs defaults,create=dir 0 0\n"
         "lxc.mount.entry = mqueue dev/mqueue mqueue defaults,optional,create=dir 0 0\n"
         "lxc.mount.entry = /sys/kernel/security sys/kernel/security none ro,bind,optional 0 0\n";
}

Result<TemplateOutput> CreateBusybox(const TemplateContext& context, const cli::ParsedArgs& args) {
  std::string path = args.Value("busybox-path", kDefaultBusybox);
  UXC_ASSIGN_OR_RETURN(auto binary, ReadBinary(path));
  auto is_static = IsStaticElf(binary);
  if (!is_static.ok()) return Annotate(is_static.take_error(), path);
  if (!*is_static) {
    return PlainError(path + " is dynamically linked and would not run in the container: "
                             "install busybox-static, or pass --busybox-path to a static busybox");
  }
  UXC_ASSIGN_OR_RETURN(auto list, RunHostCommandOrFail({path, "--list"}, "list busybox's applets"));
  UXC_ASSIGN_OR_RETURN(auto applets, ParseAppletList(list.out));
  UXC_ASSIGN_OR_RETURN(auto archive, BusyboxRootfsArchive(binary, applets));
  ExtractOptions options;
  options.description = "the busybox rootfs";
  UXC_RETURN_IF_ERROR(ExtractDataIntoRootfs(context, archive, options));
  return TemplateOutput{BusyboxConfig(), std::nullopt, {}, ""};
}

}  // namespace uxc::templates
