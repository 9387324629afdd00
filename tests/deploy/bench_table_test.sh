#!/usr/bin/env bash
# deploy.bench_table: deploy/bench.sh --table on the saved outputs of a run
# (tests/deploy/bench-run/, trimmed from a real --scale small run) prints
# the table in bench_table.expected, whose ratios and verdicts were worked
# out by hand from those outputs; then a part left out shows "not measured"
# and a directory that is no run is refused.
#
#   tests/deploy/bench_table_test.sh REPO
set -euo pipefail
repo=$1
bench=$repo/deploy/bench.sh
here=$repo/tests/deploy
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

"$bench" --table "$here/bench-run" > "$scratch/table.md"
diff -u "$here/bench_table.expected" "$scratch/table.md"

# Without the lookback's output its three rows are not measured, and no
# other row changes.
cp -r "$here/bench-run" "$scratch/partial"
rm "$scratch/partial/lookback.txt"
"$bench" --table "$scratch/partial" > "$scratch/partial.md"
[ "$(grep -c '| not measured |$' "$scratch/partial.md")" = 3 ] ||
  { echo "expected 3 rows not measured:"; cat "$scratch/partial.md"; exit 1; }
grep -v -e '^| 6\.' -e '^| 8\.' -e '^Load average before lookback' "$here/bench_table.expected" > "$scratch/kept.md"
grep -v -e '^| 6\.' -e '^| 8\.' "$scratch/partial.md" | diff -u "$scratch/kept.md" -

# A directory without a run's outputs: a clear error, exit 2.
mkdir "$scratch/empty"
status=0
"$bench" --table "$scratch/empty" 2> "$scratch/err" || status=$?
if [ "$status" != 2 ] || ! grep -q 'not a run directory' "$scratch/err"; then
  echo "expected exit 2 and 'not a run directory', got $status:"
  cat "$scratch/err"
  exit 1
fi
echo "bench_table: ok"
