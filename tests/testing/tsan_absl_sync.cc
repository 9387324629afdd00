// ThreadSanitizer support, linked into the test binaries of a SMPTRACE_TSAN
// build only. Debian's Abseil is not built with -fsanitize=thread, so TSan
// cannot see absl::Mutex, absl::CondVar and absl::Notification synchronize
// (their atomics live in an uninstrumented libabsl_synchronization.so) and
// would report every ABSL_GUARDED_BY member as a data race. This file defines
// those functions in the executable, which the dynamic linker prefers over the
// shared library's for our code, gRPC's and Abseil's own calls alike: each
// calls the library's function (found with dlsym(RTLD_NEXT)) and tells TSan
// about the happens-before edge it makes: an unlock releases the mutex's
// address, a lock acquires it. A Condition is evaluated by whichever thread
// holds the mutex at that moment, so it is wrapped to acquire first. TSan
// then checks our code's accesses against real synchronization; lock-order
// inversions are left to Abseil's own deadlock detector, which Debian's
// build runs. __tsan_default_options below sets the rest.

#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define SMPTRACE_TSAN_ABSL_SYNC 1
#endif
#endif

#ifdef SMPTRACE_TSAN_ABSL_SYNC

#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "absl/base/options.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

#pragma clang diagnostic ignored "-Wthread-safety-analysis"

namespace {

#define SMPTRACE_STRINGIFY_INNER(x) #x
#define SMPTRACE_STRINGIFY(x) SMPTRACE_STRINGIFY_INNER(x)

// The library's definition of the function whose mangled name is `mangled`
// with "@" standing for Abseil's inline namespace (its length and name).
template <typename F>
F Real(const char* mangled) {
  const char* ns = SMPTRACE_STRINGIFY(ABSL_OPTION_INLINE_NAMESPACE_NAME);
  std::string name(mangled);
  const size_t at = name.find('@');
  name.replace(at, 1, std::to_string(std::strlen(ns)) + ns);
  void* f = dlsym(RTLD_NEXT, name.c_str());
  if (f == nullptr) {
    std::fprintf(stderr, "tsan_absl_sync: %s not found\n", name.c_str());
    std::abort();
  }
  return reinterpret_cast<F>(f);
}

// `cond`, evaluated only after acquiring `mu` for TSan. Other threads
// evaluate it too (absl hands a mutex to the waiter whose condition holds),
// so what the waiter wrote before waiting is released here and acquired
// first thing in Eval, which acquires and releases the mutex around `cond`;
// `wrapped` uses absl's void* constructor, whose reads are inside the
// uninstrumented library.
struct AcquiringCondition {
  AcquiringCondition(absl::Mutex* mu, const absl::Condition& cond)
      : mu(mu),
        cond(&cond),
        wrapped(static_cast<bool (*)(void*)>(&Eval), static_cast<void*>(this)) {
    __tsan_release(this);
  }
  static bool Eval(void* arg) {
    __tsan_acquire(arg);
    auto* self = static_cast<AcquiringCondition*>(arg);
    // The evaluating thread holds the mutex: its reads happen after the
    // last unlock and before the next lock, whoever takes it.
    __tsan_acquire(self->mu);
    const bool holds = self->cond->Eval();
    __tsan_release(self->mu);
    return holds;
  }
  absl::Mutex* mu;
  const absl::Condition* cond;
  absl::Condition wrapped;
};

using MutexFn = void (*)(absl::Mutex*);
using MutexTryFn = bool (*)(absl::Mutex*);
using MutexCondFn = void (*)(absl::Mutex*, const absl::Condition&);
using MutexCondTimeoutFn = bool (*)(absl::Mutex*, const absl::Condition&,
                                    absl::Duration);
using MutexCondDeadlineFn = bool (*)(absl::Mutex*, const absl::Condition&,
                                     absl::Time);

}  // namespace

// TSan's defaults for our test binaries (TSAN_OPTIONS adds to them): stop at
// the first report; skip the accesses of uninstrumented shared libraries
// (Abseil's, gRPC's, RocksDB's: their own synchronization is invisible to
// TSan); and show both stacks of a lock-order inversion.
extern "C" const char* __tsan_default_options() {
  return "halt_on_error=1 ignore_noninstrumented_modules=1 "
         "second_deadlock_stack=1";
}

