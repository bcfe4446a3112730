// The whole of uxc-user-nic, in the order it runs.
#include "helpers/user_nic.h"

#include <net/if.h>
#include <sys/random.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <optional>

#include "config/nic_quota.h"
#include "config/usernet.h"
#include "helpers/netns_target.h"
#include "helpers/nic_db_file.h"
#include "helpers/nic_request.h"
#include "helpers/policy_file.h"
#include "helpers/setuid_start.h"
#include "kernel/rtnetlink.h"

namespace uxc::helpers {
namespace {

constexpr char kProgram[] = "uxc-user-nic";
constexpr char kVersion[] = "0.1.0";
constexpr char kUsernetPath[] = "/etc/uxc/usernet";

constexpr char kHelp[] =
    "usage: uxc-user-nic create <lxcpath> <name> <pid>|fd:<N> veth <bridge>|none [<nicname>]\n"
    "       uxc-user-nic delete <lxcpath> <name> <netns-path> veth <bridge> <host-nic>\n"
    "       uxc-user-nic list\n\n"
    "create makes a veth pair: one end in the network namespace of <pid> (or of the\n"
    "pidfd, /proc/<pid> directory or network namespace fd <N>), named <nicname> or\n"
    "ethN, the other on the host, on <bridge> (none: on no bridge), within the quota\n"
    "root sets in /etc/uxc/usernet. The namespace must belong to a user namespace\n"
    "you created. It prints <nicname>:<ifindex>:<host-nic>:<host-ifindex>, as\n"
    "lxc-user-nic does. delete removes a pair you made; list shows your nics and\n"
    "the quota left. <lxcpath> and <name> are not used.\n"
    "Exit status: 0 on success, 1 when refused (reason on stderr).\n";

// What the caller may do, read before anything is created.
struct Policy {
  std::string user;  // the caller's login name, or the uid in decimal
  std::vector<std::string> names;
  std::vector<std::string> groups;
  std::vector<config::UsernetEntry> usernet;
};

// The files, opened as root before the helper drops to the caller.
struct PolicyFiles {
  PolicyFile passwd = OpenPolicyFile("/etc/passwd");
  PolicyFile group = OpenPolicyFile("/etc/group");
  PolicyFile usernet = OpenPolicyFile(kUsernetPath);
};

int Print(const std::string& text) {
  ssize_t ignored = write(STDOUT_FILENO, text.data(), text.size());
  (void)ignored;
  return 0;
}

Result<Policy> LoadPolicy(const Caller& caller, const PolicyFiles& files) {
  Policy policy;
  UXC_ASSIGN_OR_RETURN(auto names, CallerNames(caller.uid, files.passwd));
  policy.names = names;
  policy.user = names.empty() ? std::to_string(caller.uid) : names.front();
  UXC_ASSIGN_OR_RETURN(auto groups, CallerGroupNames(files.group));
  policy.groups = groups;
  if (!files.usernet.fd && files.usernet.open_errno == ENOENT) return policy;
  if (!files.usernet.fd) return OpenFailure(kUsernetPath, files.usernet.open_errno);
  auto entries = config::ParseUsernetFd(files.usernet.fd.get(), kUsernetPath,
                                        config::QuotableLines{policy.names, caller.uid});
  if (!entries.ok()) return WithHint(entries.take_error(), "ask root to fix the file");
  policy.usernet = *entries;
  return policy;
}

// Netlink with CAP_NET_ADMIN raised only around the requests that need it;
// queries go through a socket opened without it, as the caller.
struct Netlink {
  kernel::Rtnetlink admin;
  kernel::Rtnetlink probe;

  static Result<Netlink> Open() {
    UXC_ASSIGN_OR_RETURN(auto probe, kernel::Rtnetlink::Open());
    // netlink(7): the kernel checks the capability of the socket's opener
    // as well as the sender's, so the admin socket is opened raised.
    UXC_ASSIGN_OR_RETURN(auto raised, RaisedCapabilities::Raise({CAP_NET_ADMIN}));
    auto admin = kernel::Rtnetlink::Open();
    UXC_RETURN_IF_ERROR(raised.Lower());
    if (!admin.ok()) return admin.take_error();
    return Netlink{std::move(*admin), std::move(probe)};
  }

