#pragma once
// Per-household columns whose memory is first written by the threads that use it.
//
// A `std::vector<T>(n)` writes zeros to all n elements in the thread that creates it: for a
// national population's few hundred megabytes of state that is one thread faulting in every
// page while the others wait (measured on a 16-core machine: the run's setup did not get faster
// beyond 2 threads). A `Column<T>` is a `std::vector` whose `resize` leaves new elements of a
// trivial type unwritten, so the first write, and with it the page fault, happens in the
// parallel loop that gives each element its value (`reset_state`, the measures' `reset`,
// `fill_parallel`). The owner of each column writes every element of it in its reset, before
// any phase reads it. AddressSanitizer and UBSan (`make sanitize`) do not track unwritten
// memory; `make memcheck` (in CI) runs every measure under valgrind, which does.
#include <algorithm>
#include <cstddef>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

namespace tuopin {

// std::allocator, except that a value-initialised element (`resize(n)`, `vector(n)`) is left
// default-initialised: for trivial types, not written at all.
template <typename T>
struct UninitialisedAllocator : std::allocator<T> {
  using value_type = T;
  template <typename U>
  struct rebind {
    using other = UninitialisedAllocator<U>;
  };
  UninitialisedAllocator() noexcept = default;
  template <typename U>
  UninitialisedAllocator(const UninitialisedAllocator<U>&) noexcept {}
  template <typename U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};
template <typename T, typename U>
bool operator==(const UninitialisedAllocator<T>&, const UninitialisedAllocator<U>&) noexcept {
  return true;
}

template <typename T>
using Column = std::vector<T, UninitialisedAllocator<T>>;

// Sets every element to `value`, in parallel chunks of at least 64 kB (so each page is first
// written by one thread).
template <typename T>
void fill_parallel(Column<T>& column, const T& value) {
  constexpr std::size_t grain = (std::size_t{1} << 16) / sizeof(T);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, column.size(), grain), [&](const auto& r) {
    std::fill(column.begin() + static_cast<std::ptrdiff_t>(r.begin()),
              column.begin() + static_cast<std::ptrdiff_t>(r.end()), value);
  });
}

}  // namespace tuopin
