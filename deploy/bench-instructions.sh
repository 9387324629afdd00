#!/usr/bin/env bash
# Instructions executed (valgrind's callgrind, "Ir"), not seconds: a count
# that stays the same on a busy machine, to compare two builds of the same
# workloads (docs/BENCHMARKS.md, "Instructions per command"). Each workload
# runs twice with two sizes and the difference is divided by the size
# difference, so start-up and shut-down cancel out:
#   - lookback load: smptrace_bench_lookback (in process) with --uses
#     $SMALL and $LARGE: instructions per journal entry appended while
#     loading (receives, sessions, scans by serial label);
#   - lookback queries: the same with --uses $SMALL and --repeats 1 and
#     1+$REPEATS: instructions per round of its timed queries (before
#     issue 20: TraceLot of a small lot, of a 1,000-unit lot, TraceProduct;
#     since: see lookback_same below);
#   - catalogue creates: smptraced under callgrind, smptrace_bench_catalog
#     --clients 1 making $OPS and 3*$OPS creates (one durable command each,
#     over gRPC): instructions in the server per create.
#
#   deploy/bench-instructions.sh BUILD_DIR [SCRATCH]
#
# Environment: SMALL (400), LARGE (1200), REPEATS (20), OPS (300).
set -euo pipefail
build=$(cd "$1" && pwd)
scratch=${2:-$(mktemp -d)}
mkdir -p "$scratch"
small=${SMALL:-400}
large=${LARGE:-1200}
repeats=${REPEATS:-20}
ops=${OPS:-300}
lookback=$build/client/smptrace_bench_lookback
catalog=$build/client/smptrace_bench_catalog
smptraced=$build/service/api/smptraced

# Ir of one callgrind run: COMMAND... ; prints "instructions entries".
total_ir() { # OUT_FILE COMMAND...
  local out=$1
  shift
  valgrind --tool=callgrind --callgrind-out-file="$out" "$@" > "$out.stdout" 2> "$out.stderr"
  awk '/^summary:/ {print $2}' "$out"
}

# Builds since issue 20 compare with SQLite, load with several clients and
# log warnings only: off, one and every call, as before, so that the counts compare across builds (the
# query round is then TraceLot of the small and the 1,000-unit lot, each
# on a snapshot and over gRPC, and a lot-only scan's read).
lookback_same=()
"$lookback" --help 2>&1 | grep -q -- --sqlite &&
  lookback_same=(--sqlite off --load_threads 1 --call_log)
lookback_run() { # NAME USES REPEATS
  rm -rf "$scratch/$1.data"
  local ir entries
  ir=$(total_ir "$scratch/$1.callgrind" "$lookback" --data_dir "$scratch/$1.data" \
    --uses "$2" --small_lot 20 --repeats "$3" "${lookback_same[@]}")
  entries=$(grep -o 'journal_entries=[0-9]*' "$scratch/$1.callgrind.stdout" | cut -d= -f2)
  echo "$ir $entries"
}

read -r ir_s entries_s < <(lookback_run small "$small" 1)
read -r ir_l entries_l < <(lookback_run large "$large" 1)
read -r ir_q _ < <(lookback_run queries "$small" $((1 + repeats)))
echo "lookback load: uses $small -> $entries_s entries, $ir_s Ir; uses $large -> $entries_l entries, $ir_l Ir"
echo "instructions_per_entry=$(((ir_l - ir_s) / (entries_l - entries_s)))"
echo "instructions_per_query_round=$(((ir_q - ir_s) / repeats)) (3 queries on $entries_s entries)"

# Builds before /metrics existed have no --metrics_listen.
metrics_off=()
"$smptraced" --help 2>&1 | grep -q -- --metrics_listen && metrics_off=(--metrics_listen off)
catalog_run() { # NAME OPS
  rm -rf "$scratch/$1.data" "$scratch/$1.ready"
  valgrind --tool=callgrind --callgrind-out-file="$scratch/$1.callgrind" \
    "$smptraced" --insecure_dev --data_dir "$scratch/$1.data" \
    --listen 127.0.0.1:0 --http_listen '' "${metrics_off[@]}" \
    --ready_file "$scratch/$1.ready" --min_free_disk_mb 0 \
    > "$scratch/$1.server.log" 2>&1 &
  local pid=$!
  while [ ! -s "$scratch/$1.ready" ]; do
    kill -0 "$pid" 2> /dev/null || { tail "$scratch/$1.server.log"; exit 1; }
    sleep 0.2
  done
  "$catalog" --server "$(cat "$scratch/$1.ready")" --clients 1 --ops "$2" \
    --run_tag 1 --seconds 100000 > "$scratch/$1.client" 2>&1
  kill -TERM "$pid"
  wait "$pid" || true
  awk '/^summary:/ {print $2}' "$scratch/$1.callgrind"
}
ir_a=$(catalog_run create1 "$ops")
ir_b=$(catalog_run create3 $((3 * ops)))
echo "catalogue creates: $ops -> $ir_a Ir, $((3 * ops)) -> $ir_b Ir (server)"
echo "instructions_per_create=$(((ir_b - ir_a) / (2 * ops)))"