  template <typename Request>
  Status AsAdmin(Request request) {
    UXC_ASSIGN_OR_RETURN(auto raised, RaisedCapabilities::Raise({CAP_NET_ADMIN}));
    Status status = request(admin);
    UXC_RETURN_IF_ERROR(raised.Lower());
    return status;
  }
};

bool IsGone(const Error& error) { return error.errno_value == ENODEV; }

// Whether a record still names a device of the host. A record is dropped
// only when the kernel says its device is gone: never on a doubt.
bool IsLive(Netlink& netlink, const config::NicRecord& record) {
  auto link = netlink.probe.Link(record.ifindex);
  if (link.ok()) return link->name == record.host_nic;
  return !IsGone(link.error());
}

// A pending record's maker was killed before it recorded the ifindex: the
// device its name names, if it made one, goes too.
bool RemoveLeftover(Netlink& netlink, const config::NicRecord& record) {
  auto link = netlink.probe.Link(record.host_nic);
  if (!link.ok()) return IsGone(link.error());
  if (link->kind != "veth") return true;  // not ours: forget the name, keep the device
  int index = link->index;
  Status deleted = netlink.AsAdmin([&](kernel::Rtnetlink& admin) { return admin.DeleteLink(index); });
  return deleted.ok() || IsGone(deleted.error());
}

// Every record whose device is gone is dropped, of every user; every other
// record is kept as it was.
std::vector<config::NicRecord> Cull(Netlink& netlink, const std::vector<config::NicRecord>& records) {
  std::vector<config::NicRecord> kept;
  for (const config::NicRecord& record : records) {
    bool keep = record.pending() ? !RemoveLeftover(netlink, record) : IsLive(netlink, record);
    if (keep) kept.push_back(record);
  }
  return kept;
}

// The database under its lock, culled.
struct LockedNics {
  NicDbFile db;
  std::vector<config::NicRecord> read;  // as the file held them
  std::vector<config::NicRecord> live;  // what the cull kept

