// Telling systemd (or any service manager speaking its notify protocol: a
// datagram socket named by $NOTIFY_SOCKET) how smptraced is doing: READY=1
// once it serves, WATCHDOG=1 while a liveness check passes, STOPPING=1 when
// it begins to shut down. Without $NOTIFY_SOCKET every call does nothing.
//
//   ServiceManager manager;
//   manager.Ready("serving on 127.0.0.1:8470");
//   manager.StartWatchdog([&] { return ledger.Ping(timeout / 2); });
//   ...
//   manager.Stopping();  // stops the watchdog thread too
#ifndef SMPTRACE_SERVICE_API_SERVICE_MANAGER_H_
#define SMPTRACE_SERVICE_API_SERVICE_MANAGER_H_

#include <functional>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace smptrace::api {

class ServiceManager {
 public:
  ServiceManager() = default;
  ~ServiceManager();  // Stops the watchdog thread (sends nothing).
  ServiceManager(const ServiceManager&) = delete;
  ServiceManager& operator=(const ServiceManager&) = delete;

  // READY=1 with `status` as the STATUS= line systemctl status shows.
  void Ready(const std::string& status);

  // The watchdog period the service manager asked for ($WATCHDOG_USEC, for
  // this process), or zero when it asked for none.
  absl::Duration WatchdogTimeout() const;

  // If a watchdog period was asked for: a thread that, every half period,
  // runs `alive` and sends WATCHDOG=1 when it returns OK. A failing or hung
  // check sends nothing, so the service manager restarts the server once
  // the period runs out (a failure is logged once per change). Does
  // nothing otherwise. `alive` must outlive Stopping() / the destructor.
  void StartWatchdog(std::function<absl::Status()> alive);

  // Stops the watchdog thread (waiting for a check in progress), then sends
  // STOPPING=1. Idempotent.
  void Stopping();

 private:
  void StopWatchdog();

  absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread watchdog_;
};

}  // namespace smptrace::api

#endif  // SMPTRACE_SERVICE_API_SERVICE_MANAGER_H_
