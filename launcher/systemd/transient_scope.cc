#include "launcher/systemd/transient_scope.h"

#include <systemd/sd-bus.h>
#include <time.h>

#include <cstring>

namespace uxc::systemd {
namespace {

constexpr const char* kService = "org.freedesktop.systemd1";
constexpr const char* kPath = "/org/freedesktop/systemd1";
constexpr const char* kManager = "org.freedesktop.systemd1.Manager";

Error BusError(const std::string& what, int r, const sd_bus_error* error = nullptr) {
  Error failure = PlainError(what);
  failure.errno_value = r < 0 ? -r : 0;
  if (error != nullptr && sd_bus_error_is_set(error)) {
    failure.message += ": " + std::string(error->name) + ": " + (error->message ? error->message : "");
    failure.errno_value = 0;
  }
  return failure;
}

struct BusCleanup {
  sd_bus* bus = nullptr;
  sd_bus_slot* slot = nullptr;
  sd_bus_message* call = nullptr;
  sd_bus_message* reply = nullptr;
  sd_bus_error error = SD_BUS_ERROR_NULL;
  ~BusCleanup() {
    sd_bus_error_free(&error);
    sd_bus_message_unref(reply);
    sd_bus_message_unref(call);
    sd_bus_slot_unref(slot);
    sd_bus_flush_close_unref(bus);
  }
};

// What the JobRemoved handler saw of our job.
struct JobWatch {
  std::string job;     // the job's object path, once the call returned it
  std::string result;  // "done", "failed", "canceled", ...; empty until it ended
};

int OnJobRemoved(sd_bus_message* message, void* data, sd_bus_error*) {
  auto* watch = static_cast<JobWatch*>(data);
  uint32_t id;
  const char *path, *unit, *result;
  if (sd_bus_message_read(message, "uoss", &id, &path, &unit, &result) < 0) return 0;
  if (watch->job == path) watch->result = result;
  return 0;
}

uint64_t NowUs() {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return uint64_t(now.tv_sec) * 1000000 + uint64_t(now.tv_nsec) / 1000;
}

Status AppendProperties(sd_bus_message* call, const ScopeRequest& request) {
  int r = sd_bus_message_open_container(call, 'a', "(sv)");
  if (r >= 0) r = sd_bus_message_append(call, "(sv)", "Description", "s", request.description.c_str());
  if (r >= 0) r = sd_bus_message_append(call, "(sv)", "PIDs", "au", 1, static_cast<uint32_t>(request.pid));
  if (r >= 0) r = sd_bus_message_append(call, "(sv)", "Delegate", "b", 1);
  // Unloaded once it ends, failed or not: a failed scope kept in memory
  // would hold nothing of use.
  if (r >= 0) r = sd_bus_message_append(call, "(sv)", "CollectMode", "s", "inactive-or-failed");
  if (r >= 0) r = sd_bus_message_close_container(call);
  // No auxiliary units.
  if (r >= 0) r = sd_bus_message_append(call, "a(sa(sv))", 0);
  if (r < 0) return BusError("build the StartTransientUnit call", r);
  return OkStatus();
}

Status WaitForJob(sd_bus* bus, JobWatch& watch, const std::string& unit, uint64_t deadline_us) {
  while (watch.result.empty()) {
    int r = sd_bus_process(bus, nullptr);
    if (r < 0) return BusError("read the user bus while " + unit + " starts", r);
    if (r > 0) continue;
    uint64_t now = NowUs();
    if (now >= deadline_us) {
      return PlainError("the user's systemd did not finish starting " + unit + " (job " + watch.job +
                        ") in time");
    }
    r = sd_bus_wait(bus, deadline_us - now);
    if (r < 0) return BusError("wait on the user bus for " + unit, r);
  }
  if (watch.result != "done") {
    return PlainError("the user's systemd could not start " + unit + ": its job ended \"" + watch.result +
                      "\" (journalctl --user -u " + unit + " says why)");
  }
  return OkStatus();
}

}  // namespace

Status StartDelegatedScope(const ScopeRequest& request) {
  uint64_t deadline_us = NowUs() + uint64_t(request.timeout_ms) * 1000;
  BusCleanup bus;
  int r = sd_bus_open_user(&bus.bus);
  if (r < 0) return BusError("connect to the user's systemd bus", r);
  if ((r = sd_bus_set_method_call_timeout(bus.bus, uint64_t(request.timeout_ms) * 1000)) < 0)
    return BusError("set the bus call timeout", r);
  JobWatch watch;
  r = sd_bus_match_signal(bus.bus, &bus.slot, kService, kPath, kManager, "JobRemoved", OnJobRemoved, &watch);
  if (r < 0) return BusError("subscribe to the manager's JobRemoved signal", r);
  r = sd_bus_message_new_method_call(bus.bus, &bus.call, kService, kPath, kManager, "StartTransientUnit");
  if (r >= 0) r = sd_bus_message_append(bus.call, "ss", request.unit.c_str(), "fail");
  if (r < 0) return BusError("build the StartTransientUnit call", r);
  UXC_RETURN_IF_ERROR(AppendProperties(bus.call, request));
  r = sd_bus_call(bus.bus, bus.call, 0, &bus.error, &bus.reply);
  if (r < 0) return BusError("StartTransientUnit " + request.unit, r, &bus.error);
  const char* job;
  if ((r = sd_bus_message_read(bus.reply, "o", &job)) < 0) return BusError("read StartTransientUnit's job", r);
  // sd_bus_call queues what else arrives until it has the reply, so the
  // JobRemoved of a quick job is dispatched below, after the job is known.
  watch.job = job;
  return WaitForJob(bus.bus, watch, request.unit, deadline_us);
}

}  // namespace uxc::systemd
