#!/usr/bin/env bash
# The .deb test (ctest package.deb): builds the packages with cpack from a
# built tree, then checks them with dpkg-deb (files, control fields,
# maintainer scripts) and checks the systemd unit with
# `systemd-analyze verify` against the unpacked package.
#
#   deploy/check-package.sh BUILD_DIR OUT_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
out=$2
rm -rf "$out" && mkdir -p "$out"
out=$(cd "$out" && pwd)

fail() {
  echo "check-package: $*" >&2
  exit 1
}

(cd "$build" && cpack -G DEB -B "$out" > "$out/cpack.log" 2>&1) ||
  { cat "$out/cpack.log"; fail "cpack failed"; }
server=$(ls "$out"/smptraced_*_*.deb)
cli=$(ls "$out"/smptrace_*_*.deb)
echo "built: $(basename "$server") ($(du -k "$server" | cut -f1) KiB)," \
  "$(basename "$cli") ($(du -k "$cli" | cut -f1) KiB)"

expect_file() { # DEB PATH
  local files
  files=$(dpkg-deb -c "$1" | awk '{print $6}')
  grep -qx "\.$2" <<< "$files" || fail "$(basename "$1") has no $2"
}
expect_field() { # DEB FIELD REGEX
  local value
  value=$(dpkg-deb -f "$1" "$2")
  grep -Eq "$3" <<< "$value" || fail "$(basename "$1"): $2 is '$value', want /$3/"
}

expect_file "$server" /usr/sbin/smptraced
expect_file "$server" /lib/systemd/system/smptraced.service
expect_file "$server" /etc/smptrace/smptraced.conf
expect_file "$server" /etc/smptrace/screening.conf
expect_file "$server" /etc/smptrace/consent.conf
expect_file "$server" /etc/smptrace/retention.conf
expect_file "$server" /usr/share/smptrace/make-dev-certs.sh
expect_file "$cli" /usr/bin/smptrace
expect_file "$cli" /usr/share/doc/smptrace/admin.md
expect_field "$server" Package '^smptraced$'
expect_field "$server" Depends 'libgrpc\+\+'
expect_field "$server" Depends 'libsystemd0'
expect_field "$server" Depends 'openssl'
expect_field "$cli" Package '^smptrace$'
expect_field "$cli" Depends 'libgrpc'
# (Whole outputs first: grep -q stops reading early, which pipefail would
# count against dpkg-deb.)
info=$(dpkg-deb -I "$server")
grep -q ' postinst' <<< "$info" || fail "no postinst"
grep -q ' conffiles' <<< "$info" || fail "no conffiles"
control=$(mktemp -d)
dpkg-deb -e "$server" "$control"
control_files="$out/conffiles"
cp "$control/conffiles" "$control_files"
for conf in smptraced.conf screening.conf consent.conf retention.conf; do
  grep -qx "/etc/smptrace/$conf" "$control/conffiles" ||
    fail "$conf is no conffile (an upgrade would overwrite the clinic's edits)"
done
grep -q 'useradd --system' "$control/postinst" || fail "postinst makes no system user"
rm -rf "$control"

# The unit as installed: systemd-analyze verify, with the package unpacked
# as the root so that ExecStart's /usr/sbin/smptraced is found.
root="$out/root"
dpkg-deb -x "$server" "$root"
unit="$root/lib/systemd/system/smptraced.service"
for setting in Type=notify WatchdogSec= ProtectSystem=strict \
  ReadWritePaths=/var/lib/smptrace NoNewPrivileges=true 'CapabilityBoundingSet=$' \
  'EnvironmentFile=/etc/smptrace/smptraced.conf' User=smptrace; do
  grep -q "^$setting" "$unit" || fail "the unit has no $setting"
done
# The clinic's settings files the unit's flags name: each one in the
# package, and a conffile.
flags=$(grep '^SMPTRACED_FLAGS=' "$root/etc/smptrace/smptraced.conf")
for flag in --screening_policy --consent_policy --retention_policy; do
  path=$(grep -oE -- "$flag [^ \"]+" <<< "$flags" | cut -d' ' -f2)
  [ -n "$path" ] || fail "smptraced.conf does not give $flag"
  [ -f "$root$path" ] || fail "$flag $path is not in the package"
  grep -qx "$path" "$control_files" || fail "$flag $path is no conffile"
done
if command -v systemd-analyze > /dev/null; then
  # --root: the unit and its ExecStart binary are looked up in the unpacked
  # package, not on this machine; the units it refers to (sysinit.target,
  # network-online.target, …) are this machine's, copied beside it.
  cp -rn /lib/systemd/system/. "$root/lib/systemd/system/" 2> /dev/null || true
  if ! systemd-analyze verify --root="$root" /lib/systemd/system/smptraced.service \
    > "$out/verify.log" 2>&1; then
    cat "$out/verify.log"
    fail "systemd-analyze verify refused the unit"
  fi
  echo "systemd-analyze verify: accepted$( [ -s "$out/verify.log" ] && echo ", with: $(cat "$out/verify.log")")"
else
  echo "systemd-analyze: not installed, unit not verified (deploy/setup-dev.sh installs systemd)"
fi
echo "package ok"
