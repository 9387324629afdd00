#!/usr/bin/env bash
# Cold start: how long smptraced takes from exec to serving (its ready file
# written: the journal since the last complete verification verified, head
# checked, port listening) on an existing
# data directory, after a clean stop. Each run: WAL bytes left in the
# directory, start, time to ready, resident memory when ready (VmRSS) and its
# peak so far (VmHWM), SIGTERM, wait. docs/BENCHMARKS.md has the numbers and
# how the stores were filled (smptrace_bench_lookback).
#
#   deploy/bench-cold-start.sh SMPTRACED DATA_DIR [RUNS]
set -euo pipefail
smptraced=$1
data=$2
runs=${3:-3}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

wal_bytes() { find "$data" -maxdepth 1 -name '*.log' -printf '%s\n' | awk '{s+=$1} END {print s+0}'; }

for run in $(seq 1 "$runs"); do
  wal=$(wal_bytes)
  rm -f "$scratch/ready"
  start=$(date +%s%N)
  "$smptraced" --insecure_dev --data_dir "$data" --listen 127.0.0.1:0 \
    --http_listen '' --ready_file "$scratch/ready" --min_free_disk_mb 0 \
    > "$scratch/log" 2>&1 &
  pid=$!
  while [ ! -e "$scratch/ready" ]; do
    kill -0 "$pid" 2> /dev/null || { cat "$scratch/log"; exit 1; }
    sleep 0.005
  done
  ready=$(date +%s%N)
  rss_kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
  hwm_kb=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status")
  kill -TERM "$pid"
  wait "$pid"
  stopped=$(date +%s%N)
  verified=$(grep -o 'journal \(verified\|checked\) at start: [0-9]* entries [^;]*' "$scratch/log" || true)
  echo "run $run: wal_before_start_bytes=$wal ready_ms=$(( (ready - start) / 1000000 )) stop_ms=$(( (stopped - ready) / 1000000 )) rss_at_ready_kb=$rss_kb peak_rss_kb=$hwm_kb ($verified)"
done
echo "on disk: $(du -sb "$data" | cut -f1) bytes, WAL after the last stop: $(wal_bytes) bytes"
