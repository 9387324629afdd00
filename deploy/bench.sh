#!/usr/bin/env bash
# Issue 20's eight performance goals in one run, one table of ratios. It
# composes the benches that measure them and keeps what each printed:
#   scan.txt      deploy/bench-scan.sh: smptrace_bench_scan against a fresh
#                 smptraced (64 clients, the health check on the same server,
#                 a steady 200 scans/s), then smptrace_bench_ledger at 1, 2
#                 and 4 threads next to db_bench fillrandom --sync=1 (goals
#                 1, 2);
#   store.txt     deploy/bench-store.sh: smptrace_bulk_load, restarts to
#                 SERVING, admin verify's pass against openssl speed sha256,
#                 bytes per entry after a full compaction (goals 3, 4, 5, 7);
#   lookback.txt  smptrace_bench_lookback: TraceLot of a 1,000-unit lot
#                 against SQLite on the same data, and a lot-only scan's read
#                 (goals 6, 8);
#   machine.txt   CPU, cores, disk, commit, scale;
#   table.md      the table (also printed), from the four files above.
# A part that fails leaves "not measured" in its rows; the others still run.
#
#   deploy/bench.sh [BUILD_DIR] [--scale small|full] [--out DIR]
#   deploy/bench.sh --table DIR      the table again, from a run's outputs
#
# --scale small (default): ~10 min on 2 cores: 5 s per scan measurement,
#   10,000 sessions (~100 k journal entries), 600,000 uses for the lookback.
# --scale full: the issue's sizes, run by hand (hours, ~45 GB of disk):
#   30 s per measurement, 1,000,000 sessions (~10 M entries), 10,000,000 uses.
# --out DIR: the run directory (default: a new one under $BENCH_DIR or /tmp;
#   the disk measured is the one it is on). BENCH_KEEP=1 keeps the lookback's
#   store and SQLite file.
# Needs: cmake --build BUILD_DIR -j2 --target smptraced smptrace
#   smptrace_bench_scan smptrace_bench_ledger smptrace_bulk_load_tool
#   smptrace_bench_lookback; db_bench (rocksdb-tools) and openssl.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)

usage() {
  sed -n 's/^#   deploy/deploy/p' "$0" >&2
  exit 2
}

# ---- the table -------------------------------------------------------------

# pick FILE AFTER MATCH KEY: the value of KEY=... on the first line matching
# MATCH (a regex) after the first line matching AFTER ("" for the start).
pick() {
  [ -f "$1" ] || return 0
  awk -v after="$2" -v pattern="$3" -v key="$4" '
    !started { if (after == "") started = 1; else { if ($0 ~ after) started = 1; next } }
    $0 ~ pattern {
      for (i = 1; i <= NF; i++) {
        if (index($i, key "=") == 1) { print substr($i, length(key) + 2); exit }
      }
    }' "$1"
}

# calc EXPR: awk arithmetic on the values given as a=1 b=2 ...; empty if
# any value is empty (not measured) or a divisor is zero.
calc() {
  local expr=$1 arg
  shift
  local vars=()
  for arg in "$@"; do
    [ -n "${arg#*=}" ] || return 0
    vars+=(-v "$arg")
  done
  awk "${vars[@]}" "BEGIN { printf \"%.6f\", ($expr) }" 2> /dev/null || true
}

# num VALUE DECIMALS: VALUE with DECIMALS decimals and thousands separated
# by commas ("" stays "").
num() {
  [ -n "$1" ] || return 0
  awk -v v="$1" -v d="$2" 'BEGIN {
    s = sprintf("%." d "f", v); sign = ""
    if (substr(s, 1, 1) == "-") { sign = "-"; s = substr(s, 2) }
    n = index(s, "."); int_part = n ? substr(s, 1, n - 1) : s; frac = n ? substr(s, n) : ""
    out = ""
    while (length(int_part) > 3) {
      out = "," substr(int_part, length(int_part) - 2) out
      int_part = substr(int_part, 1, length(int_part) - 3)
    }
    print sign int_part out frac
  }'
}

# A ratio with about three significant digits.
ratio_text() {
  awk -v r="$1" 'BEGIN {
    a = r < 0 ? -r : r
    if (a >= 100) printf "%.0f", r; else if (a >= 10) printf "%.1f", r
    else if (a >= 0.1) printf "%.2f", r; else printf "%.3f", r
  }'
}

