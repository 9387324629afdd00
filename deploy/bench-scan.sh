#!/usr/bin/env bash
# The practitioner's write path in one run (issue 20, goals 1 and 2): a fresh
# smptraced --insecure_dev, smptrace_bench_scan at 1 and 64 clients (each
# StartSession then 4 ScanConsumable by serial, then the health check on the
# same server for as long) and at a steady 200 scans/s; then the in-process
# ledger bench (smptrace_bench_ledger, no RPC, fsync on) at 1, 2 and 4
# threads next to db_bench fillrandom --sync=1 at the same thread counts.
# Prints each tool's key=value lines, each part after a "phase:" line (which
# deploy/bench.sh reads), and the load average before and after each;
# docs/BENCHMARKS.md explains them.
#
#   deploy/bench-scan.sh [BUILD_DIR]        (default: ./build)
#
# Environment: BENCH_SECONDS (per measurement, default 10); BENCH_DIR (where
# the scratch directories go, default $TMPDIR or /tmp: the disk measured).
# Needs smptraced, smptrace_bench_scan and smptrace_bench_ledger built;
# db_bench (Debian's rocksdb-tools) if it is to be compared.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
seconds=${BENCH_SECONDS:-10}
smptraced=$build/service/api/smptraced
scan=$build/client/smptrace_bench_scan
ledger=$build/client/smptrace_bench_ledger
for binary in "$smptraced" "$scan" "$ledger"; do
  if [ ! -x "$binary" ]; then
    echo "bench-scan: $binary is missing; build it first:" >&2
    echo "  cmake --build $build --target smptraced smptrace_bench_scan smptrace_bench_ledger" >&2
    exit 2
  fi
done

work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/smptrace-bench-scan.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    wait "$server_pid" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
load() { echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"; }

echo "machine: $(nproc) CPUs, kernel $(uname -r); commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')"
"$smptraced" --insecure_dev --data_dir "$work/data" --listen 127.0.0.1:0 \
  --http_listen '' --metrics_listen off --ready_file "$work/ready" \
  > "$work/server.log" 2>&1 &
server_pid=$!
while [ ! -s "$work/ready" ]; do
  kill -0 "$server_pid" 2>/dev/null || { tail "$work/server.log"; exit 1; }
  sleep 0.2
done
server=$(cat "$work/ready")
# Enough units for ~5,000 scans/s for the run; receiving them is not timed.
units=$((seconds * 5000))
for clients in 1 64; do
  load
  echo "phase: closed_loop clients=$clients"
  "$scan" --server "$server" --clients "$clients" --seconds "$seconds" --units "$units"
done
load
echo "phase: steady scan_rate=200"
"$scan" --server "$server" --clients 4 --seconds "$seconds" --scan_rate 200 \
  --units $((seconds * 250)) --no_health
load
kill -TERM "$server_pid"
wait "$server_pid" || true
server_pid=""

echo "phase: ledger"
"$ledger" --data_dir "$work/ledger" --threads 1,2,4 --seconds "$seconds" \
  --units $((seconds * 3 * 4000))
load
