#!/usr/bin/env bash
# Thin wrapper for agent clients: runs `homeport ai SUBCOMMAND ...` (guard, mcp, init, run)
# on this repository. Hook clients let a call through on exit codes other than 0 and 2, so
# for `guard` every failure becomes exit 2 (deny).
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
subcommand="${1:-}"

deny() {
  echo "homeport guard denied: ai.internal-error: $1" >&2
  exit 2
}

binary=""
for candidate in "$root/.build/release/homeport" "$root/.build/debug/homeport"; do
  if [ -x "$candidate" ] && { [ -z "$binary" ] || [ "$candidate" -nt "$binary" ]; }; then
    binary="$candidate"
  fi
done
if [ -z "$binary" ]; then
  # A hook must answer quickly: it never builds, it denies until someone builds.
  [ "$subcommand" = "guard" ] && deny "homeport is not built; run 'swift build' in $root"
  swift build --package-path "$root" >&2 || exit 1
  binary="$root/.build/debug/homeport"
fi

arguments=("$@")
case " $* " in
  *" --repo "*) ;;
  *) arguments+=(--repo "$root") ;;
esac

if [ "$subcommand" = "guard" ]; then
  "$binary" ai "${arguments[@]}"
  status=$?
  if [ "$status" -ne 0 ] && [ "$status" -ne 2 ]; then
    deny "the guard failed with exit status $status"
  fi
  exit "$status"
fi
exec "$binary" ai "${arguments[@]}"