# row GOAL MEASURED REFERENCE RATIO OP BOUND: one line of the table; the
# verdict compares RATIO with BOUND (OP is >= or <=).
row() {
  local goal=$1 measured=$2 reference=$3 ratio=$4 op=$5 bound=$6 verdict shown
  local sign="≥"
  [ "$op" = "<=" ] && sign="≤"
  if [ -z "$ratio" ]; then
    shown="—"
    verdict="not measured"
  else
    shown=$(ratio_text "$ratio")
    if awk -v r="$ratio" -v b="$bound" -v op="$op" \
      'BEGIN { exit !(op == ">=" ? r >= b : r <= b) }'; then
      verdict="met"
    else
      verdict="**not met**"
    fi
  fi
  echo "| $goal | ${measured:-—} | ${reference:-—} | $shown | $sign $bound | $verdict |"
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }

print_table() {
  local dir=$1
  local scan=$dir/scan.txt store=$dir/store.txt lookback=$dir/lookback.txt
  local m
  if [ -f "$dir/machine.txt" ]; then
    m=$(pick "$dir/machine.txt" "" "^run:" scale)
    echo "Run of $(sed -n 's/^date: //p' "$dir/machine.txt") at commit $(pick "$dir/machine.txt" "" "^run:" commit), scale $m"
    sed -n 's/^machine: /Machine: /p; s/^disk: /Disk: /p' "$dir/machine.txt"
  fi
  for part in scan store lookback; do
    if [ -f "$dir/$part.txt" ] && [ -f "$dir/machine.txt" ]; then
      echo "Load average before $part: $(pick "$dir/machine.txt" "" "^load_before_$part:" load1)"
    fi
  done
  echo
  echo "| goal | measured | reference | ratio | goal | verdict |"
  echo "|---|---|---|---:|---|---|"

  # 1. Scans at 64 clients against the same server's health checks.
  local scans health p50 p99 rate
  scans=$(pick "$scan" "^phase: closed_loop clients=64" "^scan:" rate)
  p50=$(pick "$scan" "^phase: closed_loop clients=64" "^scan:" p50_ms)
  p99=$(pick "$scan" "^phase: closed_loop clients=64" "^scan:" p99_ms)
  health=$(pick "$scan" "^phase: closed_loop clients=64" "^health:" rate)
  row "1. durable scans ÷ health checks, 64 clients" \
    "${scans:+$(num "$scans" 0) scans/s (p50 $(num "$p50" 1) / p99 $(num "$p99" 1) ms)}" \
    "${health:+$(num "$health" 0) health checks/s, same server and clients}" \
    "$(calc 'a / b' a="$scans" b="$health")" ">=" 0.5
  p99=$(pick "$scan" "^phase: steady scan_rate=200" "^scan:" p99_ms)
  rate=$(pick "$scan" "^phase: steady scan_rate=200" "^scan:" rate)
  row "1. scan p99 at a steady 200 scans/s" \
    "${p99:+p99 $(num "$p99" 2) ms at $(num "$rate" 1) scans/s}" "5 ms" \
    "$(calc 'a / 5' a="$p99")" "<=" 1

  # 2. The ledger in-process against db_bench at the same threads, and its
  # growth from 1 to 2 threads.
  local threads commands ops one two
  for threads in 1 2 4; do
    commands=$(pick "$scan" "^phase: ledger" "^ledger: threads=$threads " commands_per_s)
    ops=$(pick "$scan" "^phase: ledger" "^ledger: threads=$threads " db_bench_ops_per_s)
    [ -n "$commands" ] || [ "$threads" = 1 ] || continue
    row "2. ledger commands ÷ db_bench fillrandom --sync=1, $threads thread$([ "$threads" = 1 ] || echo s)" \
      "${commands:+$(num "$commands" 0) commands/s (fsync on)}" \
      "${ops:+$(num "$ops" 0) ops/s}" \
      "$(calc 'a / b' a="$commands" b="$ops")" ">=" 1.0
  done
  one=$(pick "$scan" "^phase: ledger" "^ledger: threads=1 " commands_per_s)
  two=$(pick "$scan" "^phase: ledger" "^ledger: threads=2 " commands_per_s)
  row "2. ledger growth with threads, 2 ÷ 1" \
    "${two:+$(num "$two" 0) commands/s at 2 threads}" \
    "${one:+$(num "$one" 0) at 1 thread}" \
    "$(calc 'a / b' a="$two" b="$one")" ">=" 1.5

  # 3. admin verify's pass (every core) against SHA-256 at the mean entry.
  local verify sha bytes
  verify=$(pick "$store" "" "^verify_threads=all " journal_mb_per_second)
  sha=$(pick "$store" "" "^openssl speed sha256:" mb_per_second)
  bytes=$(pick "$store" "" "^openssl speed sha256:" bytes)
  row "3. admin verify ÷ SHA-256" \
    "${verify:+$(num "$verify" 1) MB/s of journal, every core}" \
    "${sha:+openssl speed sha256 at $bytes B: $(num "$sha" 0) MB/s (1 thread)}" \
    "$(calc 'a / b' a="$verify" b="$sha")" ">=" 0.5

  # 4. Restart to SERVING (median of the clean restarts) and its memory.
  local entries ready runs peak bound_ms at
  entries=$(pick "$store" "" "^journal_entries=" journal_entries)
  ready=$(grep -o 'ready_ms=[0-9]*' "$store" 2> /dev/null | cut -d= -f2 | median || true)
  runs=$(grep -c 'ready_ms=' "$store" 2> /dev/null || true)
  peak=$(grep -o 'peak_rss_kb=[0-9]*' "$store" 2> /dev/null | cut -d= -f2 | sort -n | tail -n1 || true)
  bound_ms=1000
  at="1 M"
  if [ -n "$entries" ] && [ "$entries" -gt 5000000 ]; then
    bound_ms=2000
    at="10 M"
  fi
  row "4. restart to SERVING" \
    "${ready:+$(num "$ready" 0) ms (median of $runs) at $(num "$entries" 0) entries}" \
    "$((bound_ms / 1000)) s (the goal at $at entries)" \
    "$(calc "a / $bound_ms" a="$ready")" "<=" 1
  row "4. resident memory (peak, at SERVING)" \
    "${peak:+$(num "$(calc 'a / 1024' a="$peak")" 1) MiB}" "256 MiB" \
    "$(calc 'a / 1024 / 256' a="$peak")" "<=" 1

  # 5. Bytes per entry after a full compaction against main before issue 20
  # (1,277 B: docs/BENCHMARKS.md, "The store at scale", main's options).
  local per_entry largest
  per_entry=$(pick "$store" "" "^cf=all " bytes_per_entry)
  largest=$(awk -F'[ =]' '/^cf=/ && $2 != "all" && $6 > best { best = $6; name = $2 } END { if (name != "") print name " " best " B" }' "$store" 2> /dev/null || true)
  row "5. bytes per journal entry after compaction" \
    "${per_entry:+$(num "$per_entry" 0) B (largest: $largest)}" \
    "1,277 B before (main b87daac, every index)" \
    "$(calc 'a / 1277' a="$per_entry")" "<=" 1

  # 6. The lookback of a 1,000-unit lot: in 20 ms and against SQLite.
  local uses_entries trace sqlite
  uses_entries=$(pick "$lookback" "" "^history:" journal_entries)
  trace=$(pick "$lookback" "" "^trace_lot_1000:" p50_ms)
  sqlite=$(pick "$lookback" "" "^trace_lot_1000:" sqlite_p50_ms)
  row "6. lookback, 1,000-unit lot, p50" \
    "${trace:+$(num "$trace" 2) ms at $(num "$uses_entries" 0) entries}" "20 ms" \
    "$(calc 'a / 20' a="$trace")" "<=" 1
  row "6. lookback ÷ SQLite, same data, p50" \
    "${trace:+$(num "$trace" 2) ms}" \
    "${sqlite:+SQLite $(num "$sqlite" 2) ms (indexed join)}" \
    "$(calc 'a / b' a="$trace" b="$sqlite")" "<=" 0.5

  # 7. The bulk loader: minutes for 10 M use events at the measured rate.
  local uses seconds minutes
  uses=$(pick "$store" "" "^sessions=" uses)
  seconds=$(pick "$store" "" "^sessions=" seconds)
  minutes=$(calc '10000000 / (a / b) / 60' a="$uses" b="$seconds")
  row "7. bulk load of 10 M use events" \
    "${minutes:+$(num "$(calc 'a / b' a="$uses" b="$seconds")" 0) uses/s: $(num "$minutes" 1) min}" \
    "10 min" "$(calc 'a / 10' a="$minutes")" "<=" 1

  # 8. A lot-only scan's read through the first-in-stock key against the
  # read it replaced, which stepped over the units already opened.
  local indexed prefix opened
  indexed=$(pick "$lookback" "" "^lot_only_scan_read:" p50_ms)
  prefix=$(pick "$lookback" "" "^lot_only_scan_read:" from_prefix_p50_ms)
  opened=$(pick "$lookback" "" "^lot_only_scan_read:" opened_before_it)
  row "8. lot-only scan's read, ${opened:-?} units of its lot opened before it" \
    "${indexed:+$(num "$indexed" 4) ms (first-in-stock key)}" \
    "${prefix:+$(num "$prefix" 4) ms stepping over them from the lot prefix}" \
    "$(calc 'a / b' a="$indexed" b="$prefix")" "<=" 0.1
}

