#!/usr/bin/env bash
# Makes a private certificate authority and the certificates smptrace needs,
# with openssl. For development, and for a small clinic that runs its own
# private CA on the server machine: it is not a public CA, and the CA key
# (ca.key) is what every certificate's trust rests on: keep it offline once
# the certificates are made.
#
#   deploy/make-dev-certs.sh DIR               CA (if DIR has none) + server
#                                              certificate (made again: rotation)
#   deploy/make-dev-certs.sh DIR client NAME   a client certificate with CN=NAME
#                                              for mTLS (NAME.pem, NAME.key)
#
# The server certificate names localhost, 127.0.0.1, ::1 and this machine's
# host name; add more with SMPTRACE_CERT_NAMES="smp.clinic.lan,IP:10.0.0.5".
# Keys are written mode 0600, certificates 0644. The CA is never overwritten.
set -euo pipefail

usage() {
  echo "usage: $0 DIR | $0 DIR client NAME" >&2
  exit 2
}
[ $# -eq 1 ] || [ $# -eq 3 ] || usage
dir=$1
days=825

mkdir -p "$dir"
umask 077

# An EC P-256 key, mode 0600.
new_key() {
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null
  chmod 600 "$1"
}

# Signs the request $1 with the CA into certificate $2 with extensions file $3.
sign() {
  openssl x509 -req -in "$1" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" \
    -CAcreateserial -out "$2" -days "$days" -sha256 -extfile "$3" 2>/dev/null
  chmod 644 "$2"
}

if [ ! -f "$dir/ca.pem" ]; then
  if [ $# -eq 3 ]; then
    echo "make-dev-certs: $dir has no CA; run '$0 $dir' first" >&2
    exit 1
  fi
  new_key "$dir/ca.key"
  openssl req -x509 -new -key "$dir/ca.key" -out "$dir/ca.pem" -days "$days" \
    -sha256 -subj "/CN=smptrace development CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign"
  chmod 644 "$dir/ca.pem"
  echo "wrote $dir/ca.pem (the CA certificate: give it to every client)"
  echo "wrote $dir/ca.key (the CA key: keep it private, offline once done)"
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ $# -eq 3 ]; then
  [ "$2" = client ] || usage
  name=$3
  if [[ ! "$name" =~ ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ ]]; then
    echo "make-dev-certs: NAME '$name': letters, digits, . _ - only" >&2
    exit 2
  fi
  new_key "$dir/$name.key"
  openssl req -new -key "$dir/$name.key" -out "$tmp/req.csr" -subj "/CN=$name"
  printf '%s\n' "basicConstraints=CA:FALSE" \
    "keyUsage=critical,digitalSignature" "extendedKeyUsage=clientAuth" \
    > "$tmp/ext"
  sign "$tmp/req.csr" "$dir/$name.pem" "$tmp/ext"
  echo "wrote $dir/$name.pem and $dir/$name.key (client certificate CN=$name)"
  echo "map it to a principal:  smptrace principal create NAME --role ROLE --cert_cn $name"
  echo "use it:                 smptrace --ca_cert $dir/ca.pem --cert $dir/$name.pem --key $dir/$name.key ..."
  exit 0
fi

names="DNS:localhost,IP:127.0.0.1,IP:::1"
host=$(hostname 2>/dev/null || true)
if [ -n "$host" ] && [ "$host" != localhost ]; then names="$names,DNS:$host"; fi
IFS=',' read -r -a extra <<< "${SMPTRACE_CERT_NAMES:-}"
for n in "${extra[@]}"; do
  [ -n "$n" ] || continue
  case "$n" in
    DNS:* | IP:*) names="$names,$n" ;;
    *) names="$names,DNS:$n" ;;
  esac
done
[ -f "$dir/server.pem" ] && echo "replacing $dir/server.pem (rotation: restart smptraced to use it)"
new_key "$dir/server.key"
openssl req -new -key "$dir/server.key" -out "$tmp/req.csr" -subj "/CN=localhost"
printf '%s\n' "basicConstraints=CA:FALSE" \
  "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" \
  "subjectAltName=$names" > "$tmp/ext"
sign "$tmp/req.csr" "$dir/server.pem" "$tmp/ext"
echo "wrote $dir/server.pem and $dir/server.key (server certificate for $names)"
echo "smptraced:    --tls_cert $dir/server.pem --tls_key $dir/server.key [--client_ca $dir/ca.pem]"
echo "smptrace CLI: --ca_cert $dir/ca.pem   (or export SMPTRACE_CA_CERT=$dir/ca.pem)"