namespace absl {
ABSL_NAMESPACE_BEGIN

void Mutex::Lock() {
  static const auto real = Real<MutexFn>("_ZN4absl@5Mutex4LockEv");
  real(this);
  __tsan_acquire(this);
}

void Mutex::ReaderLock() {
  static const auto real = Real<MutexFn>("_ZN4absl@5Mutex10ReaderLockEv");
  real(this);
  __tsan_acquire(this);
}

bool Mutex::TryLock() {
  static const auto real = Real<MutexTryFn>("_ZN4absl@5Mutex7TryLockEv");
  const bool locked = real(this);
  if (locked) __tsan_acquire(this);
  return locked;
}

bool Mutex::ReaderTryLock() {
  static const auto real = Real<MutexTryFn>("_ZN4absl@5Mutex13ReaderTryLockEv");
  const bool locked = real(this);
  if (locked) __tsan_acquire(this);
  return locked;
}

void Mutex::Unlock() {
  static const auto real = Real<MutexFn>("_ZN4absl@5Mutex6UnlockEv");
  __tsan_release(this);
  real(this);
}

void Mutex::ReaderUnlock() {
  static const auto real = Real<MutexFn>("_ZN4absl@5Mutex12ReaderUnlockEv");
  __tsan_release(this);
  real(this);
}

void Mutex::LockWhen(const Condition& cond) {
  static const auto real =
      Real<MutexCondFn>("_ZN4absl@5Mutex8LockWhenERKNS0_9ConditionE");
  AcquiringCondition c(this, cond);
  real(this, c.wrapped);
  __tsan_acquire(this);
}

void Mutex::ReaderLockWhen(const Condition& cond) {
  static const auto real =
      Real<MutexCondFn>("_ZN4absl@5Mutex14ReaderLockWhenERKNS0_9ConditionE");
  AcquiringCondition c(this, cond);
  real(this, c.wrapped);
  __tsan_acquire(this);
}

bool Mutex::LockWhenWithTimeout(const Condition& cond, Duration timeout) {
  static const auto real = Real<MutexCondTimeoutFn>(
      "_ZN4absl@5Mutex19LockWhenWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  AcquiringCondition c(this, cond);
  const bool met = real(this, c.wrapped, timeout);
  __tsan_acquire(this);
  return met;
}

bool Mutex::LockWhenWithDeadline(const Condition& cond, Time deadline) {
  static const auto real = Real<MutexCondDeadlineFn>(
      "_ZN4absl@5Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  AcquiringCondition c(this, cond);
  const bool met = real(this, c.wrapped, deadline);
  __tsan_acquire(this);
  return met;
}

bool Mutex::ReaderLockWhenWithTimeout(const Condition& cond, Duration timeout) {
  static const auto real = Real<MutexCondTimeoutFn>(
      "_ZN4absl@5Mutex25ReaderLockWhenWithTimeoutERKNS0_9ConditionENS0_"
      "8DurationE");
  AcquiringCondition c(this, cond);
  const bool met = real(this, c.wrapped, timeout);
  __tsan_acquire(this);
  return met;
}

bool Mutex::ReaderLockWhenWithDeadline(const Condition& cond, Time deadline) {
  static const auto real = Real<MutexCondDeadlineFn>(
      "_ZN4absl@5Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_"
      "4TimeE");
  AcquiringCondition c(this, cond);
  const bool met = real(this, c.wrapped, deadline);
  __tsan_acquire(this);
  return met;
}

void Mutex::Await(const Condition& cond) {
  static const auto real =
      Real<MutexCondFn>("_ZN4absl@5Mutex5AwaitERKNS0_9ConditionE");
  AcquiringCondition c(this, cond);
  __tsan_release(this);
  real(this, c.wrapped);
  __tsan_acquire(this);
}

bool Mutex::AwaitWithTimeout(const Condition& cond, Duration timeout) {
  static const auto real = Real<MutexCondTimeoutFn>(
      "_ZN4absl@5Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  AcquiringCondition c(this, cond);
  __tsan_release(this);
  const bool met = real(this, c.wrapped, timeout);
  __tsan_acquire(this);
  return met;
}

bool Mutex::AwaitWithDeadline(const Condition& cond, Time deadline) {
  static const auto real = Real<MutexCondDeadlineFn>(
      "_ZN4absl@5Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  AcquiringCondition c(this, cond);
  __tsan_release(this);
  const bool met = real(this, c.wrapped, deadline);
  __tsan_acquire(this);
  return met;
}

void CondVar::Wait(Mutex* mu) {
  static const auto real =
      Real<void (*)(CondVar*, Mutex*)>("_ZN4absl@7CondVar4WaitEPNS0_5MutexE");
  __tsan_release(mu);
  real(this, mu);
  __tsan_acquire(mu);
}

bool CondVar::WaitWithTimeout(Mutex* mu, Duration timeout) {
  static const auto real = Real<bool (*)(CondVar*, Mutex*, Duration)>(
      "_ZN4absl@7CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE");
  __tsan_release(mu);
  const bool timed_out = real(this, mu, timeout);
  __tsan_acquire(mu);
  return timed_out;
}

bool CondVar::WaitWithDeadline(Mutex* mu, Time deadline) {
  static const auto real = Real<bool (*)(CondVar*, Mutex*, Time)>(
      "_ZN4absl@7CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE");
  __tsan_release(mu);
  const bool timed_out = real(this, mu, deadline);
  __tsan_acquire(mu);
  return timed_out;
}

void Notification::Notify() {
  static const auto real =
      Real<void (*)(Notification*)>("_ZN4absl@12Notification6NotifyEv");
  __tsan_release(this);
  real(this);
}

void Notification::WaitForNotification() const {
  static const auto real = Real<void (*)(const Notification*)>(
      "_ZNK4absl@12Notification19WaitForNotificationEv");
  real(this);
  __tsan_acquire(const_cast<Notification*>(this));
}

bool Notification::WaitForNotificationWithTimeout(Duration timeout) const {
  static const auto real = Real<bool (*)(const Notification*, Duration)>(
      "_ZNK4absl@12Notification30WaitForNotificationWithTimeoutENS0_"
      "8DurationE");
  const bool notified = real(this, timeout);
  if (notified) __tsan_acquire(const_cast<Notification*>(this));
  return notified;
}

bool Notification::WaitForNotificationWithDeadline(Time deadline) const {
  static const auto real = Real<bool (*)(const Notification*, Time)>(
      "_ZNK4absl@12Notification31WaitForNotificationWithDeadlineENS0_4TimeE");
  const bool notified = real(this, deadline);
  if (notified) __tsan_acquire(const_cast<Notification*>(this));
  return notified;
}

ABSL_NAMESPACE_END
}  // namespace absl

#endif  // SMPTRACE_TSAN_ABSL_SYNC
