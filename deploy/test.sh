#!/usr/bin/env bash
# Sets up a Debian 12 machine, builds everything with -j2, and runs every
# test suite (unit, in-process service, end-to-end against the real
# smptraced and smptrace binaries). Prints ctest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/setup-dev.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j2
ctest --test-dir build --output-on-failure -j2
