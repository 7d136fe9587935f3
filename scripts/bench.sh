#!/usr/bin/env bash
# Compare hookguard with the tools users would otherwise run, side by side in
# one run, and print ratios (the machine is shared: absolute times are noise).
#
#   scripts/bench.sh [DIR] [RUNS]      default DIR ../shared/corpus/plain, RUNS 15
#
# Competitors are used when on PATH (install: go install
# github.com/open-policy-agent/conftest@latest). conftest runs two per-object
# rules (testdata/config/policy/conftest.rego); hookguard runs its whole
# catalog over the whole set, so the ratio is conservative for hookguard.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/corpus/plain}
runs=${2:-15}
[ -d "$dir" ] || { echo "no $dir to benchmark on" >&2; exit 2; }
bin=$(mktemp -d)/hookguard
go build -o "$bin" ./cmd/hookguard

# median wall time in milliseconds of running "$@" $runs times
median_ms() {
  local times=()
  for _ in $(seq "$runs"); do
    local s e
    s=$(date +%s%N)
    "$@" >/dev/null 2>&1 || true
    e=$(date +%s%N)
    times+=($(( (e - s) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'
}

files=$(find "$dir" -name '*.yaml' -o -name '*.yml' -o -name '*.json' | wc -l)
printf 'benchmark over %s (%s files), median of %s runs\n' "$dir" "$files" "$runs"
hg=$(median_ms "$bin" lint "$dir")
printf '%-40s %8s ms  1.00x\n' "hookguard lint (full catalog)" "$hg"
hgv=$(median_ms "$bin" --version)
printf '%-40s %8s ms  %.2fx\n' "hookguard --version (start-up)" "$hgv" "$(echo "$hgv / $hg" | bc -l)"
for tool in conftest helm kustomize; do
  if ! command -v "$tool" >/dev/null && [ -x "$(go env GOPATH)/bin/$tool" ]; then
    PATH="$(go env GOPATH)/bin:$PATH"
  fi
done
if command -v conftest >/dev/null; then
  cf=$(median_ms conftest test --no-color -p testdata/config/policy/conftest.rego "$dir")
  printf '%-40s %8s ms  %.2fx\n' "conftest test (2 rules)" "$cf" "$(echo "$cf / $hg" | bc -l)"
else
  echo "conftest: not installed, skipped"
fi

# The CMP: hookguard generate (render + normalize + lint) against the
# renderers Argo CD would otherwise run alone.
chart=${CHART:-../shared/corpus/helm/longhorn__longhorn__chart}
kapp=${KAPP:-../shared/corpus/kustomize/rh-aiservices-bu__parasol-insurance__bootstrap__ic-shared-minio__base}
if [ -d "$chart" ]; then
  # The admin lets the gate be off, so the whole path through output is timed.
  gen() { (cd "$1" && HOOKGUARD_ADMIN_MIN_GATE=none ARGOCD_APP_NAME=bench ARGOCD_APP_PARAMETERS='[{"name":"gate","string":"none"}]' "$bin" generate); }
  g=$(median_ms gen "$chart")
  printf '\n%-40s %8s ms  1.00x\n' "hookguard generate (helm chart)" "$g"
  if command -v helm >/dev/null; then
    h=$(median_ms helm template bench "$chart" --include-crds --kube-version 1.34.0)
    printf '%-40s %8s ms  %.2fx\n' "helm template (render only)" "$h" "$(echo "$h / $g" | bc -l)"
  else
    echo "helm: not installed, skipped"
  fi
  k=$(median_ms gen "$kapp")
  printf '%-40s %8s ms  1.00x\n' "hookguard generate (kustomize app)" "$k"
  if command -v kustomize >/dev/null; then
    kb=$(median_ms kustomize build "$kapp")
    printf '%-40s %8s ms  %.2fx\n' "kustomize build (render only)" "$kb" "$(echo "$kb / $k" | bc -l)"
  else
    echo "kustomize: not installed, skipped"
  fi
fi
