#!/usr/bin/env bash
# Sets up a Debian 12 machine, then runs, each in its own build directory
# and each with -j2:
#   1. build-tsan (clang, -DSMPTRACE_TSAN=ON): the ledger's concurrency tests
#      (group commit, idempotent retries, the scan race, the write gate and
#      the store's disk poller) under ThreadSanitizer. clang's
#      -Wthread-safety -Werror checks every lock annotation of the code it
#      compiles (storage, ledger, the API's library).
#   2. build-asan (clang, -DSMPTRACE_SANITIZE=ON -DSMPTRACE_FUZZ=ON): the
#      storage and ledger tests under ASan/UBSan (again with
#      -Wthread-safety), and each fuzz target for a few seconds from its
#      seed corpus.
#   3. build (the default compiler, Release -O2, no debug info; the tests'
#      own code at -O1; unity builds): everything, and every test suite
#      (unit, in-process service, end-to-end against the real smptraced and
#      smptrace binaries, doc, web). Prints ctest's summary last.
# A failure stops the script there. Only the targets each run needs are
# built. SMPTRACE_SKIP_SANITIZERS=1 runs step 3 alone; each step prints how
# long it took. tests/README.md says how to run one step by hand. All three
# use precompiled headers (SMPTRACE_PCH, cmake/precompiled_headers.cmake)
# and Ninja (a build directory made earlier with another generator keeps
# it).
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/setup-dev.sh

configure() { # BUILD_DIR CMAKE_ARGS...
  local dir=$1
  shift
  local generator=()
  [ -f "${dir}/CMakeCache.txt" ] || generator=(-G Ninja)
  cmake -S . -B "${dir}" "${generator[@]}" "$@"
}

step() {
  local name=$1
  shift
  local start=$SECONDS
  echo "test.sh: ${name}: starting"
  "$@"
  echo "test.sh: ${name}: passed in $((SECONDS - start)) s"
}

# The sanitizer builds: -O0 (half of -O1's compile time; the tests they
# run are short) and line tables only; reports still name file and line.
sanitizer_flags=(-DSMPTRACE_PCH=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O0 -gline-tables-only -DNDEBUG"
  -DSMPTRACE_WEB=OFF)

# Runs gtest binaries (with an optional --gtest_filter) in one process each;
# sanitizer reports fail the test (halt_on_error / -fno-sanitize-recover).
run_gtests() {
  local dir=$1 filter=$2
  shift 2
  local t
  for t in "$@"; do
    echo "test.sh: ${dir}/tests/${t}"
    "${dir}/tests/${t}" --gtest_brief=1 --gtest_filter="${filter}"
  done
}

# The ledger's concurrency tests under ThreadSanitizer.
tsan() {
  CC=clang CXX=clang++ configure build-tsan "${sanitizer_flags[@]}" \
    -DSMPTRACE_TSAN=ON > /dev/null
  # The API's library is compiled for -Wthread-safety only.
  cmake --build build-tsan -j2 --target ledger_test aggregates_test \
    write_gate_test store_test smptrace_api
  # TSan's options are built in (tests/testing/tsan_absl_sync.cc).
  run_gtests build-tsan '*' ledger_test write_gate_test store_test
  # The race of two sessions for one unit, each scan sent by several
  # threads at once, through the ledger's queue and group commit.
  run_gtests build-tsan '*Racing*' aggregates_test
}

# The storage, ledger and service tests under ASan/UBSan, and the fuzz
# targets briefly.
asan() {
  # The storage and ledger layers (the API and the CLI are left out to keep
  # CI under 25 minutes on 2 cores; tests/README.md shows how to run the
  # service tests under ASan by hand).
  local tests=(keys_test journal_test store_test signing_test upgrades_test
    backup_test write_gate_test ledger_test aggregates_test dates_test)
  CC=clang CXX=clang++ configure build-asan "${sanitizer_flags[@]}" \
    -DSMPTRACE_SANITIZE=ON -DSMPTRACE_FUZZ=ON > /dev/null
  cmake --build build-asan -j2 --target "${tests[@]}" gs1_fuzz
  # Leak checking is off: not yet tried on these tests (gRPC and protobuf
  # keep process-wide state to the end).
  export ASAN_OPTIONS="halt_on_error=1 detect_leaks=0"
  export UBSAN_OPTIONS="halt_on_error=1 print_stacktrace=1"
  run_gtests build-asan '*' "${tests[@]}"
  ctest --test-dir build-asan -R '^fuzz\.' --output-on-failure
  unset ASAN_OPTIONS UBSAN_OPTIONS
}

main_run() {
  # Optimised as shipped, without debug info: debug info roughly doubles
  # what the ~100 test binaries write and link, and the CI's 25 minutes
  # are mostly building (run-dev.sh and the packages keep RelWithDebInfo).
  # The tests' own code at -O1 (a fifth faster to compile than -O2), and
  # the libraries as unity builds (each batch of files instantiates the
  # heavy templates once).
  configure build -DSMPTRACE_PCH=ON -DCMAKE_BUILD_TYPE=Release \
    "-DCMAKE_CXX_FLAGS_RELEASE=-O2 -DNDEBUG" -DSMPTRACE_TEST_CXX_FLAGS=-O1 \
    -DCMAKE_UNITY_BUILD=ON
  cmake --build build -j2
  # Four at a time on two cores: most tests wait on fsync, a subprocess or
  # the browser, not on a core.
  ctest --test-dir build --output-on-failure -j4
}

if [ "${SMPTRACE_SKIP_SANITIZERS:-0}" != 1 ]; then
  step "ThreadSanitizer (build-tsan)" tsan
  step "ASan/UBSan and fuzz (build-asan)" asan
fi
main_run
