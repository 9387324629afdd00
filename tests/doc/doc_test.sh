#!/bin/sh
# The doc test: runs every ```console block of one guide, in order, against a
# real smptraced on a free port with a fresh data directory, and compares what
# each command prints (stdout and stderr) and its exit status with the guide.
# How to run it, the directives and the masking: tests/doc/README.md.
#
#   tests/doc/doc_test.sh DOC SOURCE_DIR BUILD_DIR WORK_DIR
#
# DOC is relative to SOURCE_DIR (docs/manager.md). Exit 0 when every command
# printed what the guide shows; 1 with a diff per command that did not.
set -u
if [ $# -ne 4 ]; then
  echo "usage: $0 DOC SOURCE_DIR BUILD_DIR WORK_DIR" >&2
  exit 2
fi
doc=$1
src=$(cd "$2" && pwd) || exit 2
build=$(cd "$3" && pwd) || exit 2
W=$4
here=$src/tests/doc
# The guides' clock: every run shows the same dates.
clock_epoch=1795514400 # 2026-11-24T10:00:00Z
per_run_timeout=${SMPTRACE_DOCTEST_TIMEOUT:-120}

rm -rf "$W" && mkdir -p "$W/cmd" "$W/exp" "$W/out" "$W/rc" "$W/bin" "$W/home" "$W/flags" || exit 2
W=$(cd "$W" && pwd)
ln -s "$build/client/smptrace" "$W/bin/smptrace"
ln -s "$build/service/api/smptraced" "$W/bin/smptraced"
for b in "$W/bin/smptrace" "$W/bin/smptraced"; do
  [ -x "$b" ] || { echo "$doc: $b is not built" >&2; exit 2; }
done

awk -v W="$W" -f "$here/parse.awk" "$src/$doc" || exit 2
if grep -q '^error ' "$W/plan"; then
  sed -n 's/^error \([0-9]*\) /'"$(echo "$doc" | sed 's/[\/&]/\\&/g')"':\1: /p' "$W/plan" >&2
  exit 1
fi
if ! grep -q '^cmd ' "$W/plan"; then
  echo "$doc: no console blocks"
  exit 0
fi
mode=$(sed -n 's/^server //p' "$W/plan" | tail -1)
[ -n "$mode" ] || mode=secured

# The guide's shell: one /bin/sh, so `export` and `cd` carry over as they do
# for a reader. It runs in the home directory, as a fresh clone would: deploy/
# and docs/ are there (read-only links to the source tree).
ln -s "$src/deploy" "$W/home/deploy"
ln -s "$src/docs" "$W/home/docs"
run=$W/run.sh
cat >"$run" <<PRELUDE
W='$W'
cd "\$W/home" || exit 2
export PATH="\$W/bin:\$PATH" TZ=UTC HOME="\$W/home"
for v in \$(env | sed -n 's/^\(SMPTRACE_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "\$v"; done
t0=\$(date +%s)
mode='$mode'
# The server clock's lead over the guide's, in days (start-server clock +Nd):
# it stays for later restarts, so the clock never goes back; fresh-server
# resets it.
clock_days=0
# doctest_start_server [FLAG...]: the flags are added to the usual ones.
doctest_start_server() {
  rm -f "\$W/ready" "\$W/http_ready" "\$W/metrics_ready"
  start=\$(date -u -d @\$(( $clock_epoch + clock_days * 86400 + \$(date +%s) - t0 )) +%Y-%m-%dT%H:%M:%SZ)
  if [ "\$mode" = insecure_dev ]; then
    mode_flags=--insecure_dev
  else
    [ -f smptrace-certs/server.pem ] ||
      ./deploy/make-dev-certs.sh smptrace-certs >>"\$W/server.log" 2>&1
    mode_flags="--tls_cert smptrace-certs/server.pem --tls_key smptrace-certs/server.key
      --client_ca smptrace-certs/ca.pem --bootstrap_admin_token_file smptrace-admin.token"
  fi
  # \$mode_flags: split on white space on purpose (no path has a space).
  "\$W/bin/smptraced" --data_dir ./smptrace-data \\
    --signing_key ./smptrace-signing-key.pem --listen 127.0.0.1:0 \\
    --ready_file "\$W/ready" --http_ready_file "\$W/http_ready" \\
    --metrics_ready_file "\$W/metrics_ready" \\
    --time_zone UTC --clock_start "\$start" \\
    --verify_interval_minutes 0 \$mode_flags "\$@" >>"\$W/server.log" 2>&1 &
  server_pid=\$!
  echo \$server_pid >"\$W/server.pid"
  # Poll for the ready file (the limit only bounds a hang).
  i=0
  while [ ! -s "\$W/ready" ]; do
    if ! kill -0 \$server_pid 2>/dev/null || [ \$i -ge 2000 ]; then
      echo "smptraced did not start; its log:" >&2; cat "\$W/server.log" >&2; exit 2
    fi
    sleep 0.005; i=\$((i + 1))
  done
  export SMPTRACE_SERVER=\$(cat "\$W/ready")
  # The web listener's host:port (127.0.0.1:8471 beside run-dev.sh's 8470).
  SMPTRACE_WEB=\$(cat "\$W/http_ready" 2>/dev/null); export SMPTRACE_WEB
  # The metrics listener's host:port (127.0.0.1:8472 beside 8470).
  SMPTRACE_METRICS=\$(cat "\$W/metrics_ready" 2>/dev/null); export SMPTRACE_METRICS
}
doctest_stop_server() {
  [ -n "\$server_pid" ] || return 0
  kill -TERM \$server_pid && wait \$server_pid
  server_pid=
  rm -f "\$W/server.pid"
}
doctest_start_server
PRELUDE
while read -r kind n line first last want; do
  case $kind in
    cmd)
      { echo "echo $n >\"\$W/current\""
        echo "{"
        cat "$W/cmd/$n"
        echo "} </dev/null >\"\$W/out/$n\" 2>&1; echo \$? >\"\$W/rc/$n\""; } >>"$run" ;;
    stop-server) echo doctest_stop_server >>"$run" ;;
    start-server)
      # $line: the clock's lead in days ("-" or empty: unchanged); the
      # extra flags (parse.awk allows no quote or $ in them) go as written.
      { echo "doctest_stop_server"
        case $line in ''|-) ;; *) echo "clock_days=$line" ;; esac
        echo "doctest_start_server $(cat "$W/flags/$n" 2>/dev/null)"; } >>"$run" ;;
    fresh-server)
      # A new store, for an example that needs its own history ($first: the
      # server's mode).
      echo "doctest_stop_server; rm -rf ./smptrace-data; mode=$first; clock_days=0; doctest_start_server" >>"$run" ;;
    *) ;;
  esac
