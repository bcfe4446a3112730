#include "launcher/lifecycle/container_usage.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "base/read_file.h"
#include "base/unique_fd.h"

namespace uxc::lifecycle {
namespace {

// The text of a /proc file, or "" when it cannot be read (the process is gone).
std::string ProcText(const std::string& path) {
  Result<std::string> text = ReadSmallFile(path);
  return text.ok() ? std::move(*text) : std::string();
}

bool PidNamespaceInode(const std::string& pid, ino_t* inode) {
  struct stat st;
  if (stat(("/proc/" + pid + "/ns/pid").c_str(), &st) != 0) return false;
  *inode = st.st_ino;
  return true;
}

// utime + stime in clock ticks from /proc/PID/stat (fields 14 and 15,
// counted after the ")" that ends the command name; proc(5)).
uint64_t CpuTicks(const std::string& stat) {
  size_t close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  uint64_t ticks = 0;
  for (int index = 3; fields >> field; ++index) {
    if (index == 14 || index == 15) ticks += std::strtoull(field.c_str(), nullptr, 10);
    if (index == 15) break;
  }
  return ticks;
}

// if_inet6 writes the 16 bytes as 32 hex digits; inet_ntop gives RFC 5952's
// compressed form ("2001:db8::5"). Empty for anything that is not hex.
std::string Ipv6FromHex(const std::string& hex) {
  struct in6_addr address;
  for (size_t i = 0; i < 16; ++i) {
    unsigned byte;
    if (sscanf(hex.c_str() + 2 * i, "%2x", &byte) != 1) return "";
    address.s6_addr[i] = static_cast<uint8_t>(byte);
  }
  char text[INET6_ADDRSTRLEN];
  return inet_ntop(AF_INET6, &address, text, sizeof text) != nullptr ? text : "";
}

}  // namespace

ContainerUsage ReadUsage(pid_t init_pid) {
  ContainerUsage usage;
  ino_t container_ns;
  if (!PidNamespaceInode(std::to_string(init_pid), &container_ns)) return usage;
  DIR* proc = opendir("/proc");
  if (proc == nullptr) return usage;
  uint64_t ticks = 0;
  long page = sysconf(_SC_PAGESIZE);
  while (dirent* entry = readdir(proc)) {
    std::string pid = entry->d_name;
    if (pid.find_first_not_of("0123456789") != std::string::npos) continue;
    ino_t ns;
    if (!PidNamespaceInode(pid, &ns) || ns != container_ns) continue;
    ++usage.processes;
    ticks += CpuTicks(ProcText("/proc/" + pid + "/stat"));
    std::istringstream statm(ProcText("/proc/" + pid + "/statm"));
    uint64_t size = 0, resident = 0;
    statm >> size >> resident;
    usage.rss_bytes += resident * page;
  }
  closedir(proc);
  usage.cpu_seconds = static_cast<double>(ticks) / sysconf(_SC_CLK_TCK);
  return usage;
}

std::vector<std::string> ParseFibTrieLocal(const std::string& fib_trie) {
  // In the "Local:" table, an address of the namespace appears as a line
  // "|-- ADDRESS" followed by "/32 host LOCAL".
  std::vector<std::string> addresses;
  std::istringstream lines(fib_trie);
  std::string line, last_address;
  while (std::getline(lines, line)) {
    size_t leaf = line.find("|-- ");
    if (leaf != std::string::npos) {
      last_address = line.substr(leaf + 4);
      continue;
    }
    if (line.find("/32 host LOCAL") == std::string::npos) continue;
    if (last_address.starts_with("127.")) continue;
    if (std::find(addresses.begin(), addresses.end(), last_address) == addresses.end()) {
      addresses.push_back(last_address);
    }
  }
  return addresses;
}

std::vector<std::string> ParseIfInet6(const std::string& if_inet6) {
  std::vector<std::string> addresses;
  std::istringstream lines(if_inet6);
  std::string hex, index, prefix, scope, flags, name;
  while (lines >> hex >> index >> prefix >> scope >> flags >> name) {
    if (hex.size() != 32 || scope != "00") continue;  // global scope only
    std::string address = Ipv6FromHex(hex);
    if (!address.empty()) addresses.push_back(address);
  }
  return addresses;
}

std::vector<Interface> ParseNetDev(const std::string& net_dev) {
  std::vector<Interface> interfaces;
  std::istringstream lines(net_dev);
  std::string line;
  while (std::getline(lines, line)) {
    size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    name.erase(0, name.find_first_not_of(' '));
    if (name == "lo" || name.empty() || name.find('|') != std::string::npos) continue;
    std::istringstream fields(line.substr(colon + 1));
    Interface interface{name};
    uint64_t value;
    for (int index = 0; index < 9 && fields >> value; ++index) {
      if (index == 0) interface.rx_bytes = value;
      if (index == 8) interface.tx_bytes = value;
    }
    interfaces.push_back(interface);
  }
  return interfaces;
}

NetworkView ReadNetwork(pid_t init_pid) {
  std::string net = "/proc/" + std::to_string(init_pid) + "/net/";
  NetworkView view;
  view.ipv4 = ParseFibTrieLocal(ProcText(net + "fib_trie"));
  view.ipv6 = ParseIfInet6(ProcText(net + "if_inet6"));
  view.interfaces = ParseNetDev(ProcText(net + "dev"));
  return view;
}

}  // namespace uxc::lifecycle
