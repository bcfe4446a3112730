// The transient scope uxc asks the user's systemd for, when the caller has
// no delegated cgroup (user_systemd_scope.h): its unit name, and whether a
// process's cgroup is that scope. Pure code, shared by uxc-systemd-scope and
// its tests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace uxc::systemd {

// "uxc-NAME-1a2b3c4d.scope". A container name (config/container_name.h) is
// ASCII letters, digits, '.', '_' and '-', all valid in a unit name
// (systemd.unit(5)), so it goes in as it is; `random` keeps a second start
// of the same name from colliding with a scope systemd still winds down.
std::string ScopeUnitName(std::string_view container, uint32_t random);

// Whether /proc/PID/cgroup (`proc_cgroup`) puts the process in `unit`'s
// cgroup itself: its "0::" path's last component is the unit's name.
bool CgroupIsUnit(std::string_view proc_cgroup, std::string_view unit);

}  // namespace uxc::systemd
