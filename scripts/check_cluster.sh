#!/usr/bin/env bash
# Reports cluster health from VM to HelmRelease; exits 1 when anything is unhealthy.
# A thin wrapper around `homeport status` (read-only). Extra arguments go to homeport, e.g.
#   scripts/check_cluster.sh --format json
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${HOMEPORT:-}" ]; then
  exec "$HOMEPORT" status "$@"
elif command -v homeport >/dev/null 2>&1; then
  exec homeport status "$@"
else
  exec swift run --quiet homeport status "$@"
fi
