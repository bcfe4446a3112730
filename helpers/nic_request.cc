#include "helpers/nic_request.h"

#include "base/text.h"
#include "kernel/rtnetlink.h"

namespace uxc::helpers {
namespace {

constexpr char kCreateUsage[] = "create <lxcpath> <name> <pid>|fd:<N> veth <bridge>|none [<nicname>]";
constexpr char kDeleteUsage[] = "delete <lxcpath> <name> <netns-path> veth <bridge> <host-nic>";

Error Usage(const std::string& what, const char* usage) {
  return PlainError(what + ": the command line is `uxc-user-nic " + usage + "`");
}

Status CheckType(std::string_view type) {
  if (type == "veth") return OkStatus();
  return PlainError("nic type " + Quoted(type) + " is not supported: uxc-user-nic creates veth pairs only");
}

Status CheckLink(std::string_view name, const std::string& what) {
  if (kernel::IsValidLinkName(name)) return OkStatus();
  return PlainError(what + " " + Quoted(name) +
                    " is not a valid interface name (1 to 15 bytes, no '/', ':' or blanks, not \".\" or \"..\")");
}

Result<NicRequest> ParseCreate(const std::vector<std::string_view>& args) {
  if (args.size() != 6 && args.size() != 7) {
    return Usage(std::to_string(args.size() - 1) + " arguments after create", kCreateUsage);
  }
  NicRequest request;
  request.command = NicCommand::kCreate;
  if (args[3].starts_with("wait:")) return PlainError("create takes a pid or fd:N, not " + Quoted(args[3]));
  UXC_ASSIGN_OR_RETURN(auto target, ParseTargetSpec(args[3]));
  request.target = target;
  UXC_RETURN_IF_ERROR(CheckType(args[4]));
  request.bridge = std::string(args[5]);
  if (request.bridge != "none") UXC_RETURN_IF_ERROR(CheckLink(args[5], "the bridge"));
  if (args.size() == 7) {
    UXC_RETURN_IF_ERROR(CheckLink(args[6], "the container's nic name"));
    request.nic_name = std::string(args[6]);
  }
  return request;
}

Result<NicRequest> ParseDelete(const std::vector<std::string_view>& args) {
  if (args.size() != 7) return Usage(std::to_string(args.size() - 1) + " arguments after delete", kDeleteUsage);
  NicRequest request;
  request.command = NicCommand::kDelete;
  if (args[3].empty() || args[3].find('\0') != std::string_view::npos) {
    return Usage("an empty network namespace path", kDeleteUsage);
  }
  request.netns_path = std::string(args[3]);
  UXC_RETURN_IF_ERROR(CheckType(args[4]));
  request.bridge = std::string(args[5]);
  if (request.bridge != "none") UXC_RETURN_IF_ERROR(CheckLink(args[5], "the bridge"));
  UXC_RETURN_IF_ERROR(CheckLink(args[6], "the host nic"));
  request.nic_name = std::string(args[6]);
  return request;
}

}  // namespace

Result<NicRequest> ParseNicRequest(const std::vector<std::string_view>& args) {
  if (args.empty()) return PlainError("no command: give create, delete or list (see uxc-user-nic --help)");
  if (args[0] == "create") return ParseCreate(args);
  if (args[0] == "delete") return ParseDelete(args);
  if (args[0] == "list") {
    if (args.size() != 1) return PlainError("list takes no arguments");
    return NicRequest{};
  }
  return PlainError("unknown command " + Quoted(args[0].substr(0, 40)) + ": give create, delete or list");
}

int NicTargetFdArgument(int argc, char** argv) {
  if (argc < 5 || argv[1] == nullptr || argv[4] == nullptr) return -1;
  if (std::string_view(argv[1]) != "create" || !std::string_view(argv[4]).starts_with("fd:")) return -1;
  auto spec = ParseTargetSpec(argv[4]);
  return spec.ok() ? spec->fd : -1;
}

}  // namespace uxc::helpers