done <"$W/plan"
echo 'doctest_stop_server' >>"$run"

# If this script is stopped (ctest's timeout), the guide's server goes too.
trap '[ -f "$W/server.pid" ] && kill -KILL "$(cat "$W/server.pid")" 2>/dev/null; exit 1' INT TERM
started=$(date +%s.%N)
timeout "$per_run_timeout" /bin/sh "$run"
status=$?
took=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
if [ -f "$W/server.pid" ]; then kill -KILL "$(cat "$W/server.pid")" 2>/dev/null; fi
if [ $status -eq 124 ]; then
  n=$(cat "$W/current" 2>/dev/null)
  line=$(awk -v n="$n" '$1 == "cmd" && $2 == n { print $3 }' "$W/plan")
  echo "$doc:$line: timed out after ${per_run_timeout}s in: \$ $(head -1 "$W/cmd/$n")" >&2
fi

# Compare, command by command.
mask() { sed -E -f "$here/mask.sed" "$1"; }
failed=0 ran=0 blocks=$(grep -c '^```console' "$src/$doc") skipped=$(grep -c '^skip ' "$W/plan")
while read -r kind n line first last want; do
  [ "$kind" = cmd ] || continue
  if [ ! -f "$W/rc/$n" ]; then
    [ $status -eq 0 ] && echo "$doc:$line: did not run: \$ $(head -1 "$W/cmd/$n")" >&2
    failed=$((failed + 1)); continue
  fi
  ran=$((ran + 1))
  # What a terminal shows (see mask.sed): actual.md gets this.
  sed -E 's/\r$//; s/^.*\r//' "$W/out/$n" >"$W/out/$n.shown"
  rc=$(cat "$W/rc/$n")
  mask "$W/exp/$n" >"$W/exp/$n.masked"
  mask "$W/out/$n" >"$W/out/$n.masked"
  if ! cmp -s "$W/exp/$n.masked" "$W/out/$n.masked" || [ "$rc" != "$want" ]; then
    failed=$((failed + 1))
    echo "$doc:$line: \$ $(head -1 "$W/cmd/$n")"
    [ "$rc" = "$want" ] || echo "  exit code $rc, the guide says $want"
    diff -u --label "$doc:$first (expected, masked)" --label "actual (masked)" \
      "$W/exp/$n.masked" "$W/out/$n.masked" | sed 's/^/  /'
  fi
done <"$W/plan"

# The guide with this run's output in place of the shown one: to accept the
# new output, check `diff -u` against it and copy it over the guide.
awk -v W="$W" '
  FNR == NR { if ($1 == "cmd" && system("test -f " W "/rc/" $2) == 0) {
                at[$4] = $2; upto[$4] = $5 } next }
  FNR in at {
    n = at[FNR]; f = W "/out/" n ".shown"
    while ((getline l < f) > 0) print l
    close(f); getline rc < (W "/rc/" n); close(W "/rc/" n)
    if (rc != 0) print "(exit code " rc ")"
    skip_to = upto[FNR]
  }
  FNR <= skip_to { next }
  { print }' "$W/plan" "$src/$doc" >"$W/actual.md"

echo "$doc: $ran of $(grep -c '^cmd ' "$W/plan") commands run in $((blocks - skipped)) console blocks ($skipped skipped) in ${took}s; $failed differ"
if [ $failed -ne 0 ] || [ $status -ne 0 ]; then
  echo "the guide with this run's output: $W/actual.md"
  echo "  (diff -u $src/$doc $W/actual.md; server log: $W/server.log)"
  exit 1
fi
exit 0
