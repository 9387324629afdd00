#!/usr/bin/env bash
# Sets up a Debian 12 machine, builds smptrace, and runs smptraced on its
# embedded default: RocksDB in ./smptrace-data, listening on 127.0.0.1:8470,
# secured: TLS with a development CA (./smptrace-certs, made on first run by
# deploy/make-dev-certs.sh) and bearer tokens. The first run creates the
# ADMIN principal and writes its token to ./smptrace-admin.token (mode 0600),
# the checkpoint-signing key ./smptrace-signing-key.pem and the data key
# ./smptrace-data.data-key (clients' personal data; both mode 0600),
# outside the data directory so that backups never carry them.
#
#   deploy/run-dev.sh                  secured (TLS + tokens)
#   deploy/run-dev.sh --insecure_dev   no TLS, no authentication (development
#                                      only; said loudly in the log)
#
# Other arguments go to smptraced, e.g. --listen 127.0.0.1:9000.
set -euo pipefail
cd "$(dirname "$0")/.."
./deploy/setup-dev.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build build -j2 --target smptraced smptrace web

cli="$(pwd)/build/client/smptrace"
for arg in "$@"; do
  if [ "$arg" = "--insecure_dev" ]; then
    echo "smptrace CLI: $cli   (Ctrl-C stops the server)"
    echo "The web application: the address in the log below (http://, no TLS);"
    echo "sign in with an empty token as the development admin 'insecure-dev'."
    exec build/service/api/smptraced --data_dir ./smptrace-data \
      --signing_key ./smptrace-signing-key.pem --listen 127.0.0.1:8470 "$@"
  fi
done

[ -f smptrace-certs/server.pem ] || ./deploy/make-dev-certs.sh smptrace-certs
cat <<EOF
smptrace CLI: $cli   (Ctrl-C stops the server)
The web application: the address in the log below ("web application at
https://127.0.0.1:8471/" by default); sign in with the token in
$(pwd)/smptrace-admin.token (the browser does not know the development CA
$(pwd)/smptrace-certs/ca.pem: import it, or accept the warning).
In another shell, to call it as the admin:
  export SMPTRACE_CA_CERT=$(pwd)/smptrace-certs/ca.pem
  export SMPTRACE_TOKEN_FILE=$(pwd)/smptrace-admin.token
  $cli principal list
EOF
exec build/service/api/smptraced --data_dir ./smptrace-data \
  --signing_key ./smptrace-signing-key.pem --listen 127.0.0.1:8470 \
  --tls_cert smptrace-certs/server.pem --tls_key smptrace-certs/server.key \
  --client_ca smptrace-certs/ca.pem \
  --bootstrap_admin_token_file smptrace-admin.token "$@"