if [ "${1:-}" = "--table" ]; then
  [ $# -eq 2 ] || usage
  if [ ! -f "$2/scan.txt" ] && [ ! -f "$2/store.txt" ] && [ ! -f "$2/lookback.txt" ]; then
    echo "bench: $2 holds no scan.txt, store.txt or lookback.txt (not a run directory)" >&2
    exit 2
  fi
  print_table "$2"
  exit 0
fi

# ---- the run ---------------------------------------------------------------

build=""
scale=small
out=""
while [ $# -gt 0 ]; do
  case $1 in
    --scale)
      scale=${2:-}
      shift 2 || usage
      ;;
    --out)
      out=${2:-}
      shift 2 || usage
      ;;
    -h | --help) usage ;;
    -*)
      echo "bench: unknown option $1" >&2
      usage
      ;;
    *)
      [ -z "$build" ] || usage
      build=$1
      shift
      ;;
  esac
done
case $scale in
  small)
    seconds=5
    sessions=10000
    uses=600000
    ;;
  full)
    seconds=30
    sessions=1000000
    uses=10000000
    ;;
  *)
    echo "bench: --scale is small or full, got '$scale'" >&2
    exit 2
    ;;
esac
build=${build:-$repo/build}
if [ ! -d "$build" ]; then
  echo "bench: the build directory $build does not exist" >&2
  exit 2
