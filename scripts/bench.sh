#!/usr/bin/env bash
# hookguard side by side with the tools users would otherwise run, on the same
# input in one run, printed as a Markdown table of ratios and peak memory (the
# machine may be shared: absolute times are noise, ratios of paired runs are not).
#
#   scripts/bench.sh [RUNS]        default 5 rounds; QUICK=1 for a 1k/5k smoke run;
#                                  REPS=N runs each short case N times per round (10)
#
# Rounds are paired: each round runs every tool once, in turn, so a load spike
# falls on all of them. Each cell is the median over the rounds of user+system
# CPU, wall time and peak RSS (GNU time). Competitors are installed from the Go
# module proxy into .ci/bin when absent: conftest v0.71.1 with an 8-rule hook
# policy (bench/conftest/hooks.rego), kube-score v1.20.0; helm and kustomize for
# the generate comparison. The floor (bench/parsefloor) only parses the files.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
export GOFLAGS=-buildvcs=false

bin=.ci/bin
mkdir -p "$bin"
export PATH="$(pwd)/$bin:$PATH"
need() { # need TOOL MODULE@VERSION
  command -v "$1" >/dev/null || GOBIN="$(pwd)/$bin" go install "$2" || echo "could not install $1: its rows are skipped" >&2
}
need conftest github.com/open-policy-agent/conftest@v0.71.1
need kube-score github.com/zegl/kube-score/cmd/kube-score@v1.20.0
need helm helm.sh/helm/v3/cmd/helm@v3.22.0
need kustomize sigs.k8s.io/kustomize/kustomize/v5@v5.8.2
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed: apt-get install time" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/hookguard" ./cmd/hookguard
go build -o "$work/parsefloor" ./bench/parsefloor
hg="$work/hookguard"

small=${SMALL:-10000}
large=${LARGE:-50000}
if [ -n "${QUICK:-}" ]; then small=1000 large=5000; fi
go run ./bench/synthrepo -n "$small" "$work/small"
go run ./bench/synthrepo -n "$large" "$work/large"
files=$(find "$work/small" -name '*.yaml' | wc -l)

# measure NAME CMD...: one run; appends "cpu wall rss" to $work/NAME.
measure() {
  local name=$1
  shift
  /usr/bin/time -f '%U %S %e %M' -o "$work/t" "$@" >/dev/null 2>&1 || true
  tail -n1 "$work/t" | awk '{printf "%.3f %.3f %d\n", $1 + $2, $3, $4}' >>"$work/$name"
}
# measure_reps NAME CMD...: REPS runs in a row as one measurement, for the
# runs of a few tens of milliseconds that GNU time's 10 ms clock cannot
# tell apart; the ratios are of totals, the RSS the largest run's.
reps=${REPS:-10}
measure_reps() {
  local name=$1
  shift
  measure "$name" sh -c 'n=$1; shift; for _ in $(seq "$n"); do "$@" >/dev/null 2>&1 || true; done' _ "$reps" "$@"
}
# median NAME COLUMN: the median of a column (1 cpu, 2 wall, 3 rss KiB).
median() {
  sort -n -k"$2" "$work/$1" | awk -v c="$2" '{v[NR] = $c} END {print v[int((NR + 1) / 2)]}'
}
have() { command -v "$1" >/dev/null; }

# The cases, run round-robin.
cases=(hg_small hg_large floor_small)
have conftest && cases+=(cf_small)
have kube-score && cases+=(ks_small)
one=$(find "$work/small" -name 'a.yaml' | sort | sed -n 1p) # sed reads it all: no SIGPIPE under pipefail
corpus=../shared/corpus/plain
cases+=(hg_one)
have conftest && cases+=(cf_one)
if [ -d "$corpus" ]; then
  cases+=(hg_corpus)
  have conftest && cases+=(cf_corpus)
fi
chart=${CHART:-../shared/corpus/helm/longhorn__longhorn__chart}
kapp=${KAPP:-../shared/corpus/kustomize/rh-aiservices-bu__parasol-insurance__bootstrap__ic-shared-minio__base}
if [ -d "$chart" ]; then
  cases+=(gen_helm)
  have helm && cases+=(helm)
fi
if [ -d "$kapp" ]; then
  cases+=(gen_kust)
  have kustomize && cases+=(kust)
fi

# The CMP's whole path through output, under an admin that allows gate none.
genenv=(HOOKGUARD_ADMIN_MIN_GATE=none ARGOCD_APP_NAME=bench
  'ARGOCD_APP_PARAMETERS=[{"name":"gate","string":"none"}]')
