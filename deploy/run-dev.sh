#!/usr/bin/env bash
# Sets up a Debian 12 machine, builds smptrace, and runs smptraced on its
# embedded default: RocksDB in ./smptrace-data, listening on 127.0.0.1:8470,
# in explicit development mode (no authentication yet: see docs/admin.md).
# Extra arguments go to smptraced, e.g. --listen 127.0.0.1:9000.
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/setup-dev.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j2 --target smptraced smptrace
echo "smptrace CLI: $(pwd)/build/client/smptrace   (Ctrl-C stops the server)"
exec build/service/api/smptraced --insecure_dev --data_dir ./smptrace-data \
  --listen 127.0.0.1:8470 "$@"
