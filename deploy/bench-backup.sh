#!/usr/bin/env bash
# Measures the cost of an online backup (time, bytes) on a store filled with
# BENCH_ENTRIES journal entries (default 100000: catalogue creates from
# smptrace_bench_catalog), then the cost of an incremental backup after
# BENCH_MORE more (default 3000), and of a restore with its verification.
# Backups are taken while the server serves, through `smptrace admin backup`.
#
#   deploy/bench-backup.sh [BUILD_DIR]        (default: ./build)
#
# Environment: BENCH_ENTRIES, BENCH_MORE, BENCH_CLIENTS (default 16);
# BENCH_DIR (where the scratch directory goes, default $TMPDIR or /tmp).
# Needs smptraced, smptrace and smptrace_bench_catalog built.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
entries=${BENCH_ENTRIES:-100000}
more=${BENCH_MORE:-3000}
clients=${BENCH_CLIENTS:-16}
smptraced=$build/service/api/smptraced
smptrace=$build/client/smptrace
bench=$build/client/smptrace_bench_catalog
for binary in "$smptraced" "$smptrace" "$bench"; do
  if [ ! -x "$binary" ]; then
    echo "bench-backup: $binary is missing; build it first:" >&2
    echo "  cmake --build $build -j2 --target smptraced smptrace smptrace_bench_catalog" >&2
    exit 2
  fi
done

work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/smptrace-bench-backup.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    wait "$server_pid" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "machine: $(nproc) CPUs, load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$smptraced" --insecure_dev --data_dir "$work/data" --listen 127.0.0.1:0 \
  --ready_file "$work/ready" >"$work/smptraced.log" 2>&1 &
server_pid=$!
for _ in $(seq 600); do
  [ -s "$work/ready" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/smptraced.log" >&2; exit 1; }
  sleep 0.1
done
address=$(head -n1 "$work/ready")
cli() { "$smptrace" --server "$address" --timeout 600 "$@"; }
seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

echo "filling: $entries catalogue creates, $clients clients"
"$bench" --server "$address" --rpc create --clients "$clients" --ops "$entries" \
  --run_tag 1
echo "data dir: $(du -sb "$work/data" | cut -f1) bytes"

t0=$(seconds)
cli admin backup --to "$work/backups"
t1=$(seconds)
echo "full backup: $(elapsed "$t0" "$t1") s, backup dir $(du -sb "$work/backups" | cut -f1) bytes"

"$bench" --server "$address" --rpc create --clients "$clients" --ops "$more" \
  --run_tag 2
before=$(du -sb "$work/backups" | cut -f1)
t0=$(seconds)
cli admin backup --to "$work/backups"
t1=$(seconds)
after=$(du -sb "$work/backups" | cut -f1)
echo "incremental backup after $more more: $(elapsed "$t0" "$t1") s, backup dir grew $((after - before)) bytes"

t0=$(seconds)
"$smptrace" admin restore --from "$work/backups" --to "$work/restored"
t1=$(seconds)
echo "restore + verify: $(elapsed "$t0" "$t1") s"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
