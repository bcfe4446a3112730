#include "launcher/templates/container_tree.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>

#include "base/unique_fd.h"
#include "config/container_name.h"
#include "launcher/templates/config_assembly.h"
#include "launcher/templates/host_command.h"
#include "launcher/templates/image_metadata.h"
#include "launcher/templates/rootfs_extract.h"
#include "launcher/templates/shipped_configs.h"

namespace uxc::templates {
namespace {

Status MakeDirectoryPath(const std::string& path) {
  for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    std::string prefix = path.substr(0, slash);
    if (!prefix.empty() && mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
      return ErrnoError("make the container path " + prefix);
    }
    if (slash == std::string::npos) return OkStatus();
  }
}

Status WriteFileAtomically(const std::string& path, const std::string& content) {
  std::string temporary = path + ".uxc-new";
  UniqueFd fd(open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (!fd) return ErrnoError("create " + temporary);
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = write(fd.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoError("write " + temporary);
    done += static_cast<size_t>(n);
  }
  if (fsync(fd.get()) != 0) return ErrnoError("write " + temporary);
  if (rename(temporary.c_str(), path.c_str()) != 0) return ErrnoError("rename " + temporary + " to " + path);
  return OkStatus();
}

// Fills the made directory; any error leaves cleanup to the caller.
Result<std::string> Populate(const CreateRequest& request, const std::string& container_dir) {
  TemplateContext context{request.name, container_dir, container_dir + "/rootfs", request.uxc_binary,
                          request.ids, request.cache_home};
  if (mkdir(context.rootfs.c_str(), 0755) != 0) return ErrnoError("make " + context.rootfs);
  UXC_RETURN_IF_ERROR(RunInUsernsOrFail(request.uxc_binary,
                                        {ContainerAndOwnerMaps(request.ids), {"chown", "0:0", "--", context.rootfs},
                                         -1, -1},
                                        "hand " + context.rootfs + " to container root"));

  auto output = request.spec->create(context, request.template_args);
  if (!output.ok()) return Annotate(output.take_error(), "template " + std::string(request.spec->name));

  TemplateVariables vars{request.name, container_dir, context.rootfs, DefaultTemplateConfigDir(),
                         DefaultHookDir()};
  UXC_RETURN_IF_ERROR(SubstituteInRootfs(context, output->rootfs_templates, SedProgram(vars)));
  std::string fstab_path;
  if (output->fstab) {
    fstab_path = container_dir + "/fstab";
    UXC_RETURN_IF_ERROR(WriteFileAtomically(fstab_path, SubstituteVariables(*output->fstab, vars)));
  }
  ConfigParts parts{request.spec->name, request.defaults, output->config, request.name, context.rootfs,
                    fstab_path};
  UXC_RETURN_IF_ERROR(WriteFileAtomically(container_dir + "/config",
                                          SubstituteVariables(AssembleConfig(parts), vars)));
  return output->message;
}

}  // namespace

Result<std::string> CreateContainer(const CreateRequest& request) {
  UXC_RETURN_IF_ERROR(config::ValidateContainerName(request.name));
  UXC_RETURN_IF_ERROR(MakeDirectoryPath(request.container_path));
  std::string container_dir = request.container_path + "/" + request.name;
  if (mkdir(container_dir.c_str(), 0755) != 0) {
    if (errno == EEXIST) {
      return PlainError("container '" + request.name + "' already exists (" + container_dir +
                        "): choose another name, or remove it first with `uxc destroy " + request.name + "`");
    }
    return ErrnoError("make the container directory " + container_dir);
  }
  auto made = Populate(request, container_dir);
  if (made.ok()) return made;
  Status removed = RemoveContainerTree(request.uxc_binary, request.ids, container_dir);
  if (!removed.ok()) {
    return PlainError(made.error().ToString() + "; and removing the partial container failed too: " +
                      removed.error().ToString());
  }
  return made.take_error();
}

namespace {

Status RemoveTree(const std::string& uxc_binary, const std::optional<UsernsIds>& ids, const std::string& path) {
  std::vector<std::string> argv = {"rm", "-rf", "--one-file-system", "--", path};
  if (ids) return RunInUsernsOrFail(uxc_binary, {ContainerAndOwnerMaps(*ids), argv, -1, -1}, "remove " + path);
  UXC_RETURN_IF_ERROR(RunHostCommandOrFail(argv, "remove " + path));
  return OkStatus();
}

bool Exists(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0;
}

}  // namespace

Status RemoveContainerTree(const std::string& uxc_binary, const std::optional<UsernsIds>& ids,
                           const std::string& container_dir) {
  // The rootfs first: when it cannot go, the config stays and the container
  // is still there to list, fix and destroy again.
  std::string rootfs = container_dir + "/rootfs";
  if (Exists(rootfs)) UXC_RETURN_IF_ERROR(RemoveTree(uxc_binary, ids, rootfs));
  UXC_RETURN_IF_ERROR(RemoveTree(uxc_binary, ids, container_dir));
  if (Exists(container_dir)) {
    return PlainError(container_dir + " is still there after removal: is something mounted in it?");
  }
  return OkStatus();
}

}  // namespace uxc::templates
