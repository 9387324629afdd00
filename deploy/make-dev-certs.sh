#!/usr/bin/env bash
# Makes a private certificate authority and the certificates smptrace needs,
# with openssl. For development, and for a small clinic that runs its own
# private CA on the server machine: it is not a public CA, and the CA key
# (ca.key) is what every certificate's trust rests on: keep it offline once
# the certificates are made (bring it back to rotate or to add a client).
#
#   deploy/make-dev-certs.sh DIR               CA (if DIR has none) + server
#                                              certificate (made again: rotation)
#   deploy/make-dev-certs.sh DIR client NAME   a client certificate with CN=NAME
#                                              for mTLS (NAME.pem, NAME.key)
#
# The server certificate names localhost, 127.0.0.1, ::1 and this machine's
# host name; add more with SMPTRACE_CERT_NAMES="smp.clinic.lan,IP:10.0.0.5"
# (bare names are DNS names). Keys are EC P-256, written mode 0600;
# certificates 0644; 825 days. The CA is never overwritten, and a certificate
# and its key are replaced together or not at all.
set -euo pipefail

usage() {
  echo "usage: $0 DIR | $0 DIR client NAME" >&2
  exit 2
}
fail() {
  echo "make-dev-certs: $*" >&2
  exit 1
}
if [ $# -eq 3 ]; then
  [ "$2" = client ] || usage
  name=$3
  if [[ ! "$name" =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ ]]; then
    echo "make-dev-certs: NAME '$name': letters, digits, . _ - only" >&2
    exit 2
  fi
  case "$name" in
    ca | server)
      echo "make-dev-certs: NAME '$name' would replace $1/$name.pem: choose another" >&2
      exit 2
      ;;
  esac
elif [ $# -ne 1 ]; then
  usage
fi
dir=$1
days=825

umask 077
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Runs openssl quietly; on failure shows what it said and stops.
ossl() {
  if ! openssl "$@" > "$tmp/openssl.log" 2>&1; then
    cat "$tmp/openssl.log" >&2
    fail "openssl $1 failed"
  fi
}

# A new EC P-256 key in $1 (mode 0600: umask 077).
new_key() {
  ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"
}

# A certificate for subject $1 with the extensions in file $2, signed by the
# CA, into $tmp/new.pem (key $tmp/new.key).
issue() {
  new_key "$tmp/new.key"
  ossl req -new -key "$tmp/new.key" -out "$tmp/new.csr" -subj "$1"
  ossl x509 -req -in "$tmp/new.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
    -CAcreateserial -out "$tmp/new.pem" -days "$days" -sha256 -extfile "$2"
}

# Moves the new certificate and key into place as $1.pem and $1.key.
install_pair() {
  chmod 644 "$tmp/new.pem"
  chmod 600 "$tmp/new.key"
  mv -f "$tmp/new.key" "$1.key"
  mv -f "$tmp/new.pem" "$1.pem"
}

if [ -e "$dir/ca.pem" ] || [ -e "$dir/ca.key" ]; then
  [ -f "$dir/ca.pem" ] || fail "$dir has ca.key but no ca.pem; the CA is never overwritten: restore ca.pem or use another DIR"
  [ -f "$dir/ca.key" ] || fail "$dir/ca.key is missing (kept offline?): put it back to sign, then remove it again"
else
  [ $# -eq 1 ] || fail "$dir has no CA; run '$0 $dir' first"
  (umask 022 && mkdir -p "$dir")
  new_key "$tmp/ca.key"
  ossl req -x509 -new -key "$tmp/ca.key" -out "$tmp/ca.pem" -days "$days" \
    -sha256 -subj "/CN=smptrace development CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign"
  chmod 644 "$tmp/ca.pem"
  mv -n "$tmp/ca.key" "$dir/ca.key"
  mv -n "$tmp/ca.pem" "$dir/ca.pem"
  echo "wrote $dir/ca.pem (the CA certificate: give it to every client)"
  echo "wrote $dir/ca.key (the CA key: keep it private, offline once done)"
fi

if [ $# -eq 3 ]; then
  printf '%s\n' "basicConstraints=CA:FALSE" \
    "keyUsage=critical,digitalSignature" "extendedKeyUsage=clientAuth" \
    > "$tmp/ext"
  issue "/CN=$name" "$tmp/ext"
  [ -f "$dir/$name.pem" ] && echo "replacing $dir/$name.pem and $dir/$name.key"
  install_pair "$dir/$name"
  echo "wrote $dir/$name.pem (client certificate CN=$name)"
  echo "wrote $dir/$name.key (its private key)"
  echo "map it to a principal:  smptrace principal create NAME --role ROLE --cert_cn $name"
  echo "use it:                 smptrace --ca_cert $dir/ca.pem --cert $dir/$name.pem --key $dir/$name.key ..."
  exit 0
fi

names="DNS:localhost,IP:127.0.0.1,IP:::1"
host=$(hostname 2>/dev/null || true)
if [ -n "$host" ] && [ "$host" != localhost ]; then names="$names,DNS:$host"; fi
IFS=',' read -r -a extra <<< "${SMPTRACE_CERT_NAMES:-}"
for n in "${extra[@]}"; do
  n=${n//[[:space:]]/}
  [ -n "$n" ] || continue
  case "$n" in
    DNS:* | IP:*) names="$names,$n" ;;
    *) names="$names,DNS:$n" ;;
  esac
done
printf '%s\n' "basicConstraints=CA:FALSE" \
  "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" \
  "subjectAltName=$names" > "$tmp/ext"
issue "/CN=localhost" "$tmp/ext"
[ -f "$dir/server.pem" ] && echo "replacing $dir/server.pem and $dir/server.key (rotation: restart smptraced to use them)"
install_pair "$dir/server"
echo "wrote $dir/server.pem (server certificate for $names)"
echo "wrote $dir/server.key (its private key)"
echo "smptraced:    --tls_cert $dir/server.pem --tls_key $dir/server.key [--client_ca $dir/ca.pem]"
echo "smptrace CLI: --ca_cert $dir/ca.pem   (or export SMPTRACE_CA_CERT=$dir/ca.pem)"