  // Writes the cull back, for a call that ends without writing.
  void SaveCull() {
    if (live != read) (void)db.Write(live);
  }
};

Result<LockedNics> LockAndCull(const Caller& caller, const Policy& policy, Netlink& netlink) {
  UXC_ASSIGN_OR_RETURN(auto db, NicDbFile::OpenLocked(caller));
  UXC_ASSIGN_OR_RETURN(auto records, db.Read(config::QuotableLines{policy.names, caller.uid}));
  std::vector<config::NicRecord> live = Cull(netlink, records);
  return LockedNics{std::move(db), std::move(records), std::move(live)};
}

std::string RandomAlnum(size_t count) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::array<uint8_t, 16> bytes{};
  if (getrandom(bytes.data(), count, 0) != static_cast<ssize_t>(count)) Exit(kProgram, "getrandom failed");
  std::string text;
  for (size_t i = 0; i < count; ++i) text += kAlphabet[bytes[i] % (sizeof kAlphabet - 1)];
  return text;
}

// veth<uid>_XXXX as lxc-user-nic names it; vethXXXXXX when the uid is too
// long for IFNAMSIZ.
std::string HostNicName(uid_t uid) {
  std::string name = "veth" + std::to_string(uid) + "_" + RandomAlnum(4);
  if (name.size() < IFNAMSIZ) return name;
  return "veth" + RandomAlnum(6);
}

// The host end's address: random, first byte fe, so that the bridge, which
// takes the lowest address of its ports, keeps the host's own.
std::array<uint8_t, 6> HostNicAddress() {
  std::array<uint8_t, 6> address{};
  if (getrandom(address.data(), address.size(), 0) != 6) Exit(kProgram, "getrandom failed");
  address[0] = 0xfe;
  return address;
}

std::string OwnLines(const Policy& policy) {
  std::vector<config::UsernetEntry> own = config::EntriesFor(policy.usernet, policy.user, policy.groups);
  return own.empty() ? "you have none" : "yours: " + config::DescribeEntries(own);
}

Result<config::UsernetAllowance> AllowanceFor(const Policy& policy, const std::string& bridge) {
  auto allowance = config::AllowanceFor(policy.usernet, policy.user, policy.groups, "veth", bridge);
  if (!allowance.entries.empty() && allowance.total > 0) return allowance;
  std::string why = allowance.entries.empty() ? "no line of " + std::string(kUsernetPath) + " lets " + policy.user +
                                                    " attach a veth to " + bridge
                                              : "the lines for " + bridge + " give " + policy.user + " 0 nics";
  return PlainError(why + " (" + OwnLines(policy) + "): ask root to add \"" + policy.user + " veth " + bridge +
                    " 1\" to " + kUsernetPath);
}

// The bridge's index and MTU; 0, 0 for "none".
Result<std::pair<int, uint32_t>> FindBridge(Netlink& netlink, const std::string& bridge) {
  if (bridge == "none") return std::pair<int, uint32_t>{0, 0};
  auto link = netlink.probe.Link(bridge);
  if (!link.ok() && IsGone(link.error())) {
    return PlainError("the bridge " + bridge + " does not exist: ask root to create it (uxc-net start makes uxcbr0)");
  }
  if (!link.ok()) return link.take_error();
  if (link->kind == "openvswitch") {
    return PlainError(bridge + " is an Open vSwitch bridge: uxc-user-nic attaches to Linux bridges only");
  }
  if (link->kind != "bridge") {
    return PlainError(bridge + " is not a bridge (it is a " + (link->kind.empty() ? "device" : link->kind) +
                      " link): ask root to name a bridge in " + kUsernetPath);
  }
  return std::pair<int, uint32_t>{link->index, link->mtu};
}

Error QuotaReached(const Policy& policy, const std::string& bridge, const config::UsernetAllowance& allowance,
                   const std::vector<config::NicRecord>& live) {
  std::string in_use;
  for (const config::NicRecord& record : live) {
    if (record.type != "veth" || record.bridge != bridge) continue;
    bool charged = std::any_of(allowance.entries.begin(), allowance.entries.end(),
                               [&](const config::UsernetEntry& entry) { return entry.owner == record.owner; });
    if (charged) in_use += (in_use.empty() ? "" : ", ") + record.host_nic;
  }
  return PlainError("quota reached: " + policy.user + " may attach " + std::to_string(allowance.total) +
                    " veth nic(s) to " + bridge + " (" + config::DescribeEntries(allowance.entries) +
                    ") and all are in use: " + in_use + "; stop a container that holds one");
}

// The create itself, with the pending record written first.
struct Created {
  kernel::LinkInfo host;
  kernel::LinkInfo peer;
};

Result<Created> MakePair(Netlink& netlink, const kernel::VethSpec& spec, const std::string& netns_label) {
  Status made = netlink.AsAdmin([&](kernel::Rtnetlink& admin) { return admin.CreateVeth(spec); });
  if (!made.ok() && made.error().errno_value == EEXIST && !netlink.probe.Link(spec.host_name).ok()) {
    return PlainError(netns_label + " already has a nic named " + spec.peer_name + ": name another");
  }
  if (!made.ok()) return Annotate(made.take_error(), "in " + netns_label);
  UXC_ASSIGN_OR_RETURN(auto host, netlink.probe.Link(spec.host_name));
  if (!host.link_netnsid) return PlainError("the peer of " + spec.host_name + " is not in another namespace");
  // The probe socket is the caller's: the kernel answers it only for a
  // namespace the caller holds CAP_NET_ADMIN over.
  UXC_ASSIGN_OR_RETURN(auto peer, netlink.probe.LinkInNetns(host.link, *host.link_netnsid));
  return Created{host, peer};
}

int Create(const Caller& caller, const Policy& policy, const NicRequest& request) {
  auto fail = [](const Error& error) { Exit(kProgram, error.ToString()); };
  auto netns = OpenTargetNetns(request.target);
  if (!netns.ok()) fail(netns.error());
  if (Status mine = CheckNetnsIsCallers(*netns, caller); !mine.ok()) fail(mine.error());
  auto allowance = AllowanceFor(policy, request.bridge);
  if (!allowance.ok()) fail(allowance.error());
  auto netlink = Netlink::Open();
  if (!netlink.ok()) fail(netlink.error());
  auto bridge = FindBridge(*netlink, request.bridge);
  if (!bridge.ok()) fail(bridge.error());

  auto nics = LockAndCull(caller, policy, *netlink);
  if (!nics.ok()) fail(nics.error());
  NicDbFile& db = nics->db;
  const std::vector<config::NicRecord>& live = nics->live;
  std::optional<std::string> owner = config::OwnerWithRoom(*allowance, live);
  if (!owner) {
    nics->SaveCull();
    fail(QuotaReached(policy, request.bridge, *allowance, live));
  }

  kernel::VethSpec spec{"", HostNicAddress(), bridge->second, bridge->first, true,
                        request.nic_name.empty() ? "eth%d" : request.nic_name, netns->fd.get()};
  for (int attempt = 0; attempt < 8; ++attempt) {
    spec.host_name = HostNicName(caller.uid);
    if (!netlink->probe.Link(spec.host_name).ok()) break;
  }
  config::NicRecord record{*owner, "veth", request.bridge, spec.host_name, 0, caller.uid};
  std::vector<config::NicRecord> with_pending = live;
  with_pending.push_back(record);
  if (Status written = db.Write(with_pending); !written.ok()) fail(written.error());
  db.StopHereIfRootAsks("pending");

  auto created = MakePair(*netlink, spec, netns->label);
  if (!created.ok()) {
    Cull(*netlink, {record});
    (void)db.Write(live);
    fail(created.error());
  }
  db.StopHereIfRootAsks("created");
  with_pending.back().ifindex = created->host.index;
  if (Status written = db.Write(with_pending); !written.ok()) {
    Cull(*netlink, {record});
    fail(written.error());
  }
  return Print(created->peer.name + ":" + std::to_string(created->peer.index) + ":" + created->host.name + ":" +
               std::to_string(created->host.index) + "\n");
}

// One record of the caller's: the same uid, type, bridge and host nic
// (CVE-2026-39402: lxc-user-nic matched the name alone).
bool IsTheCallersRecord(const config::NicRecord& record, const Caller& caller, const NicRequest& request) {
  return !record.pending() && record.uid == caller.uid && record.type == "veth" && record.bridge == request.bridge &&
         record.host_nic == request.nic_name;
}

int Delete(const Caller& caller, const Policy& policy, const NicRequest& request) {
  auto fail = [](const Error& error) { Exit(kProgram, error.ToString()); };
  auto netns = OpenNetnsPath(request.netns_path);
  if (!netns.ok()) fail(netns.error());
  if (Status mine = CheckNetnsIsCallers(*netns, caller); !mine.ok()) fail(mine.error());
  auto netlink = Netlink::Open();
  if (!netlink.ok()) fail(netlink.error());
  auto nics = LockAndCull(caller, policy, *netlink);
  if (!nics.ok()) fail(nics.error());
  std::vector<config::NicRecord>& live = nics->live;
  auto found = std::find_if(live.begin(), live.end(),
                            [&](const config::NicRecord& record) { return IsTheCallersRecord(record, caller, request); });
  if (found == live.end()) {
    nics->SaveCull();
    fail(PlainError("you have no veth " + request.nic_name + " on " + request.bridge + " in " + config::kNicDbPath +
                    " (see uxc-user-nic list)"));
  }
  int index = found->ifindex;
  Status deleted = netlink->AsAdmin([&](kernel::Rtnetlink& admin) { return admin.DeleteLink(index); });
  if (!deleted.ok() && !IsGone(deleted.error())) fail(deleted.error());
  live.erase(found);
  if (Status written = nics->db.Write(live); !written.ok()) fail(written.error());
  return 0;
}

int List(const Caller& caller, const Policy& policy) {
  auto fail = [](const Error& error) { Exit(kProgram, error.ToString()); };
  auto netlink = Netlink::Open();
  if (!netlink.ok()) fail(netlink.error());
  auto nics = LockAndCull(caller, policy, *netlink);
  if (!nics.ok()) fail(nics.error());
  nics->SaveCull();
  const std::vector<config::NicRecord>& live = nics->live;
  std::string text;
  for (const config::NicRecord& record : live) {
    if (record.uid != caller.uid) continue;
    text += "nic " + record.host_nic + " veth " + record.bridge + " ifindex " + std::to_string(record.ifindex) +
            " charged to " + record.owner + "\n";
  }
  std::vector<std::string> bridges;
  for (const config::UsernetEntry& entry : config::EntriesFor(policy.usernet, policy.user, policy.groups)) {
    if (std::find(bridges.begin(), bridges.end(), entry.bridge) == bridges.end()) bridges.push_back(entry.bridge);
  }
  for (const std::string& bridge : bridges) {
    auto allowance = config::AllowanceFor(policy.usernet, policy.user, policy.groups, "veth", bridge);
    uint64_t used = 0, capacity = 0;
    for (const config::QuotaOwner& owner : config::QuotaOwners(allowance, live)) {
      used += std::min(owner.used, owner.capacity);
      capacity += owner.capacity;
    }
    text += "quota veth " + bridge + ": " + std::to_string(used) + " of " + std::to_string(capacity) + " in use, " +
            std::to_string(capacity - used) + " left\n";
  }
  return Print(text);
}

}  // namespace

