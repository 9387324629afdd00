// Nothing of its own: the target that owns the precompiled header of the
// API, the CLI, the programs and the benchmarks under gcc
// (cmake/precompiled_headers.cmake, SMPTRACE_PCH).
