#include "service/api/service_manager.h"

#include <systemd/sd-daemon.h>

#include <cstdint>
#include <utility>

#include "spdlog/spdlog.h"

namespace smptrace::api {
namespace {

void Notify(const std::string& state) {
  const int sent = sd_notify(0, state.c_str());
  if (sent < 0) {
    spdlog::warn("could not notify the service manager ({}): error {}", state,
                 -sent);
  }
}

}  // namespace

ServiceManager::~ServiceManager() { StopWatchdog(); }

void ServiceManager::Ready(const std::string& status) {
  Notify("READY=1\nSTATUS=" + status);
}

absl::Duration ServiceManager::WatchdogTimeout() const {
  uint64_t usec = 0;
  if (sd_watchdog_enabled(0, &usec) <= 0) return absl::ZeroDuration();
  return absl::Microseconds(usec);
}

void ServiceManager::StartWatchdog(std::function<absl::Status()> alive) {
  const absl::Duration timeout = WatchdogTimeout();
  if (timeout == absl::ZeroDuration() || watchdog_.joinable()) return;
  spdlog::info(
      "watchdog: a liveness check every {}, the service manager "
      "restarts the server after {} without one passing",
      absl::FormatDuration(timeout / 2), absl::FormatDuration(timeout));
  watchdog_ = std::thread([this, timeout, alive = std::move(alive)] {
    bool failing = false;
    absl::MutexLock lock(&mu_);
    while (!stopping_) {
      mu_.Unlock();
      const absl::Status status = alive();
      if (status.ok()) {
        Notify("WATCHDOG=1");
        if (failing) spdlog::warn("watchdog: the liveness check passes again");
      } else if (!failing) {
        spdlog::error(
            "watchdog: the liveness check fails, no keep-alive sent (the "
            "service manager restarts the server if this lasts): {}",
            status.ToString());
      }
      failing = !status.ok();
      mu_.Lock();
      mu_.AwaitWithTimeout(absl::Condition(&stopping_), timeout / 2);
    }
  });
}

void ServiceManager::StopWatchdog() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (watchdog_.joinable()) watchdog_.join();
}

void ServiceManager::Stopping() {
  {
    absl::MutexLock lock(&mu_);
    if (stopping_ && !watchdog_.joinable()) return;
  }
  StopWatchdog();
  Notify("STOPPING=1");
}

}  // namespace smptrace::api
