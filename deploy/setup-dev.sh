#!/usr/bin/env bash
# Installs every build, test and benchmark dependency of smptrace from Debian 12
# packages. Idempotent: when everything is present it installs nothing and
# does not touch the network.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  librocksdb-dev rocksdb-tools libabsl-dev
  libsqlite3-dev  # smptrace_bench_lookback compares with SQLite
  libgtest-dev libgmock-dev libssl-dev openssl libspdlog-dev libcli11-dev
  clang-format tzdata
  # deploy/test.sh's clang builds: -Wthread-safety, ThreadSanitizer,
  # ASan/UBSan and libFuzzer (the runtimes are in libclang-rt-14-dev).
  clang libclang-rt-14-dev
  mold  # links the test binaries ~4x faster than GNU ld (cmake/linker.cmake)
  libzint-dev libhpdf-dev libpng-dev libzxing-dev poppler-utils
  zbar-tools  # reads the certificate's QR code back in its test
  libcpp-httplib-dev libsystemd-dev
  libexpat1-dev  # reads EU Safety Gate XML exports (recall import)
  # The .deb (cpack) and its checks: dpkg-deb, fakeroot, systemd-analyze.
  dpkg-dev fakeroot systemd
  # promtool (Prometheus's checker) for the metrics and alert-rules tests.
  # Only promtool is wanted: the Prometheus server the package also brings
  # is left disabled and stopped (below).
  prometheus
  # The web app's browser tests drive Debian's headless Chromium.
  chromium
)
# The web app (web/) is built with node and npm. Debian's nodejs (18) and
# npm (9) do; a node installed otherwise (with its own npm) is used as is.
command -v node > /dev/null || packages+=(nodejs)
command -v npm > /dev/null || packages+=(npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup-dev: all ${#packages[@]} packages present"
  exit 0
fi

echo "setup-dev: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
installing_prometheus=false
[[ " ${missing[*]} " == *" prometheus "* ]] && installing_prometheus=true
# No service starts while the packages install (invoke-rc.d and
# deb-systemd-invoke ask /usr/sbin/policy-rc.d; 101 = "not now"), unless
# the machine has its own policy-rc.d, which is then left to decide.
policy=/usr/sbin/policy-rc.d
own_policy=false
if [ ! -e "$policy" ]; then
  own_policy=true
  trap '$SUDO rm -f "$policy"' EXIT
  printf '#!/bin/sh\n# setup-dev.sh: no service starts while it installs\nexit 101\n' |
    $SUDO tee "$policy" > /dev/null
  $SUDO chmod 755 "$policy"
fi
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
if $own_policy; then
  $SUDO rm -f "$policy"
  trap - EXIT
fi
# The package enables prometheus.service for the next boot: undo that (and
# stop it if a service manager runs it anyway), only if we installed it.
if $installing_prometheus; then
  $SUDO deb-systemd-helper disable prometheus.service || true
  if [ -d /run/systemd/system ]; then
    $SUDO systemctl disable --now prometheus.service || true
  fi
  echo "setup-dev: prometheus installed for promtool; its server is disabled (systemctl enable --now prometheus to run it)"
fi
