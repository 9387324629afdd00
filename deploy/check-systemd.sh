#!/usr/bin/env bash
# Opt-in (not in .ci/run): the smptraced .deb installed on a throwaway
# Debian 12 tree and its unit run by a real systemd, booted in a container
# with systemd-nspawn. Safe on a developer's machine: nothing is installed
# on the host but debootstrap and systemd-container, the tree lives in ROOT
# (kept for the next run), and the container has the host's network but no
# other access to it. docs/admin.md, "Checking the package under systemd".
#
#   deploy/check-systemd.sh DEB_DIR [ROOT]
#
# DEB_DIR holds smptraced_*.deb and smptrace_*.deb (ctest -R package.deb
# leaves them in build/package-test). ROOT defaults to
# ${TMPDIR:-/tmp}/smptrace-systemd-root. Needs root. The first run pulls a
# minimal bookworm (about 120 MB) and the package's dependencies from
# Debian's package registry ($DEBIAN_MIRROR, default the host's first apt
# source); later runs only reinstall the .debs. The container boots, the
# package's postinst enables smptraced, a oneshot unit records what systemd
# says (active, READY status line, watchdog keep-alives, /metrics, health,
# a clean stop) into ROOT/check.log and powers off; at most
# $BOOT_TIMEOUT s (default 300).
set -euo pipefail
debs=$(cd "$1" && pwd)
root=${2:-${TMPDIR:-/tmp}/smptrace-systemd-root}
timeout_s=${BOOT_TIMEOUT:-300}

fail() {
  echo "check-systemd: $*" >&2
  exit 1
}
[ "$(id -u)" -eq 0 ] || fail "needs root (debootstrap, systemd-nspawn)"
ls "$debs"/smptraced_*.deb "$debs"/smptrace_*.deb > /dev/null 2>&1 ||
  fail "no smptraced_*.deb and smptrace_*.deb in $debs"
export DEBIAN_FRONTEND=noninteractive
for tool in debootstrap:debootstrap systemd-nspawn:systemd-container; do
  command -v "${tool%%:*}" > /dev/null ||
    apt-get install -y -q --no-install-recommends "${tool##*:}" > /dev/null
done

mirror=${DEBIAN_MIRROR:-$(awk '/^URIs:/ {print $2; exit}' \
  /etc/apt/sources.list.d/debian.sources 2> /dev/null || true)}
[ -n "$mirror" ] || fail "set DEBIAN_MIRROR to a Debian mirror's URL"

if [ ! -x "$root/lib/systemd/systemd" ]; then
  echo "check-systemd: a minimal bookworm into $root (first run only)"
  rm -rf "$root"
  debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus \
    bookworm "$root" "$mirror" > "$root.debootstrap.log" 2>&1 ||
    { tail -20 "$root.debootstrap.log"; fail "debootstrap failed"; }
  security=${mirror%/debian}/debian-security
  cat > "$root/etc/apt/sources.list" << EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
  # No getty on the container's console: the boot ends by itself.
  chroot "$root" systemctl mask console-getty.service > /dev/null 2>&1 || true
fi

# The packages, as a new machine gets them (apt resolves the dependencies).
rm -rf "$root/tmp/debs" && mkdir -p "$root/tmp/debs"
cp "$debs"/smptraced_*.deb "$debs"/smptrace_*.deb "$root/tmp/debs/"
chroot "$root" apt-get update -q > "$root/tmp/apt.log" 2>&1 ||
  { tail "$root/tmp/apt.log"; fail "apt-get update in the tree failed"; }
chroot "$root" sh -c 'apt-get purge -y -q smptraced smptrace; rm -rf /var/lib/smptrace' \
  >> "$root/tmp/apt.log" 2>&1 || true
chroot "$root" sh -c 'apt-get install -y -q --no-install-recommends curl /tmp/debs/*.deb' \
  >> "$root/tmp/apt.log" 2>&1 ||
  { tail -30 "$root/tmp/apt.log"; fail "installing the .debs in the tree failed"; }
grep -E '^smptraced: |^Setting up smptrace' "$root/tmp/apt.log" || true

# What runs inside, once smptraced has started (or failed to).
cat > "$root/usr/local/sbin/smptrace-check" << 'EOF'
#!/bin/bash
# Written by deploy/check-systemd.sh: what systemd says of smptraced.
exec > /check.log 2>&1
set -x
systemctl is-enabled smptraced
systemctl is-active smptraced
systemctl show smptraced -p Type -p StatusText -p WatchdogUSec -p User \
  -p NRestarts -p MainPID -p ExecMainStatus
sleep 35  # longer than WatchdogSec: keep-alives must have come
systemctl is-active smptraced
systemctl show smptraced -p NRestarts -p WatchdogTimestampMonotonic
curl -s http://127.0.0.1:8472/metrics | grep -E '^(smptrace_journal_head_seq|process_open_fds) '
ls -l /var/lib/smptrace /etc/smptrace/tls
timeout 120 systemctl stop smptraced
systemctl show smptraced -p ActiveState -p Result -p ExecMainStatus
journalctl -b -u smptraced --no-pager -o cat | grep -vi 'rocksdb' | tail -n 25
echo "check-systemd: done"
set +x
systemctl poweroff
EOF
chmod 755 "$root/usr/local/sbin/smptrace-check"
cat > "$root/etc/systemd/system/smptrace-check.service" << 'EOF'
[Unit]
Description=deploy/check-systemd.sh's look at smptraced
After=smptraced.service

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/smptrace-check

[Install]
WantedBy=multi-user.target
EOF
chroot "$root" systemctl enable smptrace-check.service > /dev/null 2>&1
rm -f "$root/check.log"

echo "check-systemd: booting the tree (at most ${timeout_s}s)"
start=$(date +%s)
# --register=no --keep-unit: no systemd-machined and no scope unit, so this
# works where the host's PID 1 is not systemd (a container, a CI runner).
timeout "$timeout_s" systemd-nspawn --quiet --register=no --keep-unit \
  -D "$root" -b > "$root.boot.log" 2>&1 || true
echo "check-systemd: the container ran $(($(date +%s) - start))s"
[ -s "$root/check.log" ] ||
  { tail -40 "$root.boot.log"; fail "the check never ran (boot log above)"; }
cat "$root/check.log"
grep -q '^ActiveState=inactive' "$root/check.log" &&
  grep -q '^Type=notify' "$root/check.log" &&
  grep -q '^StatusText=serving on' "$root/check.log" &&
  grep -q '^NRestarts=0' "$root/check.log" &&
  grep -q '^WatchdogTimestampMonotonic=[1-9]' "$root/check.log" &&
  grep -q '^Result=success' "$root/check.log" ||
  fail "smptraced did not start, stay up and stop cleanly under systemd"
echo "check-systemd: OK"
