#!/usr/bin/env bash
# Builds the whole cluster: Proxmox VMs -> Talos -> Flux -> health check.
# A thin wrapper: all logic lives in `homeport up`, which is idempotent and resumable
# (run it again after an interruption). Extra arguments go to homeport, e.g.
#   scripts/bootstrap_cluster.sh --dry-run
#   scripts/bootstrap_cluster.sh --cluster prox-n100 --from talos
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${HOMEPORT:-}" ]; then
  exec "$HOMEPORT" up "$@"
elif command -v homeport >/dev/null 2>&1; then
  exec homeport up "$@"
else
  exec swift run --quiet homeport up "$@"
fi
