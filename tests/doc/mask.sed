# What the doc test does not compare (applied to the doc's expected output and
# to the actual output alike). Keep this short: prefer output that is the same
# on every run. The server's clock starts at 2026-11-24T10:00:00Z
# (--clock_start), so dates are real and compared; only what varies is masked.
#
# the time stamp spdlog puts on server log lines (wall clock)
s/^\[[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]+\]/[<log time>]/
# the time of day after a date: how long the run took so far
s/([0-9]{4}-[0-9]{2}-[0-9]{2})([ T])[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?/\1\2<time>/g
# request ids (UUIDs)
s/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/<uuid>/g
# hashes, signatures, key ids: 16 or more hex digits, whole or cut with '…'
s/[0-9a-f]{16,}…?/<hex>/g
# an Ed25519 public key in PEM (base64 of a fresh key)
s/^MCowBQYDK2VwAyEA[A-Za-z0-9+\/=]*$/<public key>/
# measured durations (a trace's "2.2 ms", a start's "in 6.5us")
s/[0-9]+(\.[0-9]+)? ?(ns|us|µs|ms)\b/<duration>/g
# sizes of files RocksDB wrote (a backup's "42.1 kB"): a few bytes vary
s/[0-9]+(\.[0-9]+)? (kB|MB|GB)\b/<size>/g
# how many table files a backup holds: RocksDB's background compactions
# may or may not have merged some when it is taken
s/[0-9]+ files, <size>/<n> files, <size>/g
# the port: the test's server listens on a free one
s/127\.0\.0\.1:[0-9]+/127.0.0.1:<port>/g
# carriage returns, as a terminal shows them: CSV's CRLF line ends, and a
# progress line that rewrites itself (only its last state stays)
s/\r$//
s/^.*\r//
# the machine's host name among the names of a server certificate
s/(IP:::1),DNS:[A-Za-z0-9.-]+\)/\1,DNS:<host>)/
# trailing white space
s/[ \t]+$//
# a transparency log's base64 (root hashes, note signatures, a verifier
# key's key) and a note key id between '+'s
s/[A-Za-z0-9+\/]{40,}={0,2}/<base64>/g
s/\+[0-9a-f]{8}\+/+<key id>+/g
