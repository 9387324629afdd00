# Splits a guide into the doc test's plan (see tests/doc/README.md).
# Input: the markdown file. -v W=DIR: writes W/plan, W/cmd/N, W/exp/N.
# Plan lines:
#   server MODE                      how the guide's server runs
#   cmd N LINE OUT_FIRST OUT_LAST EXIT   command N typed at LINE; its output
#                                    is lines OUT_FIRST..OUT_LAST of the doc
#                                    (the "(exit code N)" line included)
#   stop-server LINE | start-server LINE [DAYS]
#                                    DAYS: the clock's shift ("-": none);
#                                    W/flags/LINE: the extra flags, if any
#   skip LINE REASON                 a console block not run
#   error LINE MESSAGE               the doc breaks the format
function close_cmd() {
  if (cur == 0) return
  last = (exit_line ? exit_line : out_last)
  printf "cmd %d %d %d %d %d\n", cur, cmd_line, out_first, last, exit_code > plan
  close(W "/cmd/" cur); close(W "/exp/" cur)
  cur = 0
}
function fail(msg) { printf "error %d %s\n", NR, msg > plan }
BEGIN { plan = W "/plan"; n = 0; cur = 0; inblock = 0; infence = 0
        skip_reason = ""; printf "" > plan }
{ line = $0; sub(/\r$/, "", line) }
inblock && line ~ /^```[ \t]*$/ {
  if (heredoc != "") fail("here-document " heredoc " not ended in the block")
  if (cont) fail("command continued with \\ at the end of the block")
  close_cmd(); inblock = 0; heredoc = ""; cont = 0; next
}
inblock && skipping { next }
inblock {
  if (heredoc != "") {
    print line > (W "/cmd/" cur); out_first = NR + 1; out_last = NR
    if (line == heredoc) heredoc = ""
    next
  }
  if (cont) {
    print line > (W "/cmd/" cur); out_first = NR + 1; out_last = NR
    cont = (line ~ /\\$/); find_heredoc(line)
    next
  }
  if (line ~ /^\$ /) {
    close_cmd(); n++; cur = n; cmd_line = NR; exit_code = 0; exit_line = 0
    print substr(line, 3) > (W "/cmd/" cur); printf "" > (W "/exp/" cur)
    out_first = NR + 1; out_last = NR
    cont = (line ~ /\\$/); find_heredoc(line)
    next
  }
  if (cur == 0) { fail("a console block must start with a '$ ' command line"); next }
  if (exit_line) { fail("'(exit code N)' must be the last line of a command's output"); next }
  if (line ~ /^\(exit code [0-9]+\)$/) {
    exit_code = line; gsub(/[^0-9]/, "", exit_code); exit_line = NR
    if (exit_code == 0) fail("'(exit code 0)' is the default: leave it out")
    next
  }
  print line > (W "/exp/" cur); out_last = NR
  next
}
function find_heredoc(text,   w) {
  if (match(text, /<<-?[ \t]*['"]?[A-Za-z_][A-Za-z_0-9]*['"]?/)) {
    w = substr(text, RSTART, RLENGTH); sub(/^<<-?[ \t]*/, "", w); gsub(/['"]/, "", w)
    heredoc = w
  }
}
infence { if (line ~ /^```[ \t]*$/) infence = 0; next }
line ~ /^<!-- doctest: .* -->$/ {
  d = line; sub(/^<!-- doctest: /, "", d); sub(/ -->$/, "", d)
  if (d ~ /^skip: ./) { skip_reason = substr(d, 7); skip_line = NR; next }
  if (d ~ /^server (secured|insecure_dev)$/) { print d > plan; next }
  if (d == "stop-server" || d == "start-server") { print d " " NR > plan; next }
  if (d ~ /^start-server( clock \+[0-9]+d)?( --[a-z_]+( [A-Za-z0-9_.\/:=+][-A-Za-z0-9_.\/:=+]*)?)+$/ ||
      d ~ /^start-server clock \+[0-9]+d$/) {
    # start-server [clock +Nd] [--flag [value]]...: N days ahead, these flags.
    days = "-"; rest = d; sub(/^start-server/, "", rest)
    if (match(rest, /^ clock \+[0-9]+d/)) {
      days = substr(rest, RSTART + 8, RLENGTH - 9); rest = substr(rest, RLENGTH + 1)
    }
    sub(/^ /, "", rest)
    printf "%s\n", rest > (W "/flags/" NR); close(W "/flags/" NR)
    print "start-server " NR " " days > plan; next
  }
  if (d ~ /^fresh-server (secured|insecure_dev)$/) { split(d, f, " "); print "fresh-server " NR " - " f[2] > plan; next }
  fail("unknown doctest directive '" d "' (see tests/doc/README.md)"); next
}
line ~ /^```console[ \t]*$/ {
  inblock = 1; skipping = 0
  if (skip_reason != "") {
    if (skip_line != NR - 1) fail("'doctest: skip' must be the line just above the block")
    skipping = 1; print "skip " NR " " skip_reason > plan; skip_reason = ""
  }
  next
}
line ~ /^```/ { infence = 1; next }
skip_reason != "" && NR > skip_line { fail("'doctest: skip' must be the line just above a console block"); skip_reason = "" }
END { if (inblock) fail("console block not closed") }
