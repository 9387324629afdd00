// Nothing of its own: the target that owns the precompiled header every
// test shares (tests/CMakeLists.txt, SMPTRACE_PCH).