run_case() {
  case $1 in
  hg_small) measure "$1" "$hg" lint -o json "$work/small" ;;
  hg_large) measure "$1" "$hg" lint -o json "$work/large" ;;
  floor_small) measure "$1" "$work/parsefloor" "$work/small" ;;
  cf_small) measure "$1" conftest test --no-color -o json -p bench/conftest/hooks.rego "$work/small" ;;
  ks_small) measure "$1" sh -c 'find "$1" -name "*.yaml" -print0 | xargs -0 kube-score score -o ci' _ "$work/small" ;;
  hg_one) measure_reps "$1" "$hg" lint "$one" ;;
  cf_one) measure_reps "$1" conftest test --no-color -p bench/conftest/hooks.rego "$one" ;;
  hg_corpus) measure_reps "$1" "$hg" lint "$corpus" ;;
  cf_corpus) measure_reps "$1" conftest test --no-color -p bench/conftest/hooks.rego "$corpus" ;;
  gen_helm) measure_reps "$1" env -C "$chart" "${genenv[@]}" "$hg" generate ;;
  helm) measure_reps "$1" helm template bench "$chart" --include-crds --kube-version 1.34.0 ;;
  gen_kust) measure_reps "$1" env -C "$kapp" "${genenv[@]}" "$hg" generate ;;
  kust) measure_reps "$1" kustomize build "$kapp" ;;
  esac
}
for _ in $(seq "$runs"); do
  for c in "${cases[@]}"; do run_case "$c"; done
done

cpu() { median "$1" 1; }
wall() { median "$1" 2; }
mib() { echo "$(median "$1" 3) / 1024" | bc; }
ratio() { # ratio A B: A/B to two decimals, "-" when a side is missing
  if [ -s "$work/$1" ] && [ -s "$work/$2" ]; then
    echo "scale=4; $(median "$1" "${3:-1}") / $(median "$2" "${3:-1}")" | bc | awk '{printf "%.2f×", $1}'
  else echo "-"; fi
}
row() { # row LABEL CASE BASE: CPU, wall, RSS and CPU ratio to BASE
  [ -s "$work/$2" ] || return 0
  printf '| %s | %s s | %s s | %s MiB | %s |\n' "$1" "$(cpu "$2")" "$(wall "$2")" "$(mib "$2")" "$(ratio "$2" "$3")"
}

cpu_model=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || echo unknown)
echo "### hookguard benchmark ($(date -u +%Y-%m-%d), $(nproc) cores, ${cpu_model}, $(go env GOVERSION), median of $runs paired rounds)"
echo
echo "Synthetic GitOps repository (bench/synth): $small objects in $files files; $large objects for the growth row."
echo
echo "| run | CPU (user+sys) | wall | peak RSS | CPU vs hookguard |"
echo "|---|---|---|---|---|"
row "hookguard lint -o json (full catalog)" hg_small hg_small
row "conftest v0.71.1, 8-rule hook policy" cf_small hg_small
row "kube-score v1.20.0" ks_small hg_small
row "parse only, kyaml (the floor)" floor_small hg_small
echo
echo "| check | measured | target (issue 10) |"
echo "|---|---|---|"
echo "| conftest CPU / hookguard CPU | $(ratio cf_small hg_small) | ≥ 5× |"
echo "| kube-score CPU / hookguard CPU | $(ratio ks_small hg_small) | > 1× |"
echo "| hookguard CPU / parse floor | $(ratio hg_small floor_small) | ≤ 3× |"
echo "| hookguard peak RSS, $small objects | $(mib hg_small) MiB | ≤ 150 MiB |"
echo "| hookguard $large / $small objects, CPU | $(ratio hg_large hg_small) | ≤ 5.5× |"
echo "| hookguard $large / $small objects, peak RSS | $(ratio hg_large hg_small 3) | ≤ input growth ($((large / small))×) |"
echo "| hookguard wall / CPU, $small objects | $(echo "scale=4; $(wall hg_small) / $(cpu hg_small)" | bc | awk '{printf "%.2f", $1}') | ≤ 0.65 |"
echo "| one file: hookguard / conftest (wall) | $(ratio hg_one cf_one 2) | ≤ 1.2× |"
echo "| ../shared/corpus/plain: hookguard / conftest (wall) | $(ratio hg_corpus cf_corpus 2) | ≤ 1.2× |"
echo "| generate / helm template (wall, $(basename "$chart")) | $(ratio gen_helm helm 2) | ≤ 1.5× |"
echo "| generate / kustomize build (wall, $(basename "$kapp")) | $(ratio gen_kust kust 2) | ≤ 1.5× |"
