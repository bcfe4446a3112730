// Whether a start made here, by this caller, can give its container a
// delegated cgroup v2 of its own: its own cgroup is delegated to it (a
// systemd-run scope, a user unit with Delegate=, pam_uxc's node), or the
// user's systemd is within reach to make a scope (user_systemd_scope.h).
// A systemd guest needs one (systemd_guest.h); the debian template picks
// its default init by it.
#pragma once

#include <string>

namespace uxc::launcher {

struct CgroupProspect {
  bool available = false;
  std::string why_not;  // when not: what is missing, and how to get one
};

CgroupProspect ProspectOfDelegatedCgroup();

}  // namespace uxc::launcher