int RunUserNic(int argc, char** argv) {
  Caller caller = StartSetuid(kProgram, {NicTargetFdArgument(argc, argv)});
  PolicyFiles files;
  // CAP_SETUID and CAP_SETGID serve setfsuid/setfsgid for /run/uxc only
  // (nic_db_file.h); CAP_NET_ADMIN the netlink requests.
  if (Status dropped = DropToCaller(caller, {CAP_NET_ADMIN, CAP_SETUID, CAP_SETGID}); !dropped.ok()) {
    Exit(kProgram, dropped.error().ToString());
  }
  std::vector<std::string_view> args(argv + (argc > 0 ? 1 : argc), argv + argc);
  if (args.size() == 1 && (args[0] == "--help" || args[0] == "-h")) return Print(kHelp);
  if (args.size() == 1 && (args[0] == "--version" || args[0] == "-V")) {
    return Print(std::string(kProgram) + " (uxc) " + kVersion + "\n");
  }
  auto request = ParseNicRequest(args);
  if (!request.ok()) Exit(kProgram, request.error().ToString() + " (see uxc-user-nic --help)");
  auto policy = LoadPolicy(caller, files);
  if (!policy.ok()) Exit(kProgram, policy.error().ToString());
  switch (request->command) {
    case NicCommand::kCreate: return Create(caller, *policy, *request);
    case NicCommand::kDelete: return Delete(caller, *policy, *request);
    case NicCommand::kList: return List(caller, *policy);
  }
  return 1;
}

}  // namespace uxc::helpers