fi
build=$(cd "$build" && pwd)
lookback=$build/client/smptrace_bench_lookback
for binary in service/api/smptraced client/smptrace client/smptrace_bench_scan \
  client/smptrace_bench_ledger client/smptrace_bulk_load \
  client/smptrace_bench_lookback; do
  if [ ! -x "$build/$binary" ]; then
    echo "bench: $build/$binary is missing; build it first:" >&2
    echo "  cmake --build $build -j2 --target smptraced smptrace smptrace_bench_scan smptrace_bench_ledger smptrace_bulk_load_tool smptrace_bench_lookback" >&2
    exit 2
  fi
done
if [ -n "$out" ]; then
  mkdir -p "$out"
  run=$(cd "$out" && pwd)
else
  run=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/smptrace-bench.XXXXXX")
fi
echo "bench: scale $scale; outputs in $run"

load1() { cut -d' ' -f1 /proc/loadavg; }
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "run: scale=$scale commit=$(git -C "$repo" rev-parse --short HEAD 2> /dev/null || echo '?') seconds=$seconds sessions=$sessions uses=$uses"
  echo "machine: $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(nproc) cores, $(($(awk '/^MemTotal:/ {print $2}' /proc/meminfo) / 1024)) MiB of memory"
  device=$(df --output=source "$run" | tail -n1)
  echo "disk: $device ($(lsblk -dno SIZE,ROTA "$device" 2> /dev/null | awk '{print $1 ", rotational=" $2}'); $(df -h --output=fstype "$run" | tail -n1 | tr -d ' ')) for $run"
} > "$run/machine.txt"

failed=0
# part NAME COMMAND...: runs one part, its stdout into NAME.txt (and shown)
# but for the in-process servers' log lines ("[2026-..."), which go with its
# stderr into NAME.log.
part() {
  local name=$1
  shift
  echo "load_before_$name: load1=$(load1)" >> "$run/machine.txt"
  echo "== $name (load average $(cut -d' ' -f1-3 /proc/loadavg)): $*"
  if ! "$@" 2>> "$run/$name.log" |
    awk -v logfile="$run/$name.log" '/^\[[0-9][0-9][0-9][0-9]-/ { print >> logfile; next } { print; fflush() }' |
    tee "$run/$name.txt"; then
    echo "bench: $name failed; the end of $run/$name.log:" >&2
    tail -n 20 "$run/$name.log" >&2
    failed=1
  fi
  echo "load_after_$name: load1=$(load1)" >> "$run/machine.txt"
}

export BENCH_DIR=$run
BENCH_SECONDS=$seconds part scan "$repo/deploy/bench-scan.sh" "$build"
part store "$repo/deploy/bench-store.sh" "$build" "$sessions"
part lookback "$lookback" --data_dir "$run/lookback-store" --uses "$uses" \
  --repeats 50
if [ "${BENCH_KEEP:-0}" != 1 ]; then
  rm -rf "$run"/lookback-store*
fi

echo
print_table "$run" | tee "$run/table.md"
echo
echo "bench: outputs in $run (deploy/bench.sh --table $run prints the table again)"
exit "$failed"
