#!/usr/bin/env bash
# Stops and deletes every VM tagged `homeport` + the cluster name, with its disks.
# A thin wrapper around `homeport proxmox destroy`, which refuses without --yes; this script
# asks first unless --yes is given. VMs without the cluster's tags are never touched.
#   infrastructure/proxmox/wipe_proxmox.sh [--cluster NAME] [--yes]
set -euo pipefail
cd "$(dirname "$0")/../.."
args=()
confirmed=no
for arg in "$@"; do
  if [ "$arg" = "--yes" ]; then confirmed=yes; else args+=("$arg"); fi
done
homeport() {
  if [ -n "${HOMEPORT:-}" ]; then "$HOMEPORT" "$@"
  elif command -v homeport >/dev/null 2>&1; then command homeport "$@"
  else swift run --quiet homeport "$@"; fi
}
if [ "$confirmed" != yes ]; then
  homeport proxmox status "${args[@]}" || true
  printf 'Destroy these VMs and their disks? Type "destroy" to continue: '
  read -r answer
  [ "$answer" = destroy ] || { echo "aborted: nothing was changed"; exit 1; }
fi
homeport proxmox destroy --yes "${args[@]}"
