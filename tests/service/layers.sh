#!/bin/sh
# Checks that the server's layers point down only (docs/architecture.md):
# - the ledger (the writer, libsmptrace_ledger.a) calls no read model: no
#   symbol of service/query (smptrace::query) is referenced from it, so
#   smptrace_query depends on the ledger's state reads and not the reverse;
# - the API's services read through query::Reads and write through the
#   ledger: none holds the Store (AdminService keeps it for backups only).
# Usage: layers.sh PATH_TO_LIBSMPTRACE_LEDGER_A SOURCE_DIR
set -u
lib=$1
src=$2
status=0
query_refs=$(nm -C --undefined-only "$lib" | grep ' smptrace::query::' | sort -u)
if [ -n "$query_refs" ]; then
  echo "$lib calls service/query (smptrace::query):"
  echo "$query_refs" | head -5
  echo "the writer must not call a read model: move what both need into the"
  echo "aggregate's own reads (service/ledger/<aggregate>/)"
  status=1
fi
for header in "$src"/service/api/*_service.h; do
  case "$header" in */admin_service.h) continue ;; esac
  if grep -n 'storage::Store\b' "$header"; then
    echo "$header holds the Store: read through query::Reads (service/query/reads.h)"
    status=1
  fi
done
if [ "$status" -eq 0 ]; then
  echo "the ledger calls no read model; the services hold no Store"
fi
exit "$status"
