#pragma once
// Counts the calling thread's heap allocations for the tests that show the packet path allocates
// nothing (STYLE.md rule 5). Uses the sanitizer allocator's malloc hook, which sees malloc,
// operator new and OpenSSL's CRYPTO_malloc alike, so it exists only in AddressSanitizer builds
// (the `make test` build): there FLUXMEET_COUNT_ALLOCATIONS is defined; elsewhere tests skip.
#include <cstddef>

#if defined(__SANITIZE_ADDRESS__)
#define FLUXMEET_COUNT_ALLOCATIONS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define FLUXMEET_COUNT_ALLOCATIONS 1
#endif
#endif

#ifdef FLUXMEET_COUNT_ALLOCATIONS
#include <gtest/gtest.h>

extern "C" int __sanitizer_install_malloc_and_free_hooks(
    void (*mallocHook)(const volatile void*, size_t), void (*freeHook)(const volatile void*));

namespace fluxmeet::media {

inline thread_local size_t allocationsCountedOnThisThread = 0;
inline void countAllocation(const volatile void*, size_t) { ++allocationsCountedOnThisThread; }
inline void ignoreFree(const volatile void*) {}

// Allocations this thread made since the hook went in (on the first call).
inline size_t allocations() {
  static const int installed = __sanitizer_install_malloc_and_free_hooks(countAllocation, ignoreFree);
  EXPECT_NE(installed, 0);
  return allocationsCountedOnThisThread;
}

}  // namespace fluxmeet::media
#endif
