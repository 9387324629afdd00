// The command tree owns the values its flags are parsed into: building
// smptrace's whole tree and destroying it leaves nothing allocated.
#include <atomic>
#include <cstdlib>
#include <new>

#include "client/command_line.h"
#include "gtest/gtest.h"

namespace {

// Every operator new/delete of this test binary, counted.
std::atomic<long> live_allocations{0};

void* CountedNew(std::size_t size) {
  void* p = std::malloc(size == 0 ? 1 : size);
  if (p == nullptr) throw std::bad_alloc();
  live_allocations.fetch_add(1, std::memory_order_relaxed);
  return p;
}

void CountedDelete(void* p) {
  if (p == nullptr) return;
  live_allocations.fetch_sub(1, std::memory_order_relaxed);
  std::free(p);
}

}  // namespace

void* operator new(std::size_t size) { return CountedNew(size); }
void* operator new[](std::size_t size) { return CountedNew(size); }
void operator delete(void* p) noexcept { CountedDelete(p); }
void operator delete[](void* p) noexcept { CountedDelete(p); }
void operator delete(void* p, std::size_t) noexcept { CountedDelete(p); }
void operator delete[](void* p, std::size_t) noexcept { CountedDelete(p); }

namespace smptrace::client {
namespace {

// Allocations still live after building smptrace's command tree and
// destroying it again.
long AllocationsLeftByACommandTree() {
  const long before = live_allocations.load();
  {
    CLI::App app{"smptrace"};
    int exit_code = 0;
    AddAllCommands(
        app, []() -> Connection { std::abort(); }, &exit_code);
  }
  return live_allocations.load() - before;
}

TEST(CommandTree, FreesEveryFlagValueWithTheTree) {
  // The first tree also makes the process's lasting statics (protobuf's
  // default instances, the static name tables of the commands).
  AllocationsLeftByACommandTree();
  EXPECT_EQ(AllocationsLeftByACommandTree(), 0);
}

}  // namespace
}  // namespace smptrace::client
