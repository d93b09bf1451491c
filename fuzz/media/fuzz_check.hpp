#pragma once
// A failed round-trip invariant is a bug libFuzzer should report: trap so it records a crash.
#define FUZZ_CHECK(cond)     \
  do {                       \
    if (!(cond)) {           \
      __builtin_trap();      \
    }                        \
  } while (false)
