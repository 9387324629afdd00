#!/bin/sh
# Checks that the smptrace CLI does not carry the server: no code of
# service/api (smptrace::api) is linked into it, and none of the libraries
# only the server needs (labels: libhpdf, libzint, libpng; the web listener:
# cpp-httplib; gRPC reflection). The CLI's offline tools link storage, the
# journal, signing and the ledger's projections (service/proof), nothing more.
# Usage: links_no_server.sh PATH_TO_SMPTRACE
set -u
bin=$1
status=0
api_symbols=$(nm -C --defined-only "$bin" | grep -c ' smptrace::api::')
if [ "$api_symbols" -ne 0 ]; then
  echo "$bin links $api_symbols symbols of service/api (smptrace::api), e.g.:"
  nm -C --defined-only "$bin" | grep ' smptrace::api::' | head -5
  echo "the CLI must not link smptrace_api: share what it needs through a"
  echo "library below the server (service/proof, storage, ledger)"
  status=1
fi
server_libs=$(ldd "$bin" | grep -E 'libhpdf|libzint|libpng|httplib|grpc\+\+_reflection')
if [ -n "$server_libs" ]; then
  echo "$bin needs libraries only the server uses:"
  echo "$server_libs"
  status=1
fi
if [ "$status" -eq 0 ]; then
  echo "$bin: no service/api code, no server-only libraries"
fi
exit "$status"
