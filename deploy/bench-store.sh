#!/usr/bin/env bash
# The store's numbers in one run (issue 17: restart, bytes, backup; issue 20
# goals 3, 4, 5, 7), on a store built by smptrace_bulk_load through the real
# services (sessions of 4 cartridges scanned and disposed of: about 10
# journal entries per session):
#   1. the load: commands/s (no fsync while loading);
#   2. restart to SERVING: the first start (no verification mark yet: the
#      whole journal before serving; it leaves the mark), then clean
#      restarts from the mark (deploy/bench-cold-start.sh);
#   3. an online backup (smptrace admin backup) while the first start
#      serves: time, bytes;
#   4. admin verify's pass (chain and tree, the store open) on 1 thread and on
#      every core, the median of 5 passes each, against `openssl speed
#      sha256` at the mean stored entry (CPU time, as openssl counts);
#   5. bytes on disk per journal entry after a full compaction (on a copy).
#
#   deploy/bench-store.sh [BUILD_DIR] [SESSIONS]   (default ./build, 10000)
#
# Environment: BENCH_THREADS (loader threads, default 8), BENCH_DIR (where the
# scratch directory goes, default $TMPDIR or /tmp), BENCH_KEEP=1 keeps it.
# Needs smptraced, smptrace and smptrace_bulk_load built.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
sessions=${2:-10000}
smptraced=$build/service/api/smptraced
smptrace=$build/client/smptrace
bulk=$build/client/smptrace_bulk_load
for binary in "$smptraced" "$smptrace" "$bulk"; do
  if [ ! -x "$binary" ]; then
    echo "bench-store: $binary is missing; build it first:" >&2
    echo "  cmake --build $build -j2 --target smptraced smptrace smptrace_bulk_load_tool" >&2
    exit 2
  fi
done
work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/smptrace-bench-store.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    wait "$server_pid" || true
  fi
  [ "${BENCH_KEEP:-0}" = 1 ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
seconds() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average $(load)"

echo "== 1. load: $sessions sessions"
"$bulk" --data_dir "$work/data" --sessions "$sessions" \
  --threads "${BENCH_THREADS:-8}" 2> "$work/load.log" | tee "$work/load.txt"

echo "== 2. restart to SERVING (load average $(load))"
rm -f "$work/ready"
t0=$(seconds)
"$smptraced" --insecure_dev --data_dir "$work/data" --listen 127.0.0.1:0 \
  --http_listen '' --ready_file "$work/ready" --min_free_disk_mb 0 \
  > "$work/first.log" 2>&1 &
server_pid=$!
while [ ! -s "$work/ready" ]; do
  kill -0 "$server_pid" 2> /dev/null || { cat "$work/first.log"; exit 1; }
  sleep 0.01
done
t1=$(seconds)
echo "first start (no mark: the whole journal before serving): $(elapsed "$t0" "$t1") s"
grep -o 'journal verified at start: .*' "$work/first.log" || true
# That complete verification left the mark the next starts begin from.

echo "== 3. online backup (load average $(load))"
address=$(head -n1 "$work/ready")
t0=$(seconds)
"$smptrace" --server "$address" --timeout 600 admin backup --to "$work/backups"
t1=$(seconds)
echo "backup: $(elapsed "$t0" "$t1") s, $(du -sb "$work/backups" | cut -f1) bytes; data dir $(du -sb "$work/data" | cut -f1) bytes"
kill -TERM "$server_pid"
wait "$server_pid"
server_pid=""
"$repo/deploy/bench-cold-start.sh" "$smptraced" "$work/data" 3

echo "== 4. verification (load average $(load))"
"$bulk" --data_dir "$work/data" --sessions 0 --verify | tee "$work/verify.txt"
mean=$(grep -o 'mean_entry_bytes=[0-9]*' "$work/verify.txt" | cut -d= -f2)
sha=$(openssl speed -seconds 3 -bytes "$mean" sha256 2>/dev/null | awk '/^sha256/ {sub(/k$/, "", $2); print $2 / 1000}')
echo "openssl speed sha256: bytes=$mean mb_per_second=$sha (1 thread)"
for t in 1 all; do
  mbps=$(grep "verify_threads=$t " "$work/verify.txt" | grep -o 'journal_mb_per_second=[0-9.]*' | cut -d= -f2)
  echo "verify ($t threads) / sha256: $(awk -v a="$mbps" -v b="$sha" 'BEGIN { printf "%.2f", a / b }')"
done

echo "== 5. bytes per entry after a full compaction (load average $(load))"
cp -a "$work/data" "$work/compacted"
"$bulk" --data_dir "$work/compacted" --sessions 0 --compact
echo "load average after: $(load)"
