// What uxc info and ls read from /proc about a running container when it has
// no cgroup of its own: its processes (those in the init's pid namespace),
// their CPU time and resident memory, and the addresses and traffic of its
// network namespace (/proc/PID/net shows the namespace of PID).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

namespace uxc::lifecycle {

struct ContainerUsage {
  int processes = 0;
  double cpu_seconds = 0;  // user + system
  uint64_t rss_bytes = 0;
};

struct Interface {
  std::string name;
  uint64_t rx_bytes = 0;
  uint64_t tx_bytes = 0;
};

struct NetworkView {
  std::vector<std::string> ipv4;  // without loopback
  std::vector<std::string> ipv6;  // without loopback and link-local
  std::vector<Interface> interfaces;  // without lo
};

ContainerUsage ReadUsage(pid_t init_pid);
NetworkView ReadNetwork(pid_t init_pid);

// Parsers of the /proc files, for tests.
std::vector<std::string> ParseFibTrieLocal(const std::string& fib_trie);
std::vector<std::string> ParseIfInet6(const std::string& if_inet6);
std::vector<Interface> ParseNetDev(const std::string& net_dev);

}  // namespace uxc::lifecycle
