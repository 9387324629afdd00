#!/usr/bin/env bash
# Measures, in one run on this machine, durable catalogue writes per second
# at 1 and 64 clients as ratios against (1) RocksDB's own synced write rate
# (db_bench fillrandom --sync=1, same disk) and (2) the same server's
# health-check rate, the gRPC floor (DESIGN.md §8). About 80 s with the
# default 10 s per measurement. docs/BENCHMARKS.md explains the numbers.
#
#   deploy/bench-catalog.sh [BUILD_DIR]        (default: ./build)
#
# Environment: BENCH_SECONDS (per measurement, default 10); BENCH_DIR (where
# the scratch directory goes, default $TMPDIR or /tmp: put it on the disk you
# want to measure). Needs smptraced, smptrace and smptrace_bench_catalog built,
# and db_bench (Debian package rocksdb-tools, installed if missing).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$repo/build}" && pwd)
seconds=${BENCH_SECONDS:-10}
smptraced=$build/service/api/smptraced
smptrace=$build/client/smptrace
bench=$build/client/smptrace_bench_catalog

for binary in "$smptraced" "$smptrace" "$bench"; do
  if [ ! -x "$binary" ]; then
    echo "bench-catalog: $binary is missing; build it first:" >&2
    echo "  cmake -S $repo -B $build && make -C $build -j2 smptraced smptrace smptrace_bench_catalog" >&2
    exit 2
  fi
done

if ! command -v db_bench >/dev/null; then
  echo "bench-catalog: installing rocksdb-tools (db_bench)"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  # Waits for another apt/dpkg run to finish instead of failing on its lock.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 \
    install -y -q --no-install-recommends rocksdb-tools
fi

work=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/smptrace-bench.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid"
    wait "$server_pid" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# --- the machine --------------------------------------------------------
device=$(findmnt -no SOURCE --target "$work" || echo "?")
fstype=$(findmnt -no FSTYPE --target "$work" || echo "?")
block=$(basename "$(readlink -f "$device")" 2>/dev/null || echo "?")
rotational=$(cat "/sys/block/$block/queue/rotational" 2>/dev/null || echo "?")
echo "machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), kernel $(uname -r)"
echo "disk:    $work on $device ($fstype), rotational=$rotational"
echo "commit:  $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?'), build $build"
echo "each measurement: ${seconds}s; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  (anything else busy on this machine skews every number below)"
echo

# key=value field `$2` of the bench tool's output line `$1`.
field() { tr ' ' '\n' <<<"$1" | sed -n "s/^$2=//p"; }

# --- (a) RocksDB's own synced write rate, same disk ----------------------
# One op = one 1 KiB value written with sync=1 (about the size of the
# WriteBatch one product create commits). With 64 threads RocksDB's write
# group merges concurrent writers into one WAL fsync, as our ledger does.
db_bench_rate() {
  local threads=$1
  db_bench --benchmarks=fillrandom --sync=1 --threads="$threads" \
    --num=1000000 --duration="$seconds" --ops_between_duration_checks=1 \
    --value_size=1024 --db="$work/db_bench_$threads" 2>&1 |
    awk '/^fillrandom/ { for (i = 1; i <= NF; i++) if ($i == "ops/sec") print $(i-1) }'
}
echo "db_bench fillrandom --sync=1 --value_size=1024 --duration=$seconds --threads=1 ..."
db1=$(db_bench_rate 1)
echo "  $db1 ops/s"
echo "db_bench ... --threads=64"
db64=$(db_bench_rate 64)
echo "  $db64 ops/s"
rm -rf "$work"/db_bench_*

# --- (b) smptraced on a fresh data dir, same disk ------------------------
"$smptraced" --insecure_dev --data_dir "$work/data" --listen 127.0.0.1:0 \
  --ready_file "$work/ready" >"$work/smptraced.log" 2>&1 &
server_pid=$!
for _ in $(seq 300); do
  [ -s "$work/ready" ] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then
    echo "bench-catalog: smptraced exited:" >&2
    cat "$work/smptraced.log" >&2
    exit 1
  fi
  sleep 0.1
done
[ -s "$work/ready" ] || { echo "bench-catalog: smptraced not ready in 30 s" >&2; exit 1; }
address=$(head -n1 "$work/ready")
echo "smptraced on $address"

# --- (c) the bench tool ---------------------------------------------------
run() {  # rpc clients tag
  local line
  line=$("$bench" --server "$address" --rpc "$1" --clients "$2" \
    --seconds "$seconds" --run_tag "$3")
  echo "  $line" >&2
  echo "$line"
}
echo "smptrace_bench_catalog --rpc create|health --clients 1|64 --seconds $seconds"
create1=$(run create 1 1)
create64=$(run create 64 64)
health1=$(run health 1 0)
health64=$(run health 64 0)

# Stop gracefully, then check offline that every acknowledged write is in
# the journal.
kill -TERM "$server_pid"
wait "$server_pid" || { echo "bench-catalog: smptraced did not stop cleanly" >&2; exit 1; }
server_pid=""
written=$(( $(field "$create1" ok) + $(field "$create64" ok) ))
verify=$("$smptrace" admin verify --data_dir "$work/data")
echo "$verify"
entries=$(sed -n 's/^journal OK: \([0-9]*\) entries.*/\1/p' <<<"$verify")
if [ "$entries" != "$written" ]; then
  echo "bench-catalog: $written creates acknowledged but $entries journal entries" >&2
  exit 1
fi

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# --- (d) the table --------------------------------------------------------
w1=$(field "$create1" rate); w64=$(field "$create64" rate)
h1=$(field "$health1" rate); h64=$(field "$health64" rate)
echo
awk -v w1="$w1" -v w64="$w64" -v d1="$db1" -v d64="$db64" -v h1="$h1" -v h64="$h64" \
    -v wl1="$(field "$create1" p50_ms)/$(field "$create1" p99_ms)" \
    -v wl64="$(field "$create64" p50_ms)/$(field "$create64" p99_ms)" \
    -v hl1="$(field "$health1" p50_ms)/$(field "$health1" p99_ms)" \
    -v hl64="$(field "$health64" p50_ms)/$(field "$health64" p99_ms)" 'BEGIN {
  f = "%-44s %16s %16s\n"
  printf f, "", "1 client", "64 clients"
  printf f, "durable catalogue writes/s (CreateProduct)", sprintf("%.0f", w1), sprintf("%.0f", w64)
  printf f, "  latency p50/p99 ms", wl1, wl64
  printf f, "db_bench fillrandom sync=1 ops/s (threads)", sprintf("%.0f", d1), sprintf("%.0f", d64)
  printf f, "  writes/s / db_bench ops/s", sprintf("%.2f", w1 / d1), sprintf("%.2f", w64 / d64)
  printf f, "health checks/s (the gRPC floor)", sprintf("%.0f", h1), sprintf("%.0f", h64)
  printf f, "  latency p50/p99 ms", hl1, hl64
  printf f, "  writes/s / health checks/s", sprintf("%.3f", w1 / h1), sprintf("%.3f", w64 / h64)
  printf f, "64-client gain (writes/s at 64 / at 1)", "", sprintf("%.1fx", w64 / w1)
}'
