#include "launcher/templates/rootfs_extract.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/unique_fd.h"
#include "launcher/templates/compression.h"

namespace uxc::templates {
namespace {

// A rootfs-relative path without "." and empty components; ".." refused.
Result<std::string> RelativeInRoot(const std::string& path) {
  std::string relative;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    std::string component = path.substr(start, end - start);
    start = end + 1;
    if (component.empty() || component == ".") continue;
    if (component == "..") return PlainError("path inside the rootfs must not contain '..': " + path);
    relative += (relative.empty() ? "" : "/") + component;
  }
  if (relative.empty()) return PlainError("empty path inside the rootfs: '" + path + "'");
  return relative;
}

Result<bool> ExistsWithoutSymlinks(const std::string& rootfs, const std::string& relative) {
  UniqueFd root(open(rootfs.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!root) return ErrnoError("open the rootfs " + rootfs);
  open_how how{};
  how.flags = O_PATH | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_XDEV;
  long fd = syscall(SYS_openat2, root.get(), relative.c_str(), &how, sizeof how);
  if (fd >= 0) {
    UniqueFd opened(static_cast<int>(fd));
    return true;
  }
  if (errno == ENOENT) return false;
  if (errno == ELOOP) {
    return PlainError(rootfs + "/" + relative +
                      ": a component is a symlink; refusing to write through it "
                      "(the image must hold the real directory)");
  }
  return ErrnoError("resolve " + relative + " in the rootfs " + rootfs);
}

std::string TarFailureHint(const std::string& stderr_tail, const ExtractOptions& options) {
  if (stderr_tail.find("Cannot mknod") != std::string::npos) {
    return "; " + options.description +
           " holds device nodes, which a user namespace cannot create: pass --no-dev to leave "
           "dev/ out (uxc fills /dev when the container starts)";
  }
  if (stderr_tail.find("Cannot change ownership") != std::string::npos) {
    return "; " + options.description +
           " has files owned by ids outside the container's subordinate range";
  }
  return "";
}

}  // namespace

Status CheckNoSymlinks(const std::string& rootfs, const std::string& path) {
  UXC_ASSIGN_OR_RETURN(auto relative, RelativeInRoot(path));
  UXC_RETURN_IF_ERROR(ExistsWithoutSymlinks(rootfs, relative));
  return OkStatus();
}

Status ExtractIntoRootfs(const TemplateContext& context, int archive_fd, const ExtractOptions& options) {
  auto head = ReadHead(archive_fd);
  if (!head.ok()) return Annotate(head.take_error(), options.description);
  if (lseek(archive_fd, 0, SEEK_SET) != 0) return ErrnoError("rewind " + options.description);

  std::vector<std::string> argv = {"tar", "--extract", "--numeric-owner", "--preserve-permissions",
                                   "--file=-", "--directory=" + context.rootfs};
  std::string decompress = TarDecompressFlag(DetectCompression(*head));
  if (!decompress.empty()) argv.push_back(decompress);
  std::vector<std::string> excludes = options.excludes;
  if (options.no_dev) {
    excludes.push_back("./dev/*");
    excludes.push_back("dev/*");
  }
  if (!excludes.empty()) argv.push_back("--anchored");
  for (const auto& pattern : excludes) argv.push_back("--exclude=" + pattern);

  UsernsCommand command{ContainerMaps(context.ids), argv, archive_fd, -1};
  auto outcome = RunInUserns(context.uxc_binary, command);
  if (!outcome.ok()) return Annotate(outcome.take_error(), "extract " + options.description);
  if (outcome->exit_code != 0) {
    return PlainError("extracting " + options.description + " into " + context.rootfs +
                      " failed (tar's messages are above)" + TarFailureHint(outcome->stderr_tail, options));
  }
  return OkStatus();
}

Status ExtractDataIntoRootfs(const TemplateContext& context, const std::string& archive,
                             const ExtractOptions& options) {
  UniqueFd memfd(memfd_create("uxc-archive", MFD_CLOEXEC));
  if (!memfd) return ErrnoError("create a memory file for " + options.description);
  size_t done = 0;
  while (done < archive.size()) {
    ssize_t n = write(memfd.get(), archive.data() + done, archive.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError("write " + options.description + " to a memory file");
    done += static_cast<size_t>(n);
  }
  return ExtractIntoRootfs(context, memfd.get(), options);
}

Status MakeRootfsDirectories(const TemplateContext& context, const std::vector<std::string>& paths) {
  std::vector<std::string> argv = {"mkdir", "-p", "--"};
  for (const auto& path : paths) {
    UXC_ASSIGN_OR_RETURN(auto relative, RelativeInRoot(path));
    UXC_RETURN_IF_ERROR(ExistsWithoutSymlinks(context.rootfs, relative));
    argv.push_back(context.rootfs + "/" + relative);
  }
  return RunInUsernsOrFail(context.uxc_binary, {ContainerMaps(context.ids), argv, -1, -1},
                           "make directories in the rootfs");
}

Status SubstituteInRootfs(const TemplateContext& context, const std::vector<std::string>& paths,
                          const std::string& sed_program) {
  std::vector<std::string> argv = {"sed", "-i", "-e", sed_program, "--"};
  size_t fixed = argv.size();
  for (const auto& path : paths) {
    auto relative = RelativeInRoot(path);
    if (!relative.ok()) return Annotate(relative.take_error(), "image templates list");
    UXC_ASSIGN_OR_RETURN(auto exists, ExistsWithoutSymlinks(context.rootfs, *relative));
    if (exists) argv.push_back(context.rootfs + "/" + *relative);
  }
  if (argv.size() == fixed) return OkStatus();
  return RunInUsernsOrFail(context.uxc_binary, {ContainerMaps(context.ids), argv, -1, -1},
                           "fill in the image's template files");
}

}  // namespace uxc::templates
